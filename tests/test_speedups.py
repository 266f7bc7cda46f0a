"""What makes the build faster changes nothing a reader sees."""

from __future__ import annotations

import gc
import html
import math
import os
import posixpath
import random
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
import yaml

from fichotheque import engine, memory
from fichotheque.check import check_project
from fichotheque.engine import _run_mkdocs, _settings, stage_site
from fichotheque.generated_html import NAME as GENERATED_HTML
from fichotheque.model import SIMILAR_BUDGET, SIMILAR_COUNT, _score_similar, _similar
from fichotheque.project import Project

BETWEEN_TAGS = re.compile(r">\s+<")


def _site(project: Project, staging: Path, *, extension: bool) -> Path:
    staging.mkdir()
    settings = replace(_settings(project), body_secret="secret-du-test")
    config, _count, _parts = stage_site(project, check_project(project), staging, settings=settings)
    if not extension:
        data = yaml.safe_load(config.read_text(encoding="utf-8"))
        data["markdown_extensions"].remove(GENERATED_HTML)
        config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _run_mkdocs(config, staging / "site")
    return staging / "site"


def test_generated_html_blocks_skip_the_parser_and_render_the_same(
    example: Project, tmp_path: Path
) -> None:
    """Every page, with and without the shortcut, hostile bodies included: the same HTML."""
    hostile = example.fiches_dir / "2020-corps-hostile.md"
    source = sorted(example.fiches_dir.glob("*.md"))[0].read_text(encoding="utf-8")
    front, body = source.split("\n---\n", 1)
    hostile.write_text(
        re.sub(r"\n(numero|fiches_liees):.*", "", front)
        + '\n---\n\n<div class="a">\n\n*dedans*\n\n</div>\n\n<p>un <em>paragraphe</em></p>\n\n'
        "<table><tr><td>**pas du gras**</td></tr></table>\n\n<pre>\n\nligne\n\n</pre>\n\n" + body,
        encoding="utf-8",
    )
    fast = _site(example, tmp_path / "fast", extension=True)
    slow = _site(example, tmp_path / "slow", extension=False)
    pages = sorted(p.relative_to(fast) for p in fast.rglob("*.html"))
    assert pages == sorted(p.relative_to(slow) for p in slow.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        ours, theirs = ((site / page).read_text(encoding="utf-8") for site in (fast, slow))
        assert BETWEEN_TAGS.sub("><", ours) == BETWEEN_TAGS.sub("><", theirs), page
    shown = (fast / "fiches" / hostile.stem / "index.html").read_text(encoding="utf-8")
    assert "<pre>\n\nligne\n\n</pre>" in shown  # a body's HTML is Python-Markdown's to read


def _catalogue(count: int, seed: int) -> tuple[list[Any], dict[tuple[str, str], list[Any]]]:
    """Fiches with skewed terms: a country on 45 % of them, Zipf-like themes, rare places."""
    rng = random.Random(seed)
    themes = [f"theme-{i}" for i in range(40)]
    weights = [1 / (rank + 1) for rank in range(len(themes))]
    fiches = []
    for index in range(count):
        chosen = {rng.choices(themes, weights)[0] for _ in range(rng.randint(1, 4))}
        country = ["pays-1"] if rng.random() < 0.45 else [f"pays-{rng.randint(2, 9)}"]
        place = [f"lieu-{rng.randint(0, count // 8)}"]
        terms = (
            ("themes", tuple(sorted(chosen))),
            ("pays", tuple(country)),
            ("lieux", tuple(place)),
        )
        fiches.append(SimpleNamespace(slug=f"f{index:05d}", terms=terms))
    by_term: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for fiche in fiches:
        for key, slugs in fiche.terms:
            for slug in slugs:
                by_term[(key, slug)].append(fiche)
    return fiches, by_term


def _exact_scores(fiches: list[Any], by_term: dict[tuple[str, str], list[Any]]) -> dict[str, Any]:
    """The score of every pair, the slow way: what the bounded search approximates."""
    total = len(fiches)
    weight = {k: math.log(total / len(c)) for k, c in by_term.items() if len(c) * 2 <= total}
    scores = {}
    for fiche in fiches:
        mine: dict[str, float] = defaultdict(float)
        for key, slugs in fiche.terms:
            for slug in slugs:
                for other in by_term[(key, slug)] if (key, slug) in weight else ():
                    mine[other.slug] += weight[(key, slug)]
        mine.pop(fiche.slug, None)
        scores[fiche.slug] = mine
    return scores


def test_similar_fiches_stay_close_to_the_exact_ranking_with_bounded_work() -> None:
    """On 1,500 skewed fiches the chosen ones score at least 97 % of the best possible."""
    fiches, by_term = _catalogue(1500, seed=3)
    assert max(len(c) for c in by_term.values()) > SIMILAR_BUDGET  # the bound is reached
    chosen = _similar(fiches, by_term, {})
    exact = _exact_scores(fiches, by_term)
    kept = []
    for fiche in fiches:
        scores = exact[fiche.slug]
        best = sorted(scores.values(), reverse=True)[:SIMILAR_COUNT]
        got = [scores[slug] for slug in chosen[fiche.slug]]
        assert len(got) == len(best)
        kept.append(sum(got) / sum(best) if best else 1.0)
    assert sum(kept) / len(kept) >= 0.97, sum(kept) / len(kept)
    assert min(kept) > 0  # every proposed fiche shares a telling term


def test_related_fiches_and_the_fiche_itself_are_never_proposed() -> None:
    fiches, by_term = _catalogue(300, seed=5)
    related = {fiches[0].slug: tuple(f.slug for f in fiches[1:50])}
    chosen = _similar(fiches, by_term, related)
    for fiche in fiches:
        assert fiche.slug not in chosen[fiche.slug]
    assert not set(chosen[fiches[0].slug]) & set(related[fiches[0].slug])


def test_similar_fiches_are_the_same_in_every_process() -> None:
    """Sets iterate in an order that changes with each process: the ranking must not."""
    script = (
        "import json, sys; sys.path[:0] = sys.argv[1:]\n"
        "from test_speedups import _catalogue\n"
        "from fichotheque.model import _similar\n"
        "fiches, by_term = _catalogue(800, seed=11)\n"
        "print(json.dumps(_similar(fiches, by_term, {}), sort_keys=True))"
    )
    tests = str(Path(__file__).parent)
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script, tests],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in (1, 2, 3)
    }
    assert len(outputs) == 1 and len(next(iter(outputs))) > 1000


def test_relative_links_are_those_of_posixpath_relpath() -> None:
    """Links are computed from the strings alone; relpath, which reads the disk, is the
    oracle, then quoted and escaped for an attribute."""
    from fichotheque.render.html import href, url_of

    rng = random.Random(7)
    parts = ["fiches", "themes", "a", "b", "ab", "ressources", "é t&é", "index", "."]
    names = ["index.md", "page.md", "plan d'accès.pdf", "données.csv", ""]
    paths = [
        "/".join([*rng.choices(parts, k=rng.randint(0, 3)), rng.choice(names)]).strip("/")
        or "index.md"
        for _ in range(300)
    ]
    for target in paths:
        for origin in rng.sample(paths, 20):
            start, url = url_of(origin).rstrip("/") or ".", url_of(target)
            relative = os.path.relpath(url.rstrip("/") or ".", start)
            if url.endswith("/") or not url:
                relative = "./" if relative == "." else relative + "/"
            expected = html.escape(quote(relative), quote=True)
            assert href(origin, target) == expected, (origin, target)


def test_a_list_shows_each_fiche_as_it_is_now() -> None:
    """What a list keeps of a fiche is that fiche's: another fiche of the same slug (the
    preview's next build, an edited title) is shown as it is, and each link leads from
    the page to the fiche's page."""
    from fichotheque.render.html import fiche_list, fiche_path, url_of

    project = Project(Path(__file__).resolve().parent.parent)
    fiches = list(check_project(project).fiches)
    pages = ["index.md", "fiches/pages/2.md", "themes/logement.md", f"fiches/{fiches[0].slug}.md"]
    edited = replace(fiches[0], title=f"{fiches[0].title} <révisé> & « neuf »")
    for page in pages:
        for shown in ([*fiches, fiches[0]], [edited, *fiches[1:]], fiches):
            items = re.findall(r'<li><a href="([^"]*)">(.*?)</a>', fiche_list(page, shown))
            assert [html.unescape(title) for _link, title in items] == [f.title for f in shown]
            base = "/" + url_of(page)  # the folder a link is relative to
            for (link, _title), fiche in zip(items, shown, strict=True):
                reached = posixpath.normpath(posixpath.join(base, html.unescape(link)))
                assert reached == "/" + url_of(fiche_path(fiche)).rstrip("/"), (page, link)


def test_file_paths_are_those_of_posixpath_relpath() -> None:
    """A link to a file (a « Fiche N », a resource) is relpath's, from the strings alone."""
    from fichotheque.render.html import file_path

    rng = random.Random(11)
    parts = ["fiches", "docs", "ressources", "a", "b", "ab", "é t&é", "."]
    paths = [
        posixpath.normpath("/".join(rng.choices(parts, k=rng.randint(1, 4)))) for _ in range(200)
    ]
    for target in paths:
        for origin in rng.sample(paths, 20):
            assert file_path(origin, target) == posixpath.relpath(target, origin), (origin, target)


def test_the_glossary_users_of_a_meaning_are_the_fiches_that_use_it() -> None:
    from fichotheque.model import build_catalogue

    project = Project(Path(__file__).resolve().parent.parent)
    result = check_project(project)
    catalogue = build_catalogue(result.fiches, result.taxonomy, result.glossary)
    meanings = {m for used in catalogue.acronyms.values() for m in used}
    assert meanings, "the example fiches use the glossary"
    for meaning in meanings:
        expected = [f for f in catalogue.fiches if meaning in catalogue.acronyms[f.slug]]
        assert catalogue.fiches_using(meaning) == expected


def test_the_glossary_pattern_finds_what_a_plain_alternation_finds() -> None:
    """The terms, as a trie, match where and what « longest|…|shortest » would match."""
    from fichotheque.glossary import Entry, Glossary

    rng = random.Random(11)
    letters = "ABCIPé-' "
    terms = sorted({"".join(rng.choices(letters, k=rng.randint(1, 5))).strip() for _ in range(60)})
    terms = [t for t in terms if t]
    glossary = Glossary(tuple(Entry(term, ()) for term in terms))
    ordered = sorted(terms, key=len, reverse=True)
    plain = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, ordered)) + r")(?![\w-])")
    assert glossary.pattern is not None
    matches = 0
    for _ in range(300):
        text = "".join(rng.choices(letters + "xy\n", k=rng.randint(0, 80)))
        found = [(m.start(), m.group(0)) for m in glossary.pattern.finditer(text)]
        assert found == [(m.start(), m.group(0)) for m in plain.finditer(text)], text
        matches += len(found)
    assert matches > 300


def test_references_are_those_of_the_pattern_with_its_word_boundary() -> None:
    """« Fiche N » is looked for without its first word boundary, checked after: the same
    matches, wherever a letter, a digit or an underscore stands before « Fiche »."""
    from fichotheque.references import CITED, FICHE_REFERENCE, _references

    rng = random.Random(13)
    pieces = ["Fiche 12", "Fiche n° 7", "Fiche", " ", "é", "_", "3", "x", "\n", "(", "Fiches 4"]
    seen = left_out = 0
    for _ in range(5000):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 10)))
        expected = [(m.start(), m.end(), m.group(1)) for m in FICHE_REFERENCE.finditer(text)]
        assert [(m.start(), m.end(), m.group(1)) for m in _references(text)] == expected, text
        seen += len(expected)
        left_out += len(CITED.findall(text)) - len(expected)
    assert seen > 500 and left_out > 500  # both kinds were met


def test_masking_blanks_what_it_masks_and_nothing_else() -> None:
    """Each masked span becomes spaces, its line breaks kept: offsets never move."""
    from fichotheque.references import _MASKED, FICHE_REFERENCE, _masked, find_references

    rng = random.Random(5)
    pieces = [
        "Fiche 12",
        " texte ",
        "`code`",
        "[lien](x)",
        "<b>",
        "<!-- a\nb -->",
        "\n```\nFiche 3\n```\n",
        "\n",
    ]
    seen = 0
    for _ in range(300):
        body = "".join(rng.choices(pieces, k=rng.randint(0, 12)))
        expected = _MASKED.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), body)
        assert _masked(body) == expected
        found = [offset for _number, offset in find_references(body)]
        assert found == [m.start() for m in FICHE_REFERENCE.finditer(expected)], body
        seen += len(found)
    assert seen > 100


def test_the_masked_spans_are_those_of_the_plain_pattern() -> None:
    """_MASKED against its first form, whose fences start with « ^ » (4x slower), on
    texts made of fences in and out of line starts, open or closed, and what else it
    masks."""
    from fichotheque.references import _MASKED

    plain = re.compile(
        r"^(?P<fence>```|~~~).*?^(?P=fence)[^\n]*$|<!--.*?-->|`[^`\n]*`"
        r"|\[[^\]\n]*\]\([^)\n]*\)|<[^>\n]+>",
        re.DOTALL | re.MULTILINE,
    )
    rng = random.Random(11)
    pieces = [
        "`",
        "```",
        "~~~",
        "\n",
        "<",
        ">",
        "<!--",
        "-->",
        "[",
        "](",
        ")",
        "a",
        " ",
        "x\n```\n",
    ]
    masked = 0
    for _ in range(20_000):
        text = "".join(rng.choices(pieces, k=rng.randint(0, 30)))
        spans = [m.span() for m in _MASKED.finditer(text)]
        assert spans == [m.span() for m in plain.finditer(text)], text
        masked += len(spans)
    assert masked > 10_000


def test_the_meanings_a_text_uses_are_those_of_the_plain_search() -> None:
    """used_in against the first way of finding them, on texts made of the example's
    terms, expansions and choices."""
    from fichotheque.glossary import MIN_EXPANSION, load_glossary

    project = Project(Path(__file__).resolve().parent.parent)
    glossary, _problems = load_glossary(project.glossary_path, "glossary.yml")
    assert any(entry.is_ambiguous for entry in glossary.entries)

    def plain(text: str, chosen: dict[str, str]) -> tuple[object, ...]:
        found = {m.group(0) for e in glossary.entries for m in e.pattern().finditer(text)}
        folded = " ".join(text.casefold().split())
        meanings: list[object] = []
        for entry in glossary.entries:
            spelled = [
                m for m in entry.meanings
                if len(m.expansion) >= MIN_EXPANSION and m.expansion.casefold() in folded
            ]  # fmt: skip
            if entry.term in found:
                choice = chosen.get(entry.term)
                spelled += [m for m in entry.meanings if choice is None or m.id == choice]
            meanings += [m for m in entry.meanings if m in spelled]
        return tuple(meanings)

    rng = random.Random(3)
    words = [e.term for e in glossary.entries] + ["le", "la-", "x", "\n"]
    words += [m.expansion.upper() for e in glossary.entries for m in e.meanings][:20]
    used = 0
    for _ in range(200):
        text = " ".join(rng.choices(words, k=rng.randint(0, 15)))
        chosen = {
            e.term: rng.choice(e.meanings).id for e in glossary.entries if e.is_ambiguous
            and rng.random() < 0.5
        }  # fmt: skip
        assert glossary.used_in(text, chosen) == plain(text, chosen), text
        used += len(plain(text, chosen))
    assert used > 200


def test_the_similar_fiches_remembered_are_those_of_the_fiches_asked_about() -> None:
    """The last answer is kept for the preview's next build: a change to one fiche's
    terms, to the order or to the related fiches gives a fresh answer, the one a new
    process would give."""
    fiches, by_term = _catalogue(300, seed=7)
    first = _similar(fiches, by_term, {})
    assert _similar(fiches, by_term, {}) == first
    moved = SimpleNamespace(slug=fiches[0].slug, terms=fiches[150].terms)
    changes = [  # (fiches, related, whether the first fiche's similar ones must change)
        ([moved, *fiches[1:]], {}, True),
        ([*fiches[1:], fiches[0]], {}, False),  # the order breaks ties only
        (fiches, {fiches[0].slug: first[fiches[0].slug][:1]}, True),
    ]
    for changed, related, differs in changes:
        index: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for fiche in changed:
            for key, slugs in fiche.terms:
                for slug in slugs:
                    index[(key, slug)].append(fiche)
        answer = _similar(changed, index, related)
        assert answer == _score_similar(changed, index, related)
        assert (answer[fiches[0].slug] != first[fiches[0].slug]) == differs


def test_a_fiche_unpickled_once_is_that_of_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview's checks reuse the fiches this process unpickled from the same source
    (checkcache._UNPICKLED); an edit to the fiche, or to what every fiche is read with,
    gives the fiche a check with nothing stored would."""
    from conftest import copy_example

    def fresh() -> dict[str, Any]:
        with monkeypatch.context() as patch:
            patch.setenv(
                "FICHOTHEQUE_CACHE", str(tmp_path / f"vide-{len(list(tmp_path.iterdir()))}")
            )
            return {f.file: f for f in check_project(project).fiches}

    project = copy_example(tmp_path / "base")
    monkeypatch.setenv("FICHOTHEQUE_CACHE", str(tmp_path / "cache"))
    check_project(project)  # every fiche checked and stored
    first = {f.file: f for f in check_project(project).fiches}
    again = {f.file: f for f in check_project(project).fiches}
    assert len(first) > 10 and all(again[file] is first[file] for file in first)
    fiche = project.fiches_dir / "2007-plans-locaux-integration.md"
    fiche.write_text(fiche.read_text("utf-8").replace('title: "', 'title: "Nouveau, ', 1))
    edited = {f.file: f for f in check_project(project).fiches}
    assert [file for file in first if edited[file] is not first[file]] == [f"fiches/{fiche.name}"]
    assert edited == fresh() and edited[f"fiches/{fiche.name}"].title.startswith("Nouveau, ")
    project.mkdocs_path.write_text(project.mkdocs_path.read_text("utf-8") + "\n# autre\n")
    reread = {f.file: f for f in check_project(project).fiches}
    assert not [file for file in edited if reread[file] is edited[file]]
    assert reread == fresh()


def test_a_fiche_kept_unpickled_is_typed_anew_on_the_day_its_date_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source dated tomorrow is left out today (and the check says so); tomorrow, the
    fiche has it, even in a process that kept yesterday's fiche."""
    import datetime as dt

    from conftest import copy_example

    project = copy_example(tmp_path / "base")
    monkeypatch.setenv("FICHOTHEQUE_CACHE", str(tmp_path / "cache"))
    fiche = project.fiches_dir / "2006-cahier-revendications-a-nous-la-parole.md"
    today, tomorrow = dt.date(2027, 3, 1), dt.date(2027, 3, 2)
    fiche.write_text(
        fiche.read_text("utf-8").replace(
            "    url: https://www.cainamur.be/\n",
            f"    url: https://www.cainamur.be/\n    date: '{tomorrow.isoformat()}'\n",
            1,
        )
    )

    def dates() -> list[str | None]:
        (typed,) = [
            f for f in check_project(project, tomorrow).fiches if f.file.endswith(fiche.name)
        ]
        return [source.date for source in typed.sources]

    early = check_project(project, today)
    assert any(p.code == "date-future" for p in early.problems)
    (kept,) = [f for f in check_project(project, today).fiches if f.file.endswith(fiche.name)]
    assert tomorrow.isoformat() not in [source.date for source in kept.sources]
    assert tomorrow.isoformat() in dates()  # checked anew: the day changed the key
    assert tomorrow.isoformat() in dates()  # from the cache, unpickled again


def test_settled_leaves_out_what_lives_and_hands_it_back_even_on_error() -> None:
    assert gc.get_freeze_count() == 0
    before = [[n] for n in range(1_000)]  # lists: the collector tracks them
    with pytest.raises(RuntimeError), memory.settled() as settle:
        frozen = gc.get_freeze_count()
        assert frozen >= len(before)
        later = [[n] for n in range(1_000)]
        settle()
        assert gc.get_freeze_count() >= frozen + len(later)
        raise RuntimeError
    assert gc.get_freeze_count() == 0


def test_staging_freezes_the_checked_fiches_then_hands_them_back(
    example: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The catalogue and the pages are built with the fiches out of the collector's way."""
    result = check_project(example)
    collected: dict[str, bool] = {}

    def watched(name: str, function: Any) -> Any:
        def wrapper(first: Any, *args: Any, **kwargs: Any) -> Any:
            # gc.get_objects lists what the collector walks, never what is frozen
            collected[name] = any(thing is first for thing in gc.get_objects())
            return function(first, *args, **kwargs)

        return wrapper

    monkeypatch.setattr(engine, "build_catalogue", watched("fiches", engine.build_catalogue))
    monkeypatch.setattr(engine, "site_pages", watched("catalogue", engine.site_pages))
    stage_site(example, result, tmp_path / "staged")
    assert collected == {"fiches": False, "catalogue": False}
    assert gc.get_freeze_count() == 0
    assert any(thing is result.fiches for thing in gc.get_objects())
