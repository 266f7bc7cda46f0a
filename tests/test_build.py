"""A real build of a knowledge base, read back with an HTML parser."""

from __future__ import annotations

import gzip
import json
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree as ET

import frontmatter
import pytest
import yaml
from bs4 import BeautifulSoup

from casefiles import CASES
from conftest import BASE, REPO
from fichotheque.buildcache import FOLDER, RECORD
from fichotheque.check import check_project
from fichotheque.engine import SITE_MARKER, BuildError, BuildReport, build_site, stage_site
from fichotheque.files import NEW_FILE_MODE
from fichotheque.project import Project
from fichotheque.publish import WORK_DIR

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, url: str) -> BeautifulSoup:
    return soup(site / url / "index.html")


def published_front_matter() -> dict[str, dict[str, object]]:
    """The front matter of every published example fiche, read independently of the package."""
    result = {}
    for path in sorted((BASE / "fiches").glob("*.md")):
        meta = frontmatter.load(path).metadata
        if meta.get("statut", "publié") != "brouillon":
            result[str(meta.get("slug", path.stem))] = meta
    return result


def taxonomy_terms() -> list[tuple[str, str, str]]:
    """(facet key, term slug, term label) for every term of the example taxonomy."""
    data = yaml.safe_load((BASE / "taxonomy.yml").read_text(encoding="utf-8"))
    terms = []
    for facet in data["facettes"]:
        groups = facet.get("groupes") or [{"termes": facet["termes"]}]
        for group in groups:
            terms += [(facet["cle"], t["slug"], t["libelle"]) for t in group["termes"]]
    return terms


def as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def linked_fiches(document: BeautifulSoup, selector: str) -> set[str]:
    """The slugs of the fiche pages linked from the elements matching ``selector``."""
    slugs = set()
    for element in document.select(selector):
        for link in element.find_all("a", href=True):
            parts = [p for p in urlsplit(link["href"]).path.split("/") if p and p != ".."]
            if len(parts) == 2 and parts[0] == "fiches":
                slugs.add(parts[1])
    return slugs


def test_every_published_fiche_has_a_page_with_its_title_and_categories(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Each fiche gets a page whose heading is its title and whose categories link its terms."""
    project, report = built_example
    labels = {(facet, slug): label for facet, slug, label in taxonomy_terms()}
    fiches = published_front_matter()
    assert report.fiche_count == len(fiches) >= 12
    for slug, meta in fiches.items():
        document = page(project.site_dir, f"fiches/{slug}")
        assert document.h1 is not None and document.h1.get_text() == meta["title"]
        categories = document.select_one("nav.fiche-categories")
        assert categories is not None
        shown = {a.get_text() for a in categories.find_all("a")}
        expected = {
            labels[(facet, term)] for facet, term in labels if term in as_list(meta.get(facet))
        }
        assert shown == expected, slug


def test_every_term_page_lists_exactly_the_fiches_that_carry_the_term(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Term pages list exactly the published fiches tagged with the term, with the right count."""
    project, _ = built_example
    fiches = published_front_matter()
    for facet, term, label in taxonomy_terms():
        document = page(project.site_dir, f"{facet}/{term}")
        expected = {slug for slug, meta in fiches.items() if term in as_list(meta.get(facet))}
        assert document.h1 is not None and document.h1.get_text() == label
        assert linked_fiches(document, "ul.fiche-liste") == expected, (facet, term)
        count = document.select_one(".terme-compte")
        assert count is not None and count.get_text().startswith(f"{len(expected)} fiche")


def test_home_page_counts_fiches_and_links_every_facet(
    built_example: tuple[Project, BuildReport],
) -> None:
    """The home page says how many fiches there are and links to every facet page."""
    project, _ = built_example
    document = soup(project.site_dir / "index.html")
    figures = document.select_one(".accueil-chiffres")
    assert figures is not None
    assert figures.get_text().startswith(f"{len(published_front_matter())} fiches")
    facets = {key for key, _, _ in taxonomy_terms()}
    hrefs = {a["href"].strip("./") for a in document.select("h3 a")}
    assert facets <= hrefs


def test_every_internal_link_and_anchor_resolves(
    built_example: tuple[Project, BuildReport],
) -> None:
    """No page links to a page, a file or an anchor (#…) that does not exist."""
    project, _ = built_example
    site = project.site_dir
    broken = []
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            ids[path] = {tag["id"] for tag in soup(path).find_all(id=True)}
        return ids[path]

    for html in site.rglob("*.html"):
        for tag in soup(html).find_all(["a", "link", "script", "img"]):
            url = tag.get("href") or tag.get("src")
            if not url or urlsplit(url).scheme or url.startswith(("#", "mailto:")):
                continue
            path = unquote(urlsplit(url).path)
            # 404.html links from the root given by site_url (here "/"), wherever it is served.
            base = site if path.startswith("/") else html.parent
            target = (base / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html.relative_to(site)} → {url}")
                continue
            fragment = urlsplit(url).fragment
            if fragment and target.suffix == ".html" and fragment not in anchors(target):
                broken.append(f"{html.relative_to(site)} → {url} (ancre absente)")
        for tag in soup(html).find_all("a", href=True):
            fragment = tag["href"][1:] if tag["href"].startswith("#") else ""
            if fragment and fragment not in anchors(html):
                broken.append(f"{html.relative_to(site)} → {tag['href']} (ancre absente)")
    assert broken == []


def test_pages_are_french_and_load_nothing_from_third_parties(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Every page declares lang="fr" and loads scripts, styles and images only from the site."""
    project, _ = built_example
    for html in project.site_dir.rglob("*.html"):
        document = soup(html)
        assert document.html is not None and document.html.get("lang") == "fr", html
        for tag in document.find_all(["script", "link", "img", "iframe", "source"]):
            fetched_link = tag.name == "link" and not {"canonical", "alternate"} & set(
                tag.get("rel", [])
            )
            url = tag.get("src") or (tag.get("href") if fetched_link else None)
            assert not url or not urlsplit(url).netloc, f"{html}: {url}"


def test_every_published_file_is_readable_by_the_web_server(
    built_example: tuple[Project, BuildReport],
) -> None:
    """A web server reads the site as another user: what new files here let others read,
    every file and folder of the site lets them read (none is left private to its
    writer, as a temporary file is)."""
    project, _ = built_example
    readable = NEW_FILE_MODE & 0o444
    entries = [project.site_dir, *project.site_dir.rglob("*")]
    files = [path for path in entries if path.is_file()]
    assert readable and len(files) > 100
    private = [
        path.relative_to(project.site_dir).as_posix()
        for path in entries
        if stat.S_IMODE(path.stat().st_mode) & readable != readable
        or (path.is_dir() and stat.S_IMODE(path.stat().st_mode) & readable >> 2 != readable >> 2)
    ]
    assert private == []


def test_resource_file_is_published_and_linked(built_example: tuple[Project, BuildReport]) -> None:
    """A fiche's resource file is copied into the site and linked with its type and size."""
    project, _ = built_example
    checked = 0
    for slug, meta in published_front_matter().items():
        for resource in meta.get("ressources") or []:
            if "fichier" not in resource:
                continue
            document = page(project.site_dir, f"fiches/{slug}")
            link = next(
                a
                for a in document.select(".fiche-ressources a")
                if a.get_text() == resource["titre"]
            )
            published = (project.site_dir / "fiches" / slug / link["href"]).resolve()
            assert published.read_bytes() == (BASE / resource["fichier"]).read_bytes()
            assert Path(resource["fichier"]).suffix.lstrip(".").upper() in link.parent.get_text()
            checked += 1
    assert checked >= 1


def _mini_project(tmp_path: Path) -> Project:
    shutil.copytree(CASES / "project", tmp_path, dirs_exist_ok=True)
    shutil.copyfile(BASE / "mkdocs.yml", tmp_path / "mkdocs.yml")
    return Project(tmp_path)


def _build(project: Project) -> BuildReport:
    result = check_project(project)
    assert [p for p in result.problems if p.severity == "error"] == []
    return build_site(project, result, project.site_dir)


HOSTILE_TITLE = '</title><script>alert("titre")</script> Logement & "accueil"'
HOSTILE_SUMMARY = '"><img src=x onerror=alert(1)> *pas* en gras'
HOSTILE_PARTNER = "<b>Partenaire</b> & Cie"
HOSTILE_LABEL = "<i>Aide</i> & accueil"
HOSTILE_FACET = '<script>alert("facette")</script>Axes & "voies"'


def test_front_matter_strings_are_text_never_markup(tmp_path: Path) -> None:
    """Titles, summaries, partners and taxonomy labels are escaped wherever they appear."""
    project = _mini_project(tmp_path)
    fiche = project.fiches_dir / "hostile.md"
    fiche.write_text(
        "---\n"
        + yaml.safe_dump(
            {
                "title": HOSTILE_TITLE,
                "description": HOSTILE_SUMMARY,
                "date": "2012",
                "organisation": "CAI",
                "partenaires": [HOSTILE_PARTNER],
                "axes": ["accompagnement"],
                "thematiques": ["logement"],
                "type": "projet",
            },
            allow_unicode=True,
        )
        + "---\n\nUn texte ordinaire.\n",
        encoding="utf-8",
    )
    taxonomy = project.taxonomy_path.read_text(encoding="utf-8")
    project.taxonomy_path.write_text(
        taxonomy.replace("libelle: Accompagnement", f"libelle: '{HOSTILE_LABEL}'").replace(
            "libelle: Axes d'intervention", f"libelle: {json.dumps(HOSTILE_FACET)}"
        ),
        encoding="utf-8",
    )
    _build(project)
    site = project.site_dir
    pages = [
        site / "fiches/hostile/index.html",
        site / "axes/accompagnement/index.html",
        site / "index.html",
        site / "fiches/index.html",
        site / "axes/index.html",
    ]
    for path in pages:
        document = soup(path)
        assert not [s for s in document.find_all("script") if "alert" in s.get_text()], path
        assert document.find(["img", "b", "i"], recursive=True) is None or not any(
            tag.get("onerror") or tag.get_text() in ("Partenaire", "Aide")
            for tag in document.find_all(["img", "b", "i"])
        ), path
    document = soup(site / "fiches/hostile/index.html")
    assert document.title is not None and document.title.get_text().startswith(HOSTILE_TITLE)
    assert document.h1 is not None and document.h1.get_text() == HOSTILE_TITLE
    description = document.find("meta", attrs={"name": "description"})
    assert description is not None and description["content"] == HOSTILE_SUMMARY
    assert HOSTILE_PARTNER in document.select_one(".fiche-meta").get_text()
    assert HOSTILE_LABEL in document.select_one("nav.fiche-categories").get_text()
    nav_labels = [a.get_text(" ", strip=True) for a in document.select("nav.md-nav a")]
    assert HOSTILE_FACET in nav_labels
    facet = soup(site / "axes/index.html")
    assert facet.h1 is not None and facet.h1.get_text() == HOSTILE_FACET
    assert facet.title is not None and facet.title.get_text().startswith(HOSTILE_FACET)
    term = soup(site / "axes/accompagnement/index.html")
    assert term.h1 is not None and term.h1.get_text() == HOSTILE_LABEL
    assert HOSTILE_TITLE in term.select_one("ul.fiche-liste").get_text()


def test_drafts_are_not_published(tmp_path: Path) -> None:
    """A draft fiche has no page and appears in no listing, sitemap or link."""
    project = _mini_project(tmp_path)
    _build(project)
    site = project.site_dir
    assert not (site / "fiches/beta").exists()
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "fiches/beta" not in text and "Bêta" not in text, path
    assert (site / "fiches/alpha/index.html").exists()
    index = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert index["languages"]["fr"]["page_count"] == 1  # alpha only: the draft is not indexed


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    """When MkDocs fails, site/ keeps the previous build byte for byte and no staging is left."""
    project = _mini_project(tmp_path)
    _build(project)
    before = {p: p.read_bytes() for p in project.site_dir.rglob("*") if p.is_file()}
    config = project.mkdocs_path.read_text(encoding="utf-8")
    project.mkdocs_path.write_text(
        config.replace("  - abbr\n", "  - abbr\n  - extension_inexistante\n"), encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"mkdocs\.yml n'est pas valable"):
        _build(project)
    after = {p: p.read_bytes() for p in project.site_dir.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [WORK_DIR]
    work = tmp_path / WORK_DIR
    assert sorted(p.name for p in work.iterdir()) == sorted([".gitignore", "lock", FOLDER])
    # What the failed build left in the cache has no record: the next build starts over.
    assert not (work / FOLDER / RECORD).exists()


def test_a_failing_search_indexer_is_explained_and_the_site_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind, which runs while the editor is installed, fails: a French message with its
    last line, and the published site as it was."""
    import pagefind_bin

    project = _mini_project(tmp_path)
    _build(project)
    before = {p: p.read_bytes() for p in project.site_dir.rglob("*") if p.is_file()}
    failing = tmp_path / "pagefind-en-panne"
    failing.write_text("#!/bin/sh\necho 'Error: disque plein' >&2\nexit 1\n", encoding="utf-8")
    failing.chmod(0o755)
    monkeypatch.setattr(pagefind_bin, "get_executable", lambda: failing)
    alpha = project.fiches_dir / "alpha.md"  # an unchanged index would not be redone
    alpha.write_text(alpha.read_text(encoding="utf-8") + "\nUne ligne de plus.\n", "utf-8")
    with pytest.raises(BuildError, match=r"\(Pagefind\) a échoué : Error: disque plein"):
        _build(project)
    assert {p: p.read_bytes() for p in project.site_dir.rglob("*") if p.is_file()} == before


def test_build_replaces_its_own_site_but_not_a_foreign_folder(tmp_path: Path) -> None:
    """site/ built by Fichothèque is replaced; a folder it did not build needs force=True."""
    project = _mini_project(tmp_path)
    project.site_dir.mkdir()
    precious = project.site_dir / "notes.txt"
    precious.write_text("à garder", encoding="utf-8")
    with pytest.raises(BuildError, match="--force"):
        _build(project)
    assert precious.read_text(encoding="utf-8") == "à garder"
    result = check_project(project)
    build_site(project, result, project.site_dir, force=True)
    assert not precious.exists() and (project.site_dir / SITE_MARKER).exists()
    _build(project)  # its own site is replaced without force
    assert (project.site_dir / "index.html").exists()


def test_build_refuses_to_publish_over_the_sources(tmp_path: Path) -> None:
    """Publishing into the project's root or docs/ is refused before anything is written."""
    project = _mini_project(tmp_path)
    result = check_project(project)
    for target in (project.root, project.docs_dir):
        with pytest.raises(BuildError, match="sources du projet"):
            build_site(project, result, target)
    assert (project.fiches_dir / "alpha.md").exists()


def test_user_page_that_clashes_with_a_generated_page_is_reported(tmp_path: Path) -> None:
    """A hand-written docs/axes/ folder would share the facet's address: check says so."""
    project = _mini_project(tmp_path)
    (project.docs_dir / "axes").mkdir()
    (project.docs_dir / "axes" / "index.md").write_text("# Mes axes\n", encoding="utf-8")
    problems = [p for p in check_project(project).problems if p.code == "facette-reservee"]
    assert [(p.file, p.field) for p in problems] == [("taxonomy.yml", "facettes[1].cle")]
    assert "docs/axes" in problems[0].message


@pytest.mark.parametrize(
    "document", [pytest.param("docs/guide-de-redaction.md", marks=pytest.mark.example), "README.md"]
)
def test_the_example_fiche_printed_in_the_docs_passes_the_check(
    document: str, example: Project
) -> None:
    """The example fiche printed in the guide and in the README is valid as printed."""
    text = (REPO / document).read_text(encoding="utf-8")
    block = text.split("```markdown\n", 1)[1].split("\n```\n", 1)[0]
    # It stands in for the fiche on the same subject, so that references to it still resolve.
    (example.fiches_dir / "2009-reseau-insertion-socioprofessionnelle.md").unlink()
    (example.fiches_dir / "exemple.md").write_text(block, encoding="utf-8")
    (example.docs_dir / "ressources" / "programme-salon.pdf").write_bytes(b"%PDF-1.4\n")
    problems = check_project(example).problems
    assert [p.format_text() for p in problems if p.file == "fiches/exemple.md"] == []


def build_with_zensical(config: Path) -> Path:
    """Run Zensical over a staged mkdocs.yml; the site folder it wrote."""
    zensical = Path(sys.executable).parent / "zensical"
    result = subprocess.run(
        [str(zensical), "build", "-f", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return config.parent / "site"


def test_the_staged_tree_also_builds_with_zensical(example: Project, tmp_path: Path) -> None:
    """Zensical, Material's successor, builds the same staged pages without any plugin."""
    staging = tmp_path / "staging"
    staging.mkdir()
    config, fiche_count, _parts = stage_site(example, check_project(example), staging)
    site = build_with_zensical(config)
    fiches = published_front_matter()
    assert fiche_count == len(fiches)
    for slug, meta in fiches.items():
        document = page(site, f"fiches/{slug}")
        assert document.h1 is not None and document.h1.get_text() == meta["title"]
        assert document.title is not None and document.title.get_text().startswith(meta["title"])
    for facet, term, label in taxonomy_terms():
        document = page(site, f"{facet}/{term}")
        expected = {s for s, meta in fiches.items() if term in as_list(meta.get(facet))}
        assert document.h1 is not None and document.h1.get_text() == label
        assert linked_fiches(document, "ul.fiche-liste") == expected, (facet, term)


def test_links_and_hidden_files_of_docs_are_not_published(tmp_path: Path) -> None:
    """A symbolic link in docs/ (to a file outside, or anywhere) never reaches the site."""
    project = _mini_project(tmp_path / "projet")
    secret = tmp_path / "secret.txt"
    secret.write_text("mot de passe", encoding="utf-8")
    (project.docs_dir / "ressources" / "secret.txt").symlink_to(secret)
    (project.docs_dir / ".env").write_text("CLE=1", encoding="utf-8")
    _build(project)
    published = [p.read_bytes() for p in project.site_dir.rglob("*") if p.is_file()]
    assert not any(b"mot de passe" in data for data in published)
    assert not (project.site_dir / ".env").exists()
    assert (project.site_dir / "ressources" / "doc.txt").exists()


def test_mkdocs_warnings_are_reported_and_fail_a_strict_build(tmp_path: Path) -> None:
    """A broken link in a hand-written page is reported, and blocks the build with strict."""
    project = _mini_project(tmp_path)
    (project.docs_dir / "a-propos.md").write_text("# À propos\n\n[Lien](absent.md)\n", "utf-8")
    report = _build(project)
    assert any("absent.md" in warning for warning in report.warnings)
    with pytest.raises(BuildError, match="--strict"):
        build_site(project, check_project(project), project.site_dir, strict=True)


def test_sitemap_lists_every_published_fiche(built_example: tuple[Project, BuildReport]) -> None:
    """sitemap.xml is an index; the sitemap it names lists the page of every published fiche."""
    project, _ = built_example
    index = ET.parse(project.site_dir / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    named = [urlsplit(loc.text or "").path for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert len(named) == 1 and not named[0].endswith("/sitemap.xml")
    pages = ET.parse(project.site_dir / named[0].lstrip("/"))
    paths = {urlsplit(loc.text or "").path for loc in pages.iter(f"{SITEMAP_NS}loc")}
    for slug in published_front_matter():
        assert f"/fiches/{slug}/" in paths, slug
    with gzip.open(project.site_dir / "sitemap.xml.gz") as zipped:
        assert zipped.read() == (project.site_dir / "sitemap.xml").read_bytes()


def test_last_change_comes_from_git_and_is_absent_outside_git(tmp_path: Path) -> None:
    """In a git checkout a fiche shows « Modifiée le » its last commit; outside, nothing."""
    project = _mini_project(tmp_path)
    _build(project)
    assert "Modifiée le" not in (project.site_dir / "fiches/alpha/index.html").read_text("utf-8")
    env = {"GIT_AUTHOR_DATE": "2024-03-05T12:00:00", "GIT_COMMITTER_DATE": "2024-03-05T12:00:00",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "PATH": "/usr/bin:/bin"}  # fmt: skip
    for command in (["git", "init", "-q"], ["git", "add", "fiches"], ["git", "commit", "-qm", "x"]):
        subprocess.run(command, cwd=project.root, env=env, check=True, capture_output=True)
    _build(project)
    document = page(project.site_dir, "fiches/alpha")
    row = next(dt for dt in document.select(".fiche-meta dt") if dt.get_text() == "Modifiée le")
    assert row.find_next("dd").time["datetime"] == "2024-03-05"
