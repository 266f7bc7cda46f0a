"""What check learnt of each fiche, reused while nothing it depends on has changed.

Checking a fiche reads its text, its front matter and its body: 5–10 ms. Most runs see
the same files as the last one, so each result is kept, keyed by the SHA-256 of the
file's bytes, in one file per base under the user's cache folder (``FICHOTHEQUE_CACHE``
or ``~/.cache/fichotheque``), never in the repository: nothing a commit can bring is
ever unpickled. The whole cache is thrown away as soon as anything a single-fiche check
reads changes: the code of the package and the versions of the libraries it checks with,
taxonomy.yml, glossary.yml, mkdocs.yml, the day (review dates), the files of the resource
folder, and where the base lives. The fiches left to check are shared between worker
processes when there are many and the machine has several cores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import pickle
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import overload

from .fiches import Fiche, read_fiche
from .fields import Context
from .files import cache_dir, write_text
from .fingerprint import code_digest
from .problems import Problem
from .project import Project
from .validate import Checked, validate_fiche
from .workers import pool

LIBRARIES = ("pyyaml", "nh3", "markdown", "python-slugify")
PARALLEL_FROM = 300  # fewer fiches than this are checked in this process
CHUNK = 32
FORMAT = 3  # bump when Entry, Stored or Fiche changes shape
FORGET_DAYS = 30

# (problems of reading, the fiche as checked or None, problems of the fiche)
Entry = tuple[list[Problem], Checked | None, list[Problem]]
# As stored: the entry with the fiche itself left out, and the fiche apart, both pickled,
# so that a check, which needs only the first, never rebuilds ten thousand bodies.
Stored = tuple[str, bytes, bytes | None]


# The fiches unpickled in this process, by the cache's key and their source
# (``CheckCache.source``): the preview's next check finds almost all of them unchanged
# (unpickling 10,000 takes 1.2 s). The key holds the day: on the day a date is no longer
# in the future, the fiche that has it is typed anew.
_UNPICKLED: dict[str, Fiche] = {}
UNPICKLED_KEPT = 100_000


class LazyFiches(Sequence[Fiche]):
    """The typed fiches of a check, each unpickled from the cache the first time it is
    read, or found among those this process unpickled from the same source."""

    def __init__(self, sources: list[Fiche | tuple[bytes, str]]) -> None:
        self._sources: list[Fiche | tuple[bytes, str]] = [
            _UNPICKLED.get(source[1], source) if isinstance(source, tuple) else source
            for source in sources
        ]

    def __len__(self) -> int:
        return len(self._sources)

    @overload
    def __getitem__(self, index: int) -> Fiche: ...

    @overload
    def __getitem__(self, index: slice) -> list[Fiche]: ...

    def __getitem__(self, index: int | slice) -> Fiche | list[Fiche]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        source = self._sources[index]
        if isinstance(source, tuple):
            pickled, key = source
            if len(_UNPICKLED) >= UNPICKLED_KEPT:
                _UNPICKLED.clear()
            source = self._sources[index] = _UNPICKLED[key] = pickle.loads(pickled)
        return source


def check_file(path: Path, file: str, context: Context) -> Entry:
    """The single-file checks of one fiche, as ``check`` runs them."""
    raw, read_problems = read_fiche(path, file)
    if not raw.readable:
        return read_problems, None, []
    item, problems = validate_fiche(raw, context)
    return read_problems, item, problems


def dependencies(project: Project) -> str:
    """A digest of everything a single-fiche check reads besides the fiche itself and the
    day. The day changes the problems (a review past due, a date in the future) and, only
    through such an error, what a fiche holds: a fiche that can be published reads the
    same on any later day."""
    digest = code_digest(LIBRARIES)
    digest.update(f"{FORMAT}\n{project.root.resolve()}\n".encode())
    for path in (project.taxonomy_path, project.glossary_path, project.mkdocs_path):
        digest.update(_bytes(path) or b"\0absent")
    # What a « fichier » field checks: which documents exist, and what they are.
    resources = project.resources_dir
    unlisted = lambda error: digest.update(f"\0unlisted {error.filename}\n".encode())  # noqa: E731
    for folder, dirs, names in sorted(os.walk(resources, onerror=unlisted)):
        dirs.sort()
        for name in sorted([*dirs, *names]):
            path = Path(folder, name)
            try:
                status = path.lstat()
            except OSError:
                continue
            line = f"{path.relative_to(resources).as_posix()}\0{status.st_size}\0{status.st_mode}\n"
            digest.update(line.encode(errors="surrogateescape"))
    return digest.hexdigest()


@dataclass
class CheckCache:
    """The results of the last check of one base, by file and by digest of its bytes."""

    path: Path | None
    key: str  # what the entries depend on besides their files: ``dependencies`` and the day
    reads: str  # with its file, what a fiche that can be published is read from
    entries: dict[str, Stored] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, project: Project, today: dt.date) -> CheckCache:
        folder = cache_dir() / "check"
        name = hashlib.sha256(str(project.root.resolve()).encode()).hexdigest()[:24]
        reads = dependencies(project)
        cache = cls(folder / f"{name}.pickle", f"{reads}\0{today.isoformat()}", reads)
        try:
            stored_key, entries = pickle.loads(cache.path.read_bytes())  # type: ignore[union-attr]
        except Exception:  # absent, unreadable, from another version: start afresh
            return cache
        if stored_key == cache.key:
            cache.entries = entries
        return cache

    def get(self, file: str, digest: str | None) -> tuple[Entry, bytes | None] | None:
        """The stored entry of an unchanged file (its fiche left out), and its fiche, pickled."""
        stored = self.entries.get(file)
        if stored is None or digest is None or stored[0] != digest:
            return None
        entry: Entry = pickle.loads(stored[1])
        return entry, stored[2]

    def source(self, file: str, digest: str) -> str:
        """A digest of all a fiche is read from: its file's name and bytes (``digest``),
        and what ``reads`` covers. Equal sources give equal fiches, as this cache assumes;
        the day is not one of them, so a page of the fiche outlives it."""
        return hashlib.sha256(f"{self.reads}\0{file}\0{digest}".encode()).hexdigest()

    def put(self, file: str, digest: str | None, entry: Entry) -> None:
        if digest is None:
            return
        read_problems, item, problems = entry
        fiche = item.fiche if item is not None else None
        light = (read_problems, replace(item, fiche=None) if item is not None else None, problems)
        self.entries[file] = (
            digest,
            pickle.dumps(light, protocol=pickle.HIGHEST_PROTOCOL),
            pickle.dumps(fiche, protocol=pickle.HIGHEST_PROTOCOL) if fiche is not None else None,
        )
        self.changed = True

    def save(self, files: Iterable[str]) -> None:
        """Keep the entries of ``files`` (the fiches there now) for the next run."""
        kept = {file: self.entries[file] for file in files if file in self.entries}
        if self.path is None or not (self.changed or len(kept) != len(self.entries)):
            return
        data = pickle.dumps((self.key, kept), protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # a read-only home: the next run checks all again
            write_text(self.path, data)
            _forget_old(self.path.parent)


def _forget_old(folder: Path) -> None:
    """Remove what bases unchecked for FORGET_DAYS left here (test folders, moved bases)."""
    limit = time.time() - FORGET_DAYS * 86400
    for stored in folder.glob("*.pickle"):
        with contextlib.suppress(OSError):
            if stored.stat().st_mtime < limit:
                stored.unlink()


def check_files(todo: list[tuple[Path, str]], context: Context) -> Iterator[Entry]:
    """``check_file`` for each (path, file), in order; in worker processes when many."""
    workers = min(os.cpu_count() or 1, 4)
    if len(todo) < PARALLEL_FROM or workers < 2:
        for path, file in todo:
            yield check_file(path, file, context)
        return
    with pool(workers, initializer=_remember, initargs=(context,)) as checkers:
        yield from checkers.map(_check_in_worker, todo, chunksize=CHUNK)


_CONTEXT: Context | None = None


def _remember(context: Context) -> None:
    global _CONTEXT
    _CONTEXT = context


def _check_in_worker(job: tuple[Path, str]) -> Entry:
    assert _CONTEXT is not None
    return check_file(job[0], job[1], _CONTEXT)


def _bytes(path: Path) -> bytes | None:
    """The bytes of a regular file; None for anything else (a pipe would block a reader)."""
    try:
        if not stat.S_ISREG(path.lstat().st_mode):
            return None
        return path.read_bytes()
    except OSError:
        return None
