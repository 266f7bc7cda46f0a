"""Golden case files for the validator: a case is a file plus the problems expected in it.

An ``.expected`` file holds one problem a line, ``LINE:COLUMN SEVERITY CODE FIELD``
(FIELD is ``-`` when the problem concerns no field). ``python tests/casefiles.py``
prints what the validator says today, to review by eye before writing a new
``.expected`` file: it never writes one itself.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from fichotheque.check import check_project
from fichotheque.problems import Problem
from fichotheque.project import Project

CASES = Path(__file__).parent / "cases"
TODAY = dt.date(2026, 11, 23)
TARGETS = {
    "fiches": "fiches/{name}",
    "taxonomy": "taxonomy.yml",
    "glossary": "glossary.yml",
    "settings": "mkdocs.yml",
}


def case_files(kind: str, validity: str = "invalid") -> list[Path]:
    """The case files of one kind (fiches, taxonomy, glossary)."""
    folder = CASES / validity / kind if validity == "invalid" else CASES / validity
    return sorted(p for p in folder.iterdir() if p.suffix in (".md", ".yml"))


def run_case(case: Path, kind: str, workdir: Path) -> list[Problem]:
    """Check the base project with ``case`` in place; the problems found in the case file."""
    shutil.copytree(CASES / "project", workdir, dirs_exist_ok=True)
    target = TARGETS[kind].format(name=case.name)
    shutil.copyfile(case, workdir / target)
    result = check_project(Project(workdir), today=TODAY)
    return [p for p in result.problems if p.file == target]


def as_line(problem: Problem) -> str:
    """A problem in the ``.expected`` format."""
    return (
        f"{problem.line}:{problem.column} {problem.severity} {problem.code} {problem.field or '-'}"
    )


def expected_lines(case: Path) -> list[str]:
    """The expected problems of a case file, without blank lines."""
    path = case.with_suffix(".expected")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


if __name__ == "__main__":
    import tempfile

    for kind in TARGETS:
        for case in case_files(kind):
            with tempfile.TemporaryDirectory() as tmp:
                print(f"# {case.relative_to(CASES)}")
                for problem in run_case(case, kind, Path(tmp)):
                    print(as_line(problem), "  ", problem.message)
