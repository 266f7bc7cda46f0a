"""The « Chronologie »: fiches by decade and year, a period listed in every year it spans."""

from __future__ import annotations

from collections import defaultdict

from ..fiches import Fiche
from ..model import Catalogue
from ..routes import TIMELINE
from .html import Page, count_fiches, esc, fiche_path, href, period_tag


def render_timeline(catalogue: Catalogue) -> Page:
    """Decades, then years, newest first; a multi-year activity appears in each of its years."""
    by_year: dict[int, list[Fiche]] = defaultdict(list)
    for fiche in reversed(catalogue.fiches):  # oldest first within a year
        for year in fiche.period.years():
            by_year[year].append(fiche)
    parts = [
        "<h1>Chronologie</h1>",
        "<p>Les fiches année par année. Une activité qui s'étend sur plusieurs années "
        "apparaît dans chacune d'elles.</p>",
    ]
    decades: dict[int, list[int]] = defaultdict(list)
    for year in sorted(by_year, reverse=True):
        decades[year // 10 * 10].append(year)
    for decade, years in decades.items():
        total = len({f.slug for year in years for f in by_year[year]})
        parts.append(f"## Années {decade} ({count_fiches(total)}) {{#annees-{decade}}}")
        for year in years:
            items = []
            for fiche in by_year[year]:
                start, end = fiche.period.start.year, fiche.period.end.year
                span = ""
                if start != end:
                    position = "début" if year == start else "fin" if year == end else "suite"
                    span = f' <span class="chronologie-etendue">({position})</span>'
                items.append(
                    f'<li><a href="{href(TIMELINE, fiche_path(fiche))}">{esc(fiche.title)}</a> '
                    f'<span class="fiche-date">({period_tag(fiche.period)})</span>{span}</li>'
                )
            parts.append(
                f'<h3 id="annee-{year}">{year}</h3>\n<ul class="chronologie-annee">'
                + "".join(items)
                + "</ul>"
            )
    return Page(TIMELINE, "Chronologie", "Les fiches année par année.", "\n\n".join(parts))
