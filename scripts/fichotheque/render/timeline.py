"""The « Chronologie »: fiches by decade and year, a period listed in every year it spans."""

from __future__ import annotations

from collections import defaultdict

from ..fiches import Fiche
from ..model import Catalogue
from ..routes import TIMELINE
from . import paging
from .html import Page, count_fiches, esc, fiche_path, href, period_tag


def render_timeline(catalogue: Catalogue) -> list[Page]:
    """Decades, then years, newest first; a multi-year activity appears in each of its years.

    Whole years fill a page until it holds ``PER_PAGE`` entries; the next years go on the
    next page (see paging.py).
    """
    by_year: dict[int, list[Fiche]] = defaultdict(list)
    for fiche in reversed(catalogue.fiches):  # oldest first within a year
        for year in fiche.period.years():
            by_year[year].append(fiche)
    pieces: list[list[int]] = [[]]
    filled = 0
    for year in sorted(by_year, reverse=True):
        if filled and filled + len(by_year[year]) > paging.PER_PAGE:
            pieces.append([])
            filled = 0
        pieces[-1].append(year)
        filled += len(by_year[year])
    intro = (
        "<h1>Chronologie</h1>\n\n"
        "<p>Les fiches année par année. Une activité qui s'étend sur plusieurs années "
        "apparaît dans chacune d'elles.</p>"
    )
    first = Page(TIMELINE, "Chronologie", "Les fiches année par année.", intro)
    return paging.paged(first, pieces, lambda page, years: _years(page, years, by_year))


def _years(page: str, years: list[int], by_year: dict[int, list[Fiche]]) -> str:
    parts = []
    decades: dict[int, list[int]] = defaultdict(list)
    for year in years:
        decades[year // 10 * 10].append(year)
    for decade, in_decade in decades.items():
        total = len({f.slug for year in in_decade for f in by_year[year]})
        parts.append(f"## Années {decade} ({count_fiches(total)}) {{#annees-{decade}}}")
        for year in in_decade:
            items = []
            for fiche in by_year[year]:
                start, end = fiche.period.start.year, fiche.period.end.year
                span = ""
                if start != end:
                    position = "début" if year == start else "fin" if year == end else "suite"
                    span = f' <span class="chronologie-etendue">({position})</span>'
                items.append(
                    f'<li><a href="{href(page, fiche_path(fiche))}">{esc(fiche.title)}</a> '
                    f'<span class="fiche-date">({period_tag(fiche.period)})</span>{span}</li>'
                )
            parts.append(
                f'<h3 id="annee-{year}">{year}</h3>\n<ul class="chronologie-annee">'
                + "".join(items)
                + "</ul>"
            )
    return "\n\n".join(parts)
