"""A search index in parts (searchindex.py) answers as one index would, in real Chromium.

The same base is built twice: with the index in one part, and in parts of a few fiches.
Every question gets the same fiches and the same counts from both; the date order runs
newest first across the parts.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from bs4 import BeautifulSoup

from bases import wide_base
from fichotheque import engine, searchindex
from fichotheque.check import check_project
from fichotheque.engine import BuildReport, build_site, index_site
from fichotheque.project import Project
from test_browser import browser, serving  # noqa: F401 - fixture
from test_search import CARDS, ranked, results, settled

SMALL_PART = 12
QUESTIONS = [
    "q=logement",
    "q=sambreville",  # in a few years only: the other parts must not guess at it
    "q=sambr",  # a word being typed
    "q=namurzzz",  # no such word: Pagefind falls back on « namur », as one index does
    "q=emploi&tri=date",
    "thematiques=logement",
    "quartiers=quartier-001&quartiers=quartier-002&quartiers=quartier-003",
    "q=jeunes&axes=accompagnement",
    "thematiques=emploi&de=2021&a=2023",
]


def test_parts_hold_whole_years_newest_first_within_their_size() -> None:
    """Random catalogues: every fiche in one part, no year in two, no part over its limit
    unless a single year has more fiches, none closed before its target could be met."""
    pick = random.Random(13)
    for _ in range(300):
        target = pick.randint(1, 30)
        limit = target + pick.randint(0, 20)
        fiches = [(pick.randint(1990, 2030), f"f-{i}") for i in range(pick.randint(0, 300))]
        parts = searchindex.split(fiches, target, limit)
        year = dict((slug, y) for y, slug in fiches)
        assert sorted(s for part in parts for s in part.slugs) == sorted(s for _, s in fiches)
        years = [{year[s] for s in part.slugs} for part in parts]
        for newer, older in itertools.pairwise(years):
            assert min(newer) > max(older)
        for part, held in zip(parts, years, strict=True):
            assert len(part.slugs) <= limit or len(held) == 1
        assert len({p.folder for p in parts}) == len(parts)
        for first, second in itertools.pairwise(parts):  # closed only when it had to be
            next_year = [s for s in second.slugs if year[s] == max(year[x] for x in second.slugs)]
            assert len(first.slugs) >= target or len(first.slugs) + len(next_year) > limit


def test_from_a_few_hundred_fiches_every_indexer_has_a_part() -> None:
    """Small sites keep one index; larger ones give each concurrent Pagefind an even part
    of at most PART_PAGES fiches."""
    for count in range(1, 25_000, 37):
        target = searchindex.part_target(count)
        one_per_year = [(i, f"f-{i}") for i in range(count)]  # years never get in the way
        sizes = [len(p.slugs) for p in searchindex.split(one_per_year, target)]
        assert max(sizes) <= searchindex.PART_PAGES
        assert max(sizes) - min(sizes) <= -(-count // len(sizes)) // 2 + 1 or len(sizes) == 1
        if count < searchindex.SHARED_FROM:
            assert len(sizes) == 1
        else:
            assert len(sizes) >= searchindex.CONCURRENT


def test_the_lexicon_holds_the_words_a_reader_sees_and_no_other() -> None:
    """Where a link leads and what a tag says in its attributes are not shown, so
    Pagefind indexes none of it: neither does the lexicon (it would only grow)."""
    body = (
        'Voir [le **guide** du logement](https://exemple.org/cachette "Titre secret") et '
        '<abbr title="invisible">CPAS</abbr>, puis la Fiche 42.'
    )
    fiche = SimpleNamespace(title="Atelier « Emploi »", description="Un résumé.", body=body)
    parts = (searchindex.Part("pagefind", ("a",)), searchindex.Part("pagefind/lots/2", ("b",)))
    words = searchindex.Plan(parts, [fiche]).words  # type: ignore[list-item]
    shown = {"voir", "guide", "logement", "cpas", "42", "atelier", "emploi", "résumé"}
    assert shown <= words
    hidden = ("exemple", "cachette", "secret", "invisible", "title", "abbr", "https")
    assert not [w for w in words if any(h in w for h in hidden)], words


def _build(root: Path, part_size: int | None) -> tuple[Project, BuildReport]:
    project = wide_base(root, 40, 90)
    with pytest.MonkeyPatch.context() as patch:
        if part_size:  # parts of that size exactly, years permitting
            patch.setattr(searchindex, "PART_PAGES", part_size)
            patch.setattr(searchindex, "part_target", lambda count: part_size)
        return project, build_site(project, check_project(project), project.site_dir)


@pytest.fixture(scope="module")
def parted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    return _build(tmp_path_factory.mktemp("parted") / "base", SMALL_PART)


@pytest.fixture(scope="module")
def two_sites(
    tmp_path_factory: pytest.TempPathFactory, parted: tuple[Project, BuildReport]
) -> Iterator[tuple[Project, str, str]]:
    """The same base with its index in one part and in parts; the second and both served."""
    whole, _report = _build(tmp_path_factory.mktemp("whole") / "base", None)
    with serving(whole.site_dir) as one, serving(parted[0].site_dir) as many:
        yield parted[0], one, many


def _entries(site: Path) -> list[dict[str, object]]:
    return [json.loads(p.read_text("utf-8")) for p in sorted(site.rglob("pagefind-entry.json"))]


def test_each_published_fiche_is_indexed_in_exactly_one_part(two_sites) -> None:  # type: ignore[no-untyped-def]
    project, _one, _many = two_sites
    published = [f for f in check_project(project).fiches if not f.is_draft]
    entries = _entries(project.site_dir)
    expected = searchindex.split(
        [(f.period.start.first_day.year, f.slug) for f in published], SMALL_PART, SMALL_PART
    )
    assert len(entries) == len(expected) > 2
    counts = [e["languages"]["fr"]["page_count"] for e in entries]  # type: ignore[index]
    assert sum(counts) == len(published) + len(expected)  # each part has its lexicon page
    assert not (project.site_dir / searchindex.LEXICON_PAGE).exists()
    search = BeautifulSoup(
        (project.site_dir / "recherche" / "index.html").read_text("utf-8"), "html.parser"
    )
    listed = search.select_one("form#recherche")["data-lots"].split()  # type: ignore[index, union-attr]
    assert [(project.site_dir / "recherche" / p).resolve() for p in listed] == [
        (project.site_dir / part.folder).resolve() for part in expected[1:]
    ]
    for part in expected:
        assert (project.site_dir / part.folder / "pagefind.js").is_file()


def test_the_preview_renews_an_index_in_parts(parted, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``index_site``, as ``serve`` calls it after showing an edit, gives the same parts."""
    project, report = parted
    site = tmp_path / "site"
    shutil.copytree(project.site_dir, site)

    def parts() -> list[tuple[Path, int]]:
        return [
            (
                p.parent.relative_to(site),
                json.loads(p.read_text("utf-8"))["languages"]["fr"]["page_count"],
            )
            for p in sorted(site.rglob("pagefind-entry.json"))
        ]

    before = parts()
    shutil.rmtree(site / "pagefind")
    index_site(site, report.search)
    assert parts() == before
    assert not (site / searchindex.LEXICON_PAGE).exists()
    assert not list(site.glob(".pagefind*"))
    assert not list(tmp_path.glob(".pagefind-reglages-*"))  # its settings, beside the site


@pytest.mark.browser
def test_parts_answer_every_question_as_one_index(browser, two_sites) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    """The same fiches, the same counts on every box; the date order newest first."""
    project, one, many = two_sites
    starts = {f.slug: f.period.start.first_day for f in check_project(project).fiches}
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    for question in QUESTIONS:
        found = {site: results(page, f"{site}recherche/?{question}") for site in (one, many)}
        assert found[one] == found[many], question
        assert found[one], f"{question} should find fiches"
        counts = {}
        for site in (one, many):
            page.goto(f"{site}recherche/?{question}")
            settled(page)
            counts[site] = page.locator("[data-compte]").all_inner_texts()
        assert counts[one] == counts[many], question
        if "tri=date" in question or "q=" not in question:
            shown = ranked(page) if page.locator(CARDS).count() else []
            everything = _all_ranked(page, f"{many}recherche/?{question}")
            dates = [starts[slug] for slug in everything]
            assert dates == sorted(dates, reverse=True), question
            assert everything[: len(shown)] == shown
    assert not errors
    page.close()


def _all_ranked(page, address: str) -> list[str]:  # type: ignore[no-untyped-def]
    results(page, address)  # opens the address and shows every result
    return ranked(page)


def test_a_part_is_indexed_again_only_when_its_pages_or_the_words_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit with known words re-indexes its fiche's part alone, the others linked from
    the published site; an edit with a new word changes every lexicon, and every part.
    The pages are read for their digests before Pagefind starts only when a part could be
    kept: after a first build or a new word, they are read while it runs."""
    order: list[str] = []
    start, digests = searchindex.Indexing.start, engine.part_digests

    def starting(indexing: searchindex.Indexing) -> searchindex.Indexing:
        order.append("pagefind")
        return start(indexing)

    def digesting(*args: Any) -> dict[str, str]:
        order.append("digests")
        return digests(*args)

    monkeypatch.setattr(searchindex.Indexing, "start", starting)
    monkeypatch.setattr(engine, "part_digests", digesting)
    project, _report = _build(tmp_path / "base", SMALL_PART)
    assert order == ["pagefind", "digests"]

    def entries() -> dict[str, tuple[int, int]]:  # folder → (inode, pages)
        return {
            str(p.parent.relative_to(project.site_dir)): (
                p.stat().st_ino,
                json.loads(p.read_text("utf-8"))["languages"]["fr"]["page_count"],
            )
            for p in project.site_dir.rglob("pagefind-entry.json")
        }

    def rebuild() -> None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(searchindex, "PART_PAGES", SMALL_PART)
            patch.setattr(searchindex, "part_target", lambda count: SMALL_PART)
            build_site(project, check_project(project), project.site_dir)

    first = entries()
    assert len(first) > 2
    fiche = sorted(project.fiches_dir.glob("genere-*.md"))[-1]  # among the oldest
    text = fiche.read_text("utf-8")
    known = text.split("\n\n")[-1].strip()  # a paragraph of its own, said twice
    fiche.write_text(text + f"\n\n{known}\n", "utf-8")
    order.clear()
    rebuild()
    assert order == ["digests", "pagefind"]
    second = entries()
    changed = {folder for folder in first if second[folder][0] != first[folder][0]}
    assert len(changed) == 1
    assert {f: n for f, (_i, n) in second.items()} == {f: n for f, (_i, n) in first.items()}
    fiche.write_text(text + "\n\nUn mot jamais écrit : xylophonistes.\n", "utf-8")
    order.clear()
    rebuild()
    assert order == ["pagefind", "digests"]
    third = entries()
    assert all(third[folder][0] != second[folder][0] for folder in first)
