"""What a visitor downloads for a first search: Pagefind against Material's lunr index.

    python benchmarks/search_bytes.py --fiches 5000

Generates N synthetic French fiches (about 1,000 words each) against the example
taxonomy, builds the site with ``fichotheque build`` (Pagefind), then builds the same
staged pages with Material's built-in search plugin as the baseline, in the same run.
It reports every byte the search page fetches for its first query, in real Chromium,
next to the size of Material's search_index.json (raw and gzipped). Not a test.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import random
import shutil
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from fichotheque.check import check_project  # noqa: E402
from fichotheque.engine import _run_mkdocs, build_site, stage_site  # noqa: E402
from fichotheque.project import Project  # noqa: E402

WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list
    "accompagnement intégration logement emploi formation santé citoyenneté réseau "
    "association commune province partenaires migrants réfugiés jeunes femmes projet "
    "atelier rencontre diagnostic recommandations mémorandum élections droits accès "
    "interculturalité discrimination racisme mobilité justice enseignement quartier "
    "permanence insertion socioprofessionnelle plan local concertation plénière"
).split()


def make_project(folder: Path, count: int, seed: int = 7) -> Project:
    """A copy of the example's settings with ``count`` synthetic fiches."""
    for name in ("taxonomy.yml", "glossary.yml", "mkdocs.yml"):
        shutil.copyfile(REPO / name, folder / name)
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Banc d'essai\n", encoding="utf-8")
    taxonomy = yaml.safe_load((REPO / "taxonomy.yml").read_text(encoding="utf-8"))
    facets = {}
    for facet in taxonomy["facettes"]:
        groups = facet.get("groupes") or [{"termes": facet["termes"]}]
        facets[facet["cle"]] = (
            [t["slug"] for g in groups for t in g["termes"]],
            facet.get("multiple", True),
        )
    rng = random.Random(seed)
    fiches = folder / "fiches"
    fiches.mkdir()
    for index in range(count):
        front = {
            "title": f"Fiche {index} : {' '.join(rng.sample(WORDS, 5))}",
            "description": " ".join(rng.choices(WORDS, k=40)) + ".",
            "date": str(rng.randint(1995, 2025)),
            "organisation": "Organisation d'essai",
        }
        for key, (terms, multiple) in facets.items():
            front[key] = rng.sample(terms, rng.randint(1, 2)) if multiple else rng.choice(terms)
        paragraphs = [" ".join(rng.choices(WORDS, k=100)) + "." for _ in range(10)]
        body = "## Contexte\n\n" + "\n\n".join(paragraphs)
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n\n" + body + "\n"
        (fiches / f"fiche-{index:05d}.md").write_text(text, encoding="utf-8")
    return Project(folder)


def fetched(site: Path, path: str, ready: str | None = None) -> dict[str, int]:
    """Bytes of every response a page of ``site`` fetches, until the network is idle.

    ``ready``, a CSS selector, is waited for first (the search page marks when it is).
    """
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    sizes: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page()
        page.on("response", lambda r: sizes.__setitem__(r.url, len(r.body())))
        page.goto(base + path)
        if ready is not None:
            page.wait_for_selector(ready, state="attached")
        page.wait_for_load_state("networkidle")
        browser.close()
    httpd.shutdown()
    return sizes


def first_query_bytes(site: Path, query: str) -> tuple[int, int, list[str]]:
    """Bytes of every response the search page fetches, from load to its first results."""
    sizes = fetched(site, f"recherche/?q={query}", "form#recherche[data-etat=pret]")
    search = {url: size for url, size in sizes.items() if "/pagefind/" in url}
    return sum(sizes.values()), sum(search.values()), sorted(search)


def page_bytes(site: Path, path: str) -> int:
    """Bytes a visitor downloads to view one page of ``site``, everything it loads included."""
    return sum(fetched(site, path).values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fiches", type=int, default=5000)
    parser.add_argument("--query", default="logement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "projet"
        folder.mkdir()
        project = make_project(folder, args.fiches)
        result = check_project(project)
        started = time.perf_counter()
        build_site(project, result, project.site_dir)
        ours = time.perf_counter() - started
        total, search, files = first_query_bytes(project.site_dir, args.query)

        staging = Path(tmp) / "baseline"
        staging.mkdir()
        config_path, _count, _parts = stage_site(project, result, staging)
        config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
        config["plugins"] = ["search"]
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        started = time.perf_counter()
        _run_mkdocs(config_path, staging / "site")
        baseline = time.perf_counter() - started
        index = (staging / "site" / "search" / "search_index.json").read_bytes()
        zipped = len(gzip.compress(index))
    print(f"fiches: {args.fiches}")
    print(f"build with Pagefind (fichotheque build): {ours:.1f} s")
    print(f"build with Material search (same pages): {baseline:.1f} s")
    print(
        f"first query « {args.query} »: {search:,} bytes from /pagefind/ "
        f"({len(files)} files), {total:,} bytes for the whole page"
    )
    print(f"Material search_index.json: {len(index):,} bytes raw, {zipped:,} bytes gzipped")
    print(f"ratio: Pagefind first query / lunr index gzipped = {search / zipped:.3f}")


if __name__ == "__main__":
    main()
