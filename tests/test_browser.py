"""The built example site in real Chromium, driven by Playwright."""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fichotheque.engine import BuildReport
from fichotheque.project import Project

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serving(site: Path, handler: type[SimpleHTTPRequestHandler] = _QuietHandler) -> Iterator[str]:
    """A built site served on a free local port, for as long as the block lasts."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="module")
def server(built_example: tuple[Project, BuildReport]) -> Iterator[str]:
    """The built example site served on a free local port."""
    project, _ = built_example
    with serving(project.site_dir) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium; in CI its absence is a failure, elsewhere a skip."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def test_a_visitor_reaches_a_fiche_by_its_axis_and_back_to_its_theme(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    """Home → axis term → fiche → theme term, by clicking, with every request kept local."""
    page = browser.new_page()
    hosts = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.goto(server)
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="Accompagnement", exact=True).first.click()
    page.wait_for_url("**/axes/accompagnement/")
    assert page.locator("h1").inner_text() == "Accompagnement"
    first_fiche = page.locator("ul.fiche-liste > li > a").first
    title = first_fiche.inner_text()
    first_fiche.click()
    page.wait_for_url("**/fiches/**")
    assert page.locator("h1").inner_text() == title
    categories = page.locator("nav.fiche-categories")
    assert categories.get_by_role("link", name="Accompagnement", exact=True).count() == 1
    theme = categories.locator("dd").nth(1).locator("a").first
    theme_label = theme.inner_text()
    theme.click()
    assert page.locator("h1").inner_text() == theme_label
    assert page.locator("ul.fiche-liste > li > a", has_text=title).count() == 1
    assert hosts == {urlsplit(server).netloc}
    page.close()


def test_pages_render_without_console_errors(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    """The home, catalogue, a facet and the glossary load with no JavaScript error."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    for path in ("", "fiches/", "thematiques/", "glossaire/"):
        response = page.goto(server + path)
        assert response is not None and response.ok, path
        assert page.locator("h1").count() == 1, path
    assert errors == []
    page.close()


PAGE_KINDS = {
    "accueil": "",
    "fiche": "fiches/2007-plans-locaux-integration/",
    "terme": "axes/accompagnement/",
    "facette": "thematiques/",
    "catalogue": "fiches/",
    "glossaire": "glossaire/",
    "guide": "guide-de-redaction/",
    "reference": "reference-des-champs/",
    "configuration": "reference-de-la-configuration/",
    "404": "404.html",
    "chronologie": "chronologie/",
    "panorama": "panorama/",
    "donnees": "donnees/",
    "recherche": "recherche/?q=emploi&thematiques=logement",
}
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_kind_of_page_has_no_axe_violation(browser, server: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    """axe-core finds no WCAG 2.1 A/AA violation on any kind of page, in light and dark."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = browser.new_page(color_scheme=scheme)
    found = {}
    for kind, path in PAGE_KINDS.items():
        page.goto(server + path)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
        violations = results.response["violations"]
        if violations:
            found[kind] = [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
    page.close()
    assert found == {}


def test_catalogue_sorts_by_title_and_date(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    """The catalogue's column buttons sort the rows, and say so to screen readers."""
    page = browser.new_page()
    page.goto(server + "fiches/")
    table = page.locator("table.catalogue")

    def column(index: int) -> list[str]:
        return table.locator(f"tbody tr td:nth-child({index})").evaluate_all(
            "cells => cells.map(c => c.getAttribute('data-tri'))"
        )

    dates = column(2)
    assert dates == sorted(dates, reverse=True)
    table.get_by_role("button", name="Titre").click()
    titles = column(1)
    assert len(titles) > 2 and titles != dates
    assert (
        table.locator("th", has=page.get_by_role("button", name="Titre")).get_attribute("aria-sort")
        == "ascending"
    )
    assert titles == sorted(titles, key=lambda t: t.casefold()) or titles == page.evaluate(
        "t => t.slice().sort((a, b) => a.localeCompare(b, 'fr'))", titles
    )
    table.get_by_role("button", name="Date").click()
    assert column(2) == sorted(dates)
    page.close()


class _PrefixHandler(_QuietHandler):
    """Serves the site under /sous-dossier/, as a host would that publishes it in a sub-path."""

    prefix = "/sous-dossier/"

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "nulle-part")
        return super().translate_path("/" + path[len(self.prefix) :])


def test_site_works_from_a_sub_path(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """With site_url set to a sub-path, every page, style and script loads from that sub-path."""
    from conftest import copy_example
    from fichotheque.check import check_project
    from fichotheque.engine import build_site

    project = copy_example(tmp_path / "example")
    config = project.mkdocs_path.read_text(encoding="utf-8")
    project.mkdocs_path.write_text(
        config.replace("site_url: https://fiches.example.org/",
                       "site_url: https://example.org/sous-dossier/"),
        encoding="utf-8",
    )  # fmt: skip
    build_site(project, check_project(project), project.site_dir)
    handler = functools.partial(_PrefixHandler, directory=str(project.site_dir))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/sous-dossier/"
    page = browser.new_page()
    failures: list[str] = []
    page.on("response", lambda r: failures.append(r.url) if r.status >= 400 else None)
    try:
        for path in ("", "fiches/2009-reseau-insertion-socioprofessionnelle/", "404.html"):
            page.goto(base + path)
            assert page.locator("h1").count() == 1, path
        page.goto(base + "404.html")
        page.get_by_role("link", name="Revenir à l'accueil").click()
        page.wait_for_load_state()
        assert page.url == base
    finally:
        page.close()
        httpd.shutdown()
        httpd.server_close()
    assert failures == []


def test_a_fiche_prints_without_the_site_around_it(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    """In print, the header, menus, footer and neighbours disappear; the fiche stays."""
    page = browser.new_page()
    page.goto(server + "fiches/2007-plans-locaux-integration/")
    page.emulate_media(media="print")
    for selector in (".md-header", ".md-sidebar--primary", ".md-footer", ".fiche-voisines"):
        assert not page.locator(selector).first.is_visible(), selector
    assert page.locator("h1").is_visible() and page.locator(".fiche-meta").is_visible()
    page.close()
