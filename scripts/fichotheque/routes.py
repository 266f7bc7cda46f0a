"""Every address the site generates, declared once: pages, data files and their folders.

Paths are relative to the staged docs folder (``fiches/a.md`` is served at ``fiches/a/``).
The renderer writes these pages; ``check`` resolves the links of fiche bodies against them.
"""

from __future__ import annotations

from collections.abc import Iterable

HOME = "index.md"
CATALOGUE = "fiches/index.md"
GLOSSARY = "glossaire.md"
SEARCH = "recherche.md"
TIMELINE = "chronologie.md"
PANORAMA = "panorama.md"
DATA_PAGE = "donnees.md"
REFERENCE = "reference-des-champs.md"
JSON_FILE = "donnees/fiches.json"
CSV_FILE = "donnees/fiches.csv"
FEED_FILE = "flux.xml"
FIXED_PAGES = (HOME, CATALOGUE, GLOSSARY, SEARCH, TIMELINE, PANORAMA, DATA_PAGE, REFERENCE)
DATA_FILES = (JSON_FILE, CSV_FILE, FEED_FILE)
FICHES_DIR = "fiches"
# Slugs the site keeps for itself: a term or a fiche named so would replace an index page.
RESERVED_SLUGS = frozenset({"index"})

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
