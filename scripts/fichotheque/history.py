"""When each fiche last changed, from git: the date a reader sees as « modifiée le »."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path


def last_changes(root: Path, folder: str = "fiches") -> dict[str, dt.date]:
    """The day each file under ``folder`` was last committed, by path from ``root``.

    One ``git log`` for the whole folder, not one per file. Outside a git checkout, or
    without git, the answer is empty and pages simply show no such date.
    """
    command = [
        "git", "-c", "core.quotepath=off", "-C", str(root), "log", "--relative",
        "--format=%x00%cs", "--name-only", "--", folder,
    ]  # fmt: skip
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return {}
    if result.returncode != 0:
        return {}
    changes: dict[str, dt.date] = {}
    for commit in result.stdout.split("\x00")[1:]:
        day_text, *files = commit.strip().split("\n")
        day = dt.date.fromisoformat(day_text)
        for file in files:
            if file:
                changes.setdefault(file, day)  # the log is newest first
    return changes
