"""Each kind of front-matter field, declared once and executable.

A kind says how a value is read and checked (a reader of ``fields.py``), its JSON Schema
(for editors), its widget in the browser editor (cmsconfig.py), its value in a new fiche,
its cell on the fiche page (None: not shown in the metadata) and its columns in the
exports. ``schema.FIELDS`` gives each field a kind;
validation, the schema, the fiche page and the exports loop over those declarations and
never name a field themselves.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .dates import Period
from .fiches import RESOURCE_KEYS, SOURCE_KEYS, STATUSES, Resource, Source
from .fields import FieldReader
from .glossary import Glossary
from .limits import MAX_TEXT_CHARS
from .text import SLUG_PATTERN, one_line
from .yamlnodes import Node, Scalar

Json = dict[str, Any]
Read = Callable[[FieldReader, Node, str], object]


def _esc(text: str) -> str:
    return html.escape(one_line(text), quote=True)


def _list_cell(value: object) -> str:
    return "<ul>" + "".join(f"<li>{_esc(str(item))}</li>" for item in _items(value)) + "</ul>"


def _items(value: object) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


@dataclass(frozen=True)
class Column:
    """One column of the exports (fiches.json, fiches.csv) and what it holds."""

    name: str
    description: str
    value: Callable[[object], object]


@dataclass(frozen=True)
class Kind:
    """How one kind of field is read, described to editors, shown and exported."""

    name: str  # French, for the field reference: « liste de textes »
    read: Read
    schema: Json
    sample: str  # the value a new fiche starts with, as YAML
    cell: Callable[[object], str] | None = None
    export: Callable[[object], object] = lambda value: value
    empty: object = ""  # exported when a fiche leaves the field out
    # Extra columns derived from the value (the years of a period).
    derived: tuple[tuple[str, str, Callable[[object], object]], ...] = field(default=())
    # A schema that depends on the base's glossary (the meanings of its acronyms).
    schema_of: Callable[[Glossary], Json] | None = None
    # Its widget in the browser editor, in the subset Sveltia and Decap CMS both read; a
    # kind whose widget depends on the glossary gives widget_of, which may say None: no
    # widget, the field is left out of the form.
    widget: Json = field(default_factory=lambda: {"widget": "string"})
    widget_of: Callable[[Glossary], Json | None] | None = None

    def __str__(self) -> str:
        return self.name

    def json_schema(self, glossary: Glossary) -> Json:
        """The JSON Schema of a value of this kind, in a base with this glossary."""
        return self.schema_of(glossary) if self.schema_of is not None else self.schema

    def cms_widget(self, glossary: Glossary) -> Json | None:
        """The browser editor's widget for a value of this kind, or None: not in the form."""
        return self.widget_of(glossary) if self.widget_of is not None else self.widget

    def columns(self, column: str, description: str) -> tuple[Column, ...]:
        """The export columns of a field of this kind, named ``column``."""

        def exported(value: object) -> object:
            return self.empty if value is None else self.export(value)

        return (
            Column(column, description, exported),
            *(Column(name, text, get) for name, text, get in self.derived),
        )


# check reads any scalar as text, so a number (« date: 2010 » in a source) is text too.
_TEXT: Json = {"type": ["string", "number"], "pattern": r"\S", "maxLength": MAX_TEXT_CHARS}
_SLUG: Json = {"type": "string", "pattern": SLUG_PATTERN.pattern}
_YEAR = r"\d{4}(-\d{2}(-\d{2})?)?"
# YAML reads 2009 as a number and 2009-03-15 as a date; check reads both as text.
_PERIOD: Json = {
    "anyOf": [
        {"type": "integer", "minimum": 1000, "maximum": 9999},
        {"type": "string", "pattern": rf"^\s*{_YEAR}(\s*(–|—|-|/|à)\s*{_YEAR})?\s*$"},
    ]
}
_TEXTS: Json = {"anyOf": [_TEXT, {"type": "array", "items": _TEXT}]}


def _pattern(schema: Json, says: str) -> list[str]:
    """A widget's ``pattern``: the regular expression of ``schema`` and the French message."""
    return [schema["pattern"], f"Attendu : {says}."]


_PERIOD_TEXT = _PERIOD["anyOf"][1]
_LIST: Json = {"widget": "list"}
_LABELS = {
    "titre": "Titre",
    "fichier": "Fichier (dans docs/ressources/)",
    "url": "Adresse web",
    "description": "Description",
    "date": "Date de publication",
}


def _subfields(keys: tuple[str, ...], **widgets: Json) -> Json:
    """A list of objects, one text field per key; ``titre`` is required, ``widgets`` override."""
    return {
        "widget": "list",
        "fields": [
            {
                "name": key,
                "label": _LABELS[key],
                "required": key == "titre",
                **widgets.get(key, {"widget": "string"}),
            }
            for key in keys
        ],
    }


def _acronym_widget(glossary: Glossary) -> Json | None:
    """One choice per ambiguous acronym of the glossary, or None when there is none."""
    choices = [
        {
            "name": entry.term,
            "label": entry.term,
            "widget": "select",
            "required": False,
            "options": [
                {"label": m.expansion or m.definition or m.id, "value": m.id}
                for m in entry.meanings
            ],
        }
        for entry in glossary.entries
        if entry.is_ambiguous
    ]
    return {"widget": "object", "fields": choices} if choices else None


def _period_years(index: int) -> Callable[[object], object]:
    def year(value: object) -> object:
        if not isinstance(value, Period):
            return ""
        return (value.start if index == 0 else value.end).year

    return year


def _source(source: object) -> object:
    assert isinstance(source, Source)
    return {"titre": source.title, "url": source.url or "", "date": source.date or ""}


TEXT = Kind(
    "texte",
    FieldReader.text,
    _TEXT,
    '""',
    cell=lambda value: _esc(str(value)),
)
PLACES = Kind(
    "liste de lieux",
    FieldReader._text_list,
    _TEXTS,
    "[]",
    cell=lambda value: ", ".join(_esc(str(place)) for place in _items(value)),
    export=_items,
    empty=[],
    widget=_LIST,
)
TEXT_LIST = Kind(
    "liste de textes",
    FieldReader._text_list,
    _TEXTS,
    "[]",
    cell=_list_cell,
    export=_items,
    empty=[],
    widget=_LIST,
)
PERIOD = Kind(
    "date ou période",
    FieldReader._period,
    _PERIOD,
    str(dt.date.today().year),
    cell=lambda value: (
        f'<time datetime="{_esc(value.iso())}">{_esc(value.french())}</time>'
        if isinstance(value, Period)
        else ""
    ),
    export=lambda value: value.iso() if isinstance(value, Period) else "",
    derived=(
        ("annee_debut", "Première année de l'activité.", _period_years(0)),
        ("annee_fin", "Dernière année de l'activité.", _period_years(1)),
    ),
    widget={
        "widget": "string",
        "pattern": _pattern(
            _PERIOD_TEXT,
            "une année (2019), un mois (2019-03), un jour (2019-03-15) ou une période (2018-2019)",
        ),
    },
)
DAY = Kind(
    "jour",
    FieldReader._day,
    {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"},
    "",
    export=lambda value: value.isoformat() if isinstance(value, dt.date) else "",
    widget={
        "widget": "datetime",
        "format": "YYYY-MM-DD",
        "date_format": "YYYY-MM-DD",
        "time_format": False,
    },
)
NUMBER = Kind(
    "nombre entier",
    FieldReader._number,
    {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 999_999_999},
            {"type": "string", "pattern": r"^\s*\d{1,9}\s*$"},
        ]
    },
    "",
    cell=str,
    empty=None,
    widget={"widget": "number", "value_type": "int", "min": 1},
)
STATUS = Kind(
    "statut",
    FieldReader._status,
    {"enum": list(STATUSES)},
    STATUSES[1],
    widget={
        "widget": "select",
        "options": [{"label": status.capitalize(), "value": status} for status in STATUSES],
        "default": STATUSES[1],
    },
)
_SLUG_SAYS = "des minuscules sans accent et des chiffres, séparés par des tirets"
SLUG = Kind(
    "identifiant",
    FieldReader._slug,
    _SLUG,
    "",
    widget={"widget": "string", "pattern": _pattern(_SLUG, _SLUG_SAYS)},
)
SLUG_LIST = Kind(
    "liste d'identifiants",
    FieldReader._slug_list,
    {"type": "array", "items": _SLUG},
    "[]",
    export=lambda value: [item.value.strip() for item in _items(value) if isinstance(item, Scalar)],
    empty=[],
    widget=_LIST,
)
RESOURCES = Kind(
    "liste de ressources",
    FieldReader._resources,
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {key: _TEXT for key in RESOURCE_KEYS},
            "required": ["titre"],
            "additionalProperties": False,
            "oneOf": [{"required": ["fichier"]}, {"required": ["url"]}],
        },
    },
    "[]",
    export=lambda value: [
        {"titre": r.title, "fichier": r.file or "", "url": r.url or ""}
        for r in _items(value)
        if isinstance(r, Resource)
    ],
    empty=[],
    widget=_subfields(RESOURCE_KEYS, fichier={"widget": "file"}),
)
SOURCES = Kind(
    "liste de sources",
    FieldReader._sources,
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {key: _TEXT for key in SOURCE_KEYS},
            "required": ["titre"],
            "additionalProperties": False,
        },
    },
    "[]",
    export=lambda value: [_source(source) for source in _items(value)],
    empty=[],
    widget=_subfields(SOURCE_KEYS),
)
REFERENCES = Kind(
    "liste de fiches",
    FieldReader._references,
    {"type": "array", "items": {"anyOf": [_SLUG, {"type": "integer", "minimum": 1}]}},
    "[]",
    widget=_LIST,
)
ACRONYMS = Kind(
    "sigles",
    FieldReader._acronyms,
    {"type": "object", "additionalProperties": _SLUG},
    "{}",
    schema_of=lambda glossary: {
        "type": "object",
        "properties": {
            entry.term: {
                "enum": [m.id for m in entry.meanings],
                "enumDescriptions": [m.expansion or m.definition for m in entry.meanings],
            }
            for entry in glossary.entries
            if entry.is_ambiguous
        },
        "additionalProperties": False,
    },
    widget_of=_acronym_widget,
)
