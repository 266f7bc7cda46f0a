"""A build after a change converts again what the change reaches, and gives the cold build's site.

Each test builds the example, changes one thing a page depends on, builds again from
the cache (buildcache.py), and compares that site with a cold build of the same sources
in another folder, file by file. Which pages were written again is read from the cache's
inodes: a page written again is a new file, never the old one rewritten.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import copy_example
from fichotheque import buildcache, editor, fingerprint
from fichotheque.check import check_project
from fichotheque.engine import build_site, prepare_next_build
from fichotheque.problems import is_failure
from fichotheque.project import Project
from fichotheque.publish import WORK_DIR

STATIC_PAGES = {"404.html"}  # rendered by every build, like the sitemap


def _build(project: Project, target: Path, today: dt.date | None = None) -> None:
    result = check_project(project, today)
    assert not is_failure(result.problems, strict=False), result.problems
    build_site(project, result, target, force=True, search=False)


def _files(site: Path) -> dict[str, bytes]:
    return {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and not p.relative_to(site).as_posix().startswith("pagefind/")
    }


def _inodes(project: Project) -> dict[str, int]:
    built = project.root / WORK_DIR / buildcache.FOLDER / buildcache.SITE
    return {p.relative_to(built).as_posix(): p.stat().st_ino for p in built.rglob("*.html")}


def _fiche(project: Project) -> Path:
    return project.fiches_dir / "2007-plans-locaux-integration.md"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _body(project: Project) -> None:
    with _fiche(project).open("a", encoding="utf-8") as fiche:
        fiche.write("\nUn bilan a été présenté aux communes partenaires en juin.\n")


def _title(project: Project) -> None:
    _edit(_fiche(project), 'title: "Les plans locaux', 'title: "Les nouveaux plans locaux')


def _term(project: Project) -> None:
    _edit(project.taxonomy_path, "libelle: Logement", "libelle: Habitat")


def _facet(project: Project) -> None:
    """A facet's name, which the navigation shows."""
    _edit(project.taxonomy_path, "libelle: Axes stratégiques", "libelle: Grands axes")


def _glossary(project: Project) -> None:
    _edit(
        project.glossary_path,
        "forme_developpee: Centre régional",
        "forme_developpee: Centre wallon",
    )


def _settings(project: Project) -> None:
    _edit(project.mkdocs_path, "site_name: ", "site_name: Nouvelle ")


def _guide_title(project: Project) -> None:
    """The title of a page in the navigation, which every page shows."""
    _edit(project.docs_dir / "guide-de-redaction.md", "title: Guide", "title: Petit guide")


def _resource(project: Project) -> None:
    """A resource file grows: the fiche that offers it shows its size."""
    with (project.docs_dir / "ressources" / "seance-pci-2025.ics").open("a") as resource:
        resource.write("COMMENT:" + "x" * 3000 + "\r\n")


PARTIAL: dict[str, Callable[[Project], None]] = {
    "a fiche's body": _body,
    "a fiche's title": _title,  # other fiches cite it: « Fiche 2 (« title ») »
    "a term of the taxonomy": _term,
    "the glossary": _glossary,
    "a resource file": _resource,
}
WHOLE: dict[str, Callable[[Project], None]] = {
    "the settings": _settings,
    "a facet of the taxonomy": _facet,
    "a title of the navigation": _guide_title,
}


def _built_twice(
    tmp_path: Path, change: Callable[[Project], None]
) -> tuple[Project, dict[str, int], dict[str, int], dict[str, bytes]]:
    """The example built, changed, built again; inodes before and after, site before."""
    project = copy_example(tmp_path / "example")
    _build(project, project.site_dir)
    before, site_before = _inodes(project), _files(project.site_dir)
    change(project)
    _build(project, project.site_dir)
    return project, before, _inodes(project), site_before


def _same_as_cold(project: Project, tmp_path: Path, name: str = "froid") -> None:
    cold = tmp_path / name / "site"
    cold.parent.mkdir()
    _build(project, cold)
    built, expected = _files(project.site_dir), _files(cold)
    assert sorted(built) == sorted(expected)
    assert [name for name in expected if built[name] != expected[name]] == []


@pytest.mark.parametrize("change", PARTIAL, ids=list(PARTIAL))
def test_a_change_rewrites_the_pages_it_reaches_and_no_other(tmp_path: Path, change: str) -> None:
    project, before, after, site_before = _built_twice(tmp_path, PARTIAL[change])
    rewritten = {page for page, inode in after.items() if before.get(page) != inode}
    site_after = _files(project.site_dir)
    different = {page for page in after if site_before.get(page) != site_after[page]}
    assert different, "the change shows somewhere"
    assert different <= rewritten
    assert rewritten - different <= STATIC_PAGES, "a page was converted again for nothing"
    assert len(rewritten) < len(after)
    _same_as_cold(project, tmp_path)


@pytest.mark.parametrize("change", WHOLE, ids=list(WHOLE))
def test_what_every_page_shows_rewrites_every_page(tmp_path: Path, change: str) -> None:
    project, before, after, _site = _built_twice(tmp_path, WHOLE[change])
    assert [page for page, inode in after.items() if before.get(page) == inode] == []
    _same_as_cold(project, tmp_path)


def test_a_template_of_the_project_rewrites_every_page(tmp_path: Path) -> None:
    def custom_dir(project: Project) -> None:
        (project.root / "gabarits").mkdir()
        (project.root / "gabarits" / "main.html").write_text(
            '{% extends "base.html" %}\n{% block announce %}Première annonce{% endblock %}\n'
        )
        _edit(project.mkdocs_path, "theme:\n", "theme:\n  custom_dir: gabarits\n")

    project = copy_example(tmp_path / "example")
    custom_dir(project)
    _build(project, project.site_dir)
    before = _inodes(project)
    (project.root / "gabarits" / "main.html").write_text(
        '{% extends "base.html" %}\n{% block announce %}Seconde annonce{% endblock %}\n'
    )
    _build(project, project.site_dir)
    after = _inodes(project)
    assert [page for page, inode in after.items() if before.get(page) == inode] == []
    assert "Seconde annonce" in (project.site_dir / "index.html").read_text(encoding="utf-8")
    _same_as_cold(project, tmp_path)


def test_a_file_added_to_the_templates_is_published_by_the_next_build(tmp_path: Path) -> None:
    """The theme's files are listed once per process while nothing they come from changes
    (mkdocsbuild._add_theme_files): a new file of custom_dir is seen by the next build."""
    project = copy_example(tmp_path / "example")
    (project.root / "gabarits").mkdir()
    _edit(project.mkdocs_path, "theme:\n", "theme:\n  custom_dir: gabarits\n")
    _build(project, project.site_dir)
    assert not (project.site_dir / "images" / "logo-partenaire.svg").exists()
    (project.root / "gabarits" / "images").mkdir()
    (project.root / "gabarits" / "images" / "logo-partenaire.svg").write_text("<svg/>")
    _build(project, project.site_dir)
    assert (project.site_dir / "images" / "logo-partenaire.svg").read_text() == "<svg/>"
    _same_as_cold(project, tmp_path)


def test_a_new_version_of_the_package_rewrites_every_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_example(tmp_path / "example")
    _build(project, project.site_dir)
    before = _inodes(project)
    copy = tmp_path / "paquet"
    shutil.copytree(fingerprint.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    with (copy / "harden.py").open("a", encoding="utf-8") as code:
        code.write("\n# une autre version\n")
    monkeypatch.setattr(fingerprint, "PACKAGE", copy)
    _build(project, project.site_dir)
    after = _inodes(project)
    assert [page for page, inode in after.items() if before.get(page) == inode] == []


def test_nothing_changed_rewrites_nothing_and_a_lost_record_starts_over(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "example")
    _build(project, project.site_dir)
    first = _inodes(project)
    _build(project, project.site_dir)
    assert {
        page for page, inode in _inodes(project).items() if first[page] != inode
    } <= STATIC_PAGES
    record = project.root / WORK_DIR / buildcache.FOLDER / buildcache.RECORD
    record.write_text("{ coupé", encoding="utf-8")  # as a killed write would leave it
    _build(project, project.site_dir)
    assert [page for page, inode in _inodes(project).items() if first[page] == inode] == []
    _same_as_cold(project, tmp_path)


def test_the_published_site_never_shares_a_file_that_a_later_build_writes_into(
    tmp_path: Path,
) -> None:
    """The published pages are links to the cache's: a later build replaces, never rewrites."""
    project = copy_example(tmp_path / "example")
    _build(project, project.site_dir)
    page = project.site_dir / "fiches" / _fiche(project).stem / "index.html"
    assert page.stat().st_nlink == 2
    kept = os.open(page, os.O_RDONLY)  # as a web server reading it would
    try:
        old = os.read(kept, 10**7)
        _body(project)
        _build(project, project.site_dir)
        os.lseek(kept, 0, os.SEEK_SET)
        assert os.read(kept, 10**7) == old
    finally:
        os.close(kept)
    assert "juin" in page.read_text(encoding="utf-8")


def test_each_build_makes_its_copy_from_the_site_it_replaced(tmp_path: Path) -> None:
    """From the third build on, the published copy is the site replaced by the one before,
    brought up to date (buildcache.site_copy): after each change it is still the cold
    build's site, and every page is a link to the cache's."""
    project = copy_example(tmp_path / "example")
    work = project.root / WORK_DIR / buildcache.FOLDER
    _build(project, project.site_dir)
    added = project.fiches_dir / "2024-une-fiche-de-plus.md"
    text = _fiche(project).read_text(encoding="utf-8").replace("numero: 2\n", "")

    def add(project: Project) -> None:
        added.write_text(text.replace("Les plans locaux", "D'autres plans locaux"), "utf-8")

    changes = [add, _body, _title, lambda project: added.unlink(), _glossary]
    for step, change in enumerate(changes):
        change(project)
        _build(project, project.site_dir)
        assert (work / buildcache.SPARE).is_dir(), "the replaced site is kept"
        _same_as_cold(project, tmp_path, f"froid-{step}")
        assert (project.site_dir / "fiches" / added.stem).exists() == added.exists()
        built = work / buildcache.SITE
        pages = [
            page.relative_to(project.site_dir)
            for page in project.site_dir.rglob("*.html")
            if page.parent.name != editor.EDITOR_DIR  # the editor is added to each copy
        ]
        assert pages and all(
            (project.site_dir / page).stat().st_ino == (built / page).stat().st_ino
            for page in pages
        )


def _renders_counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The slugs of the fiche pages rendered from now on, in order."""
    from fichotheque.render import site as render

    rendered: list[str] = []
    original = render.render_fiche

    def counted(catalogue: object, fiche: object, *args: object, **kwargs: object) -> object:
        rendered.append(fiche.slug)  # type: ignore[attr-defined]
        return original(catalogue, fiche, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "render_fiche", counted)
    return rendered


def test_a_fiche_page_whose_facts_did_not_change_is_not_rendered_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an edit to one fiche's body, only that fiche's page is rendered again."""
    project = copy_example(tmp_path / "example")
    _build(project, project.site_dir)
    rendered = _renders_counted(monkeypatch)
    _body(project)
    _build(project, project.site_dir)
    assert rendered == [_fiche(project).stem]
    _same_as_cold(project, tmp_path)


def test_a_new_day_renders_no_fiche_page_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check's results are kept for one day (a review date can fall due), but a fiche
    that can be published reads the same whatever the day: its page is kept."""
    project = copy_example(tmp_path / "example")
    today = dt.date.today()
    _build(project, project.site_dir, today)
    rendered = _renders_counted(monkeypatch)
    _build(project, project.site_dir, today + dt.timedelta(days=1))
    assert rendered == []
    _body(project)  # and a page is still rendered when its fiche changes
    _build(project, project.site_dir, today + dt.timedelta(days=1))
    assert rendered == [_fiche(project).stem]
    _same_as_cold(project, tmp_path)


def test_the_next_build_readied_after_a_first_one_reuses_its_folders(tmp_path: Path) -> None:
    """The preview readies the copy a second build makes (engine.prepare_next_build): that
    build's site is made of the folders readied, and is still the cold build's site."""
    project = copy_example(tmp_path / "example")
    spare = project.root / WORK_DIR / buildcache.FOLDER / buildcache.SPARE
    _build(project, project.site_dir)
    assert not spare.exists()  # a first build replaced no site
    prepare_next_build(project.site_dir)
    folder = Path("fiches") / _fiche(project).stem
    readied = (spare / folder).stat().st_ino
    _body(project)
    _build(project, project.site_dir)
    assert (project.site_dir / folder).stat().st_ino == readied
    _same_as_cold(project, tmp_path)


def test_nothing_is_readied_beside_a_folder_that_no_build_published(tmp_path: Path) -> None:
    """Such as the preview's page saying the base has errors."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("erreurs", encoding="utf-8")
    prepare_next_build(site)
    assert not (tmp_path / WORK_DIR).exists()
