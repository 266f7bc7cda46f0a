"""The example base at the root, recorded file by file, to tell it from a replacement.

Tests marked « example » check the example's own content; they run only while every
file of the example is as recorded in tests/example-files.txt. After changing the
example, record it again:

    .venv/bin/python tests/examplefiles.py
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RECORD = REPO / "tests" / "example-files.txt"
EXAMPLE_PARTS = ("fiches", "docs", "taxonomy.yml", "glossary.yml", "mkdocs.yml")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def recorded() -> dict[str, str]:
    """Each file of the example, with its SHA-256, as recorded."""
    pairs = (line.split(maxsplit=1) for line in RECORD.read_text("utf-8").splitlines() if line)
    return {name: sha for sha, name in pairs}


def changed() -> list[str]:
    """The example's files that are missing or differ from the record."""
    return [
        name
        for name, sha in recorded().items()
        if not (REPO / name).is_file() or digest(REPO / name) != sha
    ]


def replaced() -> bool:
    """True when none of the example's fiches is left: another base took its place."""
    return not any((REPO / n).exists() for n in recorded() if n.startswith("fiches/"))


def record() -> None:
    """Write tests/example-files.txt from the example as it is now in git."""
    names = subprocess.run(
        ["git", "ls-files", *EXAMPLE_PARTS], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split()
    RECORD.write_text("".join(f"{digest(REPO / n)}  {n}\n" for n in sorted(names)), "utf-8")


if __name__ == "__main__":
    record()
