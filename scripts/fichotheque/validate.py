"""Turn raw fiches into typed ``Fiche`` values, reporting every problem on the way.

``validate_fiche`` checks one file on its own, reading its fields with ``fields``;
``crosscheck`` then checks what only the whole collection can tell.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from .bodycheck import BodyLink, BodyReport, check_body
from .dates import (
    Period,
)
from .fiches import STATUS_DRAFT, STATUS_PUBLISHED, Fiche, RawFiche, Resource, Source
from .fields import Context, FieldReader
from .problems import Problem, Severity
from .references import find_references
from .review import REVIEW_KEY, is_overdue, review_due
from .routes import RESERVED_FICHE_SLUGS
from .schema import FIELDS, OLD_ADDRESSES_KEY
from .taxonomy import Facet, Term
from .text import CONTROL, MARKUP, quote_list, suggest
from .yamlnodes import Mark, Node, Scalar, describe, forbidden_characters

T = TypeVar("T")


@dataclass(frozen=True)
class BodyReference:
    """A « Fiche 37 » written in a body, to be resolved against the collection."""

    number: int
    mark: Mark


@dataclass(frozen=True)
class Checked:
    """One fiche after the single-file checks, with what the collection must resolve.

    ``fiche`` is None when a required field is unusable; the identity (slug, number,
    status) and the references are still kept, so that the collection checks see
    every file.
    """

    file: str
    slug: str
    number: int | None
    is_draft: bool
    related_nodes: tuple[Scalar, ...]
    body_references: tuple[BodyReference, ...]
    number_node: Scalar | None
    slug_node: Scalar | None
    fiche: Fiche | None
    body_links: tuple[BodyLink, ...] = ()
    anchors: frozenset[str] = frozenset()
    old_address_nodes: tuple[Scalar, ...] = ()


def validate_fiche(raw: RawFiche, context: Context) -> tuple[Checked | None, list[Problem]]:
    """Check one fiche's fields and body; a fiche too broken to type gives None."""
    reader = _FicheReader(raw.file, context)
    checked = reader.read(raw)
    return checked, reader.problems


class _FicheReader(FieldReader):
    _draft = False  # set for each fiche read

    def read(self, raw: RawFiche) -> Checked | None:
        front = raw.front
        if front is None:
            return None
        taxonomy = self.context.taxonomy
        if self.context.taxonomy_usable:
            allowed = [spec.key for spec in FIELDS] + [facet.key for facet in taxonomy.facets]
            self.check_keys(front, allowed, "", "d'une fiche")
        self.require(front, [spec.key for spec in FIELDS if spec.required], "", "dans cette fiche")
        # A draft may wait for its categories (an imported announcement…): a warning then.
        status_node = front.get("statut")
        self._draft = isinstance(status_node, Scalar) and status_node.value.strip() == STATUS_DRAFT
        facets = [facet.key for facet in taxonomy.facets if facet.required]
        if self._draft:
            self.require(front, facets, "", "dans ce brouillon", Severity.WARNING)
        else:
            self.require(front, facets, "", "dans cette fiche")

        values: dict[str, object] = {}
        for spec in FIELDS:
            node = front.get(spec.key)
            if node is not None:
                values[spec.key] = spec.kind.read(self, node, spec.key)
        terms = tuple(
            (facet.key, self._facet(front.get(facet.key), facet)) for facet in taxonomy.facets
        )
        self._check_review(front.get(REVIEW_KEY), values.get(REVIEW_KEY))
        body = self._check_body(raw)
        acronyms = values.get("sigles") or {}
        assert isinstance(acronyms, dict)
        self._check_ambiguous_acronyms(raw, acronyms)

        read = _Values(values)
        slug = read.one("slug", str) or raw.slug
        slug_node = front.get("slug")
        if slug in RESERVED_FICHE_SLUGS:
            self.report(
                slug_node or Mark(0, 0), "slug-reserve", "slug",
                f"L'adresse « {slug} » est réservée par le site : c'est celle de "
                f"{RESERVED_FICHE_SLUGS[slug]}.",
                "Renommez le fichier ou donnez un autre « slug: ».",
            )  # fmt: skip
        elif not slug:
            self.report(
                Mark(0, 0), "slug-invalide", "slug",
                "Le nom du fichier ne contient ni lettre ni chiffre : la fiche n'aurait pas "
                "d'adresse.",
                "Renommez le fichier avec des lettres, par exemple « 2024-atelier.md ».",
            )  # fmt: skip
        related_nodes = tuple(read.items("fiches_liees", Scalar))
        old_address_nodes = tuple(read.items(OLD_ADDRESSES_KEY, Scalar))
        number_node = front.get("numero")
        status = read.one("statut", str) or STATUS_PUBLISHED
        title, description = read.one("title", str), read.one("description", str)
        for key in ("title", "description"):
            self._check_markup(front.get(key), key)
        period, organisation = read.one("date", Period), read.one("organisation", str)
        fiche = None
        if title and description and period and organisation:
            body_text = normalise_separators(raw.body)
            used = self.context.glossary.used_in(
                "\n".join((title, description, body_text)), acronyms
            )
            fiche = Fiche(
                file=raw.file,
                slug=slug,
                title=title,
                description=description,
                period=period,
                organisation=organisation,
                body=body_text,
                number=read.one("numero", int),
                status=status,
                resources=read.items("ressources", Resource),
                sources=read.items("sources", Source),
                related=tuple(node.value.strip() for node in related_nodes),
                reviewed=read.one("verifie_le", dt.date),
                acronyms=tuple(sorted(acronyms.items())),
                meanings=tuple(meaning.id for meaning in used),
                terms=terms,
                old_addresses=tuple(node.value.strip() for node in old_address_nodes),
                values={key: value for key, value in values.items() if value is not None},
            )
        return Checked(
            raw.file,
            slug,
            read.one("numero", int),
            status == STATUS_DRAFT,
            related_nodes,
            tuple(self._body_references(raw)),
            number_node if isinstance(number_node, Scalar) else None,
            slug_node if isinstance(slug_node, Scalar) else None,
            fiche,
            tuple(body.links),
            frozenset(body.anchors),
            old_address_nodes,
        )

    def _check_review(self, node: Node | None, reviewed: object) -> None:
        """A review older than the settings allow: say so, and what to do."""
        months = self.context.review_months
        if node is None or months is None or not isinstance(reviewed, dt.date):
            return
        if is_overdue(reviewed, months, self.context.today):
            due = review_due(reviewed, months)
            self.report(
                node, "relecture-depassee", REVIEW_KEY,
                f"La fiche a été vérifiée le {reviewed.isoformat()} : sa relecture, valable "
                f"{months} mois, est dépassée depuis le {due.isoformat()}.",
                f"Relisez la fiche, corrigez ce qui a changé, puis écrivez « {REVIEW_KEY}: "
                f"{self.context.today.isoformat()} ».",
                Severity.WARNING,
            )  # fmt: skip

    def _check_markup(self, node: Node | None, field: str) -> None:
        """HTML in a title or summary is shown as typed: say so before someone is surprised."""
        if not isinstance(node, Scalar):
            return
        markup = MARKUP.search(node.value)
        if markup:
            self.report(
                node, "html-dans-texte", field,
                f"« {field} » contient du HTML (« {markup.group(0)}… ») : il s'affichera tel "
                "qu'il est écrit, sans mise en forme.",
                "Écrivez du texte simple ; la mise en forme se fait dans le texte de la fiche.",
                Severity.WARNING,
            )  # fmt: skip

    def _check_body(self, raw: RawFiche) -> BodyReport:
        if not raw.body.strip():
            last_line = max(raw.body_mark.line - 1, 1) if not raw.body else raw.body_mark.line
            self.report(
                Mark(last_line, 1), "corps-vide", "corps",
                "Le texte de la fiche est vide : il n'y a rien après l'en-tête.",
                "Décrivez l'activité sous la ligne « --- » : contexte, déroulement, résultats.",
            )  # fmt: skip
        offset = raw.body_mark.line - 1
        self.problems.extend(
            forbidden_characters(raw.body, self.file, line_offset=offset, pattern=CONTROL)
        )
        report = check_body(raw.body, raw.body_mark, self.file, self.context.hosts)
        self.problems.extend(report.problems)
        return report

    # Field readers: each reports its own problems and returns None when unusable.

    def _facet(self, node: Node | None, facet: Facet) -> tuple[str, ...]:
        if node is None:
            return ()
        scalars = self.scalars(node, facet.key)
        if not facet.multiple and len(scalars) > 1:
            self.report(
                node,
                "facette-valeur-unique",
                facet.key,
                f"La facette « {facet.label} » n'accepte qu'un terme ; trouvé "
                f"{quote_list(s.value for s in scalars)}.",
                "Gardez le terme le plus juste.",
            )
        slugs: list[str] = []
        spellings = facet.spellings()
        renamed = facet.renamed()
        for scalar in scalars:
            value = scalar.value.strip()
            if value in renamed:
                value = self._renamed_term(scalar, facet, value, renamed[value])
            if facet.term(value) is None:
                guess = suggest(value, spellings)
                self.report(
                    scalar,
                    "terme-inconnu",
                    facet.key,
                    f"« {value} » n'est pas un terme de la facette « {facet.label} ».",
                    f"Vouliez-vous dire « {guess} » ?"
                    if guess
                    else "Termes permis : " + ", ".join(t.slug for t in facet.terms) + ".",
                )
            elif value in slugs:
                self.report(
                    scalar,
                    "terme-repete",
                    facet.key,
                    f"Le terme « {value} » est indiqué deux fois.",
                    "Retirez le doublon.",
                    Severity.WARNING,
                )
            else:
                slugs.append(value)
        if len(facet.terms) > 2 and len(slugs) == len(facet.terms):
            self.report(
                node,
                "facette-tout-cochee",
                facet.key,
                f"Tous les termes de « {facet.label} » sont cochés : cela ne dit rien "
                "de la fiche et la noie dans chaque liste.",
                "Ne gardez que les termes qui décrivent vraiment l'activité.",
                Severity.WARNING,
            )
        if facet.required and not slugs and not self._reported(facet.key):
            self.report(
                node,
                "champ-manquant",
                facet.key,
                f"La facette obligatoire « {facet.label} » est vide ; trouvé {describe(node)}.",
                f"Indiquez au moins un terme, par exemple « {facet.terms[0].slug} ».",
                Severity.WARNING if self._draft else Severity.ERROR,
            )
        return tuple(slugs)

    def _renamed_term(self, scalar: Scalar, facet: Facet, old: str, term: Term) -> str:
        """An old slug still reads as its term; the fiche is told what to write now."""
        self.report(
            scalar, "terme-renomme", facet.key,
            f"Le terme « {old} » a été renommé « {term.slug} » ({term.label}) dans la facette "
            f"« {facet.label} ».",
            f"Écrivez « {term.slug} » à la place de « {old} » ; l'ancien identifiant reste "
            "compris, mais il pourrait un jour désigner un autre terme.",
            Severity.WARNING,
        )  # fmt: skip
        return term.slug

    def _reported(self, field: str) -> bool:
        return any(problem.field == field for problem in self.problems)

    def _check_ambiguous_acronyms(self, raw: RawFiche, chosen: dict[str, str]) -> None:
        for entry in self.context.glossary.entries:
            if not entry.is_ambiguous or entry.term in chosen:
                continue
            match = entry.pattern().search(raw.body)
            if match is None:
                continue
            mark = _body_mark(raw, match.start())
            ids = [meaning.id for meaning in entry.meanings]
            self.report(
                mark,
                "sigle-ambigu",
                "sigles",
                f"« {entry.term} » a plusieurs sens dans le glossaire "
                f"({quote_list(m.expansion or m.id for m in entry.meanings)}) et la fiche "
                "ne dit pas lequel elle emploie.",
                f"Ajoutez dans l'en-tête « sigles: {{{entry.term}: {ids[0]}}} » "
                f"(sens possibles : {quote_list(ids)}).",
                Severity.WARNING,
            )

    def _body_references(self, raw: RawFiche) -> list[BodyReference]:
        return [
            BodyReference(number, _body_mark(raw, offset))
            for number, offset in find_references(raw.body)
        ]


class _Values:
    """Typed access to the values the field readers returned (None where they failed)."""

    def __init__(self, values: dict[str, object]) -> None:
        self.values = values

    def one(self, key: str, kind: type[T]) -> T | None:
        value = self.values.get(key)
        return value if isinstance(value, kind) else None

    def items(self, key: str, kind: type[T]) -> tuple[T, ...]:
        value = self.values.get(key)
        if not isinstance(value, list):
            return ()
        return tuple(item for item in value if isinstance(item, kind))


def normalise_separators(body: str) -> str:
    """The body with Unicode line and paragraph separators as Markdown line breaks."""
    return body.replace("\u2028", "\n").replace("\u2029", "\n\n")


def _body_mark(raw: RawFiche, offset: int) -> Mark:
    """The file position of a character of the body."""
    line = raw.body.count("\n", 0, offset)
    column = offset - (raw.body.rfind("\n", 0, offset) + 1) + 1
    return Mark(raw.body_mark.line + line, column)
