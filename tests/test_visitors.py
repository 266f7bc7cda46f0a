"""What a visitor meets on every page: a skip link, visible focus, fields that fit a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from fichotheque.engine import BuildReport
from fichotheque.project import Project
from test_browser import PAGE_KINDS, browser, server  # noqa: F401 - fixtures

pytestmark = pytest.mark.browser


def _luminance(colour: str) -> float:
    """Relative luminance of a CSS ``rgb(…)``/``rgba(…)`` colour (WCAG 2.1)."""
    red, green, blue = (int(c) / 255 for c in re.findall(r"[\d.]+", colour)[:3])

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_first_tab_stop_of_every_page_skips_to_its_content(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """On every kind of page, Tab then Enter lands at the top of the content, title included."""
    page = browser.new_page()
    wrong = {}
    for kind, path in PAGE_KINDS.items():
        page.goto(server + path)
        page.keyboard.press("Tab")
        first = page.evaluate(
            "() => { const a = document.activeElement; const box = a.getBoundingClientRect();"
            " return [a.textContent.trim(), a.getAttribute('href'),"
            " box.width > 0 && box.top >= 0]; }"
        )
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "() => !!document.activeElement.closest('.md-content')"
            " || !!document.activeElement.closest('article')"
        )
        title_shown = page.evaluate(
            "() => { const h = document.querySelector('article h1');"
            " return !h || h.getBoundingClientRect().bottom > 0; }"
        )
        if first != ["Aller au contenu", "#contenu", True] or not inside or not title_shown:
            wrong[kind] = (first, inside, title_shown)
    page.close()
    assert wrong == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_box_and_checkboxes_show_their_focus(browser, server: str, scheme: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Reached by the keyboard, fields show an outline of 2 px at 3:1 against the page."""
    page = browser.new_page(color_scheme=scheme)
    page.goto(server + "recherche/")
    seen = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        target = page.evaluate(
            "() => { const e = document.activeElement; return e.id === 'entete-q' ? 'entete'"
            " : e.id === 'recherche-q' ? 'recherche' : e.type === 'checkbox' ? 'case' : ''; }"
        )
        if target and target not in seen:
            seen[target] = page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " const back = document.activeElement.closest('.md-header') ? "
                " getComputedStyle(document.querySelector('.md-header')).backgroundColor :"
                " getComputedStyle(document.body).backgroundColor;"
                " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, back]; }"
            )
        if {"recherche", "case"} <= set(seen):
            break
    page.close()
    assert {"recherche", "case"} <= set(seen), seen
    for target, (style, width, colour, background) in seen.items():
        assert style != "none" and width >= 2, (target, style, width)
        assert contrast(colour, background) >= 3, (target, colour, background)


def test_fields_keep_phones_from_zooming(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """At 390 px wide, every text field uses a font of 16 px or more."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    small = {}
    for path in ("", "recherche/", "fiches/"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
        sizes = page.evaluate(
            "() => [...document.querySelectorAll('input[type=search], input[type=number],"
            " input[type=text], select')].filter((e) => e.getClientRects().length)"
            ".map((e) => [e.id || e.name, parseFloat(getComputedStyle(e).fontSize)])"
        )
        small.update({f"{path}#{name}": size for name, size in sizes if size < 16})
        assert sizes, path
    page.close()
    assert small == {}


@pytest.mark.parametrize("url", ["", "fiches/", "recherche/", "404.html"])
def test_the_footer_speaks_french(built_example: tuple[Project, BuildReport], url: str) -> None:
    """Material's « Made with » line is replaced by a French one."""
    project, _ = built_example
    path = project.site_dir / url
    path = path if path.suffix == ".html" else path / "index.html"
    footer = BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser").select_one(
        ".md-copyright"
    )
    assert footer is not None
    text = " ".join(footer.get_text().split())
    assert "Made with" not in text and "Site construit avec Fichothèque" in text
