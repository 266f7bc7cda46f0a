"""Every address the site generates, declared once: pages, data files and their folders.

Paths are relative to the staged docs folder (``fiches/a.md`` is served at ``fiches/a/``).
The renderer writes these pages; ``check`` resolves the links of fiche bodies against them,
and refuses facet keys and term slugs that would land on one of them (``reserved_names``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

HOME = "index.md"
CATALOGUE = "fiches/index.md"
GLOSSARY = "glossaire.md"
SEARCH = "recherche.md"
TIMELINE = "chronologie.md"
PANORAMA = "panorama.md"
DATA_PAGE = "donnees.md"
REFERENCE = "reference-des-champs.md"
CONFIGURATION = "reference-de-la-configuration.md"
COMMANDS = "commandes.md"
EDITOR_PAGE = "editeur-en-ligne.md"
EDITOR_DIR = "admin"  # the browser editor, written after the engine (editor.py)
INDEX_DIR = "pagefind"  # the search index, written by Pagefind after the engine
JSON_FILE = "donnees/fiches.json"
CSV_FILE = "donnees/fiches.csv"
FEED_FILE = "flux.xml"
FICHES_DIR = "fiches"


@dataclass(frozen=True)
class Route:
    """One generated address: its path in the staged docs folder and what a reader finds."""

    path: str
    what: str  # French, for messages: « la page de recherche »


# Every page and file the site generates at a fixed address.
FIXED_ROUTES = (
    Route(HOME, "la page d'accueil"),
    Route(CATALOGUE, "la liste de toutes les fiches"),
    Route(GLOSSARY, "le glossaire"),
    Route(SEARCH, "la page de recherche"),
    Route(TIMELINE, "la chronologie"),
    Route(PANORAMA, "le panorama"),
    Route(DATA_PAGE, "la page des données ouvertes"),
    Route(REFERENCE, "la référence des champs"),
    Route(CONFIGURATION, "la référence de la configuration"),
    Route(COMMANDS, "la page des commandes"),
    Route(EDITOR_PAGE, "la page de l'éditeur en ligne"),
    Route(JSON_FILE, "l'export JSON des fiches"),
    Route(CSV_FILE, "l'export CSV des fiches"),
    Route(FEED_FILE, "le flux Atom"),
)
FIXED_PAGES = tuple(route.path for route in FIXED_ROUTES if route.path.endswith(".md"))
DATA_FILES = tuple(route.path for route in FIXED_ROUTES if not route.path.endswith(".md"))
# Folders the engine writes beside the pages: the theme's files and the search index.
ENGINE_ROUTES = (
    Route("assets/", "les styles et les scripts du thème"),
    Route(f"{INDEX_DIR}/", "l'index de recherche (Pagefind)"),
    Route(f"{EDITOR_DIR}/", "l'éditeur en ligne"),
)

# What a search address may carry besides facet keys (« recherche/?q=…&logement=… »),
# and the search filters every fiche carries, for its years and its start year (the
# date order of an index in parts, searchindex.py): a facet named like one of them
# would mix its terms with it.
QUERY_PARAMETER, FROM_PARAMETER, TO_PARAMETER, SORT_PARAMETER = "q", "de", "a", "tri"
YEAR_FILTER, START_YEAR_FILTER = "annee", "annee-debut"
SEARCH_NAMES = {
    QUERY_PARAMETER: "le paramètre des mots cherchés dans l'adresse de la recherche",
    FROM_PARAMETER: "le paramètre de l'année de début dans l'adresse de la recherche",
    TO_PARAMETER: "le paramètre de l'année de fin dans l'adresse de la recherche",
    SORT_PARAMETER: "le paramètre du tri dans l'adresse de la recherche",
    YEAR_FILTER: "le filtre des années de la recherche",
    START_YEAR_FILTER: "le filtre de l'année où commence chaque fiche, pour le tri par date",
}

# Headings every fiche page may add after the body, by their anchors.
FICHE_SECTION_ANCHORS = (
    "ressources-a-telecharger",
    "sources",
    "sigles-et-vocabulaire",
    "fiches-liees",
    "fiches-proches",
)


def fiche_page(slug: str) -> str:
    """Where a fiche's page is written."""
    return f"{FICHES_DIR}/{slug}.md"


def facet_page(facet_key: str) -> str:
    """Where a facet's page (its terms and counts) is written."""
    return f"{facet_key}/index.md"


def term_page(facet_key: str, term_slug: str) -> str:
    """Where a term's page (its fiches) is written."""
    return f"{facet_key}/{term_slug}.md"


def address(path: str) -> str:
    """The address a reader sees for a staged path: ``recherche.md`` is ``/recherche/``."""
    if not path.endswith(".md"):
        return "/" + path
    stem = path.removesuffix(".md").removesuffix("index").rstrip("/")
    return "/" + (stem + "/" if stem else "")


def _top(path: str) -> str:
    """The first segment of a path's address, « recherche » for ``recherche.md``."""
    return address(path).strip("/").split("/")[0]


def reserved_names() -> dict[str, str]:
    """Names a facet key may not take, each with what already answers at that name.

    A facet's pages live at ``/<key>/`` and its terms in the search address and filters,
    so every first segment of a generated address is taken, and so are the search's own
    parameters.
    """
    names = {_top(route.path): route.what for route in (*FIXED_ROUTES, *ENGINE_ROUTES)}
    names.pop("", None)  # the home page is the root itself
    for name, what in SEARCH_NAMES.items():
        names.setdefault(name, what)
    return names


def redirect_file(page: str) -> str:
    """Where the redirect from a page's old address is written, as plain HTML.

    ``fiches/ancien.md`` was served at ``fiches/ancien/``; its redirect is written to
    ``fiches/ancien/index.html``, which the engine copies as a static file: it is in no
    navigation and no sitemap.
    """
    return page.removesuffix(".md") + "/index.html"


def generated_pages(facets: Iterable[tuple[str, Iterable[str]]]) -> set[str]:
    """Every page the site generates besides fiches, for ``(facet key, term slugs)`` pairs."""
    pages = set(FIXED_PAGES)
    for key, slugs in facets:
        pages.add(facet_page(key))
        pages.update(term_page(key, slug) for slug in slugs)
    return pages


def _page_name(path: str) -> str:
    return path.rsplit("/", 1)[-1].removesuffix(".md")


# A term's page sits beside its facet's page, a fiche's beside the catalogue: neither may
# take that page's name.
RESERVED_TERM_SLUGS = {_page_name(facet_page("cle")): "la page de la facette elle-même"}
RESERVED_FICHE_SLUGS = {_page_name(CATALOGUE): "la liste de toutes les fiches"}
