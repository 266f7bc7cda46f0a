"""The publishing recipes: valid for their platform, and every command in them exists."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

VENV_BIN = Path(sys.executable).parent
RECIPES = {
    ".github/workflows/pages.yml": "vendor.github-workflows",
    ".gitlab-ci.yml": "vendor.gitlab-ci",
}


def commands(recipe: str) -> list[str]:
    """Every shell command of a recipe: GitHub's « run » steps, GitLab's « script » lines."""
    data = yaml.safe_load((REPO / recipe).read_text(encoding="utf-8"))
    lines: list[str] = []
    for job in (data.get("jobs") or {}).values():
        lines += [step["run"] for step in job.get("steps", []) if "run" in step]
    for name, job in data.items():
        if isinstance(job, dict) and "script" in job and name != "variables":
            lines += job["script"]
    return [part.strip() for line in lines for part in line.split("&&")]


@pytest.mark.parametrize(("recipe", "schema"), RECIPES.items())
def test_the_recipe_is_valid_for_its_platform(recipe: str, schema: str) -> None:
    """The workflow passes the platform's published schema (vendored: no network)."""
    checked = subprocess.run(
        [str(VENV_BIN / "check-jsonschema"), "--builtin-schema", schema, str(REPO / recipe)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.mark.parametrize("recipe", RECIPES)
def test_every_command_of_the_recipe_exists(recipe: str) -> None:
    """make targets are in the Makefile, fichotheque commands in the CLI, tools on PATH."""
    found = commands(recipe)
    assert any("fichotheque check" in c for c in found) and any(c == "make site" for c in found)
    for command in found:
        words = shlex.split(command)
        if words[0] == "make":
            dry = subprocess.run(["make", "-n", *words[1:]], cwd=REPO, capture_output=True,
                                 text=True, check=False)  # fmt: skip
            assert dry.returncode == 0, (command, dry.stderr)
        elif words[0].startswith(".venv/bin/"):
            program = VENV_BIN / words[0].removeprefix(".venv/bin/")
            helped = subprocess.run([str(program), *words[1:2], "--help"], capture_output=True,
                                    text=True, check=False)  # fmt: skip
            assert helped.returncode == 0, (command, helped.stderr)
        else:
            assert shutil.which(words[0]), command
