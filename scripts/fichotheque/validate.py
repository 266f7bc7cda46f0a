"""Turn raw fiches into typed ``Fiche`` values, reporting every problem on the way.

``validate_fiche`` checks one file on its own; ``validate_catalogue`` checks what only
the whole collection can tell (duplicate numbers and slugs, references).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .dates import (
    EXPECTED_DATE,
    EXPECTED_DAY,
    DateError,
    Period,
    parse_day,
    parse_partial,
    parse_period,
)
from .fiches import Fiche, RawFiche, Resource, Source
from .glossary import Glossary
from .problems import Problem, Severity
from .reading import Reader
from .references import find_references, reference_number
from .schema import (
    FIELDS,
    RESOURCE_KEYS,
    SOURCE_KEYS,
    STATUS_DRAFT,
    STATUS_PUBLISHED,
    STATUSES,
    Kind,
)
from .taxonomy import Facet, Taxonomy
from .text import SLUG_PATTERN, quote_list, suggest
from .yamlnodes import Mapping, Mark, Node, Scalar, describe, forbidden_characters

T = TypeVar("T")

RESERVED_SLUGS = {"index"}
_STATUS_SPELLINGS = {
    **{status: status for status in STATUSES},
    "publie": STATUS_PUBLISHED,
    "publiée": STATUS_PUBLISHED,
    "published": STATUS_PUBLISHED,
    "draft": "brouillon",
}


@dataclass(frozen=True)
class Context:
    """What a fiche is checked against."""

    root: Path
    taxonomy: Taxonomy
    glossary: Glossary
    today: dt.date
    # False when taxonomy.yml itself has errors: its facet keys are then unknown, and
    # calling every facet of every fiche an unknown key would bury the real cause.
    taxonomy_usable: bool = True


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


def validate_fiche(raw: RawFiche, context: Context) -> tuple[Checked | None, list[Problem]]:
    """Check one fiche's fields and body; a fiche too broken to type gives None."""
    reader = _FicheReader(raw.file, context)
    checked = reader.read(raw)
    return checked, reader.problems


def _problem(
    file: str,
    node: Node | None,
    code: str,
    field: str,
    message: str,
    hint: str,
    severity: Severity = Severity.ERROR,
) -> Problem:
    line, column = (node.mark.line, node.mark.column) if node else (0, 0)
    return Problem(file, line, column, code, severity, field, message, hint)


class _FicheReader(Reader):
    def __init__(self, file: str, context: Context) -> None:
        super().__init__(file)
        self.context = context

    def read(self, raw: RawFiche) -> Checked | None:
        front = raw.front
        if front is None:
            return None
        taxonomy = self.context.taxonomy
        if self.context.taxonomy_usable:
            allowed = [spec.key for spec in FIELDS] + [facet.key for facet in taxonomy.facets]
            self.check_keys(front, allowed, "", "d'une fiche")
        required = [spec.key for spec in FIELDS if spec.required]
        required += [facet.key for facet in taxonomy.facets if facet.required]
        self.require(front, required, "", "dans cette fiche")

        readers: dict[Kind, Callable[[Node, str], object]] = {
            Kind.TEXT: self.text,
            Kind.TEXT_LIST: self._text_list,
            Kind.PERIOD: self._period,
            Kind.DAY: self._day,
            Kind.NUMBER: self._number,
            Kind.STATUS: self._status,
            Kind.SLUG: self._slug,
            Kind.RESOURCES: self._resources,
            Kind.SOURCES: self._sources,
            Kind.REFERENCES: self._references,
            Kind.ACRONYMS: self._acronyms,
        }
        values: dict[str, object] = {}
        for spec in FIELDS:
            node = front.get(spec.key)
            if node is not None:
                values[spec.key] = readers[spec.kind](node, spec.key)
        terms = tuple(
            (facet.key, self._facet(front.get(facet.key), facet)) for facet in taxonomy.facets
        )
        self._check_body(raw)
        acronyms = values.get("sigles") or {}
        assert isinstance(acronyms, dict)
        self._check_ambiguous_acronyms(raw, acronyms)

        read = _Values(values)
        slug = read.one("slug", str) or raw.slug
        slug_node = front.get("slug")
        if slug in RESERVED_SLUGS:
            self.report(
                slug_node or Mark(0, 0), "slug-reserve", "slug",
                f"L'adresse « {slug} » est réservée par le site.",
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
        number_node = front.get("numero")
        status = read.one("statut", str) or STATUS_PUBLISHED
        title, description = read.one("title", str), read.one("description", str)
        period, organisation = read.one("date", Period), read.one("organisation", str)
        fiche = None
        if title and description and period and organisation:
            fiche = Fiche(
                file=raw.file,
                slug=slug,
                title=title,
                description=description,
                period=period,
                organisation=organisation,
                body=raw.body,
                number=read.one("numero", int),
                status=status,
                places=read.items("lieux", str),
                region=read.one("region", str) or "",
                partners=read.items("partenaires", str),
                funding=read.items("financements", str),
                resources=read.items("ressources", Resource),
                sources=read.items("sources", Source),
                related=tuple(node.value.strip() for node in related_nodes),
                reviewed=read.one("verifie_le", dt.date),
                acronyms=tuple(sorted(acronyms.items())),
                terms=terms,
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
        )

    def _check_body(self, raw: RawFiche) -> None:
        if not raw.body.strip():
            last_line = max(raw.body_mark.line - 1, 1) if not raw.body else raw.body_mark.line
            self.report(
                Mark(last_line, 1), "corps-vide", "corps",
                "Le texte de la fiche est vide : il n'y a rien après l'en-tête.",
                "Décrivez l'activité sous la ligne « --- » : contexte, déroulement, résultats.",
            )  # fmt: skip
        offset = raw.body_mark.line - 1
        self.problems.extend(forbidden_characters(raw.body, self.file, line_offset=offset))

    # Field readers: each reports its own problems and returns None when unusable.

    def _text_list(self, node: Node, field: str) -> list[str]:
        return [item.value.strip() for item in self.scalars(node, field)]

    def _period(self, node: Node, field: str) -> Period | None:
        text = self.text(node, field)
        if text is None:
            return None
        try:
            period = parse_period(text)
        except DateError as error:
            self.report(
                node,
                "date-invalide",
                field,
                f"Date illisible : {error}.",
                f"Écrivez {EXPECTED_DATE}.",
            )
            return None
        if period.end < period.start:
            self.report(
                node,
                "periode-inversee",
                field,
                f"La période « {text} » finit ({period.end.iso()}) avant de commencer "
                f"({period.start.iso()}).",
                "Mettez le début en premier, la fin ensuite.",
            )
            return None
        if period.start.first_day > self.context.today or period.end.first_day > self.context.today:
            self.report(
                node,
                "date-future",
                field,
                f"La date « {text} » est dans le futur (nous sommes le "
                f"{self.context.today.isoformat()}) : une fiche décrit une activité menée.",
                "Vérifiez l'année ; pour une activité à venir, attendez qu'elle ait eu lieu.",
            )
            return None
        return period

    def _day(self, node: Node, field: str) -> dt.date | None:
        text = self.text(node, field)
        if text is None:
            return None
        try:
            day = parse_day(text)
        except DateError as error:
            self.report(
                node,
                "date-invalide",
                field,
                f"Date illisible : {error}.",
                f"Écrivez {EXPECTED_DAY}.",
            )
            return None
        if day > self.context.today:
            self.report(
                node,
                "date-future",
                field,
                f"La date « {text} » est dans le futur.",
                "Indiquez le jour de la relecture.",
            )
            return None
        return day

    def _number(self, node: Node, field: str) -> int | None:
        text = self.text(node, field)
        if text is None:
            return None
        number = reference_number(text)
        if number is None or number == 0:
            self.report(
                node, "numero-invalide", field,
                f"« {text[:40]} » n'est pas un numéro de fiche : un nombre entier positif, "
                "d'au plus neuf chiffres, est attendu.",
                "Écrivez seulement des chiffres, par exemple « numero: 37 ».",
            )  # fmt: skip
            return None
        return number

    def _status(self, node: Node, field: str) -> str | None:
        text = self.text(node, field)
        if text is None or text in STATUSES:
            return text
        guess = suggest(text, _STATUS_SPELLINGS)
        self.report(
            node,
            "statut-invalide",
            field,
            f"« {text} » n'est pas un statut : attendu {quote_list(STATUSES)}.",
            f"Vouliez-vous dire « {guess} » ?"
            if guess
            else "Écrivez « statut: publié » ou « statut: brouillon », ou retirez la ligne.",
        )
        return None

    def _slug(self, node: Node, field: str) -> str | None:
        text = self.text(node, field)
        if text is not None and not SLUG_PATTERN.match(text):
            self.report(
                node,
                "slug-invalide",
                field,
                f"« {text} » n'est pas une adresse valable.",
                "Utilisez des minuscules sans accent, des chiffres et des tirets.",
            )
            return None
        return text

    def _url(self, node: Node | None, field: str) -> str | None:
        text = self.text(node, field)
        if text is not None and not re.match(r"^https?://[^\s/$.?#][^\s]*$", text):
            self.report(
                node,
                "url-invalide",
                field,
                f"« {text} » n'est pas une adresse web valable.",
                "Écrivez une adresse complète qui commence par https:// (ou http://).",
            )
            return None
        return text

    def _items(
        self, node: Node, field: str, keys: tuple[str, ...], what: str
    ) -> list[tuple[str, Mapping]]:
        result = []
        for index, item in enumerate(self.sequence(node, field)):
            item_field = f"{field}[{index + 1}]"
            mapping = self.mapping(item, item_field, what)
            if mapping is None:
                continue
            self.check_keys(mapping, keys, item_field + ".", f"dans « {field} »")
            self.require(mapping, ("titre",), item_field + ".", f"dans « {item_field} »")
            result.append((item_field, mapping))
        return result

    def _resources(self, node: Node, field: str) -> list[Resource]:
        resources = []
        for item_field, mapping in self._items(node, field, RESOURCE_KEYS, "Une ressource"):
            title = self.text(mapping.get("titre"), item_field + ".titre")
            file_node, url_node = mapping.get("fichier"), mapping.get("url")
            url = self._url(url_node, item_field + ".url")
            file = self._resource_file(file_node, item_field + ".fichier") if file_node else None
            description = self.text(mapping.get("description"), item_field + ".description") or ""
            if (file_node is None) == (url_node is None):
                both = file_node is not None
                self.report(
                    mapping, "ressource-invalide", item_field,
                    "Une ressource indique soit un « fichier », soit une « url » ; "
                    + ("celle-ci a les deux." if both else "celle-ci n'a ni l'un ni l'autre."),
                    "Gardez « fichier: » pour un document du dépôt, « url: » pour un lien.",
                )  # fmt: skip
            elif title and (url or file):
                resources.append(Resource(title, file, url, description))
        return resources

    def _resource_file(self, node: Node, field: str) -> str | None:
        text = self.text(node, field)
        if text is None:
            return None
        root = self.context.root.resolve()
        try:
            target = (root / text).resolve()
            inside = not Path(text).is_absolute() and target.is_relative_to(root)
            exists, is_dir = target.is_file(), target.is_dir()
        except (OSError, ValueError, RuntimeError):  # NUL byte, name too long, link loop
            inside, exists, is_dir = True, False, False
        if not inside:
            self.report(
                node, "ressource-hors-depot", field,
                f"Le fichier « {text} » est en dehors du dépôt : il ne serait pas publié.",
                "Copiez le document dans docs/ressources/ et indiquez ce chemin.",
            )  # fmt: skip
            return None
        if not exists:
            self.report(
                node, "ressource-introuvable", field,
                f"« {text} » est un dossier, pas un fichier." if is_dir
                else f"Le fichier « {text} » n'existe pas (chemin depuis la racine du dépôt).",
                "Indiquez le chemin d'un fichier depuis la racine du dépôt, par exemple "
                "« docs/ressources/programme.pdf ».",
            )  # fmt: skip
            return None
        relative = target.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or relative.suffix == ".md":
            self.report(
                node, "ressource-invalide", field,
                f"« {text} » ne peut pas être proposé au téléchargement : les fichiers cachés "
                "(dont le nom commence par un point) et les pages Markdown ne sont pas publiés "
                "tels quels.",
                "Choisissez un document (PDF, tableur, image…) rangé dans docs/ressources/.",
            )  # fmt: skip
            return None
        return relative.as_posix()

    def _sources(self, node: Node, field: str) -> list[Source]:
        sources = []
        for item_field, mapping in self._items(node, field, SOURCE_KEYS, "Une source"):
            title = self.text(mapping.get("titre"), item_field + ".titre")
            url = self._url(mapping.get("url"), item_field + ".url")
            date = None
            date_node = mapping.get("date")
            date_text = self.text(date_node, item_field + ".date")
            if date_text is not None:
                try:
                    partial = parse_partial(date_text)
                    if partial.first_day > self.context.today:
                        self.report(
                            date_node, "date-future", item_field + ".date",
                            f"La date « {date_text} » de cette source est dans le futur.",
                            "Indiquez la date de publication de la source.",
                        )  # fmt: skip
                        continue
                    date = partial.iso()
                except DateError as error:
                    self.report(
                        date_node,
                        "date-invalide",
                        item_field + ".date",
                        f"Date illisible : {error}.",
                        "Écrivez une année (2018), un mois (2018-06) ou un jour (2018-06-14).",
                    )
            if title:
                sources.append(Source(title, url, date))
        return sources

    def _references(self, node: Node, field: str) -> list[Scalar]:
        return self.scalars(node, field)

    def _acronyms(self, node: Node, field: str) -> dict[str, str]:
        mapping = self.mapping(node, field, "Le champ « sigles »")
        if mapping is None:
            return {}
        glossary = self.context.glossary
        chosen = {}
        for key, value in mapping.items:
            entry = glossary.entry(key.value)
            meaning_id = self.text(value, f"{field}.{key.value}")
            if entry is None:
                guess = suggest(key.value, {e.term: e.term for e in glossary.entries})
                self.report(
                    key,
                    "sigle-inconnu",
                    f"{field}.{key.value}",
                    f"« {key.value} » n'est pas dans le glossaire.",
                    f"Vouliez-vous dire « {guess} » ?"
                    if guess
                    else "Ajoutez-le à glossary.yml, ou retirez cette ligne.",
                )
                continue
            if meaning_id is None:
                continue
            ids = [meaning.id for meaning in entry.meanings]
            if meaning_id not in ids:
                self.report(
                    value,
                    "sens-inconnu",
                    f"{field}.{key.value}",
                    f"« {meaning_id} » n'est pas un sens de « {key.value} » dans le "
                    f"glossaire ; sens connus : {quote_list(ids)}.",
                    f"Vouliez-vous dire « {suggest(meaning_id, {i: i for i in ids}) or ids[0]} » ?",
                )
                continue
            chosen[key.value] = meaning_id
        return chosen

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
        for scalar in scalars:
            value = scalar.value.strip()
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
            )
        return tuple(slugs)

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


def _body_mark(raw: RawFiche, offset: int) -> Mark:
    """The file position of a character of the body."""
    line = raw.body.count("\n", 0, offset)
    column = offset - (raw.body.rfind("\n", 0, offset) + 1) + 1
    return Mark(raw.body_mark.line + line, column)
