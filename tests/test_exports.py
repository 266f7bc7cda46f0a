"""Open data: fiches.json, fiches.csv and the Atom feed match the fiches, byte for byte stable."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from fichotheque.engine import BuildReport
from fichotheque.project import Project
from test_build import _build, _mini_project, as_list, published_front_matter

ATOM = "{http://www.w3.org/2005/Atom}"


def test_json_export_lists_every_published_fiche_with_its_metadata(
    built_example: tuple[Project, BuildReport],
) -> None:
    """fiches.json holds each published fiche once, with title, date, terms and URL."""
    project, _ = built_example
    text = (project.site_dir / "donnees/fiches.json").read_text(encoding="utf-8")
    data = json.loads(text)
    fiches = published_front_matter()
    rows = [line for line in text.splitlines() if line.startswith('    {"')]
    assert [json.loads(row.rstrip(",")) for row in rows] == data["fiches"]  # one per line
    assert data["licence"]["nom"] == "CC BY 4.0"
    assert sorted(f["slug"] for f in data["fiches"]) == sorted(fiches)
    for exported in data["fiches"]:
        meta = fiches[exported["slug"]]
        assert exported["titre"] == meta["title"]
        assert exported["resume"] == meta["description"]
        assert str(exported["annee_debut"]) == str(meta["date"])[:4]
        assert [t["slug"] for t in exported["axes"]] == sorted(
            as_list(meta["axes"]), key=[t["slug"] for t in exported["axes"]].index
        )
        assert set(data["champs"]) == set(exported)
        page = exported["url"].removeprefix("https://fiches.example.org/")
        assert (project.site_dir / page / "index.html").exists()


def test_csv_export_has_one_row_per_fiche(built_example: tuple[Project, BuildReport]) -> None:
    """fiches.csv opens as UTF-8 in a spreadsheet and has one row per published fiche."""
    project, _ = built_example
    raw = (project.site_dir / "donnees/fiches.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    fiches = published_front_matter()
    assert sorted(row["slug"] for row in rows) == sorted(fiches)
    for row in rows:
        assert row["titre"] == fiches[row["slug"]]["title"]
        assert row["licence"].startswith("CC BY 4.0")
        assert len(row["partenaires"].split(" ; ")) == max(
            1, len(as_list(fiches[row["slug"]].get("partenaires")))
        )


def test_atom_feed_is_valid_xml_with_the_latest_fiches(
    built_example: tuple[Project, BuildReport],
) -> None:
    """flux.xml parses as Atom, newest first, and every page links to it."""
    project, _ = built_example
    feed = ET.parse(project.site_dir / "flux.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    titles = {e.findtext(f"{ATOM}title") for e in entries}
    fiches = published_front_matter()
    assert 0 < len(entries) <= 20
    assert titles <= {meta["title"] for meta in fiches.values()}
    starts = [
        str(fiches[e.findtext(f"{ATOM}id").rstrip("/").split("/")[-1]]["date"])[:4] for e in entries
    ]
    assert starts == sorted(starts, reverse=True)
    home = (project.site_dir / "index.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' in home


def test_two_builds_of_the_same_input_give_identical_exports(tmp_path: Path) -> None:
    """Exports depend on the fiches only: rebuilding gives the same bytes."""
    project = _mini_project(tmp_path)
    _build(project)
    files = ("donnees/fiches.json", "donnees/fiches.csv", "flux.xml")
    first = {name: (project.site_dir / name).read_bytes() for name in files}
    _build(project)
    assert {name: (project.site_dir / name).read_bytes() for name in files} == first
    data = json.loads(first["donnees/fiches.json"])
    assert [f["slug"] for f in data["fiches"]] == ["alpha"]  # the draft « beta » is left out
