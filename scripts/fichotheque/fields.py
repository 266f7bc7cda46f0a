"""Typed readers for the fields of a fiche: dates, numbers, statuses, resources, sources.

Each reader takes a YAML node, reports what is wrong with it in French and returns
the typed value, or None when it cannot be used.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from .dates import (
    EXPECTED_DATE,
    EXPECTED_DAY,
    DateError,
    Period,
    parse_day,
    parse_partial,
    parse_period,
)
from .fiches import RESOURCE_KEYS, SOURCE_KEYS, STATUS_PUBLISHED, STATUSES, Resource, Source
from .files import not_a_file, unreadable_file
from .glossary import Glossary
from .limits import FIELD_MAX_CHARS, MAX_TEXT_CHARS
from .problems import Problem, Severity
from .project import RESOURCES_DIR, Project
from .reading import Reader
from .references import reference_number
from .text import SLUG_PATTERN, quote_list, slugify, suggest
from .yamlnodes import Mapping, Node, Scalar

if TYPE_CHECKING:  # taxonomy.py reads the field names of schema.py, which reads this
    from .taxonomy import Taxonomy

T = TypeVar("T")

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
    # Third-party hosts the site's settings allow bodies to load images and embeds from.
    hosts: tuple[str, ...] = ()
    # How many months a review lasts (« extra.relecture_mois »); None: no review asked for.
    review_months: int | None = None


class FieldReader(Reader):
    """Reads the common fields of one fiche, against a ``Context``."""

    def __init__(self, file: str, context: Context) -> None:
        super().__init__(file)
        self.context = context

    def max_chars(self, field: str) -> int:
        """A fiche's summary has its own, shorter limit."""
        return FIELD_MAX_CHARS.get(field, MAX_TEXT_CHARS)

    def _text_list(self, node: Node, field: str) -> list[str]:
        return [item.value.strip() for item in self.scalars(node, field)]

    def _parsed(self, node: Node, field: str, parse: Callable[[str], T], expected: str) -> T | None:
        """``parse`` applied to the node's text; a DateError is reported with ``expected``."""
        text = self.text(node, field)
        if text is None:
            return None
        try:
            return parse(text)
        except DateError as error:
            self.report(
                node, "date-invalide", field, f"Date illisible : {error}.", f"Écrivez {expected}."
            )
            return None

    def _period(self, node: Node, field: str) -> Period | None:
        period = self._parsed(node, field, parse_period, EXPECTED_DATE)
        if period is None:
            return None
        text = node.value.strip() if isinstance(node, Scalar) else ""
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
        day = self._parsed(node, field, parse_day, EXPECTED_DAY)
        if day is None:
            return None
        text = day.isoformat()
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
        """The path, from the root, of a document of the resource folder, or None.

        The path is written from the root of the repository (« docs/ressources/x.pdf »)
        and must stay inside the resource folder once « .. » and links are followed.
        """
        text = self.text(node, field)
        if text is None:
            return None
        root = self.context.root.resolve()
        folder = Project(root).resources_dir
        written = Path(os.path.normpath(root / text))  # « .. » folded, links not followed
        try:
            target: Path | None = written.resolve()
        except (OSError, RuntimeError):  # a loop of links
            target = None
        if Path(text).is_absolute() or not written.is_relative_to(root):
            self.report(
                node, "ressource-hors-depot", field,
                f"Le fichier « {text} » est en dehors du dépôt : il ne serait pas publié.",
                f"Copiez le document dans {RESOURCES_DIR}/ et écrivez « fichier: "
                f"{RESOURCES_DIR}/<nom du fichier> ».",
            )  # fmt: skip
            return None
        if not written.is_relative_to(folder):
            self.report(
                node, "ressource-hors-dossier", field,
                f"« {text} » n'est pas dans {RESOURCES_DIR}/ : une ressource à télécharger "
                "ne peut être qu'un document de ce dossier, jamais un autre fichier du dépôt.",
                f"Copiez le document dans {RESOURCES_DIR}/ et écrivez « fichier: "
                f"{RESOURCES_DIR}/<nom du fichier> ».",
            )  # fmt: skip
            return None
        relative = written.relative_to(root)
        if target != written:
            self.report(
                node, "lien-symbolique", field,
                f"« {text} » passe par un lien symbolique : le site ne publie pas les liens, "
                "et celui-ci pourrait désigner un fichier hors du dossier des ressources.",
                f"Remplacez le lien par le document lui-même, dans {RESOURCES_DIR}/.",
            )  # fmt: skip
            return None
        try:
            mode: int | None = written.stat().st_mode
        except FileNotFoundError:
            mode = None
        except OSError as error:
            self._report_problem(node, field, unreadable_file(relative.as_posix(), error))
            return None
        if mode is None or stat.S_ISDIR(mode):
            self.report(
                node, "ressource-introuvable", field,
                f"« {text} » est un dossier, pas un fichier." if mode
                else f"Le fichier « {text} » n'existe pas (chemin depuis la racine du dépôt).",
                "Indiquez le chemin d'un fichier depuis la racine du dépôt, par exemple "
                f"« {RESOURCES_DIR}/programme.pdf ».",
            )  # fmt: skip
            return None
        if not stat.S_ISREG(mode):
            self._report_problem(node, field, not_a_file(relative.as_posix(), mode))
            return None
        if any(part.startswith(".") for part in relative.parts) or relative.suffix == ".md":
            self.report(
                node, "ressource-invalide", field,
                f"« {text} » ne peut pas être proposé au téléchargement : les fichiers cachés "
                "(dont le nom commence par un point) et les pages Markdown ne sont pas publiés "
                "tels quels.",
                f"Choisissez un document (PDF, tableur, image…) rangé dans {RESOURCES_DIR}/.",
            )  # fmt: skip
            return None
        try:
            os.close(os.open(written, os.O_RDONLY))  # a regular file: opening cannot block
        except OSError as error:
            self._report_problem(node, field, unreadable_file(relative.as_posix(), error))
            return None
        return relative.as_posix()

    def _slug_list(self, node: Node, field: str) -> list[Scalar]:
        """Old file names of a fiche: each a slug, each once (collisions: see crosscheck)."""
        kept: list[Scalar] = []
        for scalar in self.scalars(node, field):
            value = scalar.value.strip()
            if not SLUG_PATTERN.match(value):
                guess = slugify(value.rstrip("/").rsplit("/", 1)[-1].removesuffix(".md"))
                self.report(
                    scalar, "slug-invalide", field,
                    f"« {value} » n'est pas une ancienne adresse valable : attendu l'ancien nom "
                    "du fichier, sans dossier ni « .md ».",
                    f"Écrivez « {guess} »." if guess and guess != value
                    else "Utilisez des minuscules sans accent, des chiffres et des tirets.",
                )  # fmt: skip
            elif any(other.value.strip() == value for other in kept):
                self.report(
                    scalar, "ancienne-adresse-repetee", field,
                    f"L'ancienne adresse « {value} » est indiquée deux fois.",
                    "Retirez le doublon.", Severity.WARNING,
                )  # fmt: skip
            else:
                kept.append(scalar)
        return kept

    def _report_problem(self, node: Node, field: str, problem: Problem) -> None:
        """Report a problem worded for a file at the node of the fiche that names it."""
        self.report(node, problem.code, field, problem.message, problem.hint, problem.severity)

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
