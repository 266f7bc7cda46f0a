"""What a fiche or the settings may put in front of visitors: sanitised bodies, strict CSP."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from fichotheque.check import check_project
from fichotheque.engine import BuildReport, build_site
from fichotheque.harden import script_hash
from fichotheque.htmlpolicy import body_markers, sanitise
from fichotheque.project import Project
from fichotheque.routes import EDITOR_DIR
from test_browser import PAGE_KINDS, browser, server  # noqa: F401 - fixtures
from test_build import _mini_project, page

FRONT = (
    "---\ntitle: {title}\ndescription: Une fiche de test.\ndate: 2010\norganisation: CAI\n"
    "axes: [accompagnement]\nthematiques: [logement]\ntype: projet\n---\n\n"
)

LEGITIMATE_BODY = """\
## Déroulement

| Étape | Durée |
|:------|------:|
| Accueil | 10 min |

<details><summary>Le détail des ateliers</summary>
Trois ateliers en parallèle.
</details>

Le <abbr title="Centre public d'action sociale">CPAS</abbr> a reçu 12<sup>e</sup> demande ;
appuyez sur <kbd>Entrée</kbd>.

![Affiche de la journée](../ressources/affiche.png)

[Le programme](../ressources/affiche.png){ .md-button #programme }

!!! note "À retenir"
    Une admonition reste une admonition.
"""


def _fiche(project: Project, name: str, body: str, title: str = "Atelier") -> None:
    (project.fiches_dir / f"{name}.md").write_text(
        FRONT.format(title=title) + body, encoding="utf-8"
    )


def _forced_build(project: Project) -> BuildReport:
    """Build even if check reports errors: the sanitiser is the last line of defence."""
    return build_site(project, check_project(project), project.site_dir)


def _body(document: BeautifulSoup) -> str:
    article = document.find("article")
    assert article is not None
    return str(article)


def test_what_authors_legitimately_write_survives(tmp_path: Path) -> None:
    """Tables, details, abbr, sup, kbd, images with alt, buttons and admonitions are kept."""
    project = _mini_project(tmp_path)
    (project.docs_dir / "ressources" / "affiche.png").write_bytes(b"\x89PNG\r\n")
    _fiche(project, "legitime", LEGITIMATE_BODY)
    result = check_project(project)
    assert [p.format_text() for p in result.problems if p.file.endswith("legitime.md")] == []
    build_site(project, result, project.site_dir)
    article = page(project.site_dir, "fiches/legitime").find("article")
    assert article is not None
    assert [th.get("align") for th in article.select("table th")] == ["left", "right"]
    assert article.select_one("details > summary").get_text() == "Le détail des ateliers"
    assert article.select_one("abbr").get("title") == "Centre public d'action sociale"
    assert article.select_one("sup").get_text() == "e"
    assert article.select_one("kbd").get_text() == "Entrée"
    image = article.select_one("img")
    assert image is not None and image.get("alt") == "Affiche de la journée"
    assert image.get("src", "").endswith("ressources/affiche.png")
    button = article.select_one("a.md-button")
    assert button is not None and button.get("id") == "programme"
    assert article.select_one("div.admonition.note p.admonition-title").get_text() == "À retenir"


HOSTILE_BODIES = {
    "script": "<script>document.title='PWNED'</script>",
    "handler": '<img src="x.png" alt="x" onerror="alert(1)">',
    "attr-list": '[Lien](autre.md){: onfocus="alert(1)" autofocus style="position:fixed" }',
    "js-link": "[Lien](javascript:alert(1))",
    "entity-link": '<a href="&#106;avascript:alert(1)">Lien</a>',
    "reference": "[Lien][x]\n\n[x]: javascript:alert(1)",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "form": '<form action="https://evil.example/"><input type="password" name="p"></form>',
    "base": '<base href="https://evil.example/">',
    "meta": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "style": "<style>body{display:none}</style>",
    "svg": "<svg><script>alert(1)</script></svg>",
    "forged-marker": "<!--fichotheque-corps-fin:0000-->\n\n<script>alert(1)</script>",
    "third-party": '<img src="https://evil.example/pixel.png" alt="Pixel">',
    "pagefind": '<span data-pagefind-meta="url:javascript:alert(1)">x</span>',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_BODIES))
def test_check_refuses_and_the_build_neutralises_a_hostile_body(name: str, tmp_path: Path) -> None:
    """Check reports an error at the payload's line; a forced build publishes nothing live."""
    project = _mini_project(tmp_path)
    _fiche(project, "piege", "Un paragraphe sûr.\n\n" + HOSTILE_BODIES[name] + "\n")
    result = check_project(project)
    errors = [p for p in result.problems if p.file.endswith("piege.md") and p.severity == "error"]
    assert errors and {p.line for p in errors} <= {13, 14, 15}, [p.format_text() for p in errors]
    build_site(project, result, project.site_dir)
    article = page(project.site_dir, "fiches/piege").find("article")
    assert article is not None
    for element in article.find_all(True):
        assert element.name not in {"script", "iframe", "form", "input", "base", "meta", "style"}
        for attribute, value in element.attrs.items():
            assert not attribute.startswith(("on", "style")), element
            text = " ".join(value) if isinstance(value, list) else value
            assert not re.match(r"\s*(javascript|vbscript|data):", text, re.I), element
            assert "evil.example" not in text or attribute == "href", element
    metas = [element["data-pagefind-meta"] for element in article.select("[data-pagefind-meta]")]
    assert sorted(meta.split(":")[0] for meta in metas) == ["date", "organisation", "resume"]
    assert "fichotheque-corps" not in (project.site_dir / "fiches/piege/index.html").read_text()


def test_sanitiser_keeps_only_the_allowed_hosts() -> None:
    """An embed from an allowed host stays, sandboxed; the same from another host goes."""
    fragment = (
        '<iframe src="https://www.youtube-nocookie.com/embed/x"></iframe>'
        '<iframe src="https://evil.example/embed/x"></iframe>'
        '<img src="https://evil.example/p.png" alt="p">'
    )
    allowed = BeautifulSoup(sanitise(fragment, ["www.youtube-nocookie.com"]), "html.parser")
    frames = allowed.find_all("iframe")
    assert [f["src"] for f in frames] == ["https://www.youtube-nocookie.com/embed/x"]
    assert "allow-scripts" in frames[0]["sandbox"] and frames[0]["referrerpolicy"] == "no-referrer"
    assert allowed.find("img").get("src") is None
    assert BeautifulSoup(sanitise(fragment), "html.parser").find("iframe") is None


def test_allowed_host_reaches_the_policy_and_others_are_reported(tmp_path: Path) -> None:
    """« extra.hotes_autorises » lets one host in, in check, sanitiser and CSP alike."""
    project = _mini_project(tmp_path)
    settings = yaml.safe_load(project.mkdocs_path.read_text(encoding="utf-8"))
    settings["extra"]["hotes_autorises"] = ["www.youtube-nocookie.com"]
    project.mkdocs_path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    _fiche(
        project,
        "video",
        '<iframe src="https://www.youtube-nocookie.com/embed/x" title="La vidéo"></iframe>\n\n'
        '<img src="https://images.example.org/a.png" alt="Photo">\n',
    )
    result = check_project(project)
    found = [(p.code, p.message) for p in result.problems if p.file.endswith("video.md")]
    assert [code for code, _ in found] == ["contenu-tiers"]
    assert "images.example.org" in found[0][1]
    build_site(project, result, project.site_dir)
    document = page(project.site_dir, "fiches/video")
    assert document.select_one("article iframe")["src"].startswith("https://www.youtube-nocookie")
    policy = document.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert "frame-src https://www.youtube-nocookie.com" in policy
    assert "images.example.org" not in policy


def test_every_page_carries_a_strict_policy_with_the_hashes_of_its_theme_scripts(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Each HTML page starts its head with the CSP; every inline script it runs is hashed.

    The browser editor's page has its own policy, tested in tests/test_editor.py.
    """
    project, _ = built_example
    editor = project.site_dir / EDITOR_DIR
    pages = sorted(p for p in project.site_dir.rglob("*.html") if editor not in p.parents)
    assert len(pages) > 50
    for path in pages:
        document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        meta = document.head.find(True)
        assert meta.name == "meta" and meta.get("http-equiv") == "Content-Security-Policy", path
        policy = dict(d.strip().split(" ", 1) for d in meta["content"].split(";"))
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
        assert policy["base-uri"] == "'self'" and policy["form-action"] == "'self'"
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'wasm-unsafe-eval'" in policy["script-src"]
        inline = [
            s.string or ""
            for s in document.find_all("script", src=False)
            if s.get("type", "text/javascript") in ("text/javascript", "module")
        ]
        for code in inline:
            assert f"'sha256-{script_hash(code)}'" in policy["script-src"], (path, code[:60])


def test_hostile_settings_are_shown_as_text(tmp_path: Path) -> None:
    """A site name, a copyright and a licence from mkdocs.yml never become markup."""
    project = _mini_project(tmp_path)
    settings = yaml.safe_load(project.mkdocs_path.read_text(encoding="utf-8"))
    name = '<script>alert("nom")</script> Réseau & "Cie"'
    settings.update({"site_name": name, "copyright": "<img src=x onerror=alert(1)> Textes"})
    settings["extra"]["licence"] = {"nom": "<b>CC</b>", "url": "javascript:alert(2)"}
    project.mkdocs_path.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    result = check_project(project)
    codes = {(p.file, p.code, p.field) for p in result.problems}
    assert ("mkdocs.yml", "url-invalide", "extra.licence.url") in codes
    assert ("mkdocs.yml", "html-dans-texte", "site_name") in codes
    build_site(project, result, project.site_dir)
    for path in project.site_dir.rglob("*.html"):
        document = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert not [s for s in document.find_all("script") if "alert" in (s.string or "")], path
        assert document.find("img", onerror=True) is None, path
        assert not document.find_all(href=re.compile("^javascript:", re.I)), path
    home = page(project.site_dir, "")
    assert home.select_one(".md-header__topic .md-ellipsis").get_text(strip=True) == name
    assert home.find("title").get_text().endswith(name)


def test_markers_cannot_be_forged_from_a_body() -> None:
    """The body markers carry the build's secret, which differs from build to build."""
    from fichotheque.harden import new_secret

    first, second = new_secret(), new_secret()
    assert first != second and len(first) >= 32
    assert body_markers(first) != body_markers(second)


CSP_WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
});
"""


def violations_on_every_kind(page, address: str, *, toggle: bool = False) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Open every kind of page (searching, toggling the theme); the CSP violations seen."""
    found = {}
    for kind, path in PAGE_KINDS.items():
        page.goto(address + path)
        page.wait_for_load_state("networkidle")
        if kind == "recherche":
            page.locator("#recherche-resultats > li").first.wait_for(timeout=10_000)
        if toggle:
            before = page.locator("body").get_attribute("data-md-color-scheme")
            page.locator("form[data-md-component=palette] label:visible").first.click()
            assert page.locator("body").get_attribute("data-md-color-scheme") != before, kind
        violations = page.evaluate("window.__violations")
        if violations:
            found[kind] = violations
    return found


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_breaks_its_policy_and_the_policy_is_enforced(  # type: ignore[no-untyped-def]
    browser,  # noqa: F811
    server: str,  # noqa: F811
    scheme: str,
) -> None:
    """Every kind of page works with zero CSP violation: theme toggle, search, panorama."""
    context = browser.new_context(color_scheme=scheme)
    context.add_init_script(CSP_WATCH)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    found = violations_on_every_kind(page, server, toggle=True)
    # The policy is really enforced: an inline script added to the page does not run.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__ran = true'; document.body.append(s); }"
    )
    assert page.evaluate("window.__ran === undefined")
    assert any("script-src" in v for v in page.evaluate("window.__violations"))
    context.close()
    assert found == {} and errors == []


def test_headers_file_carries_the_policy_of_every_page(
    built_example: tuple[Project, BuildReport],
) -> None:
    """site/_headers (Netlify, Cloudflare Pages) allows every inline script and no framing."""
    project, _ = built_example
    lines = (project.site_dir / "_headers").read_text(encoding="utf-8").splitlines()
    header = next(line for line in lines if "Content-Security-Policy:" in line)
    assert "frame-ancestors 'none'" in header and "'unsafe-inline'" not in header
    for path in project.site_dir.rglob("*.html"):
        meta = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").find(
            "meta", attrs={"http-equiv": "Content-Security-Policy"}
        )
        for source in meta["content"].split("script-src", 1)[1].split(";")[0].split():
            assert source in header, (path, source)


def documented_header() -> str:
    """The stable policy the README gives for nginx, read from the README itself."""
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    match = re.search(r'add_header Content-Security-Policy "([^"]+)" always;', readme)
    assert match, "the README gives no nginx policy"
    return match.group(1)


@pytest.mark.browser
def test_the_documented_server_header_keeps_every_page_working(  # type: ignore[no-untyped-def]
    browser,  # noqa: F811
    built_example: tuple[Project, BuildReport],
) -> None:
    """With the README's header on top of each page's meta, nothing is blocked or broken."""
    from test_browser import _QuietHandler, serving

    header = documented_header()

    class WithHeader(_QuietHandler):
        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", header)
            super().end_headers()

    project, _ = built_example
    with serving(project.site_dir, WithHeader) as address:
        context = browser.new_context()
        context.add_init_script(CSP_WATCH)
        page = context.new_page()
        try:
            assert violations_on_every_kind(page, address) == {}
        finally:
            context.close()


def test_attribute_lists_set_only_ids_and_classes() -> None:
    """« {: onclick=… style=… .c #i } » gives the id and the class, nothing else."""
    import markdown

    from fichotheque.safe_attrs import SafeAttrListExtension

    html = markdown.markdown(
        '[Lien](page.md){: onclick="alert(1)" style="position:fixed" .bouton #lien autofocus }',
        extensions=[SafeAttrListExtension()],
    )
    link = BeautifulSoup(html, "html.parser").find("a")
    assert link is not None and set(link.attrs) == {"href", "class", "id"}
    assert link["class"] == ["bouton"] and link["id"] == "lien"


def test_a_line_separator_in_a_body_is_a_warning_and_becomes_a_line_break(
    tmp_path: Path,
) -> None:
    """U+2028 at a line end (seen in real exports) warns, never blocks, and is normalised."""
    project = _mini_project(tmp_path)
    _fiche(project, "separateur", "Une ligne qui finit mal\u2028\nEt la suivante.\n")
    result = check_project(project)
    found = [(p.code, p.severity) for p in result.problems if p.file.endswith("separateur.md")]
    assert found == [("caractere-invisible", "warning")]
    build_site(project, result, project.site_dir)
    text = (project.site_dir / "fiches/separateur/index.html").read_text(encoding="utf-8")
    assert "\u2028" not in text and "Une ligne qui finit mal" in text


def test_hand_written_pages_follow_the_same_policy(tmp_path: Path) -> None:
    """A page of docs/ and the home text are checked and sanitised like a fiche body."""
    project = _mini_project(tmp_path)
    (project.docs_dir / "index.md").write_text(
        "# Accueil\n\n<img src=x.png alt=Logo onerror=alert(1)>\n", encoding="utf-8"
    )
    (project.docs_dir / "a-propos.md").write_text(
        "---\ntitle: À propos\n---\n\n# À propos\n\n<script>alert(2)</script>\n", encoding="utf-8"
    )
    result = check_project(project)
    found = {(p.file, p.line, p.code) for p in result.problems if p.severity == "error"}
    assert found == {
        ("docs/index.md", 3, "html-dangereux"),
        ("docs/a-propos.md", 7, "html-dangereux"),
    }
    build_site(project, result, project.site_dir)
    for url in ("", "a-propos"):
        article = page(project.site_dir, url).find("article")
        assert article is not None and article.find("script") is None, url
        assert not article.find_all(onerror=True), url
    assert page(project.site_dir, "").find("img", alt="Logo") is not None


@pytest.mark.parametrize(
    ("pattern", "codes"),
    [("<a ", set()), ("[", set()), ("{ a", set()), ("` a", set()), ("<!--", {"html-dangereux"})],
)
def test_a_hostile_body_at_the_size_limit_is_read_to_the_end(pattern: str, codes: set[str]) -> None:
    """Patterns that make naive parsers quadratic are read linearly, problems included."""
    from fichotheque.bodycheck import check_body
    from fichotheque.limits import MAX_FICHE_BYTES
    from fichotheque.yamlnodes import Mark

    body = pattern * ((MAX_FICHE_BYTES - 1000) // len(pattern)) + "\n\n<script>alert(1)</script>\n"
    found = {p.code for p in check_body(body, Mark(10, 1), "x.md").problems}
    assert found - {"html-dangereux"} == codes - {"html-dangereux"}
    assert "html-dangereux" in found  # the script at the very end is still seen
