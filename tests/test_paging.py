"""Long lists go on over several pages; each page is small, and together they hold all.

The tests shrink a page to a few fiches, build a base of 60, and read what a visitor
reads: every fiche once across the pages of a list, links between all the pages, the
first page complete at its usual address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from bases import wide_base
from fichotheque.check import check_project
from fichotheque.engine import build_site
from fichotheque.project import Project
from fichotheque.render import glossary, paging

PER_PAGE = 7
FICHES = 60


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Project, int]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paging, "PER_PAGE", PER_PAGE)
        patch.setattr(glossary, "USERS_FOLDED", 3)
        project = wide_base(tmp_path_factory.mktemp("paged") / "base", 12, FICHES)
        result = check_project(project)
        build_site(project, result, project.site_dir)
        published = sum(1 for fiche in result.fiches if not fiche.is_draft)
        yield project, published


def _page(site: Path, address: str) -> BeautifulSoup:
    path = site / address.strip("/") / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _walk(site: Path, first: str) -> list[tuple[str, BeautifulSoup]]:
    """The pages of a list, in order, following the page numbers of the first."""
    document = _page(site, first)
    pager = document.select_one("nav.pagination")
    if pager is None:
        return [(first, document)]
    addresses = [first]
    for item in pager.select(".pagination-pages li"):
        link = item.find("a")
        if link is not None:
            addresses.append(
                urlsplit(urljoin("http://x/" + first, link["href"])).path.strip("/") + "/"
            )
    assert item is not None
    return [(address, _page(site, address)) for address in sorted(set(addresses), key=_number)]


def _number(address: str) -> int:
    match = re.search(r"/pages/(\d+)/$", address)
    return int(match.group(1)) if match else 1


def _count(term_page: BeautifulSoup) -> int:
    """The number of fiches a term page announces (« 37 fiches »)."""
    figure = term_page.select_one(".terme-compte")
    assert figure is not None
    return int(re.findall(r"\d+", figure.get_text())[0])


def _fiche_links(document: BeautifulSoup, selector: str) -> list[str]:
    return [Path(urlsplit(a["href"]).path).name for a in document.select(selector)]


def test_the_catalogue_goes_on_over_pages_that_together_list_every_fiche_once(
    paged_site: tuple[Project, int],
) -> None:
    project, published = paged_site
    pages = _walk(project.site_dir, "fiches/")
    assert len(pages) == -(-published // PER_PAGE) > 2
    seen: list[str] = []
    for index, (_address, document) in enumerate(pages):
        rows = _fiche_links(document, "table.catalogue tbody tr td:first-child a")
        assert 0 < len(rows) <= PER_PAGE
        seen += rows
        current = document.select_one(".pagination [aria-current=page]")
        assert current is not None and current.get_text() == str(index + 1)
        assert len(document.select(".pagination-pages li")) == len(pages)
        assert bool(document.select_one("a[rel=prev]")) == (index > 0)
        assert bool(document.select_one("a[rel=next]")) == (index + 1 < len(pages))
        if index:
            assert f"page {index + 1} sur {len(pages)}" in document.h1.get_text()
            assert document.title is not None and f"page {index + 1} sur" in document.title.text
    assert len(seen) == len(set(seen)) == published
    for name in seen:  # every link leads to a built fiche
        assert (project.site_dir / "fiches" / name / "index.html").is_file()


def test_the_biggest_term_pages_and_the_chronology_are_cut_the_same_way(
    paged_site: tuple[Project, int],
) -> None:
    project, _published = paged_site
    site = project.site_dir
    terms = [p.parent for p in (site / "pays").glob("*/index.html")]
    biggest = max(
        terms, key=lambda p: len(_fiche_links(_page(site, f"pays/{p.name}/"), "ul.fiche-liste a"))
    )
    pages = _walk(site, f"pays/{biggest.name}/")
    assert len(pages) > 1
    listed = [name for _a, d in pages for name in _fiche_links(d, "ul.fiche-liste > li > a")]
    count = int(
        re.search(
            r"\d+", _page(site, f"pays/{biggest.name}/").select_one(".terme-compte").get_text()
        ).group()
    )  # type: ignore[union-attr]
    assert len(listed) == len(set(listed)) == count
    assert all(len(_fiche_links(d, "ul.fiche-liste > li > a")) <= PER_PAGE for _a, d in pages)
    years = _walk(site, "chronologie/")
    assert len(years) > 1
    headings = [h.get_text() for _a, d in years for h in d.select("h3[id^=annee-]")]
    assert len(headings) == len(set(headings))  # a year is never cut in two
    assert headings == sorted(headings, reverse=True)


def test_a_much_used_meaning_gets_its_own_pages_and_the_glossary_stays_short(
    paged_site: tuple[Project, int],
) -> None:
    project, _published = paged_site
    site = project.site_dir
    document = _page(site, "glossaire/")
    for folded in document.select("details.glossaire-suite"):  # a few folded, never more
        assert len(folded.find_all("a")) <= glossary.USERS_FOLDED
    more = [a for a in document.select(".glossaire-fiches a") if "de plus" in a.get_text()]
    assert more
    link = more[0]
    meaning = urlsplit(link["href"]).path.strip("/").split("/")[-1]
    pages = _walk(site, f"glossaire/{meaning}/")
    listed = [name for _a, d in pages for name in _fiche_links(d, "ul.fiche-liste > li > a")]
    shown = _fiche_links(link.parent, "a:not(:last-child)")
    extra = int(re.search(r"\d+", link.get_text()).group())  # type: ignore[union-attr]
    assert len(listed) == len(set(listed)) == len(shown) + extra
    assert set(shown) <= set(listed)
    back = pages[0][1].find("a", string="Retour au glossaire")
    assert back is not None and back["href"].endswith(f"#{meaning}")
