# ruff: noqa: E501 - the form template reads better unwrapped.
"""The search page: a form whose filters come from taxonomy.yml, run by Pagefind in the page.

The form is plain HTML generated here (labels, groups, year bounds); the script
``recherche.js`` of the theme asks Pagefind's JavaScript API for results, combining
the terms checked in one facet with OR and the facets with AND.
"""

from __future__ import annotations

from ..model import Catalogue
from ..routes import CATALOGUE, SEARCH
from ..taxonomy import Facet
from .html import Page, esc, facet_path, href


def search_link(page: str, facet: Facet | None = None, slug: str = "") -> str:
    """A link to the search page, pre-filtered on one term when given."""
    link = href(page, SEARCH)
    return f"{link}?{esc(facet.key)}={esc(slug)}" if facet else link


def _facet_fieldset(facet: Facet) -> str:
    def boxes(terms: tuple) -> str:  # type: ignore[type-arg]
        items = []
        for term in terms:
            ident = f"f-{facet.key}-{term.slug}"
            items.append(
                f'<li><input type="checkbox" id="{esc(ident)}" name="{esc(facet.key)}" '
                f'value="{esc(term.slug)}" data-libelle="{esc(term.label)}">'
                f' <label for="{esc(ident)}">{esc(term.label)}'
                ' <span class="recherche-compte" data-compte></span></label></li>'
            )
        return '<ul class="recherche-termes">' + "".join(items) + "</ul>"

    if facet.groups:
        inner = "".join(
            f'<p class="recherche-groupe">{esc(group.label)}</p>{boxes(facet.terms_of_group(group))}'
            for group in facet.groups
        )
    else:
        inner = boxes(facet.terms)
    return (
        f'<fieldset class="recherche-facette" data-facette="{esc(facet.key)}">'
        f"<legend>{esc(facet.label)}</legend>{inner}</fieldset>"
    )


def render_search(catalogue: Catalogue) -> Page:
    """The search page, with a plain message for visitors without JavaScript."""
    span = catalogue.year_span() or (0, 0)
    facets = "".join(_facet_fieldset(facet) for facet in catalogue.taxonomy.facets)
    browse = ", ".join(
        f'<a href="{href(SEARCH, facet_path(facet))}">{esc(facet.label.lower())}</a>'
        for facet in catalogue.taxonomy.facets
    )
    body = f"""<h1>Rechercher dans les fiches</h1>

<noscript><p class="recherche-sans-js">La recherche a besoin de JavaScript, qui est désactivé
dans votre navigateur. Vous pouvez parcourir les fiches par catégorie ({browse}) ou consulter
<a href="{href(SEARCH, CATALOGUE)}">la liste complète</a>.</p></noscript>

<form id="recherche" class="recherche" role="search" hidden data-pagefind="{href(SEARCH, "pagefind/pagefind.js")}" data-racine="{href(SEARCH, "index.md")}"><div class="recherche-principale"><label for="recherche-q">Mots recherchés</label> <input type="search" id="recherche-q" name="q" autocomplete="off" placeholder="par exemple : logement, emploi, PLI"> <button type="submit" class="md-button md-button--primary">Rechercher</button></div><div class="recherche-options"><label for="recherche-tri">Trier par</label> <select id="recherche-tri" name="tri"><option value="">pertinence</option><option value="date">date, les plus récentes d'abord</option></select> <fieldset class="recherche-annees"><legend>Années</legend><label for="recherche-de">de</label> <input type="number" id="recherche-de" name="de" min="{span[0]}" max="{span[1]}" inputmode="numeric"> <label for="recherche-a">à</label> <input type="number" id="recherche-a" name="a" min="{span[0]}" max="{span[1]}" inputmode="numeric"></fieldset></div><div class="recherche-filtres">{facets}</div><p class="recherche-aller"><a href="#recherche-resultats">Aller aux résultats</a></p></form>

<div id="recherche-etat" class="recherche-etat" role="status" aria-live="polite"></div>

<ol id="recherche-resultats" class="recherche-resultats"></ol>

<script src="{href(SEARCH, "assets/javascripts/recherche.js")}" defer></script>"""
    return Page(
        SEARCH, "Rechercher", "Recherche plein texte dans les fiches, filtrée par catégorie.", body
    )
