# ruff: noqa: E501 - SVG and HTML templates read better unwrapped.
"""The « Panorama »: charts drawn at build time, each with its data as a table.

No script and no third party: the charts are HTML lists with SVG bars, coloured by the
theme's own variables so that they follow the light and dark schemes.
"""

from __future__ import annotations

from collections import Counter

from ..model import Catalogue
from ..routes import DATA_PAGE, PANORAMA
from ..taxonomy import Facet, Term
from .html import Page, esc, href, term_path

BARS_SHOWN = 12  # per chart, the largest; the others add up to one « Autres » bar
MATRIX_SHOWN = (12, 8)  # rows and columns of the cross table, the most used terms


def _table(caption: str, header: tuple[str, str], rows: list[tuple[str, int]]) -> str:
    body = "".join(
        f'<tr><th scope="row">{label}</th><td>{value}</td></tr>' for label, value in rows
    )
    return (
        f"<details><summary>Données du graphique : {esc(caption)}</summary>"
        f'<table class="panorama-donnees"><thead><tr><th scope="col">{header[0]}</th>'
        f'<th scope="col">{header[1]}</th></tr></thead><tbody>{body}</tbody></table></details>'
    )


def _bars(rows: list[tuple[str, int]]) -> str:
    """Bars as HTML: the labels and numbers are text at the page's size, on any screen.

    Each bar is an SVG rectangle sized by an attribute, which the CSP allows (a style
    attribute it would refuse)."""
    top = max((value for _, value in rows), default=0) or 1
    items = "".join(
        f'<li><span class="graphique-libelle">{label}</span><span class="graphique-barre">'
        f'<svg aria-hidden="true" width="100%" height="100%"><rect width="{value / top * 100:.1f}%" height="100%"/></svg>'
        f'</span><span class="graphique-valeur">{value}</span></li>'
        for label, value in rows
    )
    return f'<ul class="graphique-barres">{items}</ul>'


def _others(count: int) -> str:
    """The label of what a chart or a table counts together past its largest terms."""
    return f"Autres ({count} termes)"


def horizontal_bars(ident: str, title: str, rows: list[tuple[str, int]]) -> str:
    """A bar chart of the largest rows (« Autres » for the rest), then all of its data."""
    ranked = sorted(rows, key=lambda row: -row[1])
    shown = ranked if len(ranked) <= BARS_SHOWN + 1 else ranked[:BARS_SHOWN]
    if len(shown) < len(ranked):
        others = ranked[BARS_SHOWN:]
        shown = [*shown, (_others(len(others)), sum(v for _, v in others))]
    return _figure(ident, title, _bars(shown), _table(title, ("Catégorie", "Fiches"), rows))


def vertical_bars(ident: str, title: str, rows: list[tuple[str, int]]) -> str:
    """A time series, one bar per year in order, then its data."""
    return _figure(ident, title, _bars(rows), _table(title, ("Année", "Fiches"), rows))


def _figure(ident: str, title: str, chart: str, data: str) -> str:
    return (
        f'<figure class="graphique" role="group" aria-labelledby="{ident}-titre">'
        f'<figcaption id="{ident}-titre">{esc(title)}</figcaption>{chart}{data}</figure>'
    )


def _facet_rows(catalogue: Catalogue, facet: Facet) -> list[tuple[str, int]]:
    return [(esc(term.label), len(catalogue.fiches_with(facet, term))) for term in facet.terms]


def matrix(catalogue: Catalogue, rows_facet: Facet, columns_facet: Facet) -> str:
    """How many fiches carry both terms, for the most used terms: a table shaded by count.

    Past ``MATRIX_SHOWN``, the other terms of each facet count together as « Autres »."""

    def axis(facet: Facet, limit: int) -> list[tuple[str, set[str]]]:
        """The headers of the terms shown, each with the slugs of its fiches; then
        « Autres », with the fiches of all the other terms."""
        used = catalogue.terms_by_use(facet)
        shown = used if len(used) <= limit + 1 else used[:limit]

        def slugs(terms: list[Term]) -> set[str]:
            return {f.slug for t in terms for f in catalogue.fiches_with(facet, t)}

        cells = [(f'<a href="{href(PANORAMA, term_path(facet, t))}">{esc(t.label)}</a>', slugs([t]))
                 for t in shown]  # fmt: skip
        rest = used[len(shown) :]
        if rest:
            cells.append((_others(len(rest)), slugs(rest)))
        return cells

    rows = axis(rows_facet, MATRIX_SHOWN[0])
    columns = axis(columns_facet, MATRIX_SHOWN[1])

    counts = [[len(row & column) for _, column in columns] for _, row in rows]
    top = max((n for line in counts for n in line), default=0) or 1
    head = "".join(f'<th scope="col">{label}</th>' for label, _ in columns)
    body = "".join(
        f'<tr><th scope="row">{label}</th>'
        + "".join(f'<td class="matrice-{round(n / top * 4)}">{n}</td>' for n in line)
        + "</tr>"
        for (label, _), line in zip(rows, counts, strict=True)
    )
    caption = f"{esc(rows_facet.label)} × {esc(columns_facet.label)} : nombre de fiches"
    return (
        f'<div class="matrice-cadre"><table class="matrice"><caption>{caption}</caption>'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table></div>"
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
            "taxonomie (en ligne) et un terme de la seconde (en colonne). Seuls les termes les "
            "plus employés ont leur ligne ou leur colonne ; les autres sont comptés ensemble. "
            "Les données complètes sont dans les exports de la page "
            f'<a href="{href(PANORAMA, DATA_PAGE)}">Données</a>.</p>',
            matrix(catalogue, multiple[0], multiple[1]),
        ]
    return Page(
        PANORAMA, "Panorama", "La base en graphiques : années, axes, thèmes.", "\n\n".join(parts)
    )
