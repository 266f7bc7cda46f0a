"""Redirects from old addresses: a renamed term's page, a renamed fiche file's page.

Each is a small HTML file written where the old page was served (``routes.redirect_file``).
The engine copies it as it is, so it stays out of the navigation, the sitemap and the
search index; harden.py still gives it the site's CSP, which a ``<meta>`` refresh obeys
without any script. The page names an empty icon: a browser would otherwise ask for
``/favicon.ico``, which the site does not have.
"""

from __future__ import annotations

from ..model import Catalogue
from ..routes import fiche_page, redirect_file, term_page
from .html import esc, href, url_of


def redirect_html(old_page: str, new_page: str, title: str, base_url: str = "") -> str:
    """The page left at ``old_page``'s address, sending visitors to ``new_page``.

    ``base_url`` (site_url with a trailing slash) makes the canonical address absolute.
    """
    target = href(old_page, new_page)
    canonical = esc(base_url + url_of(new_page)) if base_url else target
    return f"""<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Page déplacée : {esc(title)}</title>
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<meta http-equiv="refresh" content="0; url={target}">
<link rel="canonical" href="{canonical}">
</head>
<body data-pagefind-ignore="all">
<main>
<p>Cette page a changé d'adresse : <a href="{target}">{esc(title)}</a>.</p>
</main>
</body>
</html>
"""


def render_redirects(catalogue: Catalogue, base_url: str = "") -> dict[str, str]:
    """Every redirect file of the site, by its path in the docs folder."""
    moves: list[tuple[str, str, str]] = []
    for facet in catalogue.taxonomy.facets:
        for old, term in facet.renamed().items():
            moves.append((term_page(facet.key, old), term_page(facet.key, term.slug), term.label))
    for fiche in catalogue.fiches:
        for old in fiche.old_addresses:
            moves.append((fiche_page(old), fiche_page(fiche.slug), fiche.title))
    return {
        redirect_file(old): redirect_html(old, new, title, base_url) for old, new, title in moves
    }
