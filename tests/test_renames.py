"""Renames keep fiches and addresses: a term's old slug, a fiche's old file name."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from casefiles import CASES
from conftest import BASE
from fichotheque.check import CheckResult, check_project
from fichotheque.engine import build_site, stage_site
from fichotheque.problems import Problem, Severity
from fichotheque.project import Project
from fichotheque.schema import OLD_ADDRESSES_KEY
from fichotheque.sitemap import PAGES
from fichotheque.taxonomy import Term
from test_browser import browser, serving  # noqa: F401 - fixtures
from test_build import build_with_zensical

FACET = "axes"
OLD_TERM, NEW_TERM, NEW_LABEL = "interpellation", "plaidoyer", "Plaidoyer"
OLD_NAME, NEW_NAME = "2010-ancien-nom", "2010-nouveau-nom"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _fiche(path: Path, title: str, **fields: object) -> None:
    meta = {"title": title, "description": f"Résumé de {title}.", "date": "2010"}
    meta |= {"organisation": "Une association", "thematiques": ["logement"], "type": "projet"}
    meta |= {FACET: ["accompagnement"], **fields}
    text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\nTexte.\n"
    path.write_text(text, encoding="utf-8")


def _renamed_base(root: Path) -> Project:
    """The case project where « interpellation » became « plaidoyer » and a fiche was renamed."""
    shutil.copytree(CASES / "project", root, dirs_exist_ok=True)
    shutil.copyfile(BASE / "mkdocs.yml", root / "mkdocs.yml")
    project = Project(root)
    taxonomy = yaml.safe_load(project.taxonomy_path.read_text(encoding="utf-8"))
    facet = next(f for f in taxonomy["facettes"] if f["cle"] == FACET)
    term = next(t for t in facet["termes"] if t["slug"] == OLD_TERM)
    term.update(slug=NEW_TERM, libelle=NEW_LABEL, alias=[OLD_TERM])
    project.taxonomy_path.write_text(yaml.safe_dump(taxonomy, allow_unicode=True), "utf-8")
    (project.fiches_dir / "beta.md").unlink()  # a draft that still says « interpellation »
    _fiche(project.fiches_dir / "gamma.md", "Gamma", **{FACET: [OLD_TERM]})
    _fiche(project.fiches_dir / f"{NEW_NAME}.md", "Nouveau nom", **{OLD_ADDRESSES_KEY: [OLD_NAME]})
    return project


def _line_of(path: Path, text: str) -> int:
    """The line of a file where ``text`` first appears."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _renamed_term(result: CheckResult) -> Term:
    facet = result.taxonomy.facet(FACET)
    assert facet is not None
    return facet.renamed()[OLD_TERM]


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, CheckResult]:
    """The renamed base, checked and built once."""
    project = _renamed_base(tmp_path_factory.mktemp("renamed"))
    result = check_project(project)
    report = build_site(project, result, project.site_dir)
    assert report.warnings == []  # MkDocs takes the redirects as plain files, silently
    return project, result


def _errors(problems: list[Problem]) -> list[str]:
    return [p.format_text() for p in problems if p.severity is Severity.ERROR]


def test_an_old_term_slug_is_a_warning_that_names_the_new_one(renamed) -> None:  # type: ignore[no-untyped-def]
    """A fiche that still writes a renamed term's old slug passes, warned at its line."""
    project, result = renamed
    assert _errors(result.problems) == []
    term = _renamed_term(result)
    warnings = [p for p in result.problems if p.code == "terme-renomme"]
    assert [(p.file, p.severity, p.field) for p in warnings] == [
        ("fiches/gamma.md", Severity.WARNING, FACET)
    ]
    assert warnings[0].line == _line_of(project.fiches_dir / "gamma.md", OLD_TERM)
    assert f"« {OLD_TERM} »" in warnings[0].message and f"« {term.slug} »" in warnings[0].message
    assert f"« {term.slug} »" in warnings[0].hint


def test_the_fiche_is_filed_under_the_new_term(renamed) -> None:  # type: ignore[no-untyped-def]
    """The fiche written with the old slug is listed on the new term's page."""
    project, result = renamed
    term = _renamed_term(result)
    page = BeautifulSoup(
        (project.site_dir / FACET / term.slug / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert page.h1 is not None and page.h1.get_text(strip=True) == term.label
    titles = [a.get_text(strip=True) for a in page.select("ul.fiche-liste a")]
    assert titles == ["Gamma"]


def test_the_reference_page_names_the_old_slug_beside_the_new(renamed) -> None:  # type: ignore[no-untyped-def]
    """The staff reference lists a renamed term with the old slug that still reads as it."""
    project, result = renamed
    term = _renamed_term(result)
    page = BeautifulSoup(
        (project.site_dir / "reference-des-champs/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    row = next(r for r in page.select("table.reference tr") if r.td and r.td.get_text() == FACET)
    cell = row.find_all("td")[-1].get_text()
    assert f"{term.slug} (ancien : {OLD_TERM})" in cell


def _redirect(site: Path, address: str) -> tuple[BeautifulSoup, str]:
    """The page served at ``address`` and the site address its refresh sends to."""
    document = BeautifulSoup((site / address / "index.html").read_text("utf-8"), "html.parser")
    refresh = document.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh is not None
    delay, _, url = str(refresh["content"]).partition(";")
    assert delay.strip() == "0" and url.strip().startswith("url=")
    target = urljoin(f"/{address}/", url.strip().removeprefix("url="))
    return document, target.lstrip("/")


@pytest.mark.parametrize(
    ("old", "new"),
    [(f"{FACET}/{OLD_TERM}", f"{FACET}/{NEW_TERM}"), (f"fiches/{OLD_NAME}", f"fiches/{NEW_NAME}")],
    ids=["term", "fiche"],
)
def test_an_old_address_is_a_redirect_page(renamed, old: str, new: str) -> None:  # type: ignore[no-untyped-def]
    """The old address refreshes to the new page, names it canonical and links to it."""
    project, _ = renamed
    site = project.site_dir
    document, target = _redirect(site, old)
    assert target == f"{new}/" and (site / target / "index.html").is_file()
    site_url = yaml.safe_load((project.mkdocs_path).read_text("utf-8"))["site_url"]
    canonical = document.find("link", rel="canonical")
    assert canonical is not None and canonical["href"] == urljoin(site_url, target)
    link = document.select_one("main a")
    assert link is not None and link.parent is not None
    assert link.parent.get_text().startswith("Cette page a changé d'adresse")
    assert urljoin(f"/{old}/", str(link["href"])) == f"/{target}"
    robots = document.find("meta", attrs={"name": "robots"})
    assert robots is not None and "noindex" in str(robots["content"])
    policy = document.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert policy is not None and "script-src 'self'" in str(policy["content"])
    assert (
        document.find("script") is None
        and document.find(attrs={"data-pagefind-body": True}) is None
    )


def test_the_sitemap_and_the_search_index_hold_targets_only(renamed) -> None:  # type: ignore[no-untyped-def]
    """sitemap.xml lists new addresses, never a redirect; Pagefind indexes fiches only."""
    project, result = renamed
    site = project.site_dir
    tree = ET.parse(site / PAGES)
    paths = {urlsplit(loc.text or "").path for loc in tree.iter(f"{SITEMAP}loc")}
    assert {f"/{FACET}/{NEW_TERM}/", f"/fiches/{NEW_NAME}/", "/fiches/gamma/"} <= paths
    assert not paths & {f"/{FACET}/{OLD_TERM}/", f"/fiches/{OLD_NAME}/"}
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    published = [f for f in result.fiches if not f.is_draft]
    assert entry["languages"]["fr"]["page_count"] == len(published)


def test_zensical_serves_the_same_redirects(tmp_path: Path) -> None:
    """Zensical, building the same staged tree, copies the redirects and leaves them unlisted."""
    project = _renamed_base(tmp_path / "base")
    staging = tmp_path / "staging"
    staging.mkdir()
    config, _count, _parts = stage_site(project, check_project(project), staging)
    site = build_with_zensical(config)
    for old, new in (
        (f"{FACET}/{OLD_TERM}", f"{FACET}/{NEW_TERM}"),
        (f"fiches/{OLD_NAME}", f"fiches/{NEW_NAME}"),
    ):
        _document, target = _redirect(site, old)
        assert target == f"{new}/" and (site / target / "index.html").is_file()
    paths = {urlsplit(loc.text or "").path for loc in ET.parse(site / "sitemap.xml").iter()}
    assert f"/{FACET}/{NEW_TERM}/" in paths
    assert not paths & {f"/{FACET}/{OLD_TERM}/", f"/fiches/{OLD_NAME}/"}


HOSTILE_TITLE = '</title><script>alert("titre")</script> "Accueil" & <b>suivi</b>'


def test_a_redirect_shows_a_hostile_title_as_text(tmp_path: Path) -> None:
    """The title a redirect page names is escaped: text, never markup."""
    project = _renamed_base(tmp_path)
    _fiche(
        project.fiches_dir / "hostile.md", HOSTILE_TITLE, **{OLD_ADDRESSES_KEY: ["ancien-hostile"]}
    )
    build_site(project, check_project(project), project.site_dir)
    document, target = _redirect(project.site_dir, "fiches/ancien-hostile")
    assert target == "fiches/hostile/"
    assert document.find(["script", "b"]) is None
    assert document.title is not None and HOSTILE_TITLE in document.title.get_text()
    link = document.select_one("main a")
    assert link is not None and link.get_text() == HOSTILE_TITLE


def _check_with(root: Path, **fields: object) -> tuple[Project, list[Problem]]:
    project = _renamed_base(root)
    _fiche(project.fiches_dir / "delta.md", "Delta", **fields)
    return project, check_project(project).problems


@pytest.mark.parametrize(
    ("old", "taken_by"),
    [
        ("delta", "its own address"),
        (NEW_NAME, "another fiche's address"),
        (OLD_NAME, "another fiche's old address"),
        ("index", "the catalogue page"),
        ("a-propos", "a hand-written page"),
    ],
)
def test_an_old_address_already_taken_is_an_error(tmp_path: Path, old: str, taken_by: str) -> None:
    """An old address cannot be where a fiche, another redirect or a page of the site is."""
    root = tmp_path / "base"
    (root / "docs/fiches").mkdir(parents=True)
    (root / "docs/fiches/a-propos.md").write_text("# À propos\n\nUne page.\n", "utf-8")
    project, problems = _check_with(root, **{OLD_ADDRESSES_KEY: [old]})
    found = [p for p in problems if p.severity is Severity.ERROR]
    assert [(p.file, p.code, p.field) for p in found] == [
        ("fiches/delta.md", "ancienne-adresse-prise", OLD_ADDRESSES_KEY)
    ], taken_by
    assert found[0].line == _line_of(project.fiches_dir / "delta.md", f"- {old}")
    assert f"« {old} »" in found[0].hint


def test_an_old_address_must_be_a_file_name(tmp_path: Path) -> None:
    """A path or a title in « anciennes_adresses » is refused, with the slug to write."""
    _project, problems = _check_with(tmp_path, **{OLD_ADDRESSES_KEY: ["fiches/Ancien Nom.md"]})
    found = [p for p in problems if p.field == OLD_ADDRESSES_KEY]
    assert [(p.code, p.severity) for p in found] == [("slug-invalide", Severity.ERROR)]
    assert "« ancien-nom »" in found[0].hint


def test_a_related_fiche_by_its_old_name_points_to_the_new_one(tmp_path: Path) -> None:
    """« fiches_liees » written with an old file name is an error whose hint gives the new one."""
    _project, problems = _check_with(tmp_path, fiches_liees=[OLD_NAME])
    found = [p for p in problems if p.code == "fiche-liee-inconnue"]
    assert len(found) == 1 and f"« {NEW_NAME} »" in found[0].hint


@pytest.mark.browser
def test_a_browser_at_an_old_address_lands_on_the_new_page(browser, renamed) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Real Chromium, opening a term's and a fiche's old address, ends on their new pages."""
    project, result = renamed
    term = _renamed_term(result)
    errors: list[str] = []
    with serving(project.site_dir) as address:
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("response", lambda r: errors.append(r.url) if r.status >= 400 else None)
        for old, new, heading in (
            (f"{FACET}/{OLD_TERM}/", f"{FACET}/{term.slug}/", term.label),
            (f"fiches/{OLD_NAME}/", f"fiches/{NEW_NAME}/", "Nouveau nom"),
        ):
            page.goto(address + old)
            page.wait_for_url(address + new)
            assert page.locator("h1").first.inner_text().strip() == heading
        page.close()
    assert errors == []  # the CSP refused nothing on the way
