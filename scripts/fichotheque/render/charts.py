# ruff: noqa: E501 - SVG and HTML templates read better unwrapped.
"""The « Panorama »: charts drawn at build time as SVG, each with its data as a table.

No script and no third party: the charts are plain SVG inside the page, coloured by
the theme's own variables so that they follow the light and dark schemes.
"""

from __future__ import annotations

from collections import Counter

from ..model import Catalogue
from ..routes import PANORAMA
from ..taxonomy import Facet
from .html import Page, esc, href, term_path

BAR = 22
LABEL_WIDTH = 260
CHART_WIDTH = 640


def _table(caption: str, header: tuple[str, str], rows: list[tuple[str, int]]) -> str:
    body = "".join(
        f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows
    )
    return (
        f"<details><summary>Données du graphique : {esc(caption)}</summary>"
        f'<table class="panorama-donnees"><thead><tr><th scope="col">{header[0]}</th>'
        f'<th scope="col">{header[1]}</th></tr></thead><tbody>{body}</tbody></table></details>'
    )


def horizontal_bars(ident: str, title: str, rows: list[tuple[str, int]]) -> str:
    """A horizontal bar chart; ``rows`` hold an escaped label and a count."""
    top = max((value for _, value in rows), default=0) or 1
    height = BAR * len(rows) + 10
    scale = (CHART_WIDTH - LABEL_WIDTH - 50) / top
    bars = []
    for index, (label, value) in enumerate(rows):
        y = index * BAR + 5
        bars.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{label}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{value * scale:.1f}" height="{BAR - 6}"/>'
            f'<text x="{LABEL_WIDTH + value * scale + 6:.1f}" y="{y + 15}">{value}</text>'
        )
    return (
        f'<figure class="graphique"><svg role="img" aria-labelledby="{ident}-titre" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%"><title id="{ident}-titre">'
        f"{esc(title)}</title>{''.join(bars)}</svg>"
        f"<figcaption>{esc(title)}</figcaption>{_table(title, ('Catégorie', 'Fiches'), rows)}</figure>"
    )


def vertical_bars(ident: str, title: str, rows: list[tuple[str, int]]) -> str:
    """A column chart for a time series; every label is shown under its column."""
    top = max((value for _, value in rows), default=0) or 1
    width = max(CHART_WIDTH, 28 * len(rows))
    step = width / max(len(rows), 1)
    plot = 160
    columns = []
    for index, (label, value) in enumerate(rows):
        x = index * step
        h = value / top * plot
        columns.append(
            f'<rect x="{x + 3:.1f}" y="{plot - h + 20:.1f}" width="{step - 6:.1f}" height="{h:.1f}"/>'
            f'<text x="{x + step / 2:.1f}" y="{plot - h + 15:.1f}" text-anchor="middle">'
            f"{value or ''}</text>"
            f'<text x="{x + step / 2:.1f}" y="{plot + 36}" text-anchor="middle" '
            f'class="graphique-annee">{label}</text>'
        )
    return (
        f'<figure class="graphique"><svg role="img" aria-labelledby="{ident}-titre" '
        f'viewBox="0 0 {width:.0f} {plot + 46}" width="100%"><title id="{ident}-titre">'
        f"{esc(title)}</title>{''.join(columns)}</svg>"
        f"<figcaption>{esc(title)}</figcaption>{_table(title, ('Année', 'Fiches'), rows)}</figure>"
    )


def _facet_rows(catalogue: Catalogue, facet: Facet) -> list[tuple[str, int]]:
    return [(esc(term.label), len(catalogue.fiches_with(facet, term))) for term in facet.terms]


def matrix(catalogue: Catalogue, rows_facet: Facet, columns_facet: Facet) -> str:
    """How many fiches carry both terms, for every pair: a table shaded by count."""
    counts: Counter[tuple[str, str]] = Counter()
    for fiche in catalogue.fiches:
        for a in fiche.terms_of(rows_facet.key):
            for b in fiche.terms_of(columns_facet.key):
                counts[(a, b)] += 1
    top = max(counts.values(), default=0) or 1
    head = "".join(
        f'<th scope="col"><a href="{href(PANORAMA, term_path(columns_facet, t))}">{esc(t.label)}</a></th>'
        for t in columns_facet.terms
    )
    body = []
    for row in rows_facet.terms:
        cells = []
        for column in columns_facet.terms:
            n = counts[(row.slug, column.slug)]
            level = round(n / top * 4)
            cells.append(f'<td class="matrice-{level}">{n}</td>')
        link = f'<a href="{href(PANORAMA, term_path(rows_facet, row))}">{esc(row.label)}</a>'
        body.append(f'<tr><th scope="row">{link}</th>{"".join(cells)}</tr>')
    caption = f"{esc(rows_facet.label)} × {esc(columns_facet.label)} : nombre de fiches"
    return (
        f'<div class="matrice-cadre"><table class="matrice"><caption>{caption}</caption>'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def render_panorama(catalogue: Catalogue) -> Page:
    """Fiches per year, per term of each facet, and the first two facets crossed."""
    parts = [
        "<h1>Panorama</h1>",
        "<p>La base en un coup d'œil. Chaque graphique est suivi de ses données, à déplier.</p>",
    ]
    span = catalogue.year_span()
    if span:
        per_year: Counter[int] = Counter()
        for fiche in catalogue.fiches:
            per_year.update(fiche.period.years())
        rows = [(str(year), per_year[year]) for year in range(span[0], span[1] + 1)]
        parts += [
            "## Fiches par année",
            "<p>Une activité menée sur plusieurs années compte dans chacune.</p>",
            vertical_bars("annees", "Nombre de fiches par année d'activité", rows),
        ]
    for index, facet in enumerate(catalogue.taxonomy.facets):
        parts += [
            f'<h2 id="facette-{esc(facet.key)}">{esc(facet.label)}</h2>',
            horizontal_bars(f"facette-{index}", f"Fiches par terme : {facet.label}",
                            _facet_rows(catalogue, facet)),
        ]  # fmt: skip
    multiple = [facet for facet in catalogue.taxonomy.facets if facet.multiple]
    if len(multiple) >= 2:
        parts += [
            "## Croisement des deux premières catégories",
            "<p>Combien de fiches portent à la fois un terme de la première catégorie de la "
            "taxonomie (en ligne) et un terme de la seconde (en colonne).</p>",
            matrix(catalogue, multiple[0], multiple[1]),
        ]
    return Page(
        PANORAMA, "Panorama", "La base en graphiques : années, axes, thèmes.", "\n\n".join(parts)
    )
