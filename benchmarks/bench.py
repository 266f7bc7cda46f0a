"""The benchmark: Fichothèque against Material for MkDocs on the same fiches, same run.

    make bench                                   # 100, 1,000 and 10,000 fiches
    .venv/bin/python benchmarks/bench.py --quick # 100 fiches, one run: a smoke test

For each size it writes a seeded corpus (corpus.py), then measures, as the median of
``--runs`` runs: ``fichotheque check``; a cold build, split by stage (``--timings``); the
build after editing one fiche, with words already in the site, then with new words; and,
interleaved with ours (A B, then B A), the baseline:
the same staged Markdown built by ``mkdocs build`` with Material's search and tags plugins
and a navigation that does not list every fiche. The time ``fichotheque serve`` takes to
show an edit in Chromium is the median of as many edits in one preview (three at least).
Once per size: the peak memory of each build (its process tree, sampled), the site's
size, its largest page, and the bytes a visitor downloads for a fiche page and for a
first search. Every time is also given as a ratio to the baseline.
Results go to ``--out`` as bench.md (tables) and bench.json. Not a test: nothing is
asserted about speed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import queue
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "scripts"))
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402
from search_bytes import first_query_bytes, page_bytes  # noqa: E402

BIN = Path(sys.executable).parent
FICHOTHEQUE = BIN / "fichotheque"
MKDOCS = BIN / "mkdocs"
PAGE = 4096
STANDARD_EXTENSIONS = ("abbr", "admonition", "def_list", "tables", "toc")


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            tree.setdefault(int(stat[1]), []).append(int(entry.name))
    return tree


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants, now."""
    tree, total, todo = _children(), 0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError, IndexError):  # a process that just ended
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE
        todo += tree.get(current, [])
    return total


def timed(command: list[str | Path], cwd: Path, cache: Path) -> tuple[float, int]:
    """Run ``command`` with ``cache`` as its cache folder; its wall time and peak memory.

    The memory is that of the whole process tree (Pagefind included), sampled.
    """
    started = time.perf_counter()
    environment = {**os.environ, "CI": "true", "FICHOTHEQUE_CACHE": str(cache)}
    process = subprocess.Popen(
        [str(part) for part in command], cwd=cwd, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, env=environment,
    )  # fmt: skip
    peak = 0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, err = process.communicate()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode not in (0,):
        raise SystemExit(f"{' '.join(map(str, command))} failed ({process.returncode}):\n{err}")
    return seconds, peak


def baseline_project(base: Path, folder: Path) -> Path:
    """The staged Markdown of ``base``, set up for plain Material with search and tags."""
    from fichotheque.check import check_project
    from fichotheque.engine import stage_site
    from fichotheque.project import Project

    project = Project(base)
    config_path, _count, _parts = stage_site(project, check_project(project), folder)
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["plugins"] = ["search", "tags"]
    config["theme"].pop("custom_dir", None)
    config["markdown_extensions"] = [
        e for e in config["markdown_extensions"] if (e if isinstance(e, str) else next(iter(e)))
        in STANDARD_EXTENSIONS
    ]  # fmt: skip
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config_path


def clean(base: Path) -> None:
    for name in ("site", ".fichotheque"):
        shutil.rmtree(base / name, ignore_errors=True)


def append(fiche: Path, sentence: str) -> None:
    """Edit a fiche as staff do: one more sentence at the end of its body."""
    text = fiche.read_text(encoding="utf-8")
    fiche.write_text(text.rstrip("\n") + f"\n\n{sentence}\n", "utf-8")


def first_sentence(fiche: Path) -> str:
    """A line of the fiche's body: said again, it adds no word to the site."""
    body = fiche.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return next(line for line in body.splitlines() if line[:1].isalpha())


def fresh(folder: Path) -> Path:
    """An empty cache folder: nothing learnt by an earlier run (check results, downloads)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    downloads = Path(os.environ.get("FICHOTHEQUE_CACHE") or Path.home() / ".cache/fichotheque")
    for tarball in downloads.glob("*.tgz"):  # the editor's code: a download, not a result
        shutil.copy2(tarball, folder / tarball.name)
    return folder


def ours_cold(base: Path, timings: Path, cache: Path) -> dict[str, Any]:
    """A build from nothing: no site, no work folder, no check results."""
    clean(base)
    command = [FICHOTHEQUE, "build", "--root", base, "--timings", timings]
    seconds, peak = timed(command, base, fresh(cache))
    stages = json.loads(timings.read_text(encoding="utf-8"))
    return {"seconds": seconds, "peak": peak, "stages": stages}


def preview_seconds(base: Path, fiche: Path, cache: Path, edits: int) -> list[float]:
    """From saving an edited title to seeing it in Chromium, with ``fichotheque serve``,
    for ``edits`` edits in one preview, each once the search caught up with the last.

    The first edit is saved once the page has loaded and the network has been quiet for
    half a second, as by a reader who looked at the page first (a page still loading
    shares the two cores with the rebuild). The browser reloads the page once ``serve``
    says the preview is up to date, as its reader would: a browser reloading many times a
    second would slow the very rebuild it waits for (the server's threads share the
    interpreter with it).
    """
    from playwright.sync_api import sync_playwright

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [FICHOTHEQUE, "serve", "--root", base, "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "CI": "true", "FICHOTHEQUE_CACHE": str(cache)},
    )  # fmt: skip
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout or ()]).start()

    def said(start: str) -> None:
        while not lines.get(timeout=3600).startswith(start):
            pass

    address = f"http://127.0.0.1:{port}/fiches/{fiche.stem}/"
    text = fiche.read_text(encoding="utf-8")
    start = text.index("\ntitle: ") + 1
    end = text.index("\n", start)
    seen = []
    try:
        said("Aperçu sur")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            page = browser.new_page()
            page.goto(address, wait_until="networkidle")
            for _ in range(edits):
                title = f"Titre modifié {time.time_ns()}"
                fiche.write_text(text[:start] + f"title: {title}" + text[end:], encoding="utf-8")
                saved = time.perf_counter()
                said("Aperçu à jour")
                page.reload()
                if page.locator("article h1").inner_text() != title:
                    raise SystemExit("the preview said it was up to date without the edit")
                seen.append(time.perf_counter() - saved)
                said("Recherche à jour")
            browser.close()
        return seen
    finally:
        fiche.write_text(text, encoding="utf-8")
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def site_figures(site: Path) -> dict[str, Any]:
    sizes = {p: p.stat().st_size for p in site.rglob("*") if p.is_file()}
    pages = {p: size for p, size in sizes.items() if p.suffix == ".html"}
    largest = max(pages, key=pages.__getitem__)
    return {
        "site_bytes": sum(sizes.values()),
        "largest_page_bytes": pages[largest],
        "largest_page": largest.relative_to(site).as_posix(),
    }


def measure(size: int, runs: int, work: Path) -> dict[str, Any]:
    base = write_corpus(work / f"base-{size}", size)
    fiche = sorted((base / "fiches").glob("*.md"))[size // 2]
    original = fiche.read_bytes()
    config = baseline_project(base, work / f"material-{size}")
    material_site = config.parent / "site"
    timings = work / "timings.json"
    cache = work / f"cache-{size}"
    check = [FICHOTHEQUE, "check", "--root", base]
    cold_checks, checks, colds, edits, known, materials = [], [], [], [], [], []
    for run in range(runs):
        cold_checks.append(timed(check, base, fresh(cache))[0])
        checks.append(timed(check, base, cache)[0])  # every fiche already checked once
        order = ("ours", "material") if run % 2 == 0 else ("material", "ours")
        for who in order:
            if who == "ours":
                colds.append(ours_cold(base, timings, cache))
                build = [FICHOTHEQUE, "build", "--root", base]
                # After a build, as staff work: first words already in the site (only the
                # edited fiche's part of the search index is made again), then new words
                # (every part is: each one knows every word of the site, searchindex.py).
                append(fiche, first_sentence(fiche))
                known.append(timed(build, base, cache)[0])
                fiche.write_bytes(original)
                append(fiche, f"Ajout du banc d'essai : modification {run}.")
                edits.append(timed(build, base, cache)[0])
                fiche.write_bytes(original)
            else:
                shutil.rmtree(material_site, ignore_errors=True)
                command = [MKDOCS, "build", "-q", "-f", config]
                seconds, peak = timed(command, config.parent, cache)
                materials.append({"seconds": seconds, "peak": peak})
    cold = statistics.median(c["seconds"] for c in colds)
    material = statistics.median(m["seconds"] for m in materials)
    edited = statistics.median(edits)
    reworded = statistics.median(known)
    warm_check = statistics.median(checks)
    cold_check = statistics.median(cold_checks)
    stage_names = [s["etape"] for s in colds[0]["stages"]]
    stages = {
        name: statistics.median(
            next(s["secondes"] for s in c["stages"] if s["etape"] == name) for c in colds
        )
        for name in stage_names
    }
    within = {s["etape"]: s["pendant"] for s in colds[0]["stages"] if s.get("pendant")}
    search_total, search_bytes, _files = first_query_bytes(base / "site", "logement")
    previews = preview_seconds(base, fiche, cache, max(runs, 3))
    return {
        "fiches": size,
        "runs": runs,
        "check_seconds": warm_check,
        "check_fiches_per_second": size / warm_check,
        "check_cold_seconds": cold_check,
        "check_cold_fiches_per_second": size / cold_check,
        "cold_seconds": cold,
        "material_seconds": material,
        "cold_ratio": cold / material,
        "edit_seconds": edited,
        "edit_ratio_to_cold": edited / cold,
        "edit_ratio": edited / material,
        "edit_known_seconds": reworded,
        "edit_known_ratio_to_cold": reworded / cold,
        "preview_seconds": statistics.median(previews),
        "preview_runs": previews,
        "stages": stages,
        "stages_within": within,  # a stage run during another, whose time includes it
        "peak_bytes": max(c["peak"] for c in colds),
        "material_peak_bytes": max(m["peak"] for m in materials),
        **site_figures(base / "site"),
        "material_site_bytes": sum(
            p.stat().st_size for p in material_site.rglob("*") if p.is_file()
        ),
        "fiche_page_view_bytes": page_bytes(base / "site", f"fiches/{fiche.stem}/"),
        "first_search_bytes": search_bytes,
        "first_search_page_bytes": search_total,
    }


def _mib(value: int) -> str:
    return f"{value / 2**20:,.0f} MiB".replace(",", " ")


def _kb(value: int) -> str:
    return f"{value / 1000:,.0f} KB".replace(",", " ")


def markdown(results: list[dict[str, Any]], machine: dict[str, Any]) -> str:
    lines = [
        "# Banc d'essai",
        "",
        f"Machine : {machine['cpus']} cœurs, Python {machine['python']}, {machine['date']}. "
        "Médianes ; chaque durée est aussi un rapport à Material construit dans la même série.",
        "",
        "| fiches | check (à froid) | fiches/s | build à froid | Material | rapport "
        "| après 1 modif. (sans mot nouveau) | modif. / froid | aperçu | mémoire (Material) "
        "| site | plus grosse page "
        "| page de fiche | 1re recherche |",
        "|" + "---|" * 14,
    ]
    for r in results:
        lines.append(
            f"| {r['fiches']:,} | {r['check_seconds']:.2f} s ({r['check_cold_seconds']:.1f} s) "
            f"| {r['check_fiches_per_second']:,.0f} "
            f"| {r['cold_seconds']:.1f} s | {r['material_seconds']:.1f} s | {r['cold_ratio']:.2f}× "
            f"| {r['edit_seconds']:.1f} s ({r['edit_known_seconds']:.1f} s) "
            f"| {r['edit_ratio_to_cold']:.2f}× ({r['edit_known_ratio_to_cold']:.2f}×) "
            f"| {r['preview_seconds']:.1f} s "
            f"| {_mib(r['peak_bytes'])} ({_mib(r['material_peak_bytes'])}) "
            f"| {r['site_bytes'] / 1e6:,.1f} MB | {_kb(r['largest_page_bytes'])} "
            f"(`{r['largest_page']}`) | {_kb(r['fiche_page_view_bytes'])} "
            f"| {_kb(r['first_search_bytes'])} |".replace(",", " ")
        )
    lines += ["", "## Étapes du build à froid", ""]
    names = list(results[0]["stages"])
    lines += [
        "| étape | "
        + " | ".join(f"{r['fiches']:,} fiches".replace(",", " ") for r in results)
        + " |"
    ]
    lines += ["|---|" + "---|" * len(results)]
    for name in names:
        cells = []
        for r in results:
            seconds = r["stages"].get(name, 0.0)
            cells.append(f"{seconds:.2f} s ({seconds / r['material_seconds']:.2f}×)")
        within = results[0]["stages_within"].get(name)
        label = f"{name} (pendant : {within})" if within else name
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if len(results) > 1:
        first, last = results[0], results[-1]
        factor = last["fiches"] / first["fiches"]
        lines += [
            "",
            f"Passage de {first['fiches']} à {last['fiches']} fiches (×{factor:.0f}) : check "
            f"×{last['check_seconds'] / first['check_seconds']:.1f}, build "
            f"×{last['cold_seconds'] / first['cold_seconds']:.1f}, Material "
            f"×{last['material_seconds'] / first['material_seconds']:.1f}.",
        ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated sizes")
    parser.add_argument("--runs", type=int, default=3, help="runs per size (10,000: one)")
    parser.add_argument("--quick", action="store_true", help="100 fiches, one run")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    sizes = [100] if args.quick else [int(s) for s in args.sizes.split(",")]
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    results = []
    with tempfile.TemporaryDirectory(prefix="fichotheque-bench-") as tmp:
        for size in sizes:
            runs = 1 if args.quick or size >= 10_000 else args.runs
            print(f"{size} fiches, {runs} run(s)…", file=sys.stderr, flush=True)
            results.append(measure(size, runs, Path(tmp)))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(
        json.dumps({"machine": machine, "results": results}, indent=2, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    table = markdown(results, machine)
    (args.out / "bench.md").write_text(table, encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
