# ruff: noqa: E501 - the field table and the HTML template read better unwrapped.
"""Open data: every published fiche as JSON and CSV, the latest ones as an Atom feed.

Same input, same bytes: nothing here depends on the clock, the machine or the order
of a dictionary. The fields are declared once, in ``EXPORT_FIELDS``, which the CSV
header, the JSON objects and the « Données ouvertes » page all follow.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ..fiches import Fiche
from ..kinds import Column
from ..model import Catalogue
from ..routes import CSV_FILE, DATA_PAGE, FEED_FILE, JSON_FILE
from ..schema import FIELDS
from .html import Page, esc, fiche_path, href, url_of

FEED_SIZE = 20


@dataclass(frozen=True)
class Licence:
    """Under which terms the texts and data are published (from mkdocs.yml ``extra.licence``)."""

    name: str
    url: str = ""


@dataclass(frozen=True)
class ExportField:
    """One column of the CSV file and one key of each JSON object."""

    name: str
    description: str
    value: Callable[[Catalogue, Fiche, str], object]


def _terms(facet_key: str) -> Callable[[Catalogue, Fiche, str], object]:
    def value(catalogue: Catalogue, fiche: Fiche, _base: str) -> object:
        facet = catalogue.taxonomy.facet(facet_key)
        assert facet is not None
        return [
            {"slug": t.slug, "libelle": t.label}
            for t in facet.terms
            if t.slug in fiche.terms_of(facet_key)
        ]

    return value


def _declared(key: str, column: Column) -> ExportField:
    return ExportField(column.name, column.description, lambda c, f, b: column.value(f.value(key)))


# The fiche's identity and address, every field declared with a column (schema.FIELDS),
# then the related fiches as the catalogue resolved them.
COMMON_FIELDS: tuple[ExportField, ...] = (
    ExportField("slug", "Identifiant stable de la fiche (son adresse).", lambda c, f, b: f.slug),
    ExportField("url", "Adresse de la page de la fiche.", lambda c, f, b: b + url_of(fiche_path(f))),
    *(_declared(spec.key, column) for spec in FIELDS for column in spec.columns()),
    ExportField("fiches_liees", "Identifiants des fiches liées.", lambda c, f, b: list(c.related.get(f.slug, ()))),
)  # fmt: skip


def export_fields(catalogue: Catalogue) -> tuple[ExportField, ...]:
    """The common fields, then one field per facet of this knowledge base."""
    facets = tuple(
        ExportField(
            facet.key, f"{facet.label} : termes (identifiant et libellé).", _terms(facet.key)
        )
        for facet in catalogue.taxonomy.facets
    )
    return COMMON_FIELDS + facets


def open_data(catalogue: Catalogue, base_url: str, licence: Licence | None) -> dict[str, str]:
    """The JSON and the CSV file, by name, from the same values."""
    fields = export_fields(catalogue)
    values = [[field.value(catalogue, f, base_url) for field in fields] for f in catalogue.fiches]
    return {
        JSON_FILE: fiches_json(fields, values, licence),
        CSV_FILE: fiches_csv(fields, values, licence),
    }


def fiches_json(
    fields: tuple[ExportField, ...], values: list[list[object]], licence: Licence | None
) -> str:
    """Every published fiche with its metadata, newest first, as a JSON document."""
    head = {
        "licence": {"nom": licence.name, "url": licence.url} if licence else None,
        "champs": {field.name: field.description for field in fields},
    }
    names = [field.name for field in fields]
    # One fiche per line: still readable, and written by json's C encoder (« indent »
    # turns it off, for five times the time).
    fiches = ",\n    ".join(
        json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) for row in values
    )
    opening = json.dumps(head, ensure_ascii=False, indent=2).removesuffix("\n}")
    return f'{opening},\n  "fiches": [\n    {fiches}\n  ]\n}}\n'


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(
            (item.get("libelle") or item.get("titre") or "")
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return str(value)


def fiches_csv(
    fields: tuple[ExportField, ...], values: list[list[object]], licence: Licence | None
) -> str:
    """One row per fiche; several values in a cell are joined by « ; ».

    CSV has no place for a note, so the licence is a last column, repeated on each row.
    """
    terms = f"{licence.name} {licence.url}".strip() if licence else ""
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that spreadsheets open the file as UTF-8
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([field.name for field in fields] + ["licence"])
    for row in values:
        writer.writerow([*map(_cell, row), terms])
    return buffer.getvalue()


def _updated(catalogue: Catalogue, fiche: Fiche) -> str:
    day = catalogue.changed.get(fiche.slug) or fiche.reviewed or fiche.period.end.last_day
    return f"{day.isoformat()}T00:00:00Z"


def atom_feed(catalogue: Catalogue, site_name: str, base_url: str, licence: Licence | None) -> str:
    """The most recent fiches as an Atom feed; ids are stable URLs (or URNs without site_url)."""
    latest = catalogue.fiches[:FEED_SIZE]

    def identity(fiche: Fiche | None) -> str:
        if base_url:
            return base_url + (url_of(fiche_path(fiche)) if fiche else "")
        return f"urn:fichotheque:{fiche.slug if fiche else 'flux'}"

    updated = max((_updated(catalogue, f) for f in latest), default="1970-01-01T00:00:00Z")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">',
        f"  <title>{escape(site_name)}</title>",
        f"  <id>{escape(identity(None))}</id>",
        f"  <updated>{updated}</updated>",
    ]
    if base_url:
        lines += [
            f'  <link rel="self" href={quoteattr(base_url + FEED_FILE)}/>',
            f'  <link rel="alternate" href={quoteattr(base_url)}/>',
        ]
    if licence:
        lines.append(f"  <rights>{escape(licence.name)}</rights>")
    for fiche in latest:
        link = base_url + url_of(fiche_path(fiche)) if base_url else url_of(fiche_path(fiche))
        lines += [
            "  <entry>",
            f"    <title>{escape(fiche.title)}</title>",
            f"    <id>{escape(identity(fiche))}</id>",
            f'    <link rel="alternate" href={quoteattr(link)}/>',
            f"    <updated>{_updated(catalogue, fiche)}</updated>",
            f"    <author><name>{escape(fiche.organisation)}</name></author>",
            f"    <summary>{escape(fiche.description)}</summary>",
            "  </entry>",
        ]
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


def render_data_page(catalogue: Catalogue, licence: Licence | None) -> Page:
    """The « Données ouvertes » page: the files, their licence and every field."""
    rows = "".join(
        f"<tr><td><code>{esc(field.name)}</code></td><td>{esc(field.description)}</td></tr>"
        for field in export_fields(catalogue)
    )
    licence_text = "Aucune licence n'est déclarée pour ces données."
    if licence:
        name = (
            f'<a href="{esc(licence.url)}">{esc(licence.name)}</a>'
            if licence.url
            else esc(licence.name)
        )
        licence_text = f"Les textes et les données sont publiés sous licence {name}."
    body = f"""<h1>Données ouvertes</h1>

<p>Toutes les fiches publiées sont disponibles dans des formats que l'on peut réutiliser.
{licence_text} Les fichiers sont refaits à chaque publication ; une même base donne
toujours les mêmes fichiers.</p>

<ul class="donnees-fichiers">
<li><a href="{href(DATA_PAGE, JSON_FILE)}">fiches.json</a> — toutes les fiches et leurs métadonnées (JSON, UTF-8)</li>
<li><a href="{href(DATA_PAGE, CSV_FILE)}">fiches.csv</a> — une ligne par fiche, les valeurs multiples séparées par « ; » (CSV, UTF-8 avec BOM pour les tableurs)</li>
<li><a href="{href(DATA_PAGE, FEED_FILE)}">flux.xml</a> — les {FEED_SIZE} fiches les plus récentes (flux Atom)</li>
</ul>

## Champs

<table class="donnees-champs"><thead><tr><th>Champ</th><th>Contenu</th></tr></thead>
<tbody>{rows}</tbody></table>"""
    return Page(DATA_PAGE, "Données ouvertes", "Les fiches en JSON, en CSV et en flux Atom.", body)
