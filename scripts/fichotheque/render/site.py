"""Every page of a site, the files beside them and the navigation."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Catalogue
from ..routes import (
    CATALOGUE,
    DATA_PAGE,
    FEED_FILE,
    GLOSSARY,
    HOME,
    PANORAMA,
    SEARCH,
    TIMELINE,
)
from ..sitesettings import EditorSettings
from .charts import render_panorama
from .exports import (
    Licence,
    atom_feed,
    open_data,
    render_data_page,
)
from .fiche import fiche_page_digest, render_fiche
from .glossary import render_glossary, render_meanings
from .html import Page, esc, facet_path, fiche_path
from .listings import render_catalogue, render_facet, render_home, render_term
from .redirects import render_redirects
from .search import render_search
from .timeline import render_timeline


@dataclass(frozen=True)
class Settings:
    """What the site's configuration says that pages and exports need."""

    site_name: str = "Fiches"
    base_url: str = ""  # site_url with a trailing slash, or "" when not configured
    licence: Licence | None = None
    # Drawn for each build: fiche bodies are staged between comments carrying it, which
    # tell the sanitiser where each body starts and ends (see harden.py).
    body_secret: str = ""
    # Third-party hosts that fiche bodies may load images and embeds from.
    allowed_hosts: tuple[str, ...] = ()
    # The browser editor at /admin/, when the settings ask for one.
    editor: EditorSettings | None = None


@dataclass
class Site:
    """Every generated page and data file, and the navigation."""

    pages: list[Page] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    nav: list[object] = field(default_factory=list)
    staff_pages: list[str] = field(default_factory=list)


@dataclass
class Rendered:
    """The digests of fiche pages (render/fiche.py): those the last build staged, whose
    files are still there, and those of this build. ``frame`` digests what every fiche page
    depends on besides its own facts, ``sources`` what each fiche was read from, by file
    (check.py): a fiche without one is rendered every time."""

    frame: bytes
    sources: Mapping[str, str]
    before: dict[str, str] = field(default_factory=dict)
    now: dict[str, str] = field(default_factory=dict)


def render_site(
    catalogue: Catalogue,
    root: Path,
    *,
    home_intro: str = "",
    settings: Settings | None = None,
    rendered: Rendered | None = None,
) -> Site:
    """Every page and data file of the site; ``home_intro`` is the hand-written home text.

    With ``rendered``, a fiche page whose digest is the one the last build staged is not
    rendered again: it comes as a ``kept`` page, which the staging leaves as it is.
    """
    settings = settings or Settings()
    return Site(
        list(site_pages(catalogue, root, home_intro, settings, rendered)),
        site_texts(catalogue, settings),
        site_nav(catalogue),
    )


def site_pages(
    catalogue: Catalogue,
    root: Path,
    home_intro: str,
    settings: Settings,
    rendered: Rendered | None,
) -> Iterator[Page]:
    """The pages of ``render_site``, one at a time: each can be written as it comes."""
    for fiche in catalogue.fiches:
        source = rendered.sources.get(fiche.file) if rendered is not None else None
        if rendered is None or source is None:
            yield render_fiche(catalogue, fiche, root, body_secret=settings.body_secret)
            continue
        digest = fiche_page_digest(
            catalogue, fiche, root, settings.body_secret, rendered.frame, source
        )
        path = fiche_path(fiche)
        rendered.now[path] = digest
        if rendered.before.get(path) == digest:
            yield Page(path, fiche.title, fiche.description, "", kept=True)
        else:
            yield render_fiche(catalogue, fiche, root, body_secret=settings.body_secret)
    for facet in catalogue.taxonomy.facets:
        yield render_facet(catalogue, facet)
        for term in facet.terms:
            yield from render_term(catalogue, facet, term)
    yield from render_catalogue(catalogue)
    yield render_home(catalogue, home_intro)
    if catalogue.glossary.entries:
        yield render_glossary(catalogue)
        yield from render_meanings(catalogue)
    yield render_search(catalogue)
    yield from render_timeline(catalogue)
    yield render_panorama(catalogue)
    yield render_data_page(catalogue, settings.licence)


def site_texts(catalogue: Catalogue, settings: Settings) -> dict[str, str]:
    """The data files of the site beside its pages: open data, the feed, redirects."""
    texts = open_data(catalogue, settings.base_url, settings.licence)
    texts[FEED_FILE] = atom_feed(catalogue, settings.site_name, settings.base_url, settings.licence)
    texts.update(render_redirects(catalogue, settings.base_url))
    return texts


def site_nav(catalogue: Catalogue) -> list[object]:
    """The navigation: the site's own pages, then each facet, the glossary, the data."""
    nav: list[object] = [
        {"Accueil": HOME},
        {"Rechercher": SEARCH},
        {"Toutes les fiches": CATALOGUE},
        {"Chronologie": TIMELINE},
        {"Panorama": PANORAMA},
        {
            "Parcourir": [
                {esc(facet.label): facet_path(facet)} for facet in catalogue.taxonomy.facets
            ]
        },
    ]
    if catalogue.glossary.entries:
        nav.append({"Glossaire": GLOSSARY})
    nav.append({"Données ouvertes": DATA_PAGE})
    return nav
