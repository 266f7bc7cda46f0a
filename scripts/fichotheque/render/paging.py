"""Long lists split into pages, so that no page grows with the size of the base.

At 10,000 fiches the catalogue would weigh 6 MB and the largest term page 5 MB. A list
longer than ``PER_PAGE`` is cut: its first page stays where it always was and is
complete without JavaScript; the next ones live below it (``fiches/pages/2/``,
``axes/accompagnement/pages/2/``), out of the navigation, and each page ends with
links to all the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from .html import Page, esc, href

PER_PAGE = 500  # fiches on one page of a list: about 300 KB of HTML
PAGES_DIR = "pages"

T = TypeVar("T")


def page_paths(first: str, count: int) -> list[str]:
    """The files of a list cut into ``count`` pages: ``first``, then ``…/pages/N.md``."""
    base = first.removesuffix("index.md") if first.endswith("/index.md") else first[:-3] + "/"
    return [first] + [f"{base}{PAGES_DIR}/{n}.md" for n in range(2, count + 1)]


def cut(items: Sequence[T], size: int | None = None) -> list[Sequence[T]]:
    """``items`` in pieces of ``size`` (``PER_PAGE``); one piece, maybe empty, when it fits."""
    size = size or PER_PAGE
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def pager(paths: list[str], current: int) -> str:
    """Links to every page of a list, the current one marked; empty for a single page."""
    if len(paths) < 2:
        return ""
    here = paths[current]
    items = []
    for index, path in enumerate(paths):
        number = index + 1
        if index == current:
            items.append(f'<li><span aria-current="page">{number}</span></li>')
        else:
            items.append(f'<li><a href="{href(here, path)}">{number}</a></li>')
    previous = (
        f'<a class="pagination-precedente" rel="prev" href="{href(here, paths[current - 1])}">'
        "← Page précédente</a>"
        if current > 0
        else ""
    )
    following = (
        f'<a class="pagination-suivante" rel="next" href="{href(here, paths[current + 1])}">'
        "Page suivante →</a>"
        if current + 1 < len(paths)
        else ""
    )
    return (
        f'<nav class="pagination" aria-label="Pages de la liste">{previous}'
        f'<ol class="pagination-pages">{"".join(items)}</ol>{following}</nav>'
    )


def paged(
    first: Page,
    pieces: Sequence[T],
    body: Callable[[str, T], str],
) -> list[Page]:
    """One page per piece: ``first`` gets the first, with its own heading and text.

    ``body(path, piece)`` writes a piece for the page at ``path``. The other pages take
    ``first``'s title with « page N sur M » and a heading of their own.
    """
    paths = page_paths(first.path, len(pieces))
    total = len(paths)
    pages = []
    for index, (path, piece) in enumerate(zip(paths, pieces, strict=True)):
        nav = pager(paths, index)
        if index == 0:
            text = "\n\n".join(part for part in (first.body, body(path, piece), nav) if part)
            pages.append(Page(path, first.title, first.description, text, hide=first.hide))
            continue
        title = f"{first.title} (page {index + 1} sur {total})"
        heading = (
            f'<h1>{esc(first.title)} <span class="pagination-titre">page {index + 1} sur '
            f"{total}</span></h1>"
        )
        back = (
            f'<p class="pagination-retour"><a href="{href(path, paths[0])}">Première page</a></p>'
        )
        text = "\n\n".join((heading, back, body(path, piece), nav))
        pages.append(Page(path, title, first.description, text, hide=first.hide))
    return pages
