"""MkDocs over several processes gives the site and the warnings of ``mkdocs build``."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build as mkdocs_build

from bases import wide_base
from fichotheque import mkdocsbuild, navcache
from fichotheque.check import check_project
from fichotheque.engine import _settings, stage_site
from fichotheque.harden import Hardening, Policy, harden_site, html_pages

BROKEN_ANCHORS = """# Guide des quartiers

Voir [la section absente](#nulle-part) et [une fiche](fiches/genere-001.md#ailleurs).

## Une section

Texte.
"""


def _build(staging: Path, workers: int) -> list[str]:
    """Build a staged project; the warnings MkDocs logged, in order."""
    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = Keep(logging.WARNING)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config_path = staging / "mkdocs.yml"
        if workers == 1:  # MkDocs' own build, the reference
            mkdocs_build(mkdocsbuild.load(config_path))
        else:
            mkdocsbuild.build(config_path, mkdocsbuild.load(config_path), workers=workers)
    finally:
        logger.removeHandler(handler)
    return messages


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


@pytest.fixture
def shared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Shares even a small site, and counts the builds that were shared."""
    calls: list[int] = []
    original = mkdocsbuild._in_shares

    def spy(config_path: Path, config: object, workers: int, *rest: Any) -> object:
        calls.append(workers)
        return original(config_path, config, workers, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(mkdocsbuild, "PARALLEL_FROM", 0)
    monkeypatch.setattr(mkdocsbuild, "_in_shares", spy)
    yield calls


def test_a_shared_build_writes_the_same_site_and_the_same_warnings(
    tmp_path: Path, shared: list[int]
) -> None:
    project = wide_base(tmp_path / "base", terms=160, fiches=60)
    mkdocs_yml = project.mkdocs_path.read_text(encoding="utf-8")
    project.mkdocs_path.write_text(mkdocs_yml + "validation:\n  anchors: warn\n", "utf-8")
    (project.docs_dir / "guide-quartiers.md").write_text(BROKEN_ANCHORS, encoding="utf-8")
    result = check_project(project)
    one = tmp_path / "one"
    one.mkdir()
    stage_site(project, result, one)
    two = tmp_path / "two"
    shutil.copytree(one, two)

    alone = _build(one, workers=1)
    assert shared == []
    together = _build(two, workers=3)
    assert shared == [3]

    assert sorted(together) == sorted(alone)
    # The anchor missing from another page is found across processes.
    assert any("genere-001" in m and "#ailleurs" in m for m in together), together
    assert any("#nulle-part" in m for m in together), together
    pages, built = _files(one / "site"), _files(two / "site")
    assert sorted(built) == sorted(pages)
    assert len([name for name in pages if name.endswith(".html")]) > 200
    different = [name for name in pages if built[name] != pages[name]]
    assert different == []


def test_the_navigation_is_rendered_once_for_the_pages_outside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fiche pages, outside the navigation, get it from one render; the site is MkDocs's."""
    project = wide_base(tmp_path / "base", terms=160, fiches=60)
    result = check_project(project)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    stage_site(project, result, one)
    shutil.copytree(one, two)
    rendered: list[str | None] = []
    original = navcache.render_once

    def counting(env: Any, nav: Any, config: Any) -> None:
        template = env.get_template(navcache.TEMPLATE)
        render = template.root_render_func

        def counted(context: Any) -> Any:
            rendered.append(getattr(context.get("page"), "url", None))  # 404.html: None
            return render(context)

        template.root_render_func = counted
        original(env, nav, config)

    monkeypatch.setattr(navcache, "render_once", counting)
    _build(one, workers=1)  # MkDocs' own build: one render per page
    assert rendered == []
    mkdocsbuild.build(two / "mkdocs.yml", mkdocsbuild.load(two / "mkdocs.yml"), workers=1)

    pages, built = _files(one / "site"), _files(two / "site")
    assert [name for name in pages if built.get(name) != pages[name]] == []
    html_count = len([name for name in pages if name.endswith(".html")])
    fiche_pages = [u for u in rendered if u and u.startswith("fiches/") and u.count("/") == 2]
    assert html_count > 200
    assert len(rendered) < html_count / 2, (len(rendered), html_count)
    assert len(fiche_pages) <= 1  # every fiche page shows the same links


def test_a_navigation_of_the_project_templates_is_rendered_for_each_page(
    tmp_path: Path,
) -> None:
    """A custom_dir that replaces the navigation may show the page in it: then no page
    gets another's, and the site is still MkDocs's."""
    import material
    from bs4 import BeautifulSoup

    project = wide_base(tmp_path / "base", terms=20, fiches=30)
    original = Path(material.__file__).parent / "templates" / "partials" / "nav.html"
    nav = original.read_text(encoding="utf-8").replace(
        'data-md-level="0">', 'data-md-level="0"><span class="page-vue">{{ page.title }}</span>'
    )
    (project.root / "gabarits" / "partials").mkdir(parents=True)
    (project.root / "gabarits" / "partials" / "nav.html").write_text(nav, encoding="utf-8")
    text = project.mkdocs_path.read_text(encoding="utf-8")
    project.mkdocs_path.write_text(text.replace("theme:\n", "theme:\n  custom_dir: gabarits\n"))
    result = check_project(project)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    stage_site(project, result, one)
    shutil.copytree(one, two)

    _build(one, workers=1)
    mkdocsbuild.build(two / "mkdocs.yml", mkdocsbuild.load(two / "mkdocs.yml"), workers=1)

    pages, built = _files(one / "site"), _files(two / "site")
    assert [name for name in pages if built.get(name) != pages[name]] == []
    shown = {}
    for fiche in result.fiches:
        page = BeautifulSoup(built[f"fiches/{fiche.slug}/index.html"], "html.parser")
        shown[fiche.slug] = (page.select_one(".page-vue").get_text(), page.h1.get_text())
    assert len(shown) == len(result.fiches) > 20
    assert all(in_nav == title for in_nav, title in shown.values()), shown


def _plain_project(root: Path, pages: int) -> Path:
    """A MkDocs project written by hand, the second largest page asking for no template."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    for index in range(pages):
        (docs / f"page-{index:02d}.md").write_text(f"# Page {index}\n\nTexte.\n", "utf-8")
    (docs / "grande.md").write_text("# Grande\n\n" + "Texte long. " * 400 + "\n", "utf-8")
    (docs / "cassee.md").write_text(
        "---\ntemplate: absent.html\n---\n# Cassée\n\n" + "Texte. " * 300 + "\n", "utf-8"
    )
    config = root / "mkdocs.yml"
    config.write_text(
        "site_name: Essai\ntheme:\n  name: material\nplugins:\n  - search:\n      enabled: false\n"
        "nav:\n  - index.md\n",
        encoding="utf-8",
    )
    return config


def test_an_error_in_another_process_stops_the_build_as_in_mkdocs(
    tmp_path: Path, shared: list[int]
) -> None:
    config = _plain_project(tmp_path / "one", pages=12)
    with pytest.raises(Exception) as alone:
        mkdocs_build(mkdocsbuild.load(config))
    config = _plain_project(tmp_path / "two", pages=12)
    with pytest.raises(Exception) as together:
        mkdocsbuild.build(config, mkdocsbuild.load(config), workers=2)
    assert shared == [2]
    assert type(together.value) is type(alone.value)
    assert "absent.html" in str(together.value)


@pytest.mark.parametrize(
    "addition",
    [
        "hooks:\n  - crochet.py\n",
        "  - tags\n",
        "  - search\n",
    ],
)
def test_a_plugin_or_a_hook_keeps_mkdocs_own_build(tmp_path: Path, addition: str) -> None:
    """What gathers data across pages must see every page in one process."""
    config = _plain_project(tmp_path, pages=2)
    (tmp_path / "crochet.py").write_text(
        "def on_page_markdown(markdown, **kwargs):\n    return markdown\n"
    )
    text = config.read_text(encoding="utf-8")
    if addition.startswith("hooks"):
        text += addition
    else:  # another plugin beside the disabled search, or the search turned on
        text = text.replace(
            "plugins:\n  - search:\n      enabled: false\n", "plugins:\n" + addition
        )
    config.write_text(text, encoding="utf-8")
    assert mkdocsbuild.shareable(mkdocsbuild.load(tmp_path / "mkdocs.yml")) is False
    config.write_text(_plain_project(tmp_path / "bare", 2).read_text(), encoding="utf-8")
    assert mkdocsbuild.shareable(mkdocsbuild.load(tmp_path / "mkdocs.yml")) is True


def test_pages_hardened_in_each_process_are_those_harden_site_gives(
    tmp_path: Path, shared: list[int]
) -> None:
    """Hardening while the shares write (``finish``) changes nothing of the site."""
    project = wide_base(tmp_path / "base", terms=160, fiches=60)
    result = check_project(project)
    settings = replace(_settings(project), body_secret="secret-du-test")
    hardening = Hardening(settings.body_secret, Policy(settings.allowed_hosts))
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    stage_site(project, result, one, settings=settings)
    shutil.copytree(one, two)

    _build(one, workers=1)
    alone = harden_site(one / "site", hardening)
    config_path = two / "mkdocs.yml"
    outcome = mkdocsbuild.build(
        config_path, mkdocsbuild.load(config_path), workers=3, finish=hardening.pages
    )
    assert shared == [3]
    assert outcome.finished is not None and len(outcome.finished) > 200
    left = [name for name in html_pages(two / "site") if name not in outcome.finished]
    together = harden_site(two / "site", hardening, pages=left, hashes=outcome.finished)

    assert together == alone
    pages, built = _files(one / "site"), _files(two / "site")
    assert sorted(built) == sorted(pages)
    assert [name for name in pages if built[name] != pages[name]] == []


def test_a_record_is_kept_whole() -> None:
    """to_json gives what dataclasses.asdict gives, and from_json reads it back."""
    from dataclasses import asdict

    from fichotheque.mkdocsbuild import PageRecord, Record

    record = Record(
        "cadre",
        [("index.md", "Accueil"), ("fiches/index.md", "Fiches")],
        {
            "index.md": PageRecord("a1", [(30, "un avertissement")], ["haut"], []),
            "fiches/x.md": PageRecord("b2", [], ["partie"], [("index.md", "haut", "../#haut")]),
        },
        {"ressources/plan.pdf": "c3"},
    )
    assert record.to_json() == asdict(record)
    assert Record.from_json(json.loads(json.dumps(record.to_json()))) == record
