"""What a reader finds on fiche pages beyond the metadata: acronyms, references, neighbours."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import frontmatter
import yaml

from conftest import BASE
from fichotheque.engine import BuildReport
from fichotheque.project import Project
from fichotheque.render.charts import BARS_SHOWN
from test_build import page, published_front_matter


def glossary_data() -> dict[str, list[dict[str, str]]]:
    """glossary.yml read independently, every entry as a list of meanings."""
    data = yaml.safe_load((BASE / "glossary.yml").read_text(encoding="utf-8"))
    result = {}
    for term, value in data.items():
        meanings = value if isinstance(value, list) else [value]
        result[str(term)] = [
            m if isinstance(m, dict) else {"forme_developpee": m} for m in meanings
        ]
    return result


def fiche_text(slug: str) -> str:
    post = frontmatter.load(BASE / "fiches" / f"{slug}.md")
    return "\n".join((str(post["title"]), str(post["description"]), post.content))


def test_acronym_box_lists_the_glossary_terms_the_fiche_uses(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Each fiche's box names exactly the glossary terms found in its text, in the chosen sense."""
    project, _ = built_example
    glossary = glossary_data()
    for slug, meta in published_front_matter().items():
        text = fiche_text(slug)
        folded = " ".join(text.casefold().split())
        used = {
            term for term, meanings in glossary.items()
            if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text)
            or any(len(m.get("forme_developpee") or "") >= 8
                   and m["forme_developpee"].casefold() in folded for m in meanings)
        }  # fmt: skip
        document = page(project.site_dir, f"fiches/{slug}")
        box = document.select_one("dl.fiche-sigles")
        shown = {dt.get_text() for dt in box.find_all("dt")} if box else set()
        assert shown == used, slug
        for term, meaning_id in (meta.get("sigles") or {}).items():
            if not re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text):
                continue
            links = [a["href"] for a in box.find_all("a") if a.get_text() == term]
            assert [urlsplit(h).fragment for h in links] == [meaning_id], (slug, term)


def test_body_references_link_to_the_fiche_with_that_number(
    built_example: tuple[Project, BuildReport],
) -> None:
    """« Fiche N » in a body links to the page of the fiche numbered N."""
    project, _ = built_example
    fiches = published_front_matter()
    by_number = {meta["numero"]: slug for slug, meta in fiches.items() if "numero" in meta}
    checked = 0
    for slug in fiches:
        document = page(project.site_dir, f"fiches/{slug}")
        for link in document.select("article a"):
            match = re.fullmatch(r"[Ff]iches? (\d+)", link.get_text())
            if not match:
                continue
            target = (project.site_dir / "fiches" / slug / link["href"]).resolve()
            expected = (project.site_dir / "fiches" / by_number[int(match.group(1))]).resolve()
            assert target == expected, (slug, link.get_text())
            checked += 1
    assert checked >= 2


def test_neighbours_follow_chronological_order(built_example: tuple[Project, BuildReport]) -> None:
    """Following « fiche suivante » from the oldest fiche visits every fiche, oldest to newest."""
    project, _ = built_example
    fiches = published_front_matter()
    start = [
        s
        for s in fiches
        if page(project.site_dir, f"fiches/{s}").select_one(".fiche-precedente") is None
    ]
    assert len(start) == 1
    visited, current = [], start[0]
    while current:
        visited.append(current)
        link = page(project.site_dir, f"fiches/{current}").select_one(".fiche-suivante")
        current = Path(urlsplit(link["href"]).path).name if link else None
    assert sorted(visited) == sorted(fiches)
    starts = [str(fiches[s]["date"])[:4] for s in visited]
    assert starts == sorted(starts)


def test_similar_fiches_share_a_category(built_example: tuple[Project, BuildReport]) -> None:
    """A « fiche proche » shares at least one term with the fiche that proposes it."""
    project, _ = built_example
    fiches = published_front_matter()
    facets = [f["cle"] for f in yaml.safe_load((BASE / "taxonomy.yml").read_text())["facettes"]]

    def terms(meta: dict[str, object]) -> set[tuple[str, str]]:
        result = set()
        for facet in facets:
            value = meta.get(facet) or []
            result |= {(facet, str(v)) for v in (value if isinstance(value, list) else [value])}
        return result

    for slug, meta in fiches.items():
        document = page(project.site_dir, f"fiches/{slug}")
        heading = document.find("h2", string=re.compile("Fiches proches"))
        if heading is None:
            continue
        for link in heading.find_next("ul").find_all("a"):
            other = Path(urlsplit(link["href"]).path).name
            assert terms(meta) & terms(fiches[other]), (slug, other)


def test_glossary_lists_every_entry_with_the_fiches_using_it(
    built_example: tuple[Project, BuildReport],
) -> None:
    """The glossary shows every term, and each meaning links the fiches whose box cites it."""
    project, _ = built_example
    document = page(project.site_dir, "glossaire")
    terms = [dt.get_text() for dt in document.select("dl.glossaire > div > dt")]
    assert sorted(terms) == sorted(glossary_data())
    cited: dict[str, set[str]] = {}
    for slug in published_front_matter():
        box = page(project.site_dir, f"fiches/{slug}").select_one("dl.fiche-sigles")
        for link in box.find_all("a") if box else []:
            cited.setdefault(urlsplit(link["href"]).fragment, set()).add(slug)
    for meaning in document.select("dl.glossaire > div > dd"):
        links = meaning.select(".glossaire-fiches a, .glossaire-suite a")
        users = {Path(urlsplit(a["href"]).path).name for a in links}
        assert users == cited.get(meaning["id"], set()), meaning["id"]


def test_chronology_lists_each_fiche_in_every_year_it_spans(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Under each year heading are exactly the fiches whose period covers that year."""
    project, _ = built_example
    document = page(project.site_dir, "chronologie")
    fiches = published_front_matter()
    expected: dict[int, set[str]] = {}
    for slug, meta in fiches.items():
        years = [int(y) for y in re.findall(r"(?<![0-9-])([0-9]{4})", str(meta["date"]))]
        for year in range(min(years), max(years) + 1):
            expected.setdefault(year, set()).add(slug)
    shown = {}
    for heading in document.select("h3[id^=annee-]"):
        links = heading.find_next("ul").find_all("a")
        shown[int(heading.get_text())] = {Path(urlsplit(a["href"]).path).name for a in links}
    assert shown == expected


def test_panorama_charts_have_their_numbers_as_tables(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Each chart has a caption, its largest bars and a data table matching the term pages."""
    project, _ = built_example
    document = page(project.site_dir, "panorama")
    figures = document.select("figure.graphique")
    assert len(figures) >= 1 + len(taxonomy_terms_by_facet())
    for figure in figures:
        assert figure.find("figcaption").get_text(strip=True)
        data = figure.select("table.panorama-donnees tbody tr")
        bars = figure.select("ul.graphique-barres > li")
        assert data and 1 <= len(bars) <= len(data)
    for facet, terms in taxonomy_terms_by_facet().items():
        heading = document.find(id=f"facette-{facet}")
        assert len(heading.find_next("ul", class_="graphique-barres").find_all("li")) <= min(
            len(terms), BARS_SHOWN + 1
        )
        table = heading.find_next("table", class_="panorama-donnees")
        counts = {row.th.get_text(): int(row.td.get_text()) for row in table.tbody.find_all("tr")}
        for slug, label in terms:
            listed = page(project.site_dir, f"{facet}/{slug}").select("ul.fiche-liste > li")
            assert counts[label] == len(listed), (facet, slug)


def taxonomy_terms_by_facet() -> dict[str, list[tuple[str, str]]]:
    from test_build import taxonomy_terms

    result: dict[str, list[tuple[str, str]]] = {}
    for facet, slug, label in taxonomy_terms():
        result.setdefault(facet, []).append((slug, label))
    return result
