"""pre-commit runs ``fichotheque check`` on the fiches a commit changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import REPO

VENV = Path(sys.executable).parent.parent
EXECUTABLE = VENV / "bin" / "fichotheque"
PRE_COMMIT = VENV / "bin" / "pre-commit"


def _run(*args: str | Path, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    return subprocess.run(
        [*map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300,
        env=environment, check=False,
    )  # fmt: skip


def test_the_hook_of_a_new_base_checks_the_changed_fiches(tmp_path: Path) -> None:
    """In a base made by init: a broken fiche stops the commit, and only it is reported."""
    base = tmp_path / "base"
    home = tmp_path / "cache"
    assert _run(EXECUTABLE, "init", base, "--site-url", "https://a.test/", cwd=tmp_path,
                home=home).returncode == 0  # fmt: skip
    (base / ".venv").symlink_to(VENV)
    assert _run("git", "init", "-q", cwd=base, home=home).returncode == 0
    good = next((base / "fiches").glob("*.md"))
    bad = base / "fiches" / "2020-cassee.md"
    bad.write_text(good.read_text("utf-8").replace("[accueil, formation]", "[accueuil]"), "utf-8")
    config = base / ".pre-commit-config.yaml"
    assert _run(PRE_COMMIT, "validate-config", config, cwd=base, home=home).returncode == 0
    stopped = _run(PRE_COMMIT, "run", "--files", "fiches/2020-cassee.md", cwd=base, home=home)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert "fiches/2020-cassee.md" in stopped.stdout and "terme-inconnu" in stopped.stdout
    assert "accueil" in stopped.stdout  # the hint names the term meant
    passed = _run(PRE_COMMIT, "run", "--files", f"fiches/{good.name}", cwd=base, home=home)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "2020-cassee" not in passed.stdout


def test_the_hooks_of_this_repository_name_commands_that_exist(tmp_path: Path) -> None:
    """The repository's configuration is valid and each hook runs a command of .venv/."""
    config = REPO / ".pre-commit-config.yaml"
    checked = _run(PRE_COMMIT, "validate-config", config, cwd=REPO, home=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    hooks = [hook for repo in yaml.safe_load(config.read_text("utf-8"))["repos"]
             for hook in repo["hooks"]]  # fmt: skip
    assert hooks
    for hook in hooks:
        command = hook["entry"].split()[0]
        assert command.startswith(".venv/bin/"), hook["id"]
        assert (VENV / "bin" / command.removeprefix(".venv/bin/")).is_file(), hook["id"]
