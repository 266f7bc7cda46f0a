"""Any organisation gets its own site: a new base, its own names only, safe settings."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

import examplefiles
from bases import foreign_base
from conftest import BASE, REPO
from fichotheque.check import check_project
from fichotheque.engine import build_site, stage_site
from fichotheque.jsonschemas import DEFAULT_DIR, SCHEMA_FILES
from fichotheque.project import Project
from fichotheque.routes import ENGINE_ROUTES, FIXED_ROUTES, address, reserved_names
from fichotheque.scaffold import RENAMED, STARTER_DIR
from fichotheque.setupschema import FACET_KEY_RULE
from fichotheque.siteconfig import THEME_DIR
from fichotheque.sitemap import PAGES, SITEMAP
from test_browser import browser, serving  # noqa: F401  (the fixture, and the server)
from test_declarations import front

EXECUTABLE = Path(sys.executable).parent / "fichotheque"
ZENSICAL = Path(sys.executable).parent / "zensical"


def run(
    *args: str | Path, cwd: Path | None = None, **kwargs: object
) -> subprocess.CompletedProcess[str]:
    """The installed command, as a person runs it."""
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [str(EXECUTABLE), *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
        **kwargs,
    )


def starter_files(year: int) -> set[str]:
    """Where each starter file of the package lands in a new base."""
    names = set()
    for path in STARTER_DIR.rglob("*"):
        if path.is_file():
            relative = path.relative_to(STARTER_DIR).as_posix()
            if relative == "fiches/exemple.md":
                relative = f"fiches/{year}-exemple-de-fiche.md"
            names.add(RENAMED.get(relative, relative))
    return names | {f"{DEFAULT_DIR}/{name}" for name in SCHEMA_FILES.values()}


def taxonomy_facets(root: Path) -> list[dict[str, object]]:
    facets: list[dict[str, object]] = yaml.safe_load(
        (root / "taxonomy.yml").read_text(encoding="utf-8")
    )["facettes"]
    return facets


def facet_terms(facet: dict[str, object]) -> list[dict[str, str]]:
    groups = facet.get("groupes") or [{"termes": facet.get("termes")}]
    return [term for group in groups for term in group["termes"]]  # type: ignore[union-attr, index]


def html(site: Path, path: str) -> BeautifulSoup:
    """A built page as a reader sees it: without the « ¶ » of heading anchors."""
    document = BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")
    for anchor in document.select("a.headerlink"):
        anchor.decompose()
    return document


# ---- fichotheque init ----


def test_init_creates_a_base_that_passes_strict_check_and_builds(tmp_path: Path) -> None:
    """A new base, with its names: strict check, a build, its guide lists its own facets."""
    base = tmp_path / "bureau"
    created = run(
        "init", base, "--site-name", "Fiches du Bureau cantonal",
        "--organisation", "Bureau cantonal de la cohésion", "--site-url", "https://fiches.bureau.test/",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    written = {p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()}
    year = int(next(p.name[:4] for p in (base / "fiches").iterdir()))
    assert written == starter_files(year)
    for name in written:
        assert f"créé   {name}" in created.stdout
    checked = run("check", "--strict", "--root", base)
    assert checked.returncode == 0, checked.stdout
    assert "Aucun problème" in checked.stdout
    for name in ("taxonomy", "glossary"):  # what an editor checks the set-up files with
        schema = json.loads((base / DEFAULT_DIR / SCHEMA_FILES[name]).read_text("utf-8"))
        jsonschema.validate(yaml.safe_load((base / f"{name}.yml").read_text("utf-8")), schema)
    fiche_schema = json.loads((base / DEFAULT_DIR / SCHEMA_FILES["fiche"]).read_text("utf-8"))
    example = next((base / "fiches").glob("*.md"))
    jsonschema.validate(front(example), fiche_schema)
    built = run("build", "--root", base)
    assert built.returncode == 0, built.stderr
    site = base / "site"
    home = html(site, "index.html")
    assert home.h1 is not None and home.h1.get_text() == "Fiches du Bureau cantonal"
    assert home.title is not None and "Fiches du Bureau cantonal" in home.title.get_text()
    fiche = next((base / "fiches").glob("*.md"))
    page = html(site, f"fiches/{fiche.stem}/index.html")
    assert page.h1 is not None and page.h1.get_text() == frontmatter.load(fiche)["title"]
    assert "Bureau cantonal de la cohésion" in page.get_text()
    guide = html(site, "guide-de-redaction/index.html").get_text()
    for facet in taxonomy_facets(base):
        assert f"{facet['libelle']} ({facet['cle']})" in guide
        for term in facet_terms(facet):
            assert term["slug"] in guide
    feed = (site / "flux.xml").read_text(encoding="utf-8")
    assert f"https://fiches.bureau.test/fiches/{fiche.stem}/" in feed


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    """A folder with files in it is left untouched without --force, and says why."""
    (tmp_path / "notes.txt").write_text("à garder", encoding="utf-8")
    refused = run("init", tmp_path)
    assert refused.returncode == 1
    assert "n'est pas vide" in refused.stderr and "--force" in refused.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_init_with_force_keeps_every_file_already_there(tmp_path: Path) -> None:
    """--force adds what is missing, keeps what is there, and follows the kept taxonomy."""
    own = {"facettes": [{
        "cle": "formats", "libelle": "Formats", "description": "La forme de l'activité.",
        "multiple": False, "obligatoire": True,
        "termes": [{"slug": "balade", "libelle": "Balade", "description": "À pied."},
                   {"slug": "veillee", "libelle": "Veillée", "description": "Le soir."}],
    }]}  # fmt: skip
    (tmp_path / "taxonomy.yml").write_text(yaml.safe_dump(own, allow_unicode=True), "utf-8")
    (tmp_path / "notes.txt").write_text("à garder", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    created = run("init", tmp_path, "--force", "--site-url", "https://balades.test/")
    assert created.returncode == 0, created.stderr
    assert "gardé  taxonomy.yml" in created.stdout
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.name in before} == before
    fiche = next((tmp_path / "fiches").glob("*.md"))
    assert frontmatter.load(fiche)["formats"] == "balade"
    assert "`veillee`" in (tmp_path / "docs" / "guide-de-redaction.md").read_text("utf-8")
    assert run("check", "--strict", "--root", tmp_path).returncode == 0
    files = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = run("init", tmp_path, "--force")
    assert again.returncode == 0 and "Rien à créer" in again.stdout
    assert "créé " not in again.stdout
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == files


def test_init_asks_for_the_names_on_a_terminal(tmp_path: Path) -> None:
    """At a terminal, init asks for the site's and the organisation's names and uses them."""
    import pty

    base = tmp_path / "nouvelle"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(EXECUTABLE), "init", str(base)], stdin=follower, stdout=follower, stderr=follower
    )
    os.close(follower)
    os.write(leader, b"Carnets du quai\nAmicale du quai\n\n")
    output = b""
    while True:
        try:
            chunk = os.read(leader, 1024)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0, output
    text = output.decode()
    assert "Nom du site" in text and "Organisation" in text
    config = yaml.safe_load((base / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Carnets du quai"
    assert "site_url" not in config  # left empty: written as a comment, with what it is for
    fiche = next((base / "fiches").glob("*.md"))
    assert frontmatter.load(fiche)["organisation"] == "Amicale du quai"
    assert "site_url" in text  # the reminder


def test_the_installed_package_carries_everything_init_and_build_need(tmp_path: Path) -> None:
    """A wheel built from this repository, installed apart, creates and builds a base."""
    wheels = tmp_path / "wheels"
    made = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-w", str(wheels)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stdout + made.stderr
    assert "deprecat" not in (made.stdout + made.stderr).lower()
    target = tmp_path / "lib"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--target", str(target),
         *map(str, wheels.glob("*.whl"))],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stderr
    package = target / "fichotheque"
    for source in (THEME_DIR, STARTER_DIR):
        for path in source.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                assert (package / path.relative_to(THEME_DIR.parent)).is_file(), path
    environment = {**os.environ, "PYTHONPATH": str(target)}
    base = tmp_path / "base"

    def installed_command(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fichotheque", *map(str, args)], cwd=tmp_path,
            capture_output=True, text=True, timeout=300, env=environment, check=False,
        )  # fmt: skip

    where = subprocess.run(
        [sys.executable, "-c", "import fichotheque; print(fichotheque.__file__)"],
        capture_output=True, text=True, env=environment, cwd=tmp_path, check=True,
    )  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(target)
    assert installed_command("init", base, "--site-url", "https://a.test/").returncode == 0
    assert installed_command("check", "--strict", "--root", base).returncode == 0
    built = installed_command("build", "--root", base)
    assert built.returncode == 0, built.stderr
    assert (base / "site" / "assets" / "javascripts" / "recherche.js").is_file()


def test_a_copy_of_the_repository_with_its_own_base_passes_its_tests(tmp_path: Path) -> None:
    """Replacing the example by an init base: the example's tests skip and say why."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    copy = tmp_path / "copie"
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / name, copy / name)
    for part in ("fiches", "docs", "taxonomy.yml", "glossary.yml", "mkdocs.yml"):
        target = copy / part
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    assert run("init", copy, "--force", "--site-url", "https://copie.test/").returncode == 0
    environment = {**os.environ, "PYTHONPATH": str(copy / "scripts")}
    example_tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-m", "example", "-p", "no:cacheprovider"],
        cwd=copy, capture_output=True, text=True, timeout=600, env=environment, check=False,
    )  # fmt: skip
    assert example_tests.returncode == 0, example_tests.stdout
    assert re.search(r"\d+ skipped", example_tests.stdout), example_tests.stdout
    assert "passed" not in example_tests.stdout and "failed" not in example_tests.stdout
    assert "la base d'exemple a été remplacée" in example_tests.stdout
    engine_tests = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_cases.py", "tests/test_limits.py"],
        cwd=copy, capture_output=True, text=True, timeout=600, env=environment, check=False,
    )  # fmt: skip
    assert engine_tests.returncode == 0, engine_tests.stdout[-3000:]
    assert "skipped" in engine_tests.stdout  # the example's own checks among them


def test_the_example_is_whole_or_replaced() -> None:
    """A half-changed example would silently skip its tests: record it, or replace it all."""
    changed = examplefiles.changed()
    assert not changed or examplefiles.replaced(), (
        f"La base d'exemple a changé ({', '.join(changed)}) : enregistrez-la avec "
        "« .venv/bin/python tests/examplefiles.py », ou retirez toutes ses fiches."
    )
    listed = subprocess.run(
        ["git", "ls-files", *examplefiles.EXAMPLE_PARTS], cwd=REPO, capture_output=True,
        text=True, check=True,
    ).stdout.split()  # fmt: skip
    if not changed:
        assert sorted(examplefiles.recorded()) == sorted(listed)


# ---- Nothing of the example organisation in the code ----


def example_names() -> set[str]:
    """The example's own names: places, acronyms, organisations, regions, term slugs."""
    names: set[str] = set()
    for path in (BASE / "fiches").glob("*.md"):
        meta = frontmatter.load(path).metadata
        names.update(meta.get("lieux") or [])
        for text in (
            meta.get("organisation"),
            meta.get("region"),
            *(meta.get("partenaires") or []),
        ):
            if isinstance(text, str):
                names.add(text)
                names.update(re.findall(r"\(([A-Z][A-Za-z']+)\)", text))
    for facet in taxonomy_facets(BASE):
        names.update(t["slug"] for t in facet_terms(facet) if "-" in t["slug"])
    glossary = yaml.safe_load((BASE / "glossary.yml").read_text(encoding="utf-8"))
    names.update(key for key in glossary if any(c.isupper() for c in key))
    names.update({"Wallonie", "Namur"})  # inside the regions' longer names
    return names


def found_names(text: str, names: set[str]) -> set[str]:
    return {name for name in names if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)}


def site_texts(site: Path) -> Iterator[tuple[str, str]]:
    """What a reader or a program gets from the site: page texts, data files, our scripts."""
    ours = {p.name for p in THEME_DIR.rglob("*") if p.is_file()}
    for path in site.rglob("*"):
        if not path.is_file() or "pagefind" in path.parts:
            continue
        name = path.relative_to(site).as_posix()
        if path.suffix == ".html":
            document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
            attributes = [
                str(value)
                for element in document.find_all(True)
                for key, value in element.attrs.items()
                if key in ("title", "alt", "placeholder", "aria-label", "href", "content")
                and not (element.name == "meta" and element.get("http-equiv"))
            ]
            yield name, document.get_text(" ") + " " + " ".join(attributes)
        elif path.suffix in (".xml", ".json", ".csv", ".txt") or path.name in ours:
            yield name, path.read_text(encoding="utf-8", errors="replace")


def test_a_base_of_another_organisation_shows_none_of_the_example(
    tmp_path: Path,
    built_example,  # type: ignore[no-untyped-def]
) -> None:
    """The site and every message of a base sharing no word with the example name none of it."""
    names = example_names()
    # The scan sees the example's names where they are: on the example's own site.
    example_site = built_example[0].site_dir
    assert len(set().union(*(found_names(t, names) for _n, t in site_texts(example_site)))) > 40
    project = foreign_base(tmp_path / "valbrune")
    result = check_project(project)
    assert [p.format_text() for p in result.problems] == []
    build_site(project, result, project.site_dir)
    shown = {name: found for name, text in site_texts(project.site_dir)
             if (found := found_names(text, names))}  # fmt: skip
    assert shown == {}
    # Every kind of mistake, so that every hint speaks of this base only.
    fiche = next(project.fiches_dir.glob("*.md"))
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(
        text.replace("instruments:", "instrument: [cordes]\nsigles: {OSH: osh}\ninstruments:")
        .replace("- cordes", "- corde")
        .replace("- vents", "- vent"),
        encoding="utf-8",
    )
    taxonomy = project.taxonomy_path.read_text(encoding="utf-8")
    project.taxonomy_path.write_text(
        taxonomy.replace("cle: niveaux", "cle: niveaux-scolaires").replace(
            "slug: chant", "slug: Chant"
        ),
        encoding="utf-8",
    )
    project.mkdocs_path.write_text(
        project.mkdocs_path.read_text("utf-8").replace("site_url", "# site_url"), "utf-8"
    )
    messages = run("check", "--root", project.root)
    assert messages.returncode == 1 and messages.stdout.count("\n") > 5, messages.stdout
    helps = [
        run(*command, "--help").stdout
        for command in ((), ("init",), ("check",), ("build",), ("serve",))
    ]
    assert found_names("\n".join([messages.stdout, messages.stderr, *helps]), names) == set()


def test_the_field_reference_takes_its_examples_from_the_base(tmp_path: Path) -> None:
    """The field reference quotes this base's organisation, places and terms."""
    project = foreign_base(tmp_path / "valbrune")
    result = check_project(project)
    build_site(project, result, project.site_dir)
    reference = html(project.site_dir, "reference-des-champs/index.html")
    examples = "\n".join(code.get_text() for code in reference.select("pre code"))
    fiche = result.fiches[-1]
    assert any(f.organisation in examples for f in result.fiches)
    assert any(place in examples for f in result.fiches for place in f.value("lieux") or [])
    assert "OSH: osh-orchestre" in examples
    assert fiche.terms_of("instruments")[0] in examples or "instruments:" in examples


# ---- Settings: one search engine, nothing from elsewhere ----


@pytest.fixture
def bare(tmp_path: Path) -> Project:
    """A new base whose mkdocs.yml says only the site's name."""
    base = tmp_path / "nue"
    assert run("init", base).returncode == 0
    (base / "mkdocs.yml").write_text("site_name: Un site nu\n", encoding="utf-8")
    return Project(base)


def test_check_says_what_a_missing_site_url_costs(bare: Project) -> None:
    """No site_url: a warning at mkdocs.yml, saying feeds and open data need it."""
    problems = [p for p in check_project(bare).problems if p.file == "mkdocs.yml"]
    assert [(p.code, p.severity, p.line) for p in problems] == [("site-url-manquant", "warning", 1)]
    assert "flux" in problems[0].message and "site_url" in problems[0].hint


def test_check_warns_of_a_second_search_and_refuses_another_theme(bare: Project) -> None:
    """plugins: [search] is a warning at its line; a theme other than Material an error."""
    bare.mkdocs_path.write_text(
        "site_name: Un site nu\nsite_url: https://nu.test/\nplugins:\n  - search\n"
        "theme:\n  name: readthedocs\n",
        encoding="utf-8",
    )
    found = {(p.code, p.line, p.severity) for p in check_project(bare).problems}
    assert found == {("reglage-remplace", 4, "warning"), ("reglage-invalide", 6, "error")}


def _search_boxes(site: Path) -> list[str]:
    """Search boxes other than Fichothèque's, on the pages that have them."""
    boxes = []
    for path in site.rglob("*.html"):
        document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if document.select('.md-search, [data-md-component="search"], label[for="__search"]'):
            boxes.append(path.relative_to(site).as_posix())
    return boxes


@pytest.mark.browser
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_bare_mkdocs_yml_gives_one_search_and_loads_nothing_from_elsewhere(
    engine: str,
    bare: Project,
    tmp_path: Path,
    browser,  # type: ignore[no-untyped-def]  # noqa: F811
) -> None:
    """With MkDocs and with Zensical: no second search box, no request off the origin."""
    if engine == "mkdocs":
        build_site(bare, check_project(bare), bare.site_dir)
        site = bare.site_dir
        assert not (site / "search").exists()
    else:
        staging = tmp_path / "staging"
        staging.mkdir()
        config, _count, _parts = stage_site(bare, check_project(bare), staging)
        done = subprocess.run(
            [str(ZENSICAL), "build", "-f", str(config)], capture_output=True, text=True,
            timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        site = staging / "site"
        index = json.loads((site / "search.json").read_text(encoding="utf-8"))
        assert index["items"] == []
    assert _search_boxes(site) == []
    fiche = next(bare.fiches_dir.glob("*.md")).stem
    with serving(site) as url:
        origin = urlsplit(url).netloc
        page = browser.new_page()
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        for path in ("", f"fiches/{fiche}/", "recherche/", "glossaire/", "panorama/"):
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
        page.close()
    elsewhere = [r for r in requested if urlsplit(r).netloc not in (origin, "")]
    assert requested and elsewhere == []


# ---- Reserved names derive from the routes ----


@pytest.mark.parametrize("name", sorted(reserved_names()))
def test_a_facet_key_that_would_take_a_generated_address_is_refused(
    name: str, example: Project
) -> None:
    """Each name the site already uses is refused as a facet key, at its line."""
    text = example.taxonomy_path.read_text(encoding="utf-8")
    key = taxonomy_facets(example.root)[-1]["cle"]
    example.taxonomy_path.write_text(text.replace(f"cle: {key}", f"cle: {name}"), "utf-8")
    problems = [p for p in check_project(example).problems if p.file == "taxonomy.yml"]
    expected = "facette-reservee" if FACET_KEY_RULE.pattern.match(name) else "cle-invalide"
    assert [p.code for p in problems if p.severity == "error"] == [expected]
    if expected == "facette-reservee":
        assert reserved_names()[name] in problems[0].message


def test_every_route_is_built_where_the_table_says(built_example) -> None:  # type: ignore[no-untyped-def]
    """Every generated address of the route table exists in a built site, and nothing else."""
    project, _report = built_example
    site = project.site_dir
    for route in FIXED_ROUTES:
        where = address(route.path).lstrip("/")
        path = site / where / "index.html" if route.path.endswith(".md") else site / where
        assert path.is_file(), route
    for route in ENGINE_ROUTES:
        assert (site / route.path).is_dir(), route
    taken = set(reserved_names())
    facets = {f["cle"] for f in taxonomy_facets(project.root)}
    own = {p.name.removesuffix(".md") for p in project.docs_dir.iterdir()}
    for entry in site.iterdir():
        name = entry.name.removesuffix(".html") if entry.is_file() else entry.name
        sitemaps = {SITEMAP, f"{SITEMAP}.gz", PAGES, f"{PAGES}.gz"}
        assert name in taken | facets | own | sitemaps | {"index", "404", "_headers",
                                                         ".fichotheque-site"}, entry  # fmt: skip
