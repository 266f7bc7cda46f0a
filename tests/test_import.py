"""``fichotheque import``: the text export of a legacy site, block by block, nothing lost."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import frontmatter
import pytest

from fichotheque.check import check_project
from fichotheque.legacy import TITLE, split_blocks
from fichotheque.project import Project
from fichotheque.scaffold import vocabulary
from fichotheque.text import fold

EXECUTABLE = Path(sys.executable).parent / "fichotheque"
EXPORT = Path(__file__).parent / "legacy" / "export.txt"
ORGANISATION = "Maison des familles"


def run(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXECUTABLE), "import", str(EXPORT), "--organisation", ORGANISATION,
         "--root", str(project.root), *args],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def titles() -> list[str]:
    """The title of each block of the export, as its first title line says."""
    found = []
    for line in EXPORT.read_text(encoding="utf-8").splitlines():
        match = TITLE.match(line)
        if match and (not found or fold(found[-1]) != fold(match.group(3))):
            found.append(match.group(3))
    return found


def imported(project: Project) -> dict[str, frontmatter.Post]:
    """The imported fiches, by title."""
    posts = [frontmatter.load(p) for p in project.fiches_dir.glob("*.md")]
    return {str(p["title"]): p for p in posts if str(p.get("organisation")) == ORGANISATION}


def ticked(label: str) -> str:
    """The slug of the term of the tests' taxonomy whose label folds like ``label``."""
    taxonomy, _glossary = vocabulary(Project(Path(__file__).parent / "base"))
    return next(
        term.slug
        for facet in taxonomy.facets
        for term in facet.terms
        if fold(term.label) == fold(label)
    )


def test_a_dry_run_shows_every_block_and_writes_nothing(example: Project) -> None:
    """--dry-run names each fiche it would write, and writes none."""
    before = sorted(example.fiches_dir.iterdir())
    shown = run(example, "--dry-run")
    assert shown.returncode == 0, shown.stderr
    assert sorted(example.fiches_dir.iterdir()) == before
    assert shown.stdout.count("serait écrite") == len(titles())
    assert f"{len(titles())} bloc(s) lu(s) : {len(titles())} fiche(s) à écrire" in shown.stdout


def test_every_block_becomes_a_fiche_that_passes_check(example: Project) -> None:
    """Blocks in, fiches out: as many, each without an error (drafts may warn)."""
    done = run(example)
    assert done.returncode == 0, done.stderr
    fiches = imported(example)
    assert sorted(fiches) == sorted(titles())
    files = {f"fiches/{p.name}" for p in example.fiches_dir.glob("*.md")}
    errors = [
        p.format_text()
        for p in check_project(example).problems
        if p.severity == "error" and p.file in files
    ]
    assert errors == []
    assert not list(example.fiches_dir.glob(".*.tmp"))


def test_running_twice_writes_nothing_new(example: Project) -> None:
    """A second import leaves every fiche as it is, and says so."""
    run(example)
    contents = {p: p.read_bytes() for p in example.fiches_dir.glob("*.md")}
    again = run(example)
    assert again.returncode == 0
    assert {p: p.read_bytes() for p in example.fiches_dir.glob("*.md")} == contents
    assert again.stdout.count("déjà là") == len(titles()) + 1  # each file, and the tally
    assert f"{len(titles())} bloc(s) lu(s) : 0 fiche(s) écrite(s)" in again.stdout


def test_the_body_keeps_paragraphs_bullets_links_and_acronyms(example: Project) -> None:
    """Bullets become Markdown lists (nested too); links keep their titles; acronym lines
    are kept in the fiche and a new one is proposed for the glossary."""
    done = run(example)
    first = imported(example)[titles()[0]]
    assert re.search(r"^- .+\n- .+", first.content, re.M)
    assert re.search(r"^  - ", first.content, re.M)
    assert "•" not in first.content and "Ajouter liens" not in first.content
    assert "Légende" not in first.content
    resources = first["ressources"]
    assert all(r["url"].startswith("https://") and r["titre"] for r in resources)
    assert {s["titre"] for s in first["sources"]} >= {"Notes de l'équipe"}
    assert any(s.get("url") for s in first["sources"])
    assert "*[ZZT]: Zone de tables de conversation" in first.content
    assert "ZZT:" in done.stdout and "CPAS:" not in done.stdout  # the glossary has CPAS


@pytest.mark.parametrize(
    ("label", "facet"),
    [("Travail en reseau", "axes"), ("enseignement/formation/emploi", "thematiques")],
)
def test_labels_match_terms_whatever_their_spelling(
    label: str, facet: str, example: Project
) -> None:
    """Accents, case and spacing aside, a ticked label is the term it names."""
    run(example)
    assert ticked(label) in imported(example)[titles()[0]][facet]


def test_a_label_that_matches_no_term_is_reported_and_kept(example: Project) -> None:
    """« Cuisine du monde » is named in the report, with its line, and stays in the fiche."""
    done = run(example)
    assert "« Cuisine du monde »" in done.stdout and "Ligne 1" in done.stdout
    text = next(p for p in example.fiches_dir.glob("2011-*.md")).read_text("utf-8")
    assert "Cuisine du monde" in text


def test_a_block_without_categories_is_a_draft_and_is_reported(example: Project) -> None:
    """An announcement has no categories: it is imported as a draft, and the report says so."""
    done = run(example)
    without = [t for t in titles() if "Catégories" not in _block_text(t)]
    assert without
    for title in without:
        assert imported(example)[title]["statut"] == "brouillon"
        assert f"« {title} » n'a pas de catégories" in done.stdout


def _block_text(title: str) -> str:
    for _number, lines in split_blocks(EXPORT.read_text(encoding="utf-8")):
        if TITLE.match(lines[0]).group(3) == title:  # type: ignore[union-attr]
            return "\n".join(lines)
    raise AssertionError(title)


def test_a_period_title_gives_a_period(example: Project) -> None:
    """« 2015-2016 - Titre », with hyphens, is a fiche of two years."""
    run(example)
    periods = [t for t in titles() if re.search(r"\d{4}-\d{4}", _block_text(t).split("\n")[0])]
    assert periods
    for title in periods:
        assert re.fullmatch(r"\d{4}–\d{4}", str(imported(example)[title]["date"]))


SHEET = Path(__file__).parent / "legacy" / "activites.csv"


def run_sheet(project: Project, *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXECUTABLE), "import", str(SHEET), "--organisation", ORGANISATION,
         "--root", str(project.root), *map(str, args)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def sheet_rows() -> list[dict[str, str]]:
    import csv

    with SHEET.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_every_row_of_a_spreadsheet_becomes_a_fiche_that_passes_check(example: Project) -> None:
    """One fiche per row, the mapping guessed from the headers, no error in check."""
    done = run_sheet(example)
    assert done.returncode == 0, done.stderr
    rows = sheet_rows()
    assert f"{len(rows)} bloc(s) lu(s) : {len(rows)} fiche(s) écrite(s)" in done.stdout
    files = {f"fiches/{p.name}" for p in example.fiches_dir.glob("*.md")}
    errors = [p.format_text() for p in check_project(example).problems
              if p.severity == "error" and p.file in files]  # fmt: skip
    assert errors == []
    fiches = imported(example)
    for row in rows:
        if row["Titre"]:
            post = fiches[row["Titre"]]
            assert post["description"] == row["Résumé"]
            assert post.get("lieux", []) == [p.strip() for p in row["Lieux"].split(";") if p]
    again = run_sheet(example)
    assert f"{len(rows)} bloc(s) lu(s) : 0 fiche(s) écrite(s)" in again.stdout


def test_a_spreadsheet_keeps_what_it_cannot_place(example: Project) -> None:
    """A column no field names goes to the text; a row without title keeps its line."""
    done = run_sheet(example)
    assert "Colonne « Remarques » → la fin du texte" in done.stdout
    row = sheet_rows()[0]
    post = imported(example)[row["Titre"]]
    assert f"**Remarques** : {row['Remarques']}" in post.content
    assert row["Texte"] in post.content
    assert ticked("travail en réseau") in post["axes"]
    assert "« Cuisine du monde »" in done.stdout
    untitled = next(i for i, r in enumerate(sheet_rows()) if not r["Titre"])
    assert f"Ligne {untitled + 2} : pas de titre" in done.stdout


def test_the_column_mapping_is_written_down_and_then_followed(
    example: Project, tmp_path: Path
) -> None:
    """--colonnes writes the guessed mapping; corrected, the next import follows it."""
    import yaml

    mapping = tmp_path / "colonnes.yml"
    run_sheet(example, "--dry-run", "--colonnes", mapping)
    assert not mapping.exists()  # a dry run writes nothing at all
    run_sheet(example, "--colonnes", mapping)
    written = yaml.safe_load(mapping.read_text("utf-8"))
    assert written["Titre"] == "title" and written["Remarques"] is None
    for path in example.fiches_dir.glob("*.md"):
        if str(frontmatter.load(path).get("organisation")) == ORGANISATION:
            path.unlink()
    written["Remarques"] = "region"
    mapping.write_text(yaml.safe_dump(written, allow_unicode=True), "utf-8")
    run_sheet(example, "--colonnes", mapping)
    row = sheet_rows()[0]
    assert imported(example)[row["Titre"]]["region"] == row["Remarques"]


def test_an_xlsx_workbook_gives_the_same_fiches_as_its_csv(
    example: Project, tmp_path: Path
) -> None:
    """The same rows saved as XLSX (a year as a number, a date as a date) import alike."""
    import datetime as dt

    import openpyxl

    rows = sheet_rows()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    headers = list(rows[0])
    sheet.append(headers)
    for row in rows:
        sheet.append([int(row[h]) if h == "Date" and row[h].isdigit() else row[h] or None
                      for h in headers])  # fmt: skip
    sheet.append([None] * len(headers))  # an empty row at the end, as sheets often have
    sheet.cell(row=2, column=headers.index("Date") + 1).value = dt.datetime(2018, 6, 21)
    book = tmp_path / "activites.xlsx"
    workbook.save(book)
    done = subprocess.run(
        [str(EXECUTABLE), "import", str(book), "--organisation", ORGANISATION,
         "--root", str(example.root)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert f"{len(rows)} bloc(s) lu(s) : {len(rows)} fiche(s) écrite(s)" in done.stdout
    fiches = imported(example)
    first = fiches[rows[0]["Titre"]]
    assert str(first["date"]) == "2018-06-21"
    assert first["lieux"] == [p.strip() for p in rows[0]["Lieux"].split(";")]
    assert str(fiches[rows[1]["Titre"]]["date"]) == rows[1]["Date"]


def test_a_killed_import_leaves_whole_fiches_and_a_rerun_finishes_it(
    example: Project, tmp_path: Path
) -> None:
    """Killed midway, an import leaves only whole fiches; run again, it writes the rest."""
    import signal
    import time

    block = EXPORT.read_text(encoding="utf-8").split("\n\n\n2015")[0]
    big = tmp_path / "gros-export.txt"
    big.write_text(
        "\n\n".join(block.replace("2011 –", f"{1900 + i % 100} –").replace(
            "Des ateliers", f"Des ateliers {i}") for i in range(1500)),
        encoding="utf-8",
    )  # fmt: skip
    command = [str(EXECUTABLE), "import", str(big), "--organisation", ORGANISATION,
               "--root", str(example.root)]  # fmt: skip
    before = set(example.fiches_dir.glob("*.md"))
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(set(example.fiches_dir.glob("*.md")) - before) < 50:
        assert process.poll() is None, "the import ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    written = set(example.fiches_dir.glob("*.md")) - before
    assert 50 <= len(written) < 1500
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("---\n") and text.rstrip().endswith("de conversation"), path.name
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert len(set(example.fiches_dir.glob("*.md")) - before) == 1500
    assert f"{len(written)} déjà là" in done.stdout
