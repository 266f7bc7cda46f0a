"""The front matter of a fiche is checked while it is typed.

VS Code's remark extension (unifiedjs.vscode-remark) runs the remark engine with the base's
``.remarkrc.yml``, which hands each fiche's front matter to schemas/fiche.schema.json. The
tests run that same engine (remark-cli, pinned in the root package-lock.json and installed
by ``make test``) on a new base made by ``init`` and on this repository, and compare what
it underlines with what ``fichotheque check`` reports.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from fichotheque.check import check_project
from fichotheque.problems import Severity
from fichotheque.project import Project
from fichotheque.scaffold import RENAMED, STARTER_DIR
from test_precommit import EXECUTABLE

NODE_MODULES = REPO / "node_modules"
REMARK = NODE_MODULES / ".bin" / "remark"
# One line of remark's report: "9:7-9:11  warning  Must be integer • … • #/properties/date".
WARNING = re.compile(r"^\s*(?:(?P<line>\d+):\d+(?:-\d+:\d+)?)?\s+warning\s+(?P<text>.+)$")


@pytest.fixture(scope="module", autouse=True)
def remark_installed() -> None:
    if not REMARK.exists():
        message = "remark is missing: run `npm ci` at the root (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def remark(base: Path, *paths: str) -> tuple[int, list[tuple[int, str]]]:
    """remark's exit code and its warnings on ``paths``, as (line, text); line 0: the file."""
    done = subprocess.run(
        [REMARK, "--no-color", "--quiet", "--frail", "--no-stdout", *paths],
        cwd=base, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    warnings = []
    for line in done.stderr.splitlines():
        if match := WARNING.match(line):
            warnings.append((int(match["line"] or 0), match["text"]))
    assert done.returncode == 0 or warnings, done.stderr
    return done.returncode, warnings


def line_of(text: str, key: str) -> int:
    """The 1-based line of ``key:`` in a fiche."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(f"{key}:"))


@pytest.fixture
def new_base(tmp_path: Path) -> Path:
    """A base made by ``init``, with the editor tools of this repository beside it."""
    base = tmp_path / "base"
    made = subprocess.run([EXECUTABLE, "init", base], capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    (base / "node_modules").symlink_to(NODE_MODULES)
    return base


def test_a_new_base_underlines_a_mistyped_front_matter_where_check_reports_it(
    new_base: Path,
) -> None:
    """An unknown key, a term outside the taxonomy, a date that is none: each is flagged."""
    good = next((new_base / "fiches").glob("*.md"))
    assert remark(new_base, "fiches/") == (0, [])
    text = good.read_text("utf-8")
    facet, value = next(
        (key, line.split(":", 1)[1].strip())
        for key in ("themes", "axes", "publics")
        for line in text.splitlines()
        if line.startswith(f"{key}:")
    )
    term = value.strip("[]").split(",")[0].strip()
    broken = text.replace(f"{facet}: {value}", f"{facet}: [{term}-inexistant]", 1).replace(
        "\ndate: ", "\ndate: hier\nancienne_date: ", 1
    )
    (new_base / "fiches" / "2020-cassee.md").write_text(broken, "utf-8")

    code, warnings = remark(new_base, "fiches/2020-cassee.md")
    assert code == 1
    lines = {line for line, _text in warnings}
    assert {line_of(broken, facet), line_of(broken, "date")} <= lines
    assert any("additional properties" in text for _line, text in warnings)
    allowed = next(text for line, text in warnings if line == line_of(broken, facet))
    assert f"`{term}`" in allowed  # the message lists the base's own terms

    problems = check_project(Project(new_base)).problems
    reported = {p.line for p in problems if p.file == "fiches/2020-cassee.md"}
    assert {line_of(broken, facet), line_of(broken, "date")} <= reported
    assert any(p.field == "ancienne_date" for p in problems)


def test_every_fiche_of_this_repository_passes_the_check_made_while_typing() -> None:
    """The example fiches pass check, so the editor underlines nothing in them either."""
    assert not [p for p in check_project(Project(REPO)).problems if p.severity is Severity.ERROR]
    assert remark(REPO, "fiches/") == (0, [])


def test_this_repository_configures_editors_as_init_does() -> None:
    """The example base is a base like any other: its editor files are the starter's."""
    for source in (STARTER_DIR / "package.json", STARTER_DIR / "remarkrc.yml",
                   *(STARTER_DIR / "vscode").iterdir()):  # fmt: skip
        relative = source.relative_to(STARTER_DIR).as_posix()
        mine = REPO / RENAMED.get(relative, relative)
        assert mine.read_text("utf-8") == source.read_text("utf-8"), mine
