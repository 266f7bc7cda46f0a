"""Building blocks of every generated page: paths, relative links, escaping, lists."""

from __future__ import annotations

import functools
import html
import posixpath
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

import yaml

from ..dates import Period
from ..fiches import Fiche
from ..routes import facet_page, fiche_page, term_page
from ..taxonomy import Facet, Term
from ..text import one_line

# libyaml's dumper when PyYAML has it (the same YAML, many times faster).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
TERMS_FIRST = 8  # per facet, the most used terms shown before « Voir les N autres »
# The pure functions every page calls thousands of times remember their last results:
# the preview's next build, in the same process, asks for almost the same ones.
_REMEMBERED = 1 << 17


def fiche_path(fiche: Fiche) -> str:
    """Where a fiche's page is written, relative to the docs folder."""
    return fiche_page(fiche.slug)


def facet_path(facet: Facet) -> str:
    """Where a facet's page (its terms and counts) is written."""
    return facet_page(facet.key)


def term_path(facet: Facet, term: Term) -> str:
    """Where a term's page (its fiches) is written."""
    return term_page(facet.key, term.slug)


def url_of(path: str) -> str:
    """The directory URL a page path is served at: ``fiches/a.md`` → ``fiches/a/``."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return f"{stem}/" if stem else ""


def href(from_path: str, to_path: str) -> str:
    """A relative link from one page to a page or a file, as an escaped attribute value."""
    return _href(_parts(from_path)[0], _parts(to_path))


def _href(start: tuple[str, ...], to: tuple[tuple[str, ...], bool]) -> str:
    """``href`` from the parts of two paths (``_parts``)."""
    relative = _relative(to[0], start)
    if to[1]:
        relative = "./" if relative == "." else relative + "/"
    return relative


@functools.lru_cache(maxsize=_REMEMBERED)
def _parts(path: str) -> tuple[tuple[str, ...], bool]:
    """The URL of a page or a file as its parts, each quoted and escaped as in an
    attribute, and whether it is a folder's (a page's). A page links to thousands of
    others, and thousands of pages link to each: a link is made of parts met before."""
    url = url_of(path)
    parts = posixpath.normpath(url.rstrip("/") or ".").split("/")
    quoted = tuple(html.escape(quote(part), quote=True) for part in parts if part != ".")
    return quoted, url.endswith("/") or not url


def file_path(from_folder: str, to_path: str) -> str:
    """``posixpath.relpath(to_path, from_folder)``, unquoted, for two normalised paths from
    the same folder: from the strings alone (relpath asks the system where it runs)."""
    return _relative(_split(to_path), _split(from_folder))


def _split(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.split("/") if part not in ("", "."))


def _relative(to: tuple[str, ...], start: tuple[str, ...]) -> str:
    """``posixpath.relpath`` from ``start`` to ``to``, two normalised paths as parts,
    without reading the disk."""
    common, most = 0, min(len(to), len(start))
    while common < most and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + list(to[common:])) or "."


@functools.lru_cache(maxsize=_REMEMBERED)
def esc(text: str) -> str:
    """User text made safe to place in HTML, on one line (a blank line would end the block)."""
    return html.escape(one_line(text), quote=True)


@dataclass(frozen=True)
class Page:
    """One generated page: its path, its (raw) title and summary, its Markdown body."""

    path: str
    title: str
    description: str
    body: str
    indexed: bool = False  # a fiche: the search indexes its content (see theme/main.html)
    hide: tuple[str, ...] = ()  # Material's sidebars to leave out: "navigation", "toc"
    kept: bool = False  # the page the last build staged is this one: no text to write

    def text(self) -> str:
        """The page file: front matter with escaped strings, then the body."""
        meta: dict[str, object] = {"title": esc(self.title)}
        if self.description:
            meta["description"] = esc(self.description)
        if self.indexed:
            meta["recherche"] = True
        if self.hide:
            meta["hide"] = list(self.hide)
        front = yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=10**9)
        return f"---\n{front}---\n\n{self.body.rstrip()}\n"


def time_tag(iso: str, text: str) -> str:
    return f'<time datetime="{esc(iso)}">{esc(text)}</time>'


@functools.lru_cache(maxsize=_REMEMBERED)
def period_tag(period: Period) -> str:
    """A date or period as a ``<time>`` element: machine-readable, shown in French."""
    return time_tag(period.iso(), period.french())


def html_list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def fiche_list(page: str, fiches: list[Fiche], *, summaries: bool = True) -> str:
    start = _parts(page)[0]
    items = []
    for fiche in fiches:
        to, shown, summary = _list_item(fiche)
        items.append(f'<li><a href="{_href(start, to)}">{shown}{summary if summaries else ""}</li>')
    return '<ul class="fiche-liste">' + "".join(items) + "</ul>"


# What a list shows of each fiche, but the link (relative to each page): the bench's
# 10,000 fiches fill 168,744 list items, each fiche read back from anywhere in memory.
# Kept by slug for the fiche it was made from, while that fiche lives.
_LIST_ITEMS: dict[str, tuple[weakref.ref[Fiche], tuple[tuple[str, ...], bool], str, str]] = {}


def _list_item(fiche: Fiche) -> tuple[tuple[tuple[str, ...], bool], str, str]:
    """The fiche page's parts (``_parts``), the title and date, the summary."""
    kept = _LIST_ITEMS.get(fiche.slug)
    if kept is not None and kept[0]() is fiche:
        return kept[1:]
    item = (
        _parts(fiche_path(fiche)),
        f'{esc(fiche.title)}</a> <span class="fiche-date">({period_tag(fiche.period)})</span>',
        f'<br><span class="fiche-resume-court">{esc(fiche.description)}</span>',
    )
    _LIST_ITEMS[fiche.slug] = (weakref.ref(fiche), *item)
    return item


def markdown_text(text: str) -> str:
    """User text placed inside Markdown: escaped as HTML, and its Markdown marks inert."""
    return re.sub(r"([\\`*_\[\]{}])", r"\\\1", esc(text))


def context_label(context: str) -> str:
    """Where a meaning applies, after its expansion: « · Wallonie (Belgique) », not nested."""
    return f' <span class="glossaire-contexte">· {esc(context)}</span>' if context else ""


def count_fiches(n: int) -> str:
    return f"{n} fiche" + ("s" if n > 1 else "")
