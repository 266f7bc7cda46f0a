"""The build: generated pages into a staging folder, MkDocs over it, atomic publication.

``mkdocs build`` empties its output folder before it reads a single page, so it never
writes into ``site/`` directly. Everything happens in a staging folder of the work
folder beside the target; only a build that succeeded replaces the published site, in
one atomic step (publish.py: the lock, the exchange, the cleanup after a kill).
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

import yaml

from . import buildcache, editor, memory, mkdocsbuild, publish
from .check import CheckResult
from .fiches import split_front_matter
from .files import CopyError, published_files, read_text
from .fingerprint import code_digest
from .harden import Hardening, Policy, harden_site, html_pages, new_secret
from .history import last_changes
from .htmlpolicy import wrap_body
from .model import build_catalogue
from .progress import Progress, Stage
from .project import Project
from .render import (
    HOME,
    Licence,
    Page,
    Rendered,
    Settings,
    Site,
    render_commands,
    render_configuration,
    render_reference,
    site_nav,
    site_pages,
    site_texts,
)
from .render.editorpage import render_editor_page
from .render.fiche import NOT_INDEXED
from .routes import INDEX_DIR
from .searchindex import (
    Indexing,
    IndexingError,
    Plan,
    index_frame,
    part_digests,
    plan,
    recorded,
    reusable,
)
from .siteconfig import ConfigError, write_site_config
from .sitemap import split_sitemap
from .sitesettings import read_settings
from .staging import Staging

SITE_MARKER = ".fichotheque-site"
DOCS = "docs"  # the staged pages, in the staging folder
RENDER_LIBRARIES = ("PyYAML",)  # what writes a staged page besides our code


class Staged(NamedTuple):
    """What ``stage_site`` staged."""

    config: Path  # its mkdocs.yml, whose site_dir is staging/site
    fiche_count: int
    search: Plan  # the parts of the search index (searchindex.py)


class BuildError(Exception):
    """A build that could not finish; the message is French and says what to do."""


@dataclass
class BuildReport:
    """What a successful build produced."""

    target: Path
    fiche_count: int
    page_count: int
    seconds: float
    warnings: list[str] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    search: Plan = field(default_factory=Plan)  # for index_site


def build_site(
    project: Project,
    result: CheckResult,
    target: Path,
    *,
    force: bool = False,
    include_drafts: bool = False,
    strict: bool = False,
    search: bool = True,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the site of a checked project and publish it at ``target``.

    With ``strict``, a warning from MkDocs (a broken link in a page…) fails the build.
    Without ``search``, the site keeps the search index already published at ``target``
    (if any), for ``index_site`` to renew once the pages are shown: the preview does so.
    Each stage is timed in ``progress`` (and shown there on a terminal).
    """
    started = time.perf_counter()
    progress = progress or Progress(show=False)
    first_stage = len(progress.stages)
    _check_target(project, target, force=force)
    try:
        work = publish.begin(target)  # waits for another build of the project to finish
    except publish.PublishError as error:
        raise BuildError(str(error)) from None
    staging = work.staging
    cache = work.folder / buildcache.FOLDER
    try:
        settings = _settings(project)
        kept = buildcache.take(cache)
        indexed = buildcache.take_index(cache)  # the parts of the index now published
        if kept is None or kept.hosts != settings.allowed_hosts:  # the policy of every page
            kept = buildcache.Kept(new_secret(), settings.allowed_hosts)
        settings = replace(settings, body_secret=kept.secret)
        cache.mkdir(exist_ok=True)
        rendered = Rendered(
            _fiche_frame(result),
            result.sources,
            {p: d for p, d in kept.pages.items() if (cache / DOCS / p).is_file()},
        )
        staged = stage_site(
            project,
            result,
            cache,
            include_drafts=include_drafts,
            settings=settings,
            progress=progress,
            rendered=rendered,
        )
        kept.pages = rendered.now
        if search:  # the rendered pages, before MkDocs's workers and Pagefind
            memory.release()  # (the preview's quick build skips it: 0.1 s at 1,000 fiches)
        built = cache / buildcache.SITE
        hardening = Hardening(settings.body_secret, Policy(settings.allowed_hosts))
        with progress.stage("Conversion des pages (MkDocs)"):
            # Each process hardens the pages it wrote (harden.py), while they are fresh.
            warnings, outcome = _run_mkdocs(
                cache / "mkdocs.yml", built, kept.mkdocs, finish=hardening.pages
            )
            split_sitemap(built, settings.base_url)
        with progress.stage("Sécurisation des pages") as step:
            done = outcome.finished or {}
            if outcome.written is None:  # a new site: every page not hardened yet
                left, before = [n for n in html_pages(built) if n not in done], {}
            else:
                left, before = [], kept.hashes
            kept.hashes = harden_site(built, hardening, pages=left, hashes={**before, **done})
            step.total = len(done) + len(left)
        kept.mkdocs = outcome.record
        buildcache.keep(cache, kept)
        site = staging / "site"
        buildcache.site_copy(built, site, cache / buildcache.SPARE)
        digests: dict[str, str] = {}
        frame = ""
        if search:  # timed from Pagefind's start to its end, the editor's install within
            with progress.stage("Index de recherche (Pagefind)") as step:
                frame = index_frame(staged.search, NOT_INDEXED)
                step.total = len(staged.search.parts)
                # A part whose digest is that of the published one is linked from it.
                # None can be when the frame changed (a new word) or nothing is recorded
                # (a first build): the pages are then digested while Pagefind runs.
                if frame == indexed.frame and indexed.parts:
                    digests = part_digests(site, staged.search, frame)
                reused = reusable(target, digests, indexed)
                # Pagefind reads only the pages, which are done: the editor is installed
                # while it runs (a page without data-pagefind-body, as the editor's, is
                # skipped).
                with _indexing(site, staged.search, reused):
                    _install_editor(result, site, settings, progress)
                    digests = digests or part_digests(site, staged.search, frame)
        else:
            _install_editor(result, site, settings, progress)
            _keep_index(target, site)
        if strict and warnings:
            raise BuildError(
                "MkDocs a signalé des avertissements, bloquants avec --strict : "
                + " ; ".join(warnings)
            )
        (site / SITE_MARKER).write_text("Site construit par Fichothèque.\n")
        page_count = sum(1 for _ in site.rglob("*.html"))
        with progress.stage("Publication"):
            previous = _publish(work, site)
        if search:
            buildcache.keep_index(cache, recorded(target, frame, digests))
        if previous is not None:
            buildcache.keep_spare(previous, cache / buildcache.SPARE)
    except CopyError as error:  # a file of docs/ or custom_dir unreadable since the check
        raise BuildError(str(error)) from None
    finally:
        work.close()
    seconds = time.perf_counter() - started
    stages = progress.stages[first_stage:]
    return BuildReport(
        target, staged.fiche_count, page_count, seconds, warnings, stages, staged.search
    )


def stage_site(
    project: Project,
    result: CheckResult,
    staging: Path,
    *,
    include_drafts: bool = False,
    settings: Settings | None = None,
    progress: Progress | None = None,
    rendered: Rendered | None = None,
) -> Staged:
    """Write the pages and a mkdocs.yml for any Material-compatible engine into ``staging``.

    ``staging`` may hold what an earlier build staged there: only what differs is written
    (staging.py), and with ``rendered`` a fiche page whose facts did not change is not
    even rendered (render/site.py).
    """
    progress = progress or Progress(show=False)
    with memory.settled() as settle:  # the fiches, then the catalogue, until staged
        with progress.stage("Catalogue") as step:
            step.total = len(result.fiches)
            catalogue = build_catalogue(
                result.fiches,
                result.taxonomy,
                result.glossary,
                include_drafts=include_drafts,
                changed=last_changes(project.root, project.relative(project.fiches_dir)),
                links=result.fiche_links,
            )
        settings = settings or _settings(project)
        settle()
        with progress.stage("Pages générées") as step, Staging(staging) as staged:
            _copy_docs(project, staged, settings.body_secret)
            intro = wrap_body(_home_intro(project), settings.body_secret)
            # Each page is staged as it comes: past a few hundred files, the staging's worker
            # writes them while the next ones are rendered (staging.py).
            site = Site(nav=site_nav(catalogue))
            for page in site_pages(catalogue, project.root, intro, settings, rendered):
                _stage_page(staged, page)
                site.pages.append(page)
            for page in (
                render_reference(catalogue, settings.allowed_hosts),
                render_configuration(catalogue),
                render_commands(),
                render_editor_page(result.taxonomy, result.glossary, settings.editor is not None),
            ):
                _stage_page(staged, page)
                site.pages.append(page)
                site.staff_pages.append(page.path)
            step.total = len(site.pages)
            site.texts = site_texts(catalogue, settings)
            for target, text in site.texts.items():
                if staged.holds(f"{DOCS}/{target}"):
                    raise BuildError(
                        f"docs/{target} porte le nom d'un fichier que Fichothèque génère."
                    )
                staged.write(f"{DOCS}/{target}", text)
            config = _write_config(project, site, staged)
            staged.finish()
    return Staged(config, len(catalogue.fiches), plan(catalogue))


def _fiche_frame(result: CheckResult) -> bytes:
    """What every fiche page depends on besides its own facts: the code, the taxonomy."""
    digest = code_digest(RENDER_LIBRARIES)
    digest.update(repr(result.taxonomy).encode("utf-8"))  # see fiche_page_digest
    return digest.digest()


def _check_target(project: Project, target: Path, *, force: bool) -> None:
    """Refuse to replace a folder that holds the project or that is not a built site."""
    root = project.root.resolve()
    if (
        target == root
        or root.is_relative_to(target)
        or any(target.is_relative_to(d.resolve()) for d in (project.docs_dir, project.fiches_dir))
    ):
        raise BuildError(
            f"« {target} » contient les sources du projet ; choisissez un autre "
            "dossier de publication."
        )
    if target.name == publish.WORK_DIR:
        raise BuildError(
            f"« {target} » est le dossier de travail de Fichothèque ; choisissez un autre "
            "dossier de publication."
        )
    if target.is_symlink():
        raise BuildError(f"« {target} » est un lien symbolique ; indiquez un vrai dossier.")
    if target.exists() and not target.is_dir():
        raise BuildError(f"« {target} » est un fichier, pas un dossier.")
    if (
        target.is_dir()
        and any(target.iterdir())
        and not (target / SITE_MARKER).exists()
        and not force
    ):
        raise BuildError(
            f"« {target} » existe et n'a pas été construit par Fichothèque ; "
            "il n'a pas été remplacé. Videz-le, choisissez un autre dossier, ou "
            "relancez avec --force pour le remplacer."
        )


def _settings(project: Project) -> Settings:
    """Site name, base URL, licence and allowed hosts, read from the project's mkdocs.yml.

    ``check`` reports what is wrong there; a setting it refused is left out here.
    """
    read, _problems = read_settings(project.mkdocs_path, project.relative(project.mkdocs_path))
    return Settings(
        site_name=read.site_name,
        base_url=read.site_url.rstrip("/") + "/" if read.site_url else "",
        licence=Licence(read.licence_name, read.licence_url) if read.licence_name else None,
        allowed_hosts=read.allowed_hosts,
        editor=read.editor,
    )


def _home_intro(project: Project) -> str:
    """The body of docs/index.md, without its front matter: the top of the home page."""
    path = project.docs_dir / HOME
    text, _problems = read_text(path, project.relative(path))
    return split_front_matter(text)[1] if text is not None else ""


def _copy_docs(project: Project, staging: Staging, secret: str) -> None:
    """Stage docs/: the hand-written pages, their bodies marked for the sanitiser (staff
    pages are content too: the same policy applies to them as to fiches), and the files
    published as they are. First, so that a generated page named like one is refused."""
    if project.docs_dir.is_dir():
        staging.copy_tree(
            project.docs_dir, DOCS, markdown=lambda text: _marked(text, secret), exclude={HOME}
        )


def _stage_page(staging: Staging, page: Page) -> None:
    """Stage a generated page, or keep the one staged before if it is the same."""
    if staging.holds(f"{DOCS}/{page.path}"):
        raise BuildError(
            f"La page docs/{page.path} porte le même nom qu'une page que Fichothèque "
            "génère ; renommez-la (ou changez la clé de facette correspondante)."
        )
    if page.kept:
        staging.keep(f"{DOCS}/{page.path}")
    else:
        staging.write(f"{DOCS}/{page.path}", page.text())


def _marked(text: str, secret: str) -> str:
    front, body, _line = split_front_matter(text)
    return front + wrap_body(body, secret) + "\n"


CONTRIBUTE_SECTION = "Contribuer"
CONTRIBUTE_KEY = "contribuer"  # « contribuer: true » in a page's front matter


def _user_pages(project: Project, site: Site) -> tuple[list[str], list[str]]:
    """The hand-written pages of docs/ (not the home): for the public, and for staff.

    A page whose front matter says ``contribuer: true`` (the writing guide…) goes to the
    « Contribuer » section, apart from what visitors browse.
    """
    generated = {page.path for page in site.pages} | {HOME}
    public: list[str] = []
    staff: list[str] = []
    for path in published_files(project.docs_dir):
        relative = path.relative_to(project.docs_dir).as_posix()
        if path.suffix == ".md" and relative not in generated:
            (staff if _for_staff(path) else public).append(relative)
    return sorted(public), sorted(staff)


def _for_staff(path: Path) -> bool:
    front, _body, _line = split_front_matter(path.read_text(encoding="utf-8"))
    try:
        meta = yaml.safe_load(front.strip().strip("-")) if front else None
    except yaml.YAMLError:
        return False
    return isinstance(meta, dict) and meta.get(CONTRIBUTE_KEY) is True


def _write_config(project: Project, site: Site, staging: Staging) -> Path:
    """The staged mkdocs.yml: the project's settings plus the generated navigation."""
    generated_dirs = sorted({page.path.split("/")[0] for page in site.pages if "/" in page.path})
    public, staff = _user_pages(project, site)
    nav = [*site.nav, *public, {CONTRIBUTE_SECTION: [*staff, *site.staff_pages]}]
    try:
        return write_site_config(
            project.mkdocs_path, staging, nav, [f"/{d}/" for d in generated_dirs]
        )
    except ConfigError as error:
        raise BuildError(f"mkdocs.yml n'est pas utilisable : {error}") from None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _run_mkdocs(
    config_path: Path,
    site_dir: Path,
    previous: mkdocsbuild.Record | None = None,
    finish: mkdocsbuild.Finish | None = None,
) -> tuple[list[str], mkdocsbuild.Outcome]:
    """Run MkDocs from this process; its warnings and outcome are returned, its failures
    raised in French. With the ``previous`` record of ``site_dir``, only what changed is
    converted again; ``finish`` is called on the pages written (see mkdocsbuild.build)."""
    from mkdocs import exceptions

    if not config_path.parent.joinpath(DOCS).is_dir():
        raise BuildError("le dossier des pages n'a pas pu être préparé.")
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    logger.addHandler(handler)
    propagate = logger.propagate
    logger.propagate = False
    try:
        try:
            config = mkdocsbuild.load(config_path)
        except exceptions.MkDocsException as error:
            details = "; ".join(handler.messages) or str(error)
            raise BuildError(f"mkdocs.yml n'est pas valable : {details}") from None
        outcome = mkdocsbuild.build(config_path, config, previous=previous, finish=finish)
    except exceptions.MkDocsException as error:
        details = "; ".join(handler.messages) or str(error)
        raise BuildError(f"MkDocs a signalé un problème : {details}") from None
    except BuildError:
        raise
    except RecursionError:
        raise BuildError(
            "une page imbrique des listes ou des citations trop profondément pour être "
            "convertie ; simplifiez sa mise en forme."
        ) from None
    except Exception as error:  # a theme, an extension or a hook of the project failed
        details = "; ".join(handler.messages) or f"{type(error).__name__} : {error}"
        raise BuildError(
            "la conversion des pages a échoué ; vérifiez les extensions, le thème et les "
            f"hooks déclarés dans mkdocs.yml ({details.splitlines()[0]})."
        ) from None
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
    if not (site_dir / "index.html").is_file():
        raise BuildError("MkDocs n'a pas produit de page d'accueil.")
    return handler.messages, outcome


def _install_editor(
    result: CheckResult, site_dir: Path, settings: Settings, progress: Progress
) -> None:
    """The browser editor at /admin/, when mkdocs.yml asks for one (« extra.editeur »)."""
    if settings.editor is None:
        return
    try:
        with progress.stage("Éditeur en ligne"):
            editor.install(
                site_dir, settings.editor, result.taxonomy, result.glossary, settings.site_name
            )
    except editor.EditorError as error:
        raise BuildError(str(error)) from None


def prepare_next_build(site_dir: Path) -> None:
    """Ready the next build of the site published at ``site_dir``, ahead of it: its
    copy of the site (buildcache.prepare_spare; 0.4 s at 1,000 fiches after a first
    build). It takes no lock, as ``index_site``: the preview calls it between its builds.
    """
    if (site_dir / SITE_MARKER).is_file():
        spare = publish.work_folder(site_dir) / buildcache.FOLDER / buildcache.SPARE
        buildcache.prepare_spare(site_dir, spare)


_NEW_INDEX, _OLD_INDEX = ".pagefind-nouveau", ".pagefind-ancien"


def index_site(site_dir: Path, search: Plan) -> None:
    """Renew the search index of a published site, the pages staying as they are.

    The new index is written beside the old one, which it replaces by two renames. It
    takes no lock: the preview calls it between its own builds of a folder of its own.
    ``search`` is the plan of the build that published the pages (``BuildReport``).
    """
    new, old = site_dir / _NEW_INDEX, site_dir / _OLD_INDEX
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    _wait_for_index(_start_index(site_dir, new, search))
    if (site_dir / INDEX_DIR).exists():
        (site_dir / INDEX_DIR).rename(old)
    new.rename(site_dir / INDEX_DIR)
    shutil.rmtree(old, ignore_errors=True)


def _keep_index(published: Path, site_dir: Path) -> None:
    """Give a site built without search the index published before it, if there is one.

    Pagefind never rewrites a file of its index, so links to the old files are enough.
    """
    index = published / INDEX_DIR
    if index.is_dir():
        buildcache.link_copy(index, site_dir / INDEX_DIR)


def _start_index(
    site_dir: Path, output: Path, search: Plan, reused: dict[str, Path] | None = None
) -> Indexing:
    try:
        return Indexing(site_dir, output, search, NOT_INDEXED, reused or {}).start()
    except IndexingError as error:
        raise BuildError(str(error)) from None


@contextmanager
def _indexing(site_dir: Path, search: Plan, reused: dict[str, Path]) -> Iterator[None]:
    """Pagefind runs over ``site_dir`` while the block does, and is waited for after it;
    stopped if the block fails (or the build is stopped)."""
    indexing = _start_index(site_dir, site_dir / INDEX_DIR, search, reused)
    try:
        yield
        _wait_for_index(indexing)
    finally:
        indexing.stop()


def _wait_for_index(indexing: Indexing) -> None:
    try:
        indexing.wait()
    except IndexingError as error:
        raise BuildError(str(error)) from None


def _publish(work: publish.Workspace, built: Path) -> Path | None:
    """Put ``built`` in place of the published site, atomically (see publish.py); where
    the site it replaced now is, if there was one."""
    try:
        return work.publish(built)
    except publish.PublishError as error:
        raise BuildError(str(error)) from None
