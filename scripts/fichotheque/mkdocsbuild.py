"""MkDocs over every core: the same build, with its pages shared among processes.

``mkdocs build`` converts every page with Python-Markdown (the floor of a build), then
renders it with the theme, one page after the other on one core. ``build`` below takes
the same steps, with MkDocs' own functions and in the same order, in ``workers``
processes. Each one prepares the whole site (files, navigation, and the pages of the
navigation, whose titles every page shows), then converts and writes its share of the
other pages. The first also copies the static files and renders the theme's templates.
Links to anchors are checked at the end, across shares, as MkDocs checks them.

Shares are used only when nothing in the configuration can gather data across pages: no
plugin but the disabled search, and no hook. Otherwise, and for a small site, MkDocs' own
build runs. The staged project is the same either way: ``mkdocs build`` and Zensical
build it alike.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import markupsafe

from .setupschema import SHOWN_TEXTS
from .siteconfig import SEARCH_PLUGINS

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

# Below this many Markdown pages, starting processes costs more than it saves.
PARALLEL_FROM = 200
MAX_WORKERS = 4
_LOGGER = "mkdocs"


def load(config_path: Path) -> MkDocsConfig:
    """The staged mkdocs.yml, loaded, with the texts the theme prints made safe."""
    from mkdocs.config import load_config

    config = load_config(str(config_path))
    _escape_shown_texts(config)
    return config


def build(config_path: Path, config: MkDocsConfig, *, workers: int | None = None) -> None:
    """Build the site of ``config`` (loaded from ``config_path``), over several cores if worth it.

    Warnings and errors are logged on MkDocs' logger, as ``mkdocs build`` logs them; an
    error is raised as MkDocs raises it.
    """
    from mkdocs.commands.build import build as mkdocs_build

    workers = workers or min(_cores(), MAX_WORKERS)
    pages = sum(1 for _ in Path(config.docs_dir).rglob("*.md"))
    if workers < 2 or pages < PARALLEL_FROM or not shareable(config):
        mkdocs_build(config)
        return
    _shared_build(config_path, config, workers)


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
class _Report:
    """What one share found: its log, and the anchors of the pages it converted."""

    log: list[tuple[int, str]] = field(default_factory=list)
    anchors: dict[str, set[str]] = field(default_factory=dict)
    # (page, linked page, anchor, link as written), for each link to an anchor
    links: list[tuple[str, str, str, str]] = field(default_factory=list)
    error: BaseException | None = None


def _shared_build(config_path: Path, config: MkDocsConfig, workers: int) -> None:
    from mkdocs import utils
    from mkdocs.exceptions import Abort, BuildError

    logger = logging.getLogger(_LOGGER)
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(counter)
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)  # before any share writes
        with ProcessPoolExecutor(
            workers - 1, mp_context=multiprocessing.get_context(method)
        ) as pool:
            others: list[Future[_Report]] = [
                pool.submit(_share_in_worker, str(config_path), share, workers)
                for share in range(1, workers)
            ]
            reports = [_build_share(config, 0, workers)]
            for future in others:
                report = future.result()
                for level, message in report.log:
                    logger.log(level, message)
                if report.error is not None:
                    raise report.error
                reports.append(report)
        _check_anchors(config, reports)
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


class _Keep(logging.Handler):
    def __init__(self, report: _Report) -> None:
        super().__init__(logging.WARNING)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        self.report.log.append((record.levelno, record.getMessage()))


def _share_in_worker(config_path: str, share: int, workers: int) -> _Report:
    """In a worker process: one share of the build, its log and error brought back."""
    report = _Report()
    logger = logging.getLogger(_LOGGER)
    logger.propagate = False
    try:
        config = load(Path(config_path))  # what it says, the first process said already
        logger.addHandler(_Keep(report))
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        found = _build_share(config, share, workers)
        report.anchors, report.links = found.anchors, found.links
    except BaseException as error:  # brought back to the first process, which raises it
        report.error = error
    return report


def _build_share(config: MkDocsConfig, share: int, workers: int) -> _Report:
    """MkDocs' build, from the files to the written pages, for the pages of ``share``."""
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
    files.add_files_from_theme(env, config)
    files = config.plugins.on_files(files, config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    documents = files.documentation_pages(inclusion=inclusion)
    for file in documents:
        if file.page is None and file.inclusion.is_not_in_nav():  # type: ignore[no-untyped-call]
            Page(None, file, config)
    in_nav = {page.file.src_uri for page in nav.pages}
    owners = _owners(documents, in_nav, workers)
    mine = [file for file in documents if owners[file.src_uri] == share]
    for file in documents:
        assert file.page is not None
        if owners[file.src_uri] == share:
            _populate_page(file.page, config, files)
        elif file.src_uri in in_nav:  # for its title; its owner reports what it says
            logging.disable(logging.CRITICAL)
            try:
                _populate_page(file.page, config, files)
            finally:
                logging.disable(logging.NOTSET)
    env = config.plugins.on_env(env, config=config, files=files)
    if share == 0:
        files.copy_static_files(inclusion=inclusion)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
    report = _Report()
    for file in mine:
        page = file.page
        assert page is not None
        _build_page(page, config, documents, nav, env, excluded=file.inclusion.is_excluded())  # type: ignore[no-untyped-call]
        report.anchors[file.src_uri] = page.present_anchor_ids or set()
        report.links += [
            (file.src_uri, target.src_uri, anchor, original)
            for target, links in (page.links_to_anchors or {}).items()
            for anchor, original in links.items()
        ]
    return report


def _owners(documents: Sequence[File], in_nav: set[str], workers: int) -> dict[str, int]:
    """The share of each page: the navigation's in the first, the rest balanced by size.

    Every process computes the same shares from the same files.
    """
    owners = dict.fromkeys(in_nav, 0)
    loads = [0] * workers
    rest = [file for file in documents if file.src_uri not in in_nav]
    sizes = {file.src_uri: os.stat(file.abs_src_path or "").st_size for file in rest}
    for file in sorted(rest, key=lambda f: (-sizes[f.src_uri], f.src_uri)):
        share = loads.index(min(loads))
        owners[file.src_uri] = share
        loads[share] += sizes[file.src_uri]
    return owners


def _check_anchors(config: MkDocsConfig, reports: list[_Report]) -> None:
    """What ``Page.validate_anchor_links`` says, with the anchors of every share."""
    present: dict[str, set[str]] = {}
    for report in reports:
        present.update(report.anchors)
    level = config.validation.links.anchors
    logger = logging.getLogger("mkdocs.structure.pages")
    for report in reports:
        for source, target, anchor, original in report.links:
            if target not in present or anchor in present[target]:
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
