"""The browser editor at /admin/: generated from the declarations, self-hosted, and driven
for real in Chromium against Decap's local backend (decap-server, from npm)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from bs4 import BeautifulSoup

from conftest import REPO, copy_example
from fichotheque import editor
from fichotheque.check import check_project
from fichotheque.cmsconfig import cms_config
from fichotheque.fiches import STATUS_DRAFT
from fichotheque.files import CACHE_ENV
from fichotheque.project import Project
from fichotheque.scaffold import vocabulary
from fichotheque.schema import FIELDS
from fichotheque.sitesettings import EditorSettings, read_settings
from test_browser import browser, serving  # noqa: F401 - fixtures

DECAP_SERVER = REPO / "tests" / "editor" / "node_modules" / ".bin" / "decap-server"
FORGES = [
    EditorSettings("github", "centre/fiches"),
    EditorSettings("github", "centre/fiches", proxy="https://auth.example.org"),
    EditorSettings("gitlab", "groupe/sous-groupe/fiches", api="https://git.example.org/api/v4",
                   app_id="abc123"),
    EditorSettings("gitea", "centre/fiches", api="https://gitea.example.org/api/v1",
                   app_id="abc123"),
]  # fmt: skip


def with_editor(project: Project, lines: str) -> None:
    """Give ``project``'s mkdocs.yml this « editeur » block under « extra », in place of its own."""
    text = re.sub(r"  editeur:\n(    .*\n)+", "", project.mkdocs_path.read_text("utf-8"))
    block = "".join(f"    {line}\n" for line in lines.strip().splitlines())
    project.mkdocs_path.write_text(text.replace("extra:\n", "extra:\n  editeur:\n" + block, 1))


def sveltia_schema() -> dict[str, object]:
    """The JSON Schema Sveltia CMS publishes in its package, from the checked tarball."""
    package = editor.PACKAGES["sveltia"]
    with tarfile.open(fileobj=io.BytesIO(editor.tarball(package)), mode="r:gz") as archive:
        member = archive.extractfile("package/schema/sveltia-cms.json")
        assert member is not None
        return json.load(member)  # type: ignore[no-any-return]


@pytest.mark.parametrize("settings", FORGES, ids=lambda s: s.forge + (" proxy" * bool(s.proxy)))
def test_the_configuration_is_valid_for_sveltia(example: Project, settings: EditorSettings) -> None:
    config = cms_config(*vocabulary(example), settings)
    validator = jsonschema.Draft7Validator(sveltia_schema())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(config)]
    assert errors == []
    assert config["backend"]["name"] == settings.forge
    assert config["backend"]["repo"] == settings.repo


def test_the_form_offers_exactly_the_taxonomy_and_enforces_what_check_requires(
    example: Project,
) -> None:
    taxonomy, glossary = vocabulary(example)
    config = cms_config(taxonomy, glossary, FORGES[0])
    (collection,) = config["collections"]
    assert collection["folder"] == example.relative(example.fiches_dir)
    assert collection["slug"].endswith("{{slug}}")
    form = {field["name"]: field for field in collection["fields"]}
    for facet in taxonomy.facets:
        widget = form[facet.key]
        assert widget["widget"] == "select" and widget["multiple"] is facet.multiple
        assert widget["required"] is facet.required
        assert [(o["value"], o["label"]) for o in widget["options"]] == [
            (term.slug, term.label) for term in facet.terms
        ]
    for spec in FIELDS:
        if spec.key in form:
            assert form[spec.key]["required"] is spec.required, spec.key
    required = {spec.key for spec in FIELDS if spec.required}
    assert required <= set(form)
    assert form["statut"]["default"] == STATUS_DRAFT
    ambiguous = [entry for entry in glossary.entries if entry.is_ambiguous]
    assert ambiguous, "the base needs an ambiguous acronym for this test"
    choices = {choice["name"]: choice for choice in form["sigles"]["fields"]}
    for entry in ambiguous:
        assert [o["value"] for o in choices[entry.term]["options"]] == [
            m.id for m in entry.meanings
        ]
    file_field = next(f for f in form["ressources"]["fields"] if f["widget"] == "file")
    assert config["public_folder"] == example.relative(example.resources_dir)
    assert file_field["name"] == "fichier"


def test_the_editor_settings_are_checked_in_french(example: Project) -> None:
    with_editor(example, "forge: bitbucket\ndepot: https://github.com/a/b\nlogiciel: wordpress")
    settings, problems = read_settings(example.mkdocs_path, "mkdocs.yml")
    assert settings.editor is None
    fields = sorted(p.field for p in problems)
    assert fields == ["extra.editeur.depot", "extra.editeur.forge", "extra.editeur.logiciel"]
    assert all(p.line and p.hint for p in problems)
    forge = next(p for p in problems if p.field == "extra.editeur.forge")
    assert "bitbucket" in forge.message and "github" in forge.message


@contextlib.contextmanager
def registry(tmp_path: Path, files: dict[str, bytes]) -> Iterator[str]:
    """A stand-in npm registry on this machine serving ``files`` by their path."""
    root = tmp_path / "registry"
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    with serving(root) as address:
        yield address


def test_a_tarball_without_the_published_checksum_is_refused_and_the_site_kept(
    example: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = editor.PACKAGES["sveltia"]
    genuine = editor.tarball(package)
    tampered = genuine[:-64] + bytes(64)
    path = f"{package.name}/-/{package.tarball_name}"
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    with_editor(example, "forge: github\ndepot: centre/fiches")
    published = example.site_dir / "index.html"
    published.parent.mkdir()
    published.write_text("le site publié", "utf-8")
    with registry(tmp_path, {path: tampered}) as address:
        monkeypatch.setenv(editor.REGISTRY_ENV, address)
        built = subprocess.run(
            [sys.executable, "-m", "fichotheque", "build", "--root", str(example.root), "--force"],
            capture_output=True, text=True, timeout=600, check=False, env={**os.environ},
        )  # fmt: skip
    assert built.returncode != 0
    assert "empreinte" in built.stderr and package.version in built.stderr
    assert "Traceback" not in built.stderr
    assert published.read_text("utf-8") == "le site publié"
    assert not (tmp_path / "cache" / package.tarball_name).exists()
    # The genuine tarball passes, and is kept for the next build.
    with registry(tmp_path / "second", {path: genuine}) as address:
        monkeypatch.setenv(editor.REGISTRY_ENV, address)
        assert editor.tarball(package) == genuine
    assert (tmp_path / "cache" / package.tarball_name).read_bytes() == genuine


def test_the_unpacked_editor_kept_for_the_next_build_gives_the_same_files(
    example: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next build reads the editor's files from an unpacked copy, the same files; a
    damaged copy is unpacked again from the checked tarball."""
    package = editor.PACKAGES["sveltia"]
    genuine = editor.tarball(package)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / package.tarball_name).write_bytes(genuine)
    monkeypatch.setenv(CACHE_ENV, str(cache))
    result = check_project(example)
    settings = EditorSettings("github", "centre/fiches")

    def installed(name: str) -> dict[str, bytes]:
        editor._code.cache_clear()  # as in a new process
        admin = editor.install(tmp_path / name, settings, result.taxonomy, result.glossary, "Site")
        files = (p for p in admin.rglob("*") if p.is_file())
        return {p.relative_to(admin).as_posix(): p.read_bytes() for p in files}

    first = installed("premier")
    (kept,) = cache.glob(f"{package.tarball_name}.*.tar")
    assert any(name.endswith(".js") and len(data) > 100_000 for name, data in first.items())
    assert installed("second") == first
    kept.write_bytes(kept.read_bytes()[:1000])
    assert installed("troisieme") == first
    assert kept.stat().st_size > 1000


def test_an_unreachable_registry_is_explained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv(editor.REGISTRY_ENV, f"http://127.0.0.1:{port}")
    with pytest.raises(editor.EditorError) as error:
        editor.tarball(editor.PACKAGES["decap"])
    assert "n'a pas pu être téléchargé" in str(error.value)
    assert "editeur" in str(error.value)


def built_with_editor(root: Path, lines: str) -> Project:
    project = copy_example(root)
    with_editor(project, lines)
    result = check_project(project)
    assert not [p for p in result.problems if p.severity.name == "ERROR"]
    built = subprocess.run(
        [sys.executable, "-m", "fichotheque", "build", "--root", str(project.root)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    return project


class _YamlHandler(SimpleHTTPRequestHandler):
    """A host that serves .yml as YAML, as GitHub Pages and GitLab Pages do."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}  # noqa: RUF012

    def log_message(self, format: str, *args: object) -> None:
        pass


def outside(requests: list[str], address: str) -> list[str]:
    """The requests that left this machine."""
    here = urlsplit(address).netloc
    hosts = [urlsplit(r) for r in requests]
    return [
        u.geturl()
        for u in hosts
        if u.scheme in ("http", "https") and u.netloc != here and u.hostname != "localhost"
    ]


@pytest.mark.browser
def test_sveltia_opens_self_hosted_and_reaches_nothing_else(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    project = built_with_editor(tmp_path / "base", "forge: github\ndepot: centre/fiches")
    admin = project.site_dir / "admin"
    page_html = BeautifulSoup((admin / "index.html").read_text("utf-8"), "html.parser")
    sources = [script["src"] for script in page_html.find_all("script")]
    assert sources and all("//" not in src for src in sources)
    assert all((admin / src).is_file() for src in sources)
    with serving(project.site_dir, _YamlHandler) as address:
        page = browser.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        blocked: list[str] = []
        page.on(
            "console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None
        )
        page.goto(address + "admin/")
        # Without a proxy, no sign-in through a third party: only a personal access token.
        page.get_by_role("button", name="Token").first.wait_for(timeout=30_000)
        oauth = page.get_by_role("button", name="Sign In with GitHub").count()
        page.close()
    assert oauth == 0
    meta = page_html.head.find(True)
    assert meta.get("http-equiv") == "Content-Security-Policy"
    policy = dict(d.strip().split(" ", 1) for d in meta["content"].split(";"))
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["connect-src"].split() == ["'self'", "blob:", "data:", "https://api.github.com"]
    assert errors == []
    assert outside(requests, address) == []
    assert any(urlsplit(r).path == "/admin/config.yml" for r in requests), requests
    # Sveltia asks unpkg.com for its latest version and githubstatus.com for GitHub's
    # health; the policy stops both in the browser. Nothing it shows is blocked: no font,
    # no script, no style, no image.
    assert blocked and all("connect" in message.lower() for message in blocked), blocked


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def decap_server(root: Path) -> Iterator[int]:
    """Decap's local backend writing into ``root``, on a free port."""
    if not DECAP_SERVER.exists():
        message = f"{DECAP_SERVER} is missing: run « npm ci --prefix tests/editor »"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    process = subprocess.Popen(
        [str(DECAP_SERVER)], cwd=root, env={**os.environ, "PORT": str(port),
        "GIT_REPO_DIRECTORY": str(root)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port)):
                break
            time.sleep(0.2)
        else:
            pytest.fail("decap-server did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.browser
def test_a_colleague_writes_a_fiche_in_the_browser(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    project = built_with_editor(
        tmp_path / "base", "forge: github\ndepot: centre/fiches\nlogiciel: decap"
    )
    taxonomy, _glossary = vocabulary(project)
    before = set(project.fiches_dir.glob("*.md"))
    title = "Un potager partagé au pied des tours Ærø"
    with decap_server(project.root) as port, serving(project.site_dir) as address:
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{address}admin/?port_local={port}")
        page.get_by_role("button", name="Se connecter").click()
        page.get_by_text("Fiche", exact=False).filter(has_text="＋").click()

        def field(key: str) -> object:
            return page.locator(f'[id^="{key}-field-"]').first

        field("title").fill(title)
        field("description").fill("Des habitants cultivent ensemble une parcelle du quartier.")
        field("date").fill("2021-2022")
        field("organisation").fill("Association des jardins")
        chosen = {}
        for facet in taxonomy.facets:
            if not facet.required:
                continue
            term = facet.terms[len(facet.terms) // 2]
            field(facet.key).fill(term.label)
            page.keyboard.press("Enter")
            chosen[facet.key] = term.slug
        page.locator("[contenteditable=true]").last.click()  # the body (rich text)
        page.keyboard.type("Chaque samedi, des voisins sèment et récoltent ensemble.")
        page.get_by_role("button", name="Publier").first.click()
        page.get_by_text("Publier maintenant").click()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and set(project.fiches_dir.glob("*.md")) == before:
            time.sleep(0.2)
        page.close()
    (created,) = set(project.fiches_dir.glob("*.md")) - before
    assert created.name.endswith("-un-potager-partage-au-pied-des-tours-aero.md")
    result = check_project(project)
    mine = [p for p in result.problems if p.file == project.relative(created)]
    assert [p for p in mine if p.severity.name == "ERROR"] == [], [p.format_text() for p in mine]
    fiche = next(f for f in result.fiches if f.file == project.relative(created))
    assert fiche.title == title and fiche.is_draft
    assert {key: fiche.terms_of(key) for key in chosen} == {
        key: (slug,) for key, slug in chosen.items()
    }
    assert "voisins sèment et récoltent" in fiche.body
    assert outside(requests, address) == []
    # A draft: built, the site has no page for it.
    built = subprocess.run(
        [sys.executable, "-m", "fichotheque", "build", "--root", str(project.root), "--force"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert not (project.site_dir / "fiches" / fiche.slug).exists()
