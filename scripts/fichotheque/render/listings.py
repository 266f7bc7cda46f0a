"""Pages that list fiches: term pages, facet pages, the catalogue and the home page."""

from __future__ import annotations

from collections.abc import Sequence

from ..fiches import Fiche
from ..model import Catalogue
from ..routes import CATALOGUE, HOME, QUERY_PARAMETER
from ..taxonomy import Facet, Group, Term
from .html import (
    TERMS_FIRST,
    Page,
    count_fiches,
    esc,
    facet_path,
    fiche_list,
    fiche_path,
    href,
    period_tag,
    term_path,
)
from .paging import cut, paged
from .search import search_link

LATEST_ON_HOME = 5


def render_term(catalogue: Catalogue, facet: Facet, term: Term) -> list[Page]:
    """A term's page: its description and every fiche that carries it, newest first.

    Past ``PER_PAGE`` fiches the list goes on in further pages (see paging.py).
    """
    page = term_path(facet, term)
    fiches = catalogue.fiches_with(facet, term)
    group = next((g for g in facet.groups if g.slug == term.group), None)
    trail = f'<a href="{href(page, facet_path(facet))}">{esc(facet.label)}</a>'
    if group:
        trail += f" · {esc(group.label)}"
    parts = [
        f"<h1>{esc(term.label)}</h1>",
        f'<p class="terme-facette">{trail}</p>',
    ]
    if term.description:
        parts.append(f'<p class="terme-description">{esc(term.description)}</p>')
    parts.append(
        f'<p class="terme-compte"><strong>{count_fiches(len(fiches))}</strong> · '
        f'<a href="{search_link(page, facet, term.slug)}">Rechercher dans ces fiches</a></p>'
    )
    if not fiches:
        parts.append("<p>Aucune fiche publiée ne porte encore ce terme.</p>")
    first = Page(page, term.label, term.description, "\n\n".join(parts))
    if not fiches:
        return [first]
    return paged(first, cut(fiches), lambda path, piece: fiche_list(path, list(piece)))


def _term_counts(page: str, catalogue: Catalogue, facet: Facet, group: Group | None) -> str:
    items = []
    for term in facet.terms_of_group(group):
        n = len(catalogue.fiches_with(facet, term))
        label = (
            f'<a href="{href(page, term_path(facet, term))}">{esc(term.label)}</a>'
            if n
            else f'<span class="terme-vide">{esc(term.label)}</span>'
        )
        shown = count_fiches(n) if n else "aucune fiche"
        items.append(f'<li>{label} <span class="terme-nombre">({shown})</span></li>')
    return '<ul class="facette-termes">' + "".join(items) + "</ul>"


def _facet_terms(page: str, catalogue: Catalogue, facet: Facet, level: int) -> str:
    if not facet.groups:
        return _term_counts(page, catalogue, facet, None)
    return "\n".join(
        f"<h{level}>{esc(group.label)}</h{level}>\n{_term_counts(page, catalogue, facet, group)}"
        for group in facet.groups
    )


def _top_terms(catalogue: Catalogue, facet: Facet) -> str:
    """A facet on the home page: its most used terms, then a link to all of them."""
    counted = ((len(catalogue.fiches_with(facet, t)), t) for t in catalogue.terms_by_use(facet))
    used = [(n, term) for n, term in counted if n]
    items = "".join(
        f'<li><a href="{href(HOME, term_path(facet, term))}">{esc(term.label)}</a> '
        f'<span class="terme-nombre">({count_fiches(n)})</span></li>'
        for n, term in used[:TERMS_FIRST]
    )
    more = len(facet.terms) - min(len(used), TERMS_FIRST)
    link = (
        f'<p class="facette-suite"><a href="{href(HOME, facet_path(facet))}">Voir '
        f"{'les ' + str(more) + ' autres termes' if more > 1 else 'l’autre terme'} de « "
        f"{esc(facet.label)} »</a></p>"
        if more
        else ""
    )
    return f'<ul class="facette-termes">{items}</ul>{link}'


def render_facet(catalogue: Catalogue, facet: Facet) -> Page:
    """A facet's page: its description and its terms, with how many fiches each has."""
    page = facet_path(facet)
    parts = [f"<h1>{esc(facet.label)}</h1>"]
    if facet.description:
        parts.append(f"<p>{esc(facet.description)}</p>")
    parts.append(_facet_terms(page, catalogue, facet, 2))
    return Page(page, facet.label, facet.description, "\n\n".join(parts))


def render_catalogue(catalogue: Catalogue) -> list[Page]:
    """Every published fiche in a table, newest first, sortable by date or title.

    Past ``PER_PAGE`` fiches the table goes on in further pages (see paging.py).
    """
    facets = [facet for facet in catalogue.taxonomy.facets if facet.multiple][:2]
    head = "".join(f'<th scope="col">{esc(facet.label)}</th>' for facet in facets)

    def table(page: str, fiches: Sequence[Fiche]) -> str:
        rows = []
        for fiche in fiches:
            cells = "".join(
                "<td>"
                + ", ".join(
                    f'<a href="{href(page, term_path(facet, t))}">{esc(t.label)}</a>'
                    for t in facet.terms
                    if t.slug in fiche.terms_of(facet.key)
                )
                + "</td>"
                for facet in facets
            )
            rows.append(
                f'<tr><td data-tri="{esc(fiche.title.casefold())}">'
                f'<a href="{href(page, fiche_path(fiche))}">{esc(fiche.title)}</a></td>'
                f'<td data-tri="{fiche.period.start.first_day.isoformat()}">'
                f"{period_tag(fiche.period)}</td>{cells}</tr>"
            )
        return (
            '<div class="catalogue-cadre"><table class="catalogue" data-triable>'
            '<caption class="visuellement-cache">Toutes les fiches</caption><thead><tr>'
            '<th scope="col" aria-sort="none">Titre</th>'
            f'<th scope="col" aria-sort="descending">Date</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )

    pieces = cut(catalogue.fiches)
    order = "Les boutons des colonnes Titre et Date changent l'ordre" + (
        " des fiches de chaque page." if len(pieces) > 1 else "."
    )
    intro = (
        "<h1>Toutes les fiches</h1>\n\n"
        f"<p><strong>{count_fiches(len(catalogue.fiches))}</strong>, de la plus récente à la "
        f"plus ancienne. {order}</p>"
    )
    return paged(Page(CATALOGUE, "Toutes les fiches", "", intro), pieces, table)


def render_home(catalogue: Catalogue, intro: str) -> Page:
    """The home page: the hand-written introduction, then figures, categories and news."""
    span = catalogue.year_span()
    figures = f"<strong>{count_fiches(len(catalogue.fiches))}</strong>"
    if span:
        figures += f", de {span[0]} à {span[1]}" if span[0] != span[1] else f", en {span[0]}"
    parts = [
        intro.strip() or "<h1>Fiches d'activités</h1>",
        f'<p class="accueil-chiffres">{figures}. '
        f'<a href="{href(HOME, CATALOGUE)}">Voir toutes les fiches</a>.</p>',
        f'<form class="accueil-recherche" role="search" action="{search_link(HOME)}">'
        '<label for="accueil-q">Rechercher dans les fiches</label> '
        f'<input type="search" id="accueil-q" name="{QUERY_PARAMETER}"> '
        '<button type="submit" class="md-button md-button--primary">Rechercher</button></form>',
        "## Parcourir par catégorie",
    ]
    for facet in catalogue.taxonomy.facets:
        parts.append(f'<h3><a href="{href(HOME, facet_path(facet))}">{esc(facet.label)}</a></h3>')
        parts.append(_top_terms(catalogue, facet))
    parts.append("## Dernières fiches")
    parts.append(fiche_list(HOME, list(catalogue.fiches[:LATEST_ON_HOME])))
    return Page(HOME, "Accueil", "", "\n\n".join(parts))
