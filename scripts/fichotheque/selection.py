"""What a build may still publish when it leaves out the fiches that fail (``--skip-invalid``).

A fiche is left out when its own file has an error (with ``--strict``, a warning too).
Fiches that share a number, an address or a file name (up to case and accents) are all
left out, the first one as well: nothing tells which one a « Fiche 12 », a link or
an address means, and the rest of the site stays consistent without them. Every other
problem (taxonomy.yml, glossary.yml, mkdocs.yml, the pages of docs/, the fiches/ folder
itself) concerns every fiche at once: it still blocks the build.

The renderer needs nothing more: a left-out fiche is simply not in the catalogue, as a
draft is not, so the links to it become plain text and the lists, term pages, exports
and search index never hold it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace

from .check import CheckResult
from .fiches import colliding_names
from .problems import Problem, fails


@dataclass(frozen=True)
class LeftOut:
    """A fiche file left out of the build, with why.

    ``problems`` are every problem of its own file; ``clashes`` the problems of other
    files that leave it out with them (the same number, address or name).
    """

    file: str
    problems: tuple[Problem, ...]
    clashes: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Selection:
    """A check result reduced to the fiches that may be published, and what it cost."""

    result: CheckResult
    left_out: tuple[LeftOut, ...]
    blocking: tuple[Problem, ...]  # problems no leaving out can fix

    @property
    def published(self) -> int:
        """How many fiches (drafts aside) the build will publish."""
        return sum(not fiche.is_draft for fiche in self.result.fiches)


def select_publishable(result: CheckResult, *, strict: bool) -> Selection:
    """The fiches of ``result`` that may be published, those left out, and what blocks."""
    fiche_files = set(result.files)
    failing = [p for p in result.problems if fails(p, strict=strict)]
    blocking = tuple(p for p in failing if p.file not in fiche_files)
    out = {p.file for p in failing if p.file in fiche_files}
    clashes: dict[str, list[Problem]] = defaultdict(list)
    for problem, files in _clashes(result, failing):
        for file in files:
            if file != problem.file:
                clashes[file].append(problem)
    out |= set(clashes)
    by_file: dict[str, list[Problem]] = defaultdict(list)
    for problem in result.problems:
        by_file[problem.file].append(problem)
    left_out = tuple(
        LeftOut(file, tuple(by_file[file]), tuple(clashes.get(file, ())))
        for file in result.files
        if file in out
    )
    kept = [fiche for fiche in result.fiches if fiche.file not in out]
    return Selection(replace(result, fiches=kept), left_out, blocking)


def _clashes(result: CheckResult, failing: list[Problem]) -> Iterator[tuple[Problem, list[str]]]:
    """Each clash problem, with every file of the clash it reports."""
    checked = {item.file: item for item in result.checked}
    names = {file: group for group in colliding_names(result.files) for file in group}
    for problem in failing:
        item = checked.get(problem.file)
        if problem.code == "numero-duplique" and item is not None and item.number is not None:
            yield problem, [c.file for c in result.checked if c.number == item.number]
        elif problem.code == "slug-duplique" and item is not None:
            yield problem, [c.file for c in result.checked if c.slug == item.slug]
        elif problem.code == "nom-fichier-collision":
            yield problem, names.get(problem.file, [])
