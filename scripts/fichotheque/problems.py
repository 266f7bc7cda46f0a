"""Problems found in a knowledge base: values, collected and reported together."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How serious a problem is: errors stop a build, warnings do so only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABELS = {Severity.ERROR: "erreur", Severity.WARNING: "avertissement"}


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one file, with where it is, what it is and how to fix it.

    ``file`` is relative to the project's root, with forward slashes. ``line`` and
    ``column`` start at 1; 0 means "the whole file". ``code`` is stable and meant for
    machines; ``message`` and ``hint`` are French and meant for people.
    """

    file: str
    line: int
    column: int
    code: str
    severity: Severity
    field: str
    message: str
    hint: str = ""

    def to_dict(self) -> dict[str, object]:
        """The problem as a JSON-ready mapping."""
        data = asdict(self)
        data["severity"] = str(self.severity)
        return data

    def format_text(self) -> str:
        """The problem as one line (plus a hint line) for a terminal."""
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        field = f" [{self.field}]" if self.field else ""
        text = f"{where}: {SEVERITY_LABELS[self.severity]} {self.code}{field} {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in reading order: by file, then line, then column."""
    return sorted(problems, key=lambda p: (p.file, p.line, p.column, p.code, p.field))


def format_json(problems: Iterable[Problem]) -> str:
    """A JSON array of problems, for CI and editors."""
    return json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=2)


def is_failure(problems: Iterable[Problem], *, strict: bool) -> bool:
    """Whether these problems should fail a check or a build."""
    return any(p.severity is Severity.ERROR or strict for p in problems)


def summary(problems: list[Problem]) -> str:
    """A French one-line tally of errors and warnings."""
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    if not problems:
        return "Aucun problème."
    parts = []
    if errors:
        parts.append(f"{errors} erreur{'s' if errors > 1 else ''}")
    if warnings:
        parts.append(f"{warnings} avertissement{'s' if warnings > 1 else ''}")
    return " et ".join(parts) + "."
