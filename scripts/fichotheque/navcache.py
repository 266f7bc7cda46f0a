"""Material's navigation, rendered once for all the pages that are not in it.

Material renders the whole navigation into every page: at 1,000 fiches, a tenth of
what MkDocs spends on a page. A fiche is not in the navigation (never list every fiche),
so on a fiche page nothing of it is the current page, and the navigation differs from
one such page to the next only by its links, which are relative to the page. Its HTML is
therefore kept by the links as that page shows them, and rendered again only for a page
that shows other links, or that is in the navigation.

Only ``mkdocsbuild`` does this, in its own processes: the staged project is unchanged, and
``mkdocs build`` writes the same pages (test_mkdocsbuild.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.nav import Navigation

TEMPLATE = "partials/nav.html"
# What the navigation is rendered from (partials/nav.html and what it includes): Material's
# own, unless the theme's custom_dir replaces one, which may then show the page itself.
MATERIAL_ONLY = (
    TEMPLATE, "partials/nav-item.html", "partials/logo.html", "partials/source.html",
    "partials/toc.html", "partials/toc-item.html", ".icons",
)  # fmt: skip


def render_once(env: jinja2.Environment, nav: Navigation, config: MkDocsConfig) -> None:
    """Make ``env`` render the navigation once for each set of links it shows, unless
    the theme's custom_dir replaces what it is rendered from."""
    from mkdocs.utils import normalize_url

    custom = config.theme.custom_dir
    if custom and any((Path(custom) / name).exists() for name in MATERIAL_ONLY):
        return
    template = env.get_template(TEMPLATE)  # Jinja keeps it while its source is the same
    render: Callable[[Any], Iterator[str]] = template.root_render_func
    items = list(_walk(nav.items))
    # What the navigation links to, through MkDocs' « url » filter: its pages and links,
    # the home page and the logo (partials/nav.html, nav-item.html, logo.html).
    homepage = nav.homepage.url if nav.homepage else ""
    targets = [str(item.url) for item in items if getattr(item, "url", None) is not None]
    targets += [str(t) for t in (homepage, config.extra.get("homepage"), config.theme.get("logo"))]
    rendered: dict[tuple[str, ...], str] = {}

    def root(context: Any) -> Iterator[str]:
        page = context.get("page")
        if page is None or any(item.active for item in items):  # the page is in it
            yield from render(context)
            return
        base = context.get("base_url", "")
        key = tuple(normalize_url(target, page=page, base=base) for target in targets)
        if key not in rendered:
            rendered[key] = "".join(render(context))
        yield rendered[key]

    template.root_render_func = root


def _walk(items: list[Any]) -> Iterator[Any]:
    for item in items:
        yield item
        yield from _walk(getattr(item, "children", None) or [])
