"""A spreadsheet of activities (CSV or XLSX), one row per fiche, through a column mapping.

The mapping says which field or category each column fills. It is guessed from the
headers against the declared fields (``schema.FIELDS``) and the facets of taxonomy.yml,
by key or label whatever the accents and case, and can be written down in a file to be
corrected. A column that maps to nothing is kept in the fiche's text, never dropped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import yaml

from . import kinds
from .legacy import Block, link_of, tick
from .schema import FIELDS, FIELDS_BY_KEY
from .taxonomy import Taxonomy
from .text import fold

BODY = "texte"  # a column for the fiche's text
BODY_NAMES = {fold(name) for name in ("texte", "corps", "contenu", "texte de la fiche")}
SEPARATORS = re.compile(r"\s*[;|\n]\s*")
FACET_SEPARATORS = re.compile(r"\s*[;,|\n]\s*")


def guess_mapping(headers: list[str], taxonomy: Taxonomy) -> dict[str, str | None]:
    """Each header → the key of the field or category it names, or None."""
    names: dict[str, str] = {}
    for spec in FIELDS:
        names.setdefault(fold(spec.key), spec.key)
        names.setdefault(fold(spec.label), spec.key)
    for facet in taxonomy.facets:
        names.setdefault(fold(facet.key), facet.key)
        names.setdefault(fold(facet.label), facet.key)
    names.update((name, BODY) for name in BODY_NAMES)
    return {header: names.get(fold(header)) for header in headers}


def mapping_text(mapping: dict[str, str | None]) -> str:
    """The mapping as a file staff can correct."""
    head = (
        "# Colonnes du tableur → champs des fiches (clé d'un champ, d'une catégorie, ou\n"
        f"# « {BODY} » pour le texte de la fiche). « null » : la colonne va à la fin du texte.\n"
    )
    return head + yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False)


def read_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """The headers and the rows of a CSV file, whatever its separator (; , or tab)."""
    # The separator is the one the header line uses most: French spreadsheets write « ; ».
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(";,\t", key=header.count)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter)
    headers = [h.strip() for h in reader.fieldnames or []]
    rows = [
        {header.strip(): (value or "").strip() for header, value in row.items() if header}
        for row in reader
    ]
    return headers, rows


def row_block(
    line: int, row: dict[str, str], mapping: dict[str, str | None], taxonomy: Taxonomy
) -> Block:
    """One row as a block to import, the same as a block of a legacy export."""
    block = Block(line, "", "", has_categories=False, has_title_line=False)
    leftovers: list[str] = []
    for header, value in row.items():
        key = mapping.get(header)
        if not value:
            continue
        facet = taxonomy.facet(key) if key else None
        if key == BODY:
            block.paragraphs.insert(0, value)
        elif facet is not None:
            block.has_categories = True
            for label in filter(None, FACET_SEPARATORS.split(value)):
                tick(block, facet, header, label)
        elif key == "title":
            block.title = value
        elif key == "date":
            block.date = value
        elif key == "description":
            block.description = value
        elif key == "organisation":
            block.organisation = value
        elif key in FIELDS_BY_KEY:
            _field(block, key, value)
        else:
            leftovers.append(f"**{header}** : {value}")
    if leftovers:
        block.paragraphs.append("\n\n".join(leftovers))
    if not block.title:
        block.title = f"Ligne {line} du tableur"  # reported; a row is never dropped
    return block


def _field(block: Block, key: str, value: str) -> None:
    """A declared field's cell, as its kind expects it: a list is split on « ; »."""
    kind = FIELDS_BY_KEY[key].kind
    items = [item for item in SEPARATORS.split(value) if item]
    if kind is kinds.RESOURCES:
        block.resources += [link_of(item) for item in items]
    elif kind is kinds.SOURCES:
        block.sources += [link_of(item) for item in items]
    elif kind in (kinds.PLACES, kinds.TEXT_LIST, kinds.SLUG_LIST, kinds.REFERENCES):
        block.fields[key] = items
    elif kind is kinds.NUMBER and value.isdigit():
        block.fields[key] = int(value)
    else:
        block.fields[key] = value


def read_workbook(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The headers and rows of the first sheet of an XLSX workbook, as text.

    A date cell is written as a date (2019-03-15), a whole number without « .0 ».
    """
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        cells = [[_cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not cells:
        return [], []
    headers = [header.strip() for header in cells[0]]
    rows = [
        {header: value for header, value in zip(headers, row, strict=False) if header}
        for row in cells[1:]
        if any(row)
    ]
    return headers, rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_spreadsheet(
    headers: list[str],
    rows: list[dict[str, str]],
    taxonomy: Taxonomy,
    mapping: dict[str, str | None] | None = None,
) -> tuple[dict[str, str | None], list[Block]]:
    """The mapping used and one block per row."""
    used = mapping if mapping is not None else guess_mapping(headers, taxonomy)
    blocks = [row_block(index + 2, row, used, taxonomy) for index, row in enumerate(rows)]
    return used, blocks


def load_mapping(path: Path) -> dict[str, str | None]:
    """A mapping written down (see ``mapping_text``)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} doit associer chaque colonne à une clé.")
    return {str(k): (str(v) if v is not None else None) for k, v in data.items()}
