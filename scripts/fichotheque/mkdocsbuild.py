"""MkDocs over every core: the same build, with its pages shared among processes.

``mkdocs build`` converts every page with Python-Markdown (the floor of a build), then
renders it with the theme, one page after the other on one core. ``build`` below takes
the same steps, with MkDocs' own functions and in the same order, in ``workers``
processes. Each one prepares the whole site (files, navigation, and the pages of the
navigation, whose titles every page shows), then converts and writes its share of the
other pages. The first also copies the static files and renders the theme's templates.
Links to anchors are checked at the end, across shares, as MkDocs checks them.

Each build returns a ``Record`` of what it converted: with it, the next build into the
same folder converts again only the pages whose source changed (in this process), unless
something every page shows changed too, and says again what the other pages said.

This driver is used only when nothing in the configuration can gather data across pages:
no plugin but the disabled search, and no hook. Otherwise MkDocs' own build runs, and every
build converts every page. Below ``PARALLEL_FROM`` pages, one process does it all. The
staged project is the same either way: ``mkdocs build`` and Zensical build it alike.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import markupsafe

from . import navcache
from .files import cache_dir, file_digest
from .fingerprint import code_digest
from .setupschema import SHOWN_TEXTS
from .siteconfig import SEARCH_PLUGINS
from .workers import pool

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

# Below this many Markdown pages, starting processes costs more than it saves.
PARALLEL_FROM = 200
MAX_WORKERS = 4
# What converts and renders the pages, besides the package's own code.
LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2", "pygments")
_LOGGER = "mkdocs"


def load(config_path: Path) -> MkDocsConfig:
    """The staged mkdocs.yml, loaded, with the texts the theme prints made safe."""
    from mkdocs.config import load_config

    config = load_config(str(config_path))
    _escape_shown_texts(config)
    return config


def build(
    config_path: Path,
    config: MkDocsConfig,
    *,
    workers: int | None = None,
    previous: Record | None = None,
    finish: Finish | None = None,
) -> Outcome:
    """Build the site of ``config`` (loaded from ``config_path``), over several cores if worth it.

    Each process calls ``finish`` on the site files it wrote (a picklable callable, such
    as harden.Hardening.pages) and returns what it says in ``Outcome.finished``.

    With the ``previous`` record of a build into the same ``site_dir``, only the pages
    whose source changed are converted again, unless something every page shows changed
    too (see ``Record``). Warnings and errors are logged on MkDocs' logger, as
    ``mkdocs build`` logs them (a page not converted again says again what it said); an
    error is raised as MkDocs raises it.
    """
    from mkdocs.commands.build import build as mkdocs_build

    if not shareable(config):
        mkdocs_build(config)
        return Outcome(None, None)
    frame = _frame(config_path, config)
    if previous is not None and previous.frame == frame and Path(config.site_dir).is_dir():
        outcome = _shared_build(config_path, config, 1, frame, finish, previous)
        if outcome is not None:
            return outcome
    workers = workers or min(_cores(), MAX_WORKERS)
    pages = sum(1 for _ in Path(config.docs_dir).rglob("*.md"))
    workers = workers if pages >= PARALLEL_FROM else 1
    outcome = _shared_build(config_path, config, workers, frame, finish)
    assert outcome is not None
    return outcome


def shareable(config: MkDocsConfig) -> bool:
    """Whether no plugin or hook of ``config`` could gather data across pages."""
    return (
        set(config.plugins) <= set(SEARCH_PLUGINS)
        and not config.hooks
        and all(plugin.config.get("enabled") is False for plugin in config.plugins.values())
    )


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass
class PageRecord:
    """What converting one page gave besides its HTML: its source's digest, its log, its anchors."""

    digest: str
    log: list[tuple[int, str]] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)
    # (linked page, anchor, link as written), for each link to an anchor
    links: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Record:
    """What a build saw, enough for the next one to convert only the pages that changed.

    ``frame`` digests what every page shows besides its own source: the settings, the
    theme and its overrides, the code and versions of the libraries that convert and
    render, the names of the files of docs/. When it changes, or the titles of the
    navigation's pages do, every page is converted again. The other files of docs/ are
    copied again when their digest changed.
    """

    frame: str
    titles: list[tuple[str, str]]  # (page, title), for each page of the navigation
    pages: dict[str, PageRecord]
    files: dict[str, str] = field(default_factory=dict)  # the other files of docs/: digests

    def to_json(self) -> dict[str, object]:
        # Not dataclasses.asdict, which deep-copies every list: 70 ms at 1,000 fiches.
        pages = {
            uri: {"digest": p.digest, "log": p.log, "anchors": p.anchors, "links": p.links}
            for uri, p in self.pages.items()
        }
        return {"frame": self.frame, "titles": self.titles, "pages": pages, "files": self.files}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Record:
        pages = {
            uri: PageRecord(
                page["digest"],
                [(int(level), str(text)) for level, text in page["log"]],
                list(page["anchors"]),
                [(a, b, c) for a, b, c in page["links"]],
            )
            for uri, page in data["pages"].items()
        }
        titles = [(str(uri), str(title)) for uri, title in data["titles"]]
        files = {str(uri): str(digest) for uri, digest in data["files"].items()}
        return cls(str(data["frame"]), titles, pages, files)


@dataclass
class Outcome:
    """What a build did: its record (None after MkDocs' own build) and the files it wrote.

    ``written`` lists paths relative to ``site_dir``; None means the whole site is new.
    """

    record: Record | None
    written: list[str] | None
    finished: dict[str, list[str]] | None = None  # what ``finish`` said of each file


# Called by each process on the site files it wrote (relative to site_dir).
Finish = Callable[[Path, list[str]], dict[str, list[str]]]


@dataclass
class _Report:
    """What one share found: the frame's titles, its pages' records, an error."""

    titles: list[tuple[str, str]] = field(default_factory=list)
    pages: dict[str, PageRecord] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    written: list[str] = field(default_factory=list)
    finished: dict[str, list[str]] = field(default_factory=dict)
    error: BaseException | None = None


def _frame(config_path: Path, config: MkDocsConfig) -> str:
    """What every page shows besides its source, as a digest (the titles are added later)."""
    digest = code_digest(LIBRARIES)  # the themes' own files come with their versions
    digest.update(config_path.read_bytes())
    custom = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    for folder in [*custom, Path(config.docs_dir)]:
        digest.update(f"\0{folder}\0".encode())
        for path in sorted(folder.rglob("*")):
            if not path.is_file():
                continue
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            if folder != Path(config.docs_dir):  # those of docs/ have their own digests
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _say_again(log: list[tuple[int, str]]) -> None:
    logger = logging.getLogger(_LOGGER)
    for level, message in log:
        logger.log(level, message)


def _shared_build(
    config_path: Path,
    config: MkDocsConfig,
    workers: int,
    frame: str,
    finish: Finish | None,
    previous: Record | None = None,
) -> Outcome | None:
    """The build, in ``workers`` shares; with ``previous``, of the pages changed since.

    None when the build from ``previous`` finds it must start over.
    """
    from mkdocs import utils
    from mkdocs.exceptions import Abort, BuildError

    logger = logging.getLogger(_LOGGER)
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(counter)
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        if previous is not None:
            first = _build_share(config, 0, 1, frame, finish, previous)
            if first is None:
                return None
            finished = first.finished
            for uri, page in previous.pages.items():
                if uri not in first.pages:
                    _say_again(page.log)
            pages = {**previous.pages, **first.pages}
        else:
            utils.clean_directory(config.site_dir)  # before any share writes
            first, pages, finished = _in_shares(config_path, config, workers, frame, finish)
        _check_anchors(config, pages)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            found = ", ".join(f"{v} {k.lower()}s" for k, v in counts)
            raise Abort(f"Aborted with {found} in strict mode!")
    except Exception as error:
        config.plugins.on_build_error(error=error)
        if isinstance(error, BuildError):
            logger.error(str(error))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logger.removeHandler(counter)
    record = Record(frame, first.titles, pages, first.files)
    return Outcome(record, first.written if previous else None, finished if finish else None)


def _in_shares(
    config_path: Path, config: MkDocsConfig, workers: int, frame: str, finish: Finish | None
) -> tuple[_Report, dict[str, PageRecord], dict[str, list[str]]]:
    """Every page, in ``workers`` shares: this process's report, every page's record, and
    what ``finish`` said of each file."""
    with contextlib.ExitStack() as stack:
        others: list[Future[_Report]] = []
        if workers > 1:
            converters = stack.enter_context(pool(workers - 1))
            others = [
                converters.submit(_share_in_worker, str(config_path), share, workers, frame, finish)
                for share in range(1, workers)
            ]
        first = _build_share(config, 0, workers, frame, finish)
        assert first is not None
        pages, finished = dict(first.pages), dict(first.finished)
        for future in others:
            report = future.result()
            for page in report.pages.values():
                _say_again(page.log)
            if report.error is not None:
                raise report.error
            pages.update(report.pages)
            finished.update(report.finished)
    return first, pages, finished


# The files of the theme, by frame: (path, theme folder) of each, as MkDocs finds them.
_THEME_FILES: dict[str, list[tuple[str, str]]] = {}


def _add_theme_files(
    files: Files, env: jinja2.Environment, config: MkDocsConfig, frame: str
) -> None:
    """``files.add_files_from_theme``, which walks every file of the theme (14,000 for
    Material: 0.06 s, the largest fixed cost of a preview's build), once per frame in a
    process. The frame digests the theme's version and the project's overrides."""
    from mkdocs.structure.files import File, Files

    if frame not in _THEME_FILES:
        found = Files([])
        found.add_files_from_theme(env, config)
        _THEME_FILES.clear()
        _THEME_FILES[frame] = [(f.src_uri, f.src_dir) for f in found if f.src_dir]
    for path, folder in _THEME_FILES[frame]:
        if files.get_file_from_path(path) is None:  # a file of docs/ comes first
            files.append(File(path, folder, config.site_dir, config.use_directory_urls))


class _Keep(logging.Handler):
    """Keeps what is logged while a page is converted, in that page's record."""

    def __init__(self, report: _Report) -> None:
        super().__init__(logging.WARNING)
        self.report = report
        self.page: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.page is not None:
            self.report.pages[self.page].log.append((record.levelno, record.getMessage()))


def _share_in_worker(
    config_path: str, share: int, workers: int, frame: str, finish: Finish | None
) -> _Report:
    """In a worker process: one share of the build, its log and error brought back."""
    logger = logging.getLogger(_LOGGER)
    logger.propagate = False  # what it logs is said again by the first process
    try:
        config = load(Path(config_path))  # what it says, the first process said already
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        found = _build_share(config, share, workers, frame, finish)
        assert found is not None
        return found
    except BaseException as error:  # brought back to the first process, which raises it
        return _Report(error=error)


def _build_share(
    config: MkDocsConfig,
    share: int,
    workers: int,
    frame: str,
    finish: Finish | None,
    previous: Record | None = None,
) -> _Report | None:
    """MkDocs' build, from the files to the written pages, for the pages of ``share``.

    With ``previous``, the share is every page whose source changed since then; None if
    the navigation's titles changed too, and every page must be converted again.
    """
    from mkdocs.commands.build import (
        _build_extra_template,
        _build_page,
        _build_theme_template,
        _populate_page,
    )
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    inclusion = InclusionLevel.is_included
    files = get_files(config)
    env = config.theme.get_env()
    # Compiled templates are reused while their source is the same (Jinja checks it).
    env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(_bytecode_dir()))
    _add_theme_files(files, env, config, frame)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    documents = files.documentation_pages(inclusion=inclusion)
    for file in documents:
        if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
            Page(None, file, config)
    in_nav = {page.file.src_uri for page in nav.pages}
    digests = {file.src_uri: _digest(file) for file in documents}
    if previous is None:
        owners = _owners(documents, in_nav, workers)
        mine = {file.src_uri for file in documents if owners[file.src_uri] == share}
    else:
        mine = {
            uri for uri, digest in digests.items()
            if uri not in previous.pages or previous.pages[uri].digest != digest
        }  # fmt: skip
    report = _Report()
    keep = _Keep(report)
    logger = logging.getLogger(_LOGGER)
    logger.addHandler(keep)

    def populate(file: File) -> None:
        assert file.page is not None
        report.pages[file.src_uri] = PageRecord(digests[file.src_uri])
        keep.page = file.src_uri
        _populate_page(file.page, config, files)
        keep.page = None

    try:
        # The pages of the navigation first, for their titles, which every page shows.
        # Then each other page is converted, written and let go, one after the other:
        # MkDocs converts them all before writing any, and holds them all in memory.
        for file in documents:
            if file.src_uri not in in_nav:
                continue
            if file.src_uri in mine:
                populate(file)
            else:  # for its title; its owner reports what it says
                assert file.page is not None
                _read_title(file.page, config, files)
        report.titles = [(page.file.src_uri, str(page.title)) for page in nav.pages]
        if previous is not None and report.titles != previous.titles:
            return None
        env = config.plugins.on_env(env, config=config, files=files)
        navcache.render_once(env, nav, config)
        if share == 0:
            _copy_files(config, files, previous, report)
            site = Path(config.site_dir)
            for template in [*config.theme.static_templates, *config.extra_templates]:
                for name in (template, f"{template}.gz"):  # never write into a linked copy
                    (site / name).unlink(missing_ok=True)
                report.written.append(template)
            for template in config.theme.static_templates:
                _build_theme_template(template, env, files, config, nav)
            for template in config.extra_templates:
                _build_extra_template(template, files, config, nav)
        for file in documents:
            if file.src_uri not in mine:
                continue
            if file.src_uri not in in_nav:
                populate(file)
            page = file.page
            assert page is not None
            keep.page = file.src_uri
            Path(file.abs_dest_path).unlink(missing_ok=True)  # never write into a linked copy
            _build_page(page, config, documents, nav, env, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
            keep.page = None
            record = report.pages[file.src_uri]
            record.anchors = sorted(page.present_anchor_ids or ())
            record.links = [
                (target.src_uri, anchor, original)
                for target, links in (page.links_to_anchors or {}).items()
                for anchor, original in links.items()
            ]
            report.written.append(file.dest_uri)
            if file.src_uri not in in_nav:  # nothing reads it again: its text can go
                page.markdown = page.content = None
    finally:
        logger.removeHandler(keep)
    if finish is not None:
        report.finished = finish(Path(config.site_dir), report.written)
    return report


def _copy_files(
    config: MkDocsConfig, files: Files, previous: Record | None, report: _Report
) -> None:
    """Copy the other files of the site: all of them, or those of docs/ that changed."""
    from mkdocs.structure.files import InclusionLevel

    docs = Path(config.docs_dir)
    included = InclusionLevel.is_included
    own = [
        file for file in files
        if not file.is_documentation_page() and included(file.inclusion)  # type: ignore[no-untyped-call]
        and file.abs_src_path and Path(file.abs_src_path).is_relative_to(docs)
    ]  # fmt: skip
    report.files = {file.src_uri: _digest(file) for file in own}
    if previous is None:
        files.copy_static_files(inclusion=included)
        return
    for file in own:
        if previous.files.get(file.src_uri) != report.files[file.src_uri]:
            Path(file.abs_dest_path).unlink(missing_ok=True)  # never write into a linked copy
            file.copy_file()
            report.written.append(file.dest_uri)


def _read_title(page: Page, config: MkDocsConfig, files: Files) -> None:
    """Give ``page`` its title and front matter, as the navigation shows them, quietly.

    A title set in the front matter is read without converting the page.
    """
    from mkdocs.commands.build import _populate_page

    logging.disable(logging.CRITICAL)
    try:
        page.read_source(config)
        if "title" not in page.meta:
            _populate_page(page, config, files)
    finally:
        logging.disable(logging.NOTSET)


def _bytecode_dir() -> Path:
    folder = cache_dir() / "jinja"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _digest(file: File) -> str:
    return file_digest(Path(file.abs_src_path or "")) or ""


def _owners(documents: Sequence[File], in_nav: set[str], workers: int) -> dict[str, int]:
    """The share of each page: the navigation's in the first, the rest balanced by size.

    Every process computes the same shares from the same files.
    """
    owners = dict.fromkeys(in_nav, 0)
    sizes = {file.src_uri: os.stat(file.abs_src_path or "").st_size for file in documents}
    loads = [0] * workers
    loads[0] = sum(sizes[uri] for uri in in_nav if uri in sizes)
    rest = [file for file in documents if file.src_uri not in in_nav]
    for file in sorted(rest, key=lambda f: (-sizes[f.src_uri], f.src_uri)):
        share = loads.index(min(loads))
        owners[file.src_uri] = share
        loads[share] += sizes[file.src_uri]
    return owners


def _check_anchors(config: MkDocsConfig, pages: dict[str, PageRecord]) -> None:
    """What ``Page.validate_anchor_links`` says, with the anchors of every page."""
    level = config.validation.links.anchors
    logger = logging.getLogger("mkdocs.structure.pages")
    for source, page in pages.items():
        for target, anchor, original in page.links:
            if target not in pages or anchor in pages[target].anchors:
                continue
            if target == source:
                problem = "there is no such anchor on this page"
                if anchor.startswith("fnref:"):
                    problem += ". This seems to be a footnote that is never referenced"
            else:
                problem = f"the doc '{target}' does not contain an anchor '#{anchor}'"
            logger.log(level, f"Doc file '{source}' contains a link '{original}', but {problem}.")


def _escape_shown_texts(config: MkDocsConfig) -> None:
    """Make the settings' texts that the theme prints as HTML show exactly as typed.

    Material prints ``site_name`` and ``copyright`` unescaped in some places and with
    ``| e`` in others; an escaped ``Markup`` value is right in both.
    """
    for key in SHOWN_TEXTS:
        value = config.get(key)
        if isinstance(value, str):
            config[key] = markupsafe.escape(value)
