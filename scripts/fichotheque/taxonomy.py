"""taxonomy.yml: the facets a knowledge base declares and the terms of each facet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .files import read_text
from .problems import Problem, Severity
from .reading import Reader
from .routes import RESERVED_TERM_SLUGS, reserved_names
from .schema import FIELDS_BY_KEY
from .setupschema import (
    FACET,
    FACET_KEY_RULE,
    GROUP,
    GROUP_SLUG_RULE,
    SLUG_RULE,
    TAXONOMY,
    TERM,
    Rule,
)
from .text import fold, slugify
from .yamlnodes import Mapping, Mark, Node, Sequence, parse_yaml


def facet_key_for(text: str) -> str:
    """A valid facet key close to ``text``: « Type-d'activité » gives ``type_d_activite``."""
    key = slugify(text).replace("-", "_")
    if not key or not key[0].isalpha():
        key = "facette_" + key
    return key.rstrip("_")


@dataclass(frozen=True)
class Term:
    """One value of a facet: a stable slug, a label, a public description."""

    slug: str
    label: str
    description: str
    aliases: tuple[str, ...] = ()
    group: str | None = None


@dataclass(frozen=True)
class Group:
    """A heading under which some terms of a facet are listed."""

    slug: str
    label: str
    description: str = ""


@dataclass(frozen=True)
class Facet:
    """A way of classifying fiches, read from one front-matter key."""

    key: str
    label: str
    description: str
    multiple: bool
    required: bool
    terms: tuple[Term, ...]
    groups: tuple[Group, ...] = ()

    def term(self, slug: str) -> Term | None:
        """The term with this slug, or None."""
        return next((term for term in self.terms if term.slug == slug), None)

    def spellings(self) -> dict[str, str]:
        """Every way of writing a term (slug, label, aliases) mapped to its slug."""
        result: dict[str, str] = {}
        for term in self.terms:
            for spelling in (term.slug, term.label, *term.aliases):
                result.setdefault(spelling, term.slug)
        return result

    def renamed(self) -> dict[str, Term]:
        """Old slugs (aliases written as slugs) mapped to the term that now bears them.

        A term renamed keeps its old slug in ``alias``: fiches that still write it stay
        valid, and the old term page becomes a redirect. An alias that is another term's
        slug, or the reserved « index », is never an old slug.
        """
        slugs = {term.slug for term in self.terms}
        return {
            alias: term
            for term in self.terms
            for alias in term.aliases
            if SLUG_RULE.pattern.match(alias)
            and alias not in slugs
            and alias not in RESERVED_TERM_SLUGS
        }

    def terms_of_group(self, group: Group | None) -> tuple[Term, ...]:
        """The terms under ``group`` (None: the whole facet)."""
        if group is None:
            return self.terms
        return tuple(term for term in self.terms if term.group == group.slug)


@dataclass(frozen=True)
class Taxonomy:
    """Every facet of a knowledge base, in the order declared."""

    facets: tuple[Facet, ...] = ()

    def facet(self, key: str) -> Facet | None:
        """The facet read from front-matter key ``key``, or None."""
        return next((facet for facet in self.facets if facet.key == key), None)


def load_taxonomy(
    path: Path, file: str, taken: dict[str, str] | None = None
) -> tuple[Taxonomy, list[Problem]]:
    """Read and check taxonomy.yml; what is usable is kept even when problems are found.

    ``taken`` adds names a facet key may not take (the project's own pages), each with
    what already answers there; the site's generated addresses are always taken.
    """
    text, problems = read_text(path, file)
    if text is None:
        return Taxonomy(), problems
    root, problems = parse_yaml(text, file)
    reader = _TaxonomyReader(file, {**reserved_names(), **(taken or {})})
    reader.problems.extend(problems)
    return reader.read(root), reader.problems


class _TaxonomyReader(Reader):
    def __init__(self, file: str, taken: dict[str, str]) -> None:
        super().__init__(file)
        self._taken = taken
        self._term_marks: dict[Term, Mark] = {}

    def read(self, root: Node | None) -> Taxonomy:
        mapping = self.mapping(root, "", "Le fichier de taxonomie")
        if mapping is None:
            if root is None and not self.problems:
                self.report(
                    None,
                    "champ-manquant",
                    "facettes",
                    "La taxonomie est vide : elle doit déclarer au moins une facette.",
                    "Ajoutez une liste « facettes: » (voir le guide de rédaction).",
                )
            return Taxonomy()
        self.check_keys(mapping, TAXONOMY.names, "", "de la taxonomie")
        self.require(mapping, TAXONOMY.required, "", "dans la taxonomie")
        facet_nodes = mapping.get("facettes")
        if isinstance(facet_nodes, Sequence) and not facet_nodes.items:
            self.report(
                facet_nodes, "termes-manquants", "facettes",
                "La liste des facettes est vide : les fiches ne pourraient être classées.",
                "Déclarez au moins une facette (voir le guide de rédaction).",
            )  # fmt: skip
        facets: list[Facet] = []
        for index, node in enumerate(self.sequence(mapping.get("facettes"), "facettes")):
            facet = self._facet(node, f"facettes[{index + 1}]")
            if facet is None:
                continue
            if any(other.key == facet.key for other in facets):
                self.report(
                    node,
                    "facette-dupliquee",
                    f"facettes[{index + 1}].cle",
                    f"La facette « {facet.key} » est déclarée deux fois.",
                    "Gardez une seule déclaration par clé.",
                )
                continue
            facets.append(facet)
        return Taxonomy(tuple(facets))

    def _facet(self, node: Node, field: str) -> Facet | None:
        mapping = self.mapping(node, field, "Une facette")
        if mapping is None:
            return None
        self.check_keys(mapping, FACET.names, field + ".", "d'une facette")
        self.require(mapping, FACET.required, field + ".", "dans cette facette")
        key = self.text(mapping.get("cle"), field + ".cle")
        label = self.text(mapping.get("libelle"), field + ".libelle")
        description = self._description(mapping, field, "cette facette")
        multiple = self.boolean(mapping.get("multiple"), field + ".multiple")
        required = self.boolean(mapping.get("obligatoire"), field + ".obligatoire")
        if key is not None and not FACET_KEY_RULE.pattern.match(key):
            self.report(
                mapping.get("cle"),
                "cle-invalide",
                field + ".cle",
                f"« {key} » n'est pas une clé de facette valable : une clé s'écrit en "
                "minuscules sans accent, chiffres et « _ », et commence par une lettre, "
                "car elle sert de nom de champ dans chaque fiche, de nom de colonne dans les "
                "exports et d'adresse à la page de la facette.",
                f"Écrivez par exemple « {facet_key_for(key)} ».",
            )
            key = None
        if key is not None and key in FIELDS_BY_KEY:
            self.report(
                mapping.get("cle"),
                "facette-reservee",
                field + ".cle",
                f"« {key} » est déjà un champ des fiches ; une facette ne peut pas porter ce nom.",
                "Choisissez une autre clé.",
            )
            key = None
        elif key is not None and key in self._taken:
            self.report(
                mapping.get("cle"), "facette-reservee", field + ".cle",
                f"La clé « {key} » est déjà prise par {self._taken[key]} ; la facette et "
                "elle se disputeraient la même adresse.",
                "Choisissez une autre clé, par exemple « " + key + "_activite ».",
            )  # fmt: skip
            key = None
        groups, terms = self._terms_and_groups(mapping, field)
        self._check_spellings(field, terms, mapping)
        if key is None or label is None or not terms:
            return None
        return Facet(
            key,
            label,
            description,
            multiple is not False,
            required is True,
            tuple(terms),
            tuple(groups),
        )

    def _description(self, mapping: Mapping, field: str, what: str) -> str:
        node = mapping.get("description")
        if node is None:
            self.report(
                mapping,
                "description-manquante",
                field + ".description",
                f"Il manque une description de {what} pour le public.",
                "Ajoutez « description: » avec une ou deux phrases.",
                Severity.WARNING,
            )
            return ""
        return self.text(node, field + ".description") or ""

    def _terms_and_groups(self, mapping: Mapping, field: str) -> tuple[list[Group], list[Term]]:
        groups: list[Group] = []
        terms: list[Term] = []
        has_terms, has_groups = (
            mapping.get("termes") is not None,
            mapping.get("groupes") is not None,
        )
        if has_terms == has_groups:
            self.report(
                mapping,
                "termes-manquants",
                field,
                "Une facette déclare ses termes soit dans « termes », soit dans "
                "« groupes », et pas les deux.",
                "Gardez « termes: » pour une liste simple, « groupes: » pour des "
                "termes répartis sous des titres.",
            )
        if has_terms:
            terms = self._terms(mapping.get("termes"), field + ".termes", None)
            if not terms and not self._reported(field + ".termes"):
                self.report(
                    mapping.get("termes"), "termes-manquants", field + ".termes",
                    "La liste des termes de cette facette est vide.",
                    "Ajoutez au moins un terme (slug, libelle, description).",
                )  # fmt: skip
        elif has_groups:
            for index, node in enumerate(self.sequence(mapping.get("groupes"), field + ".groupes")):
                group_field = f"{field}.groupes[{index + 1}]"
                group = self.mapping(node, group_field, "Un groupe")
                if group is None:
                    continue
                self.check_keys(group, GROUP.names, group_field + ".", "d'un groupe")
                self.require(group, GROUP.required, group_field + ".", "dans ce groupe")
                slug = self._slug(group.get("slug"), group_field + ".slug", GROUP_SLUG_RULE)
                label = self.text(group.get("libelle"), group_field + ".libelle")
                if slug is None or label is None:
                    continue
                if any(other.slug == slug for other in groups):
                    self.report(
                        group.get("slug"), "groupe-duplique", group_field + ".slug",
                        f"Le groupe « {slug} » est déclaré deux fois dans cette facette.",
                        "Fusionnez les deux groupes, ou donnez-leur des slugs différents.",
                    )  # fmt: skip
                    continue
                text = self.text(group.get("description"), group_field + ".description") or ""
                groups.append(Group(slug, label, text))
                group_terms = self._terms(group.get("termes"), group_field + ".termes", slug)
                if not group_terms and not self._reported(group_field + ".termes"):
                    self.report(
                        group, "termes-manquants", group_field + ".termes",
                        f"Le groupe « {slug} » n'a aucun terme.",
                        "Ajoutez-lui des termes, ou retirez ce groupe.",
                    )  # fmt: skip
                terms += group_terms
        seen: set[str] = set()
        unique = []
        for term in terms:
            if term.slug in seen:
                self.report(
                    self._term_marks.get(term, mapping),
                    "terme-duplique",
                    field,
                    f"Le terme « {term.slug} » est déclaré deux fois dans cette facette.",
                    "Gardez un seul terme par slug.",
                )
                continue
            seen.add(term.slug)
            unique.append(term)
        return groups, unique

    def _terms(self, node: Node | None, field: str, group: str | None) -> list[Term]:
        terms = []
        for index, item in enumerate(self.sequence(node, field)):
            term_field = f"{field}[{index + 1}]"
            mapping = self.mapping(item, term_field, "Un terme")
            if mapping is None:
                continue
            self.check_keys(mapping, TERM.names, term_field + ".", "d'un terme")
            self.require(mapping, TERM.required, term_field + ".", "dans ce terme")
            slug = self._slug(mapping.get("slug"), term_field + ".slug", SLUG_RULE)
            label = self.text(mapping.get("libelle"), term_field + ".libelle")
            description = self._description(mapping, term_field, "ce terme")
            aliases = [
                s.value.strip() for s in self.scalars(mapping.get("alias"), term_field + ".alias")
            ]
            if slug in RESERVED_TERM_SLUGS:
                self.report(
                    mapping.get("slug"), "slug-reserve", term_field + ".slug",
                    f"« {slug} » est réservé par le site : la page du terme remplacerait "
                    f"{RESERVED_TERM_SLUGS[slug]}.", "Choisissez un autre slug.",
                )  # fmt: skip
            elif slug is not None and label is not None:
                term = Term(slug, label, description, tuple(aliases), group)
                self._term_marks[term] = mapping.mark
                terms.append(term)
        return terms

    def _reported(self, field: str) -> bool:
        return any(problem.field == field for problem in self.problems)

    def _slug(self, node: Node | None, field: str, rule: Rule) -> str | None:
        slug = self.text(node, field)
        if slug is not None and not rule.pattern.match(slug):
            self.report(
                node,
                "slug-invalide",
                field,
                f"« {slug} » n'est pas un slug valable.",
                "Utilisez des minuscules sans accent, des chiffres et des tirets, "
                f"par exemple « {slugify(slug) or 'mon-terme'} ».",
            )
            return None
        return slug

    def _check_spellings(self, field: str, terms: list[Term], mapping: Mapping) -> None:
        owners: dict[str, str] = {}
        for term in terms:
            for spelling in {fold(s) for s in (term.slug, term.label, *term.aliases)}:
                owner = owners.setdefault(spelling, term.slug)
                if owner != term.slug:
                    self.report(
                        mapping,
                        "alias-ambigu",
                        field,
                        f"L'écriture « {spelling} » désigne à la fois « {owner} » et "
                        f"« {term.slug} » dans la même facette.",
                        "Retirez cet alias de l'un des deux termes.",
                    )
