"""The visitors' journeys through search, in real Chromium, asserting what they see."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import parse_qs, urlsplit

import pytest

from fichotheque.engine import BuildReport
from fichotheque.project import Project
from test_browser import browser, server  # noqa: F401 - fixtures
from test_build import page as page_of
from test_build import published_front_matter
from test_search import CARDS, RESULT_LINKS, carrying, ranked, results, settled
from test_site import glossary_data
from test_visitors import contrast

pytestmark = pytest.mark.browser


def last_year(meta: dict[str, object]) -> int:
    return max(int(year) for year in re.findall(r"\d{4}", str(meta["date"])))


def test_housing_activities_from_2022_on(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« logement », then « de 2022 »: the housing fiches still running in 2022 or later."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    everything = results(page, server + "recherche/?q=logement")
    page.get_by_label("de", exact=True).fill("2022")
    page.get_by_label("de", exact=True).press("Enter")
    page.wait_for_url("**de=2022**")
    settled(page)
    fiches = published_front_matter()
    recent = {slug for slug in everything if last_year(fiches[slug]) >= 2022}
    tagged = {s for s in carrying("thematiques", "logement") if last_year(fiches[s]) >= 2022}
    found = results(page, page.url)
    assert tagged and found == recent and tagged <= found
    assert page.locator("#recherche-titre").inner_text() == f"{len(found)} fiches pour « logement »"
    assert page.get_by_role("button", name="Retirer le filtre Années depuis 2022").is_visible()
    page.close()


def test_what_pli_means_and_which_fiches_use_each_meaning(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Searching « pli » shows both meanings first, each with its context and its fiches."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "recherche/?q=pli")
    settled(page)
    box = page.locator("#recherche-definitions")
    assert box.is_visible()
    assert box.bounding_box()["y"] < page.locator(CARDS).first.bounding_box()["y"]  # type: ignore[index]
    entry = box.locator(".recherche-definition:visible")
    assert entry.count() == 1 and entry.locator("abbr").inner_text() == "PLI"
    meanings = glossary_data()["PLI"]
    shown = entry.locator("li").all_inner_texts()
    assert len(shown) == len(meanings)
    for meaning, text in zip(meanings, shown, strict=True):
        assert meaning["forme_developpee"] in text and f"· {meaning['contexte']}" in text
    # Each meaning leads to the glossary's list of the fiches that use it.
    link = entry.locator("li").first.locator(".glossaire-fiches a")
    count = int(re.search(r"\d+", link.inner_text()).group())  # type: ignore[union-attr]
    link.click()
    page.wait_for_url(f"**glossaire/#{meanings[0]['id']}")
    users = page.locator(f"[id='{meanings[0]['id']}'] .glossaire-fiches a").count()
    folded = page.locator(f"[id='{meanings[0]['id']}'] .glossaire-suite a").count()
    assert users + folded == count
    page.close()


def test_a_shared_search_opens_the_same_in_a_fresh_browser(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« integration », two themes and one axis: the address gives the same page elsewhere."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "recherche/")
    page.get_by_label("Mots recherchés").fill("integration")
    page.get_by_label("Mots recherchés").press("Enter")
    page.wait_for_url("**q=integration")
    settled(page)
    ticked = []
    for facet in ("thematiques", "thematiques", "axes"):  # what the words leave available
        free = page.locator(f"input[name={facet}]").evaluate_all(
            "boxes => boxes.filter(b => !b.disabled && !b.checked && b.getClientRects().length)"
            ".map(b => [b.id, b.value, b.dataset.libelle])"
        )
        assert free, (facet, ticked)
        ident, value, label = free[0]
        ticked.append(label)
        page.locator(f"[id='{ident}']").check()
        page.wait_for_url(re.compile(f"{facet}={value}"))
        settled(page)
    address = page.url
    settled(page)
    seen = (results(page, address), page.locator(".recherche-puce").all_inner_texts())
    params = parse_qs(urlsplit(address).query)
    assert params["q"] == ["integration"] and len(params["thematiques"]) == 2
    fresh = browser.new_context(viewport={"width": 1280, "height": 800})
    other = fresh.new_page()
    again = results(other, address)
    chips = other.locator(".recherche-puce").all_inner_texts()
    checked = other.locator("form#recherche input:checked").evaluate_all(
        "boxes => boxes.map(b => b.dataset.libelle)"
    )
    fresh.close()
    page.close()
    assert seen == (again, chips) and len(chips) == 3
    assert sorted(checked) == sorted(ticked)
    slugs = {facet: params[facet] for facet in ("thematiques", "axes")}
    themes = set().union(*(carrying("thematiques", slug) for slug in slugs["thematiques"]))
    assert again and again <= themes & carrying("axes", slugs["axes"][0])


def _focused(page) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(  # type: ignore[no-any-return]
        "() => { const e = document.activeElement; return e.id || e.textContent.trim(); }"
    )


def test_keyboard_only_from_page_load_to_a_fiche(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Skip link, the search box, a filter, « Aller aux résultats », the first result."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server + "recherche/")
    settled(page)
    page.keyboard.press("Tab")
    assert _focused(page) == "Aller au contenu"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page) == "recherche-q"
    page.keyboard.type("emploi")
    page.keyboard.press("Enter")
    settled(page)
    tabs = 0
    while page.evaluate("document.activeElement.type") != "checkbox":
        page.keyboard.press("Tab")
        tabs += 1
        assert tabs < 10, _focused(page)
    page.keyboard.press("Space")
    page.wait_for_url(re.compile(r"axes="))
    settled(page)
    stops = page.locator("#recherche-panneau :is(input, select, button, a, summary):visible")
    for _ in range(stops.count()):
        page.keyboard.press("Tab")
        if _focused(page) == "Aller aux résultats":
            break
    assert _focused(page) == "Aller aux résultats"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    first = page.locator(RESULT_LINKS).first
    assert page.evaluate("document.activeElement.href") == first.evaluate("a => a.href")
    title = first.inner_text()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.locator("article h1").inner_text() == title
    page.close()


def test_on_a_phone_the_filters_open_in_a_panel(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« Filtres », tick a term, « Voir les N résultats »: the panel closes on the results."""
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "recherche/?q=emploi")
    settled(page)
    panel = page.locator("#recherche-panneau")
    assert not panel.is_visible()
    opener = page.get_by_role("button", name="Filtres", exact=True)
    opener.click()
    assert panel.is_visible() and opener.get_attribute("aria-expanded") == "true"
    page.get_by_role("checkbox", name=re.compile("^Logement ")).check()
    settled(page)
    count = page.locator(CARDS).count()
    show = page.locator(".recherche-voir")
    total = int(re.search(r"\d+", show.inner_text()).group())  # type: ignore[union-attr]
    show.click()
    assert not panel.is_visible()
    heading = page.locator("#recherche-titre")
    assert heading.inner_text() == f"{total} fiche{'s' * (total > 1)} pour « emploi »"
    assert page.evaluate("document.activeElement.id") == "recherche-titre"
    assert page.get_by_role("button", name="Filtres (1)").is_visible()
    box = page.locator(CARDS).first.bounding_box()
    assert count and box is not None and box["y"] < 844
    assert set(ranked(page)) <= carrying("thematiques", "logement")
    # The open panel keeps the keyboard inside it, and Escape closes it.
    page.get_by_role("button", name="Filtres (1)").click()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.classList.contains('recherche-voir')")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('recherche-fermer')")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('recherche-ouvrir')")
    page.close()


def test_counts_say_what_ticking_would_give(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """With « Logement » ticked: another theme shows the union, an axis the intersection."""
    page = browser.new_page()
    page.goto(server + "recherche/?thematiques=logement")
    settled(page)
    housing = carrying("thematiques", "logement")
    fiches = published_front_matter()

    def shown(facet: str, slug: str) -> tuple[int, bool]:
        box = page.locator(f"#f-{facet}-{slug}")
        label = page.locator(f"label[for='f-{facet}-{slug}'] [data-compte]").inner_text()
        return int(label.strip("()")), box.is_disabled()

    assert shown("thematiques", "logement") == (len(housing), False)
    themes = {str(t) for meta in fiches.values() for t in meta.get("thematiques") or []}
    for theme in sorted(themes - {"logement"}):
        union = housing | carrying("thematiques", theme)
        count, disabled = shown("thematiques", theme)
        adds = len(union) > len(housing)
        assert (count, disabled) == ((len(union), False) if adds else (0, True)), theme
    for axis in ("accompagnement", "interpellation", "travail-en-reseau"):
        both = len(housing & carrying("axes", axis))
        assert shown("axes", axis) == (both, both == 0), axis
    page.close()


@pytest.mark.parametrize(
    ("address", "explained", "fix"),
    [
        (
            "q=emploi&de=2090",
            "Aucune fiche ne porte sur les années demandées",
            "Retirer les années",
        ),
        (
            "q=emploi&de=2020&a=2010",
            "L'année de début (2020) vient après l'année de fin (2010)",
            "Inverser",
        ),
        ("q=emploi&de=deux", "« deux » n'est pas une année", "Retirer les années"),
    ],
)
def test_an_impossible_year_range_is_explained(  # type: ignore[no-untyped-def]
    browser,  # noqa: F811
    server: str,  # noqa: F811
    address: str,
    explained: str,
    fix: str,
) -> None:
    """An empty, reversed or unreadable range says why and offers the way out."""
    page = browser.new_page()
    page.goto(server + "recherche/?" + address)
    settled(page)
    assert explained in page.locator(".recherche-explication").inner_text()
    assert page.locator(CARDS).count() == 0
    page.get_by_role("button", name=re.compile(fix)).click()
    settled(page)
    assert page.locator(CARDS).count() > 0
    page.close()


def test_removing_a_chip_unticks_its_term_and_keeps_the_focus_nearby(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Each active filter is a chip; removing one unticks it; « Tout effacer » clears all."""
    page = browser.new_page()
    page.goto(server + "recherche/?q=emploi&thematiques=logement&axes=accompagnement&de=2010")
    settled(page)
    chips = page.locator(".recherche-puce")
    assert chips.count() == 3
    chips.first.focus()
    page.keyboard.press("Enter")
    settled(page)
    assert chips.count() == 2 and not page.locator("#f-axes-accompagnement").is_checked()
    assert page.evaluate("document.activeElement.classList.contains('recherche-puce')")
    page.get_by_role("button", name="Tout effacer").click()
    settled(page)
    assert chips.count() == 0 and parse_qs(urlsplit(page.url).query) == {"q": ["emploi"]}
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_chips_and_results_show_their_focus(browser, server: str, scheme: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """A chip and a result link, reached by the keyboard, show 2 px at 3:1 on the page."""
    page = browser.new_page(color_scheme=scheme)
    page.goto(server + "recherche/?q=emploi&thematiques=logement")
    settled(page)
    seen = {}
    for name, target in (("puce", ".recherche-puce"), ("resultat", RESULT_LINKS)):
        page.locator(target).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # focus by the keyboard: :focus-visible applies
        seen[name] = page.evaluate(
            "() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor,"
            " getComputedStyle(document.body).backgroundColor]; }"
        )
    page.close()
    for name, (style, width, colour, background) in seen.items():
        assert style != "none" and width >= 2, (name, style, width)
        assert contrast(colour, background) >= 3, (name, colour, background)


def test_the_glossary_filter_keeps_the_matching_entries(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Typing « integration » keeps the entries whose term or expansion says it."""
    page = browser.new_page()
    page.goto(server + "glossaire/")
    page.get_by_label("Filtrer le glossaire").fill("integration")
    visible = page.locator(".glossaire-entree:visible dt").all_inner_texts()

    def bare(text: object) -> str:
        decomposed = unicodedata.normalize("NFKD", str(text).casefold())
        return "".join(c for c in decomposed if not unicodedata.combining(c))

    expected = {
        term
        for term, meanings in glossary_data().items()
        if any(
            "integration" in bare(form)
            for form in [term, *(m.get("forme_developpee", "") for m in meanings)]
        )
    }
    assert expected and set(visible) == expected
    assert page.locator("#glossaire-compte").inner_text().startswith(str(len(expected)))
    page.close()


def test_the_word_on_every_fiche_is_never_shown(
    built_example: tuple[Project, BuildReport],
) -> None:
    """The word that lets filters work without the index sits only in the hidden marks."""
    from fichotheque.render.search import EVERY_FICHE

    project, _ = built_example
    for slug in published_front_matter():
        document = page_of(project.site_dir, f"fiches/{slug}")
        hidden = document.select_one(".fiche-index[hidden]")
        assert hidden is not None and EVERY_FICHE in hidden.get_text(), slug
        hidden.decompose()
        assert EVERY_FICHE not in document.get_text(), slug
