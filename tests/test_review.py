"""Review dates: check warns when a review ran out, ``fichotheque review`` lists them."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import frontmatter

from fichotheque.check import check_project
from fichotheque.project import Project
from fichotheque.review import REVIEW_KEY, add_months

EXECUTABLE = Path(sys.executable).parent / "fichotheque"
TODAY = dt.date.today()


def with_months(project: Project, months: str) -> None:
    text = project.mkdocs_path.read_text(encoding="utf-8")
    project.mkdocs_path.write_text(
        text.replace("\nextra:\n", f"\nextra:\n  relecture_mois: {months}\n", 1), "utf-8"
    )


def reviewed_on(path: Path, day: dt.date | None) -> None:
    """Set (or, with None, remove) the fiche's review date."""
    lines = [
        line for line in path.read_text("utf-8").split("\n") if not line.startswith(REVIEW_KEY)
    ]
    if day is not None:
        lines.insert(1, f"{REVIEW_KEY}: {day.isoformat()}")
    path.write_text("\n".join(lines), "utf-8")


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month() -> None:
    """31 January plus one month is the last day of February; a year is twelve months."""
    assert add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 5, 15), 12) == dt.date(2025, 5, 15)
    assert add_months(dt.date(2024, 5, 15), -5) == dt.date(2023, 12, 15)


def test_check_warns_at_the_line_of_a_review_that_ran_out(example: Project) -> None:
    """A review older than the setting: a warning at its line, with the day to write."""
    with_months(example, "12")
    late, fresh = sorted(example.fiches_dir.glob("*.md"))[:2]
    reviewed_on(late, add_months(TODAY, -13))
    reviewed_on(fresh, add_months(TODAY, -11))
    found = [p for p in check_project(example).problems if p.code == "relecture-depassee"]
    assert [(p.file, p.line, p.severity) for p in found] == [(f"fiches/{late.name}", 2, "warning")]
    assert "12 mois" in found[0].message and TODAY.isoformat() in found[0].hint


def test_no_review_is_asked_for_without_the_setting(example: Project) -> None:
    """Without « relecture_mois », an old review date is no problem."""
    reviewed_on(sorted(example.fiches_dir.glob("*.md"))[0], dt.date(2001, 1, 1))
    assert not [p for p in check_project(example).problems if p.code == "relecture-depassee"]


def test_a_setting_that_is_no_number_of_months_is_explained(example: Project) -> None:
    """« relecture_mois: deux ans » is an error at its line, saying what is expected."""
    with_months(example, "deux ans")
    found = [p for p in check_project(example).problems if p.file == "mkdocs.yml"]
    assert [p.code for p in found] == ["reglage-invalide"]
    assert "nombre de mois" in found[0].message


def test_review_lists_the_fiches_to_read_again_oldest_first(example: Project) -> None:
    """Never reviewed first, then the oldest review; each with its organisation."""
    with_months(example, "24")
    paths = sorted(example.fiches_dir.glob("*.md"))
    days = {paths[0]: add_months(TODAY, -30), paths[1]: add_months(TODAY, -40), paths[2]: None}
    for path, day in days.items():
        reviewed_on(path, day)
    for path in paths[3:]:
        reviewed_on(path, TODAY)
    listed = subprocess.run(
        [str(EXECUTABLE), "review", "--root", str(example.root)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    lines = [line for line in listed.stdout.splitlines() if "fiches/" in line]
    order = [re.search(r"fiches/\S+", line).group(0) for line in lines]  # type: ignore[union-attr]
    assert order == [f"fiches/{p.name}" for p in (paths[2], paths[1], paths[0])]
    for line, path in zip(lines, (paths[2], paths[1], paths[0]), strict=True):
        assert str(frontmatter.load(path)["organisation"]) in line
    assert lines[0].startswith("jamais relue")
    assert f"3 fiche(s) à relire sur {len(paths)}" in listed.stdout


def test_review_without_a_delay_says_where_to_set_it(example: Project) -> None:
    """No setting and no --mois: a usage error that names the setting."""
    text = example.mkdocs_path.read_text("utf-8")
    assert "relecture_mois" not in text
    refused = subprocess.run(
        [str(EXECUTABLE), "review", "--root", str(example.root)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert refused.returncode == 2 and "relecture_mois" in refused.stderr


def test_the_exports_carry_the_review_date(built_example) -> None:  # type: ignore[no-untyped-def]
    """fiches.json gives each fiche's review date, as the fiche says it."""
    import json

    project, _report = built_example
    exported = json.loads((project.site_dir / "donnees" / "fiches.json").read_text("utf-8"))
    for item in exported["fiches"]:
        day = frontmatter.load(project.fiches_dir / f"{item['slug']}.md").get(REVIEW_KEY)
        assert item[REVIEW_KEY] == (day.isoformat() if day else "")
