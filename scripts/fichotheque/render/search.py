# ruff: noqa: E501 - the form template reads better unwrapped.
"""The search page: a form whose filters come from taxonomy.yml, run by Pagefind in the page.

The form is plain HTML generated here (labels, groups, year bounds, the glossary's
definitions); the script ``recherche.js`` of the theme asks Pagefind's JavaScript API for
results, combining the terms checked in one facet with OR and the facets with AND.
"""

from __future__ import annotations

from ..model import Catalogue
from ..routes import (
    CATALOGUE,
    FROM_PARAMETER,
    GLOSSARY,
    QUERY_PARAMETER,
    SEARCH,
    SORT_PARAMETER,
    START_YEAR_FILTER,
    TO_PARAMETER,
    YEAR_FILTER,
)
from ..searchindex import LEXICON, search_parts
from ..taxonomy import Facet, Term
from .glossary import entry_keys, meaning_text
from .html import TERMS_FIRST, Page, esc, facet_path, href

# A word written, invisibly, on every fiche. A search on filters alone asks Pagefind for it:
# with no word at all, Pagefind downloads its whole word index, whatever the filters.
EVERY_FICHE = "qxjfichotheque"
# Closes those hidden words (the acronyms' expansions follow EVERY_FICHE): the script
# quotes a fiche around its visible words only.
HIDDEN_END = "qxjfinmarques"


def search_link(page: str, facet: Facet | None = None, slug: str = "") -> str:
    """A link to the search page, pre-filtered on one term when given."""
    link = href(page, SEARCH)
    return f"{link}?{esc(facet.key)}={esc(slug)}" if facet else link


def _box(facet: Facet, term: Term, shown: bool) -> str:
    ident = f"f-{facet.key}-{term.slug}"
    extra = "" if shown else " data-plus"
    return (
        f'<li{extra}><input type="checkbox" id="{esc(ident)}" name="{esc(facet.key)}" '
        f'value="{esc(term.slug)}" data-libelle="{esc(term.label)}">'
        f' <label for="{esc(ident)}">{esc(term.label)}'
        ' <span class="recherche-compte" data-compte></span></label></li>'
    )


def _facet_block(catalogue: Catalogue, facet: Facet) -> str:
    """A facet as a collapsible group of boxes: its most used terms first, then the rest."""
    used = catalogue.terms_by_use(facet)
    # Folding away fewer than five terms would only hide them.
    shown = {t.slug for t in used[:TERMS_FIRST]} if len(used) >= TERMS_FIRST + 5 else None

    def boxes(terms: tuple[Term, ...]) -> str:
        items = "".join(_box(facet, t, shown is None or t.slug in shown) for t in terms)
        return f'<ul class="recherche-termes">{items}</ul>'

    if facet.groups:
        inner = "".join(
            f'<div class="recherche-groupe"><p class="recherche-groupe-titre">{esc(group.label)}</p>'
            f"{boxes(facet.terms_of_group(group))}</div>"
            for group in facet.groups
        )
    else:
        inner = boxes(facet.terms)
    tools = ""
    if shown is not None:
        ident = f"filtre-{facet.key}"
        hidden = len(facet.terms) - len(shown)
        tools = (
            f'<p class="recherche-filtre-termes"><label for="{esc(ident)}">Filtrer les termes de « {esc(facet.label)} »</label>'
            f' <input type="search" id="{esc(ident)}" autocomplete="off" data-filtre-termes></p>'
        )
        inner += (
            f'<p><button type="button" class="recherche-plus-termes" aria-expanded="false"'
            f' data-autres="{hidden}">Voir les {hidden} autres</button></p>'
        )
    return (
        f'<details class="recherche-facette" data-facette="{esc(facet.key)}" open>'
        f'<summary>{esc(facet.label)} <span class="recherche-choisis" data-choisis></span></summary>'
        f'<fieldset><legend class="visuellement-cache">{esc(facet.label)}</legend>'
        f"{tools}{inner}</fieldset></details>"
    )


def _definitions(catalogue: Catalogue) -> str:
    """The glossary, hidden: the script shows the entries a query names, above the results."""
    entries = []
    for entry in catalogue.glossary.alphabetical():
        meanings = "".join(
            f"<li>{meaning_text(SEARCH, catalogue, m, shown=0, more_at=href(SEARCH, GLOSSARY) + '#' + esc(m.id))}</li>"
            for m in entry.meanings
        )
        entries.append(
            f'<div class="recherche-definition" data-cles="{esc(entry_keys(entry))}" hidden>'
            f"<p><abbr>{esc(entry.term)}</abbr></p><ul>{meanings}</ul></div>"
        )
    if not entries:
        return ""
    return (
        '<section id="recherche-definitions" class="recherche-definitions" aria-labelledby="recherche-definitions-titre" hidden>'
        '<h2 id="recherche-definitions-titre">Dans le glossaire</h2>'
        + "".join(entries)
        + "</section>"
    )


def render_search(catalogue: Catalogue) -> Page:
    """The search page, with a plain message for visitors without JavaScript."""
    span = catalogue.year_span() or (0, 0)
    facets = "".join(_facet_block(catalogue, facet) for facet in catalogue.taxonomy.facets)
    browse = ", ".join(
        f'<a href="{href(SEARCH, facet_path(facet))}">{esc(facet.label.lower())}</a>'
        for facet in catalogue.taxonomy.facets
    )
    catalogue_link = href(SEARCH, CATALOGUE)
    # The parts of the index after the first (searchindex.py), merged by recherche.js.
    lots = " ".join(href(SEARCH, f"{part.folder}/") for part in search_parts(catalogue)[1:])
    example = next((t.label.lower() for f in catalogue.taxonomy.facets for t in f.terms), "")
    placeholder = f' placeholder="par exemple : {esc(example)}"' if example else ""
    body = f"""<h1>Rechercher dans les fiches</h1>

<noscript><p class="recherche-sans-js">La recherche a besoin de JavaScript, qui est désactivé
dans votre navigateur. Vous pouvez parcourir les fiches par catégorie ({browse}) ou consulter
<a href="{catalogue_link}">la liste complète</a>.</p></noscript>

<form id="recherche" class="recherche" role="search" hidden data-pagefind="{href(SEARCH, "pagefind/pagefind.js")}" data-racine="{href(SEARCH, "index.md")}" data-toutes="{EVERY_FICHE}" data-fin-cache="{HIDDEN_END}" data-filtre-annee="{YEAR_FILTER}" data-debut="{span[0]}" data-fin="{span[1]}" data-catalogue="{catalogue_link}" data-lots="{lots}" data-filtre-debut="{START_YEAR_FILTER}" data-lexique="{LEXICON}"><div class="recherche-principale"><label for="recherche-q">Mots recherchés</label> <input type="search" id="recherche-q" name="{QUERY_PARAMETER}" autocomplete="off"{placeholder}> <button type="submit" class="md-button md-button--primary">Rechercher</button></div><p class="recherche-sauter"><a href="#recherche-titre">Aller aux résultats</a></p><div class="recherche-corps"><div id="recherche-panneau" class="recherche-panneau" role="group" aria-labelledby="recherche-panneau-titre"><div class="recherche-panneau-tete"><h2 id="recherche-panneau-titre">Filtres</h2> <button type="button" class="recherche-fermer md-button">Fermer</button></div><p class="recherche-aide">Le nombre après un terme est celui des fiches que vous obtiendrez en le cochant. Dans une même catégorie, cocher plusieurs termes ajoute des fiches ; d'une catégorie à l'autre, cela en retire.</p><div class="recherche-options"><label for="recherche-tri">Trier par</label> <select id="recherche-tri" name="{SORT_PARAMETER}"><option value="">pertinence</option><option value="date">date, les plus récentes d'abord</option></select><fieldset class="recherche-annees"><legend>Années</legend><label for="recherche-de">de</label> <input type="number" id="recherche-de" name="{FROM_PARAMETER}" min="{span[0]}" max="{span[1]}" inputmode="numeric"> <label for="recherche-a">à</label> <input type="number" id="recherche-a" name="{TO_PARAMETER}" min="{span[0]}" max="{span[1]}" inputmode="numeric"></fieldset></div>{facets}<p class="recherche-aller"><a href="#recherche-titre">Aller aux résultats</a></p><div class="recherche-panneau-pied"><button type="button" class="recherche-voir md-button md-button--primary">Voir les résultats</button></div></div><div class="recherche-sortie"><p class="recherche-ouvrir-ligne"><button type="button" class="recherche-ouvrir md-button" aria-controls="recherche-panneau" aria-expanded="false">Filtres</button></p><div class="recherche-actifs" hidden><p id="recherche-actifs-titre" class="visuellement-cache">Filtres actifs</p><ul class="recherche-puces" aria-labelledby="recherche-actifs-titre"></ul> <button type="button" class="recherche-effacer">Tout effacer</button></div>{_definitions(catalogue)}<div id="recherche-etat" class="recherche-etat" role="status" aria-live="polite"><h2 id="recherche-titre" tabindex="-1"></h2><div class="recherche-explication"></div></div><ol id="recherche-resultats" class="recherche-resultats"></ol></div></div></form>

<script src="{href(SEARCH, "assets/javascripts/recherche.js")}" defer></script>"""
    return Page(
        SEARCH,
        "Rechercher",
        "Recherche plein texte dans les fiches, filtrée par catégorie.",
        body,
        hide=("navigation", "toc"),
    )
