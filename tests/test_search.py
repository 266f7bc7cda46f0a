"""Search with Pagefind in real Chromium: French matching, facet logic, addresses that restore."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from test_browser import browser, server  # noqa: F401 - fixtures
from test_build import as_list, published_front_matter
from test_site import fiche_text

pytestmark = pytest.mark.browser


CARDS = "#recherche-resultats > li"
RESULT_LINKS = f"{CARDS} h3 a"


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until the page has shown the outcome of what it was asked."""
    page.wait_for_selector("form#recherche[data-etat=pret]", state="attached")


def ranked(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The slugs of the fiches shown, in their order."""
    links = page.locator(RESULT_LINKS).evaluate_all("a => a.map(x => x.href)")
    return [Path(urlsplit(link).path).name for link in links]


def results(page, address: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Open a search address and return the slugs of all the fiches found."""
    page.goto(address)
    settled(page)
    more = page.locator("#recherche-plus")
    while more.count():
        shown = page.locator(CARDS).count()
        more.click()
        page.wait_for_function(f"() => document.querySelectorAll('{CARDS}').length > {shown}")
    return set(ranked(page))


def carrying(facet: str, term: str) -> set[str]:
    return {s for s, meta in published_front_matter().items() if term in as_list(meta.get(facet))}


def test_accents_and_plurals_do_not_matter(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« integration » finds what « intégration » finds; « associations » what « association »."""
    page = browser.new_page()
    with_accent = results(page, server + "recherche/?q=intégration")
    without = results(page, server + "recherche/?q=integration")
    assert with_accent and with_accent == without
    plural = results(page, server + "recherche/?q=associations")
    singular = results(page, server + "recherche/?q=association")
    assert plural and plural == singular
    page.close()


def test_theme_filter_keeps_exactly_the_matches_carrying_the_theme(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Checking a theme leaves the fiches that match the words and carry the theme."""
    page = browser.new_page()
    found = results(page, server + "recherche/?q=emploi")
    assert found
    page.get_by_role("checkbox", name=re.compile("^Logement ")).check()
    page.wait_for_url("**thematiques=logement**")
    filtered = results(page, page.url)
    assert filtered == found & carrying("thematiques", "logement")
    page.close()


def test_terms_of_one_facet_combine_with_or_and_facets_with_and(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Logement or Santé, and Accompagnement: union within a facet, intersection across."""
    page = browser.new_page()
    either = results(page, server + "recherche/?thematiques=logement&thematiques=sante")
    assert either == carrying("thematiques", "logement") | carrying("thematiques", "sante")
    both = results(
        page, server + "recherche/?thematiques=logement&thematiques=sante&axes=accompagnement"
    )
    assert both == either & carrying("axes", "accompagnement")
    page.close()


def test_year_range_narrows_by_date(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """From 2020 to 2023 keeps the fiches whose period touches those years."""
    page = browser.new_page()
    found = results(page, server + "recherche/?de=2020&a=2023")
    expected = set()
    for slug, meta in published_front_matter().items():
        years = [
            int(y)
            for y in re.findall(r"([0-9]{4})(?:-[0-9]{1,2}(?![0-9])){0,2}", str(meta["date"]))
        ]
        if min(years) <= 2023 and max(years) >= 2020:
            expected.add(slug)
    assert found == expected
    page.close()


def test_address_keeps_the_search_and_restores_it(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Typing and ticking update the address; reopening it restores the form and results."""
    page = browser.new_page()
    page.goto(server + "recherche/")
    page.get_by_label("Mots recherchés").fill("réseau")
    page.get_by_role("checkbox", name=re.compile("^Accompagnement ")).check()
    page.wait_for_url("**axes=accompagnement**")
    params = parse_qs(urlsplit(page.url).query)
    assert params["q"] == ["réseau"] and params["axes"] == ["accompagnement"]
    first = results(page, page.url)
    other = browser.new_page()
    again = results(other, page.url)
    assert again == first
    assert other.get_by_label("Mots recherchés").input_value() == "réseau"
    assert other.get_by_role("checkbox", name=re.compile("^Accompagnement ")).is_checked()
    page.go_back()
    page.wait_for_function("() => !location.search.includes('axes=')")
    assert not page.get_by_role("checkbox", name=re.compile("^Accompagnement ")).is_checked()
    page.close()
    other.close()


def test_term_page_links_to_the_pre_filtered_search(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« Rechercher dans ces fiches » on a term page lists exactly that term's fiches."""
    page = browser.new_page()
    page.goto(server + "axes/interpellation/")
    page.get_by_role("link", name="Rechercher dans ces fiches").click()
    page.wait_for_url("**recherche/?axes=interpellation")
    assert results(page, page.url) == carrying("axes", "interpellation")
    assert page.get_by_role("checkbox", name=re.compile("^Interpellation ")).is_checked()
    page.close()


def test_no_result_offers_a_way_out(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """With nothing found, the page says so and offers to remove the filters."""
    page = browser.new_page()
    assert (
        results(
            page,
            server
            + "recherche/?q=logement&pays=lettonie&pays=canada&axes=accompagnement&type=formation",
        )
        == set()
    )
    assert page.locator("#recherche-titre").inner_text() == "Aucune fiche pour « logement »"
    page.get_by_role("button", name="Retirer les filtres").click()
    page.wait_for_function("() => !location.search.includes('pays=')")
    assert results(page, page.url)
    page.close()


def test_home_search_box_leads_to_results(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The home page's box opens the search page with the words already searched."""
    page = browser.new_page()
    page.goto(server)
    page.get_by_label("Rechercher dans les fiches").fill("Sambreville")
    page.get_by_label("Rechercher dans les fiches").press("Enter")
    page.wait_for_url("**recherche/?q=Sambreville")
    assert results(page, page.url)
    page.close()


def test_filters_alone_list_their_fiches_newest_first(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """With no words, a theme lists every fiche carrying it, ten at a time, newest first."""
    page = browser.new_page()
    expected = carrying("thematiques", "logement")
    assert results(page, server + "recherche/?thematiques=logement") == expected
    page.goto(server + "recherche/?thematiques=logement")
    settled(page)
    assert page.locator(CARDS).count() == min(10, len(expected))
    starts = [str(published_front_matter()[slug]["date"])[:4] for slug in ranked(page)]
    assert starts == sorted(starts, reverse=True)
    assert (
        page.locator("#recherche-titre").inner_text() == f"{len(expected)} fiches pour ces filtres"
    )
    page.close()


def test_with_nothing_asked_the_page_invites_a_search(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """No words, no filter: no result list, an invitation, and the whole collection's counts."""
    page = browser.new_page()
    page.goto(server + "recherche/")
    settled(page)
    assert page.locator(CARDS).count() == 0
    assert "Tapez des mots" in page.locator(".recherche-explication").inner_text()
    count = page.locator("label[for='f-thematiques-logement'] [data-compte]").inner_text()
    assert count == f"({len(carrying('thematiques', 'logement'))})"
    page.get_by_role("link", name="la liste de toutes les fiches").click()
    assert page.locator("h1").inner_text() == "Toutes les fiches"
    page.close()


def test_acronyms_are_found_by_their_expansion_and_back(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« Fonds social européen » finds the fiches that only say FSE, and the other way round."""
    page = browser.new_page()
    by_acronym = results(page, server + "recherche/?q=FSE")
    by_expansion = results(page, server + "recherche/?q=Fonds social européen")
    spelled_out = {slug for slug in published_front_matter() if "fonds social européen" in
                   " ".join(fiche_text(slug).casefold().split())}  # fmt: skip
    saying_fse = {
        slug for slug in published_front_matter() if re.search(r"\bFSE\b", fiche_text(slug))
    }
    assert spelled_out - saying_fse, "the example should have a fiche that never writes FSE"
    assert by_acronym >= spelled_out | saying_fse
    assert by_expansion >= spelled_out | saying_fse
    page.close()


def test_header_search_box_leads_to_the_search_page(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """From any page, the header's box opens the search with the words typed."""
    page = browser.new_page()
    page.goto(server + "glossaire/")
    box = page.get_by_label("Recherche rapide dans les fiches")
    box.fill("Namur")
    box.press("Enter")
    page.wait_for_url("**recherche/?q=Namur")
    assert results(page, page.url)
    page.close()


def test_sort_by_date_and_counts_follow_the_query(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """Sorting by date orders results newest first; each box shows how many results it keeps."""
    page = browser.new_page()
    found = results(page, server + "recherche/?q=emploi&tri=date")
    fiches = published_front_matter()
    starts = [str(fiches[slug]["date"])[:4] for slug in ranked(page)]
    assert starts == sorted(starts, reverse=True)
    count = page.locator("label[for='f-thematiques-logement'] [data-compte]").inner_text()
    assert count == f"({len(found & carrying('thematiques', 'logement'))})"
    page.close()


def test_without_javascript_the_search_page_says_so(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """JavaScript off: the page explains that search needs it and points to the categories."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "recherche/")
    message = page.locator(".recherche-sans-js")
    assert message.is_visible() and "JavaScript" in message.inner_text()
    page.get_by_role("link", name="la liste complète").click()
    assert page.locator("h1").inner_text() == "Toutes les fiches"
    context.close()


GENERATED_WORDS = ("¶", "Vérifiée le", "Modifiée le", "Fiche précédente", "Fiche suivante",
                   "Fiches proches", "Ressources à télécharger")  # fmt: skip


def test_only_the_fiche_itself_is_matched_and_quoted(browser, server: str) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« logement » ranks first the fiches tagged or written about it; excerpts quote no block."""
    page = browser.new_page()
    results(page, server + "recherche/?q=logement")
    order = ranked(page)
    excerpts = page.locator(".recherche-extrait").all_inner_texts()
    page.close()
    about = carrying("thematiques", "logement") | {
        slug
        for slug in published_front_matter()
        if re.search(r"\blogements?\b", fiche_text(slug), re.IGNORECASE)
    }
    # French stemming may add a word of the same stem (« logique »), never before these.
    assert set(order[: len(about)]) == about, order
    assert not [e for e in excerpts if any(word in e for word in GENERATED_WORDS)], excerpts


def _grams(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def test_expansions_find_fiches_but_are_never_quoted(browser, server: str, built_example) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """« FSE » finds fiches by their hidden expansions; no excerpt quotes those hidden words."""
    from bs4 import BeautifulSoup

    project, _ = built_example
    page = browser.new_page()
    found = results(page, server + "recherche/?q=FSE")
    excerpts = page.locator(".recherche-extrait").all_inner_texts()
    page.close()
    hidden: set[tuple[str, ...]] = set()
    for slug in found:
        html = (project.site_dir / "fiches" / slug / "index.html").read_text("utf-8")
        document = BeautifulSoup(html, "html.parser")
        marks = document.select_one(".fiche-index")
        words = marks.get_text(" ")
        marks.decompose()
        hidden |= _grams(words) - _grams(document.select_one("article").get_text(" "))
    assert found and hidden and excerpts
    assert not [e for e in excerpts if _grams(e) & hidden], excerpts
