"""Plain Markdown pages for the site, with every user string HTML-escaped.

The pages are files any Material-compatible engine (MkDocs with Material for MkDocs,
or Zensical) renders as they are: no plugin runs at build time. Metadata is written
as raw HTML blocks, which Markdown passes through untouched, so that a title or a
partner name is always text and never markup. Links between generated pages are
computed here as relative URLs, which keeps the site working from a sub-path.
"""

from ..routes import HOME
from .commands import render_commands
from .configuration import render_configuration
from .exports import Licence
from .html import Page
from .reference import render_reference
from .site import Rendered, Settings, Site, render_site, site_nav, site_pages, site_texts

__all__ = [
    "HOME",
    "Licence",
    "Page",
    "Rendered",
    "Settings",
    "Site",
    "render_commands",
    "render_configuration",
    "render_reference",
    "render_site",
    "site_nav",
    "site_pages",
    "site_texts",
]
