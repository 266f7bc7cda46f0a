"""sitemap.xml as a small index, so that no page view downloads the list of every page.

Material's page script fetches ``sitemap.xml`` beside the href of every
``<link rel="alternate">`` in the head (it looks for other languages there), and the Atom
feed's link is one: each page view would download the whole sitemap, 1.5 MB at 10,000
fiches. MkDocs' sitemap moves to ``sitemap-pages.xml``; ``sitemap.xml`` becomes a sitemap
index naming it, which search engines read the same way and which holds no page, so the
script finds nothing to do in it and the visitor downloads a few hundred bytes.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from xml.sax.saxutils import escape

from .files import write_text

SITEMAP = "sitemap.xml"
PAGES = "sitemap-pages.xml"


def index_text(base_url: str) -> str:
    """A sitemap index naming the pages' sitemap (absolute when the site has an address)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"  <sitemap><loc>{escape(base_url + PAGES)}</loc></sitemap>\n"
        "</sitemapindex>\n"
    )


def split_sitemap(site_dir: Path, base_url: str) -> None:
    """Move MkDocs' sitemap to sitemap-pages.xml and leave an index in its place."""
    sitemap = site_dir / SITEMAP
    if not sitemap.is_file():
        return
    pages = sitemap.read_bytes()
    write_text(site_dir / PAGES, pages)
    write_text(site_dir / (PAGES + ".gz"), gzip.compress(pages, mtime=0))
    index = index_text(base_url)
    write_text(sitemap, index)
    write_text(site_dir / (SITEMAP + ".gz"), gzip.compress(index.encode(), mtime=0))
