"""A base of 500+ fiches with a facet of 170 terms, seen in Chromium at 1280 and 390 px."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from bases import wide_base
from fichotheque.project import Project
from test_browser import browser, serving  # noqa: F401 - fixture
from test_search import CARDS, RESULT_LINKS, settled

pytestmark = pytest.mark.browser

TERMS, FICHES = 170, 500
SCREENS = {"bureau": (1280, 800), "telephone": (390, 844)}
QUERIES = ["q=logement", "q=pli", "quartiers=quartier-007", "q=emploi&axes=accompagnement"]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, str]]:
    """The example with 500 more fiches, 3 of 170 « Quartiers » each; built and served."""
    from fichotheque.check import check_project
    from fichotheque.engine import build_site

    # Second facet, so that the panorama crosses it with the first.
    project = wide_base(tmp_path_factory.mktemp("large") / "base", TERMS, FICHES, position=1)
    build_site(project, check_project(project), project.site_dir)
    with serving(project.site_dir) as address:
        yield project, address


def _document(project: Project, url: str) -> BeautifulSoup:
    return BeautifulSoup((project.site_dir / url / "index.html").read_text("utf-8"), "html.parser")


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("query", QUERIES)
def test_the_first_result_starts_within_the_first_screen(  # type: ignore[no-untyped-def]
    browser,  # noqa: F811
    large,
    screen: str,
    query: str,
) -> None:
    """Whatever the number of filters, results come first: the first card is in view."""
    _, address = large
    width, height = SCREENS[screen]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{address}recherche/?{query}")
    settled(page)
    box = page.locator(CARDS).first.bounding_box()
    page.close()
    assert box is not None and box["y"] < height, (screen, box)


def test_from_the_search_box_the_keyboard_skips_170_filters(browser, large) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Search box, « Rechercher », « Aller aux résultats » (shown on focus), the first result."""
    _, address = large
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{address}recherche/?q=logement")
    settled(page)
    page.locator("#recherche-q").focus()
    filters = page.locator("#recherche-panneau input[type=checkbox]:visible").count()
    for _ in range(3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Aller aux résultats":
            break
    assert page.evaluate("document.activeElement.textContent") == "Aller aux résultats"
    link = page.evaluate("document.activeElement.getBoundingClientRect().width")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.locator(RESULT_LINKS).first.evaluate("a => a.href")
    focused = page.evaluate("document.activeElement.href")
    page.close()
    assert filters > 20 and link > 40
    assert focused == first


def test_the_home_and_the_panorama_stay_short(browser, large) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Home under 4,000 px, panorama under 8,000 px at 1280 px; 8 terms, then the others."""
    from fichotheque.render.listings import TERMS_FIRST

    project, address = large
    home = _document(project, "")
    block = next(h for h in home.find_all("h3") if h.get_text(strip=True) == "Quartiers")
    shown = block.find_next_sibling("ul").find_all("li")
    more = block.find_next_sibling("p", class_="facette-suite")
    assert len(shown) == TERMS_FIRST and more is not None
    assert f"les {TERMS - TERMS_FIRST} autres" in more.get_text()
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    heights = {}
    for name in ("", "panorama/"):
        page.goto(address + name)
        heights[name] = page.evaluate("document.documentElement.scrollHeight")
    smallest = page.evaluate(
        "() => Math.min(...[...document.querySelectorAll('.graphique *, table.matrice *')]"
        ".filter(e => [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))"
        ".map(e => parseFloat(getComputedStyle(e).fontSize)))"
    )
    page.close()
    assert heights[""] < 4000 and heights["panorama/"] < 8000, heights
    assert smallest >= 12, smallest


def test_a_fiche_page_view_downloads_nothing_that_lists_the_site(browser, large) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The page, the theme's files, and at most a sitemap index naming no page."""
    project, address = large
    fiche = sorted((project.root / "fiches").glob("genere-*.md"))[-1]
    page = browser.new_page()
    bodies: dict[str, bytes] = {}
    page.on("response", lambda r: bodies.__setitem__(urlsplit(r.url).path, r.body()))
    page.goto(f"{address}fiches/{fiche.stem}/")
    page.wait_for_load_state("networkidle")
    page.close()
    others = {path for path in bodies if not path.startswith("/assets/")}
    assert f"/fiches/{fiche.stem}/" in others
    assert others <= {f"/fiches/{fiche.stem}/", "/sitemap.xml"}, others
    if "/sitemap.xml" in bodies:  # Material's script looks for other languages there
        assert b"<url>" not in bodies["/sitemap.xml"] and len(bodies["/sitemap.xml"]) < 1000


def test_opening_the_search_downloads_no_word_index(browser, large) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Pagefind's code and its filters only, at most 250 KB: the index waits for a query."""
    _, address = large
    page = browser.new_page()
    fetched: dict[str, int] = {}
    page.on(
        "response",
        lambda r: (
            fetched.__setitem__(r.url, int(r.headers.get("content-length") or 0))
            if "/pagefind/" in r.url
            else None
        ),
    )
    page.goto(address + "recherche/")
    settled(page)
    page.wait_for_load_state("networkidle")
    opening = dict(fetched)
    page.locator("input[name=quartiers]:enabled >> visible=true").first.check()
    settled(page)
    page.wait_for_load_state("networkidle")
    filtering = {url: n for url, n in fetched.items() if url not in opening}
    page.close()
    words = re.compile(r"/pagefind/(?:lots/\d+/)?index/")  # of any part of the index
    assert opening and not [url for url in opening if words.search(url)], opening
    assert sum(opening.values()) <= 250_000, sum(opening.values())
    # Filters alone: one chunk of each part's word index, not all of them.
    parts = [entry.parent for entry in large[0].site_dir.rglob("pagefind-entry.json")]
    chunks = sum(len(list((part / "index").iterdir())) for part in parts)
    loaded = [url for url in filtering if words.search(url)]
    assert chunks > len(parts) and len(loaded) == len(parts), (chunks, loaded)


def test_a_facet_of_170_terms_shows_its_most_used_and_filters_the_rest(browser, large) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """8 boxes, « Voir les 162 autres »; typing « 16 » keeps exactly the matching terms."""
    _, address = large
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(address + "recherche/?q=logement")
    settled(page)
    facet = page.locator("details[data-facette=quartiers]")
    boxes = facet.locator("input[type=checkbox]")
    assert boxes.filter(visible=True).count() == 8
    facet.get_by_role("button", name=f"Voir les {TERMS - 8} autres").click()
    assert boxes.filter(visible=True).count() == TERMS
    facet.get_by_role("button", name="Voir moins").click()
    assert boxes.filter(visible=True).count() == 8
    facet.get_by_label("Filtrer les termes de « Quartiers »").fill("16")
    labels = (
        facet.locator("input[type=checkbox]")
        .filter(visible=True)
        .evaluate_all("boxes => boxes.map(b => b.dataset.libelle)")
    )
    page.close()
    expected = [f"Quartier {i}" for i in range(TERMS) if "16" in str(i)]
    assert sorted(labels) == sorted(expected)


def test_the_cross_table_stays_readable(large) -> None:  # type: ignore[no-untyped-def]
    """At most the 12 × 8 most used terms, the others counted together."""
    from fichotheque.render.charts import MATRIX_SHOWN

    project, _ = large
    table = _document(project, "panorama").select_one("table.matrice")
    rows = table.select("tbody tr")
    columns = table.select("thead th[scope=col]")
    assert len(rows) <= MATRIX_SHOWN[0] + 1 and len(columns) == MATRIX_SHOWN[1] + 1
    assert columns[-1].get_text() == f"Autres ({TERMS - MATRIX_SHOWN[1]} termes)"
    assert Path(project.site_dir / "panorama" / "index.html").stat().st_size < 400_000
