"""What a visitor meets on every page: a skip link, visible focus, fields that fit a phone."""

from __future__ import annotations

import re
import unicodedata
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


def _document(project: Project, url: str) -> BeautifulSoup:
    return BeautifulSoup(
        (project.site_dir / url / "index.html").read_text(encoding="utf-8"), "html.parser"
    )


@pytest.mark.parametrize("url", ["glossaire", "fiches/2007-plans-locaux-integration"])
def test_a_meaning_and_its_context_never_nest_parentheses(
    built_example: tuple[Project, BuildReport], url: str
) -> None:
    """« Plan local d'intégration · Wallonie (Belgique) », not « … (Wallonie (Belgique)) »."""
    project, _ = built_example
    contexts = _document(project, url).select(".glossaire-contexte")
    assert contexts
    for context in contexts:
        line = " ".join(context.parent.get_text().split())
        assert not re.search(r"\([^()]*\([^()]*\)\)", line), line


def test_terms_without_fiches_are_not_links(built_example: tuple[Project, BuildReport]) -> None:
    """On the home and facet pages, a term that no fiche carries is shown, never linked."""
    project, _ = built_example
    seen = {"empty": 0, "linked": 0}
    for url in ["", "thematiques", "axes", "type", "public", "pays"]:
        for item in _document(project, url).select("ul.facette-termes > li"):
            empty = "aucune fiche" in item.get_text()
            assert (item.find("a") is None) == empty, item
            seen["empty" if empty else "linked"] += 1
    assert seen["empty"] and seen["linked"], seen


def test_fiche_pages_carry_previews_neighbours_apart_and_their_printed_source(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Open Graph text from the fiche, no preview image; « (2016) Fiche suivante » apart."""
    import yaml

    from test_build import published_front_matter

    project, _ = built_example
    settings = yaml.safe_load(project.mkdocs_path.read_text(encoding="utf-8"))
    site_name, site_url = settings["site_name"], settings["site_url"].rstrip("/")
    for slug, meta in published_front_matter().items():
        document = _document(project, f"fiches/{slug}")

        def og(name: str, document: BeautifulSoup = document) -> str:
            tag = document.find("meta", property=f"og:{name}")
            return tag["content"] if tag else ""

        assert og("title") == meta["title"] and og("description") == meta["description"]
        assert og("site_name") == site_name and not og("image")
        assert og("url") == f"{site_url}/fiches/{slug}/"
        source = document.select_one(".impression-source").get_text()
        assert site_name in source and og("url") in source
        neighbours = document.select_one("nav.fiche-voisines")
        if neighbours and len(neighbours.find_all("a")) == 2:
            assert re.search(r"\)\s+Fiche suivante", neighbours.get_text()), slug


def test_the_search_page_title_carries_the_query(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A tab, a bookmark and the history show what was searched."""
    page = browser.new_page()
    page.goto(server + "recherche/")
    page.wait_for_load_state("networkidle")
    plain = page.title()
    page.goto(server + "recherche/?q=logement")
    page.wait_for_function("() => document.title.startsWith('« logement »')")
    assert page.title() == f"« logement » – {plain}"
    page.close()


def test_a_fiche_shows_where_it_sits_how_fresh_it_is_and_what_it_cites(
    built_example: tuple[Project, BuildReport],
) -> None:
    """A breadcrumb, « Vérifiée le » under the title, « Fiche N » followed by its title."""
    from test_build import published_front_matter

    project, _ = built_example
    fiches = published_front_matter()
    titles = {str(m["numero"]): str(m["title"]) for m in fiches.values() if "numero" in m}
    cited = 0
    for slug, meta in fiches.items():
        document = _document(project, f"fiches/{slug}")
        trail = document.select("nav.fil-ariane a")
        targets = [(project.site_dir / f"fiches/{slug}" / a["href"]).resolve() for a in trail]
        assert [a.get_text() for a in trail] == ["Accueil", "Toutes les fiches"], slug
        assert targets == [project.site_dir.resolve(), (project.site_dir / "fiches").resolve()]
        title = document.select_one("article h1")
        following = title.find_next_sibling()
        if "verifie_le" in meta:
            assert following.get("class") == ["fiche-verification"], slug
            assert following.find("time")["datetime"] == str(meta["verifie_le"]), slug
        for link in document.select("article a"):
            number = re.fullmatch(r"Fiche\s+(?:n°\s*)?(\d+)", link.get_text())
            if number and number.group(1) in titles:
                shown = link.find_next_sibling("span", class_="fiche-reference-titre")
                assert shown is not None and titles[number.group(1)] in shown.get_text(), slug
                cited += 1
    assert cited


def test_staff_pages_sit_in_their_own_section(built_example: tuple[Project, BuildReport]) -> None:
    """The writing guide and the field reference are under « Contribuer », not beside search."""
    project, _ = built_example
    primary = _document(project, "").select_one("nav.md-nav--primary > ul")
    sections = {
        " ".join(li.find(["label", "a"]).get_text().split()): li
        for li in primary.find_all("li", recursive=False)
    }
    staff = sections.pop("Contribuer")
    inside = {" ".join(a.get_text().split()) for a in staff.select("a")}
    assert {"Guide de rédaction", "Référence des champs"} <= inside
    outside = {" ".join(a.get_text().split()) for li in sections.values() for a in li.select("a")}
    assert not outside & inside, outside & inside


def test_the_glossary_has_an_index_and_lands_clear_of_the_header(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Every letter of the A–Z index leads to a term; a linked meaning shows below the header."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "glossaire/")
    letters = page.locator("nav.glossaire-index a").evaluate_all(
        "links => links.map(a => [a.textContent, a.hash])"
    )
    terms = page.locator("dl.glossaire dt").all_inner_texts()
    firsts = {unicodedata.normalize("NFKD", t.strip())[0].upper() for t in terms}
    assert [letter for letter, _ in letters] == sorted(c if c.isalpha() else "#" for c in firsts)
    for _letter, anchor in letters:
        assert page.locator(anchor).count() == 1, anchor
    meaning = page.locator("dl.glossaire dd[id]").nth(-1).get_attribute("id")
    page.goto(server + f"glossaire/#{meaning}")
    page.wait_for_timeout(300)
    header = page.locator(".md-header").bounding_box()
    target = page.locator(f"[id='{meaning}']").bounding_box()
    page.close()
    assert header and target and target["y"] >= header["y"] + header["height"], (header, target)


def test_without_javascript_the_search_page_offers_a_way_instead_of_a_dead_form(  # type: ignore[no-untyped-def]
    browser,  # noqa: F811
    server: str,  # noqa: F811
) -> None:
    """The form, which needs JavaScript, is hidden; the message links to the categories."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "recherche/")
    assert not page.locator("form#recherche").is_visible()
    message = page.locator(".recherche-sans-js")
    assert message.is_visible() and message.locator("a").count() >= 2
    context.close()
    page = browser.new_page()
    page.goto(server + "recherche/")
    assert page.locator("form#recherche").is_visible()
    page.close()


def test_filter_checkboxes_are_big_enough_to_hit(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """On a phone, each filter checkbox is a target of at least 24 × 24 px."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "recherche/")
    page.wait_for_load_state("networkidle")
    page.locator(".recherche-ouvrir").click()
    sizes = page.locator("form#recherche input[type=checkbox]:visible").evaluate_all(
        "boxes => boxes.map(b => b.getBoundingClientRect()).map(r => [r.width, r.height])"
    )
    page.close()
    assert sizes and all(w >= 24 and h >= 24 for w, h in sizes), sizes[:5]


def test_from_the_last_filter_one_tab_leads_to_the_results(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """After the filters, « Aller aux résultats » takes the keyboard straight to the results."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "recherche/?q=emploi")
    page.locator("#recherche-resultats > li").first.wait_for()
    page.locator("form#recherche input[type=checkbox]:visible:enabled").last.focus()
    for _ in range(3):  # past « Voir les N autres » of the last facet, if it has one
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Aller aux résultats":
            break
    assert page.evaluate("document.activeElement.textContent") == "Aller aux résultats"
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#recherche-titre'")
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('#recherche-resultats')")
    box = page.locator("#recherche-resultats > li").first.bounding_box()
    page.close()
    assert box is not None and 0 <= box["y"] < 800, box


def test_the_breadcrumb_reads_on_one_line_aligned_with_the_title(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """On a phone, « Accueil › Toutes les fiches » sits on one line, flush with the title."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "fiches/2007-plans-locaux-integration/")
    items = page.locator("nav.fil-ariane li").evaluate_all(
        "items => items.map(i => [i.getBoundingClientRect().top, i.getBoundingClientRect().left])"
    )
    title = page.locator("article h1").bounding_box()
    page.close()
    assert len({round(top) for top, _ in items}) == 1, items
    assert title is not None and abs(items[0][1] - title["x"]) < 2, (items, title)


def test_on_a_phone_tables_keep_whole_words_and_the_site_name_shows(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """At 390 px, no title of the catalogue wraps more lines than it has words; the site's
    name is shown whole, not cut to « Fich… »."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    broken = {}
    for url, selector in (("fiches/", "table.catalogue td a"), ("panorama/", "table.matrice a")):
        page.goto(server + url)
        broken.update(
            page.locator(selector).evaluate_all(
                "links => Object.fromEntries(links.map(a => [a.textContent,"
                " [Math.round(a.getBoundingClientRect().height /"
                " parseFloat(getComputedStyle(a).lineHeight)),"
                " a.textContent.trim().split(/\\s+/).length]]).filter(([, [lines, words]]) =>"
                " lines > words))"
            )
        )
    name = page.locator(".md-header__topic .md-ellipsis").first.evaluate(
        "e => [e.scrollWidth, e.clientWidth, e.textContent.trim()]"
    )
    # Scrolled down a fiche with a long title, the header shows the title within itself.
    page.goto(server + "fiches/")
    page.goto(page.locator("table.catalogue td a").first.evaluate("a => a.href"))
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(800)
    spill = page.evaluate(
        "() => { const h = document.querySelector('.md-header').getBoundingClientRect();"
        " const t = document.querySelector('.md-header__topic + .md-header__topic .md-ellipsis')"
        ".getBoundingClientRect(); return [t.top - h.top, h.bottom - t.bottom]; }"
    )
    page.close()
    assert broken == {}
    assert name[0] <= name[1], name
    assert min(spill) >= 0, spill
