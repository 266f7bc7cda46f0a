"""The staged project, written into a folder that may hold the one staged before it.

A build stages the whole project every time, so what is staged is never stale; but on
a disk, creating a file costs far more than reading one (half a millisecond here, for
each of thousands of pages). ``Staging`` leaves alone a file whose bytes are the same,
replaces one that changed, and at ``finish`` removes from the folders it staged into
whatever was not staged again. In a new folder, it simply writes.

Most of a new file's cost is the system's, not Python's: past ``BACKGROUND_FROM`` files
written, a worker process writes the rest, in batches, while this one goes on rendering
pages. When the worker is behind, this process writes the next batch itself rather than
wait. Each file is staged once and none lies inside another (a page is never staged where
a staged file's folder is), so the tree is the same whichever process writes what.
"""

from __future__ import annotations

import os
import shutil
from collections import deque
from collections.abc import Callable, Collection
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from .files import CopyError, copy_failure, os_reason, published_entries, write_text
from .workers import pool

# Files written here before the rest go to a worker: fewer cost less than starting it
# (0.1-0.2 s). A build after an edit writes far fewer, the pages that changed.
BACKGROUND_FROM = 300
BATCH = 64  # files sent to the worker at a time
BATCHES_AHEAD = 8  # batches sent and not yet written, at most: the memory they hold


class _Item(NamedTuple):
    relative: str
    data: bytes
    source: Path | None  # the file copied, if it is a copy: what a failure names


class Staging:
    """The files staged so far below ``root``, by their path there (``docs/index.md``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._staged: set[str] = set()
        self._written = 0  # by this process
        self._worker: ProcessPoolExecutor | None = None
        self._batch: list[_Item] = []
        self._sent: deque[tuple[Future[tuple[int, OSError] | None], list[_Item]]] = deque()

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker, if one was started, without waiting for what it was sent."""
        if self._worker is not None:
            self._worker.shutdown(wait=True, cancel_futures=True)
            self._worker = None

    def holds(self, relative: str) -> bool:
        """Whether ``relative`` is staged already, or a folder above it is a staged file."""
        parts = relative.split("/")
        return any("/".join(parts[:end]) in self._staged for end in range(1, len(parts) + 1))

    def keep(self, relative: str) -> None:
        """Stage the file already at ``relative`` as it is."""
        self._staged.add(relative)

    def write(self, relative: str, content: str | bytes) -> None:
        """Stage ``content`` (text as UTF-8) at ``relative``, unless those bytes are there.

        Raises CopyError, in French, when the disk refuses.
        """
        data = content.encode("utf-8") if isinstance(content, str) else content
        self._stage(_Item(relative, data, None))

    def _stage(self, item: _Item) -> None:
        self._staged.add(item.relative)
        if self._worker is not None:
            self._batch.append(item)
            if len(self._batch) == BATCH:
                self._send()
            return
        self._written += self._put_here(item)
        if self._written == BACKGROUND_FROM:
            self._worker = pool(1)

    def _put_here(self, item: _Item) -> bool:
        try:
            return _put(self.root, item.relative, item.data)
        except OSError as error:
            raise CopyError(_failure(self.root, item, error)) from None

    def _send(self) -> None:
        """Send the batch to the worker, or write it here if the worker is behind."""
        assert self._worker is not None
        batch, self._batch = self._batch, []
        while self._sent and self._sent[0][0].done():
            self._wait_one()
        if len(self._sent) < BATCHES_AHEAD:
            self._sent.append((self._worker.submit(_put_all, self.root, batch), batch))
        else:
            for item in batch:
                self._put_here(item)

    def _wait_one(self) -> None:
        future, batch = self._sent.popleft()
        failed = future.result()
        if failed is not None:
            index, error = failed
            raise CopyError(_failure(self.root, batch[index], error))

    def copy_tree(
        self,
        source: Path,
        relative: str,
        *,
        markdown: Callable[[str], str] | None = None,
        exclude: Collection[str] = (),
    ) -> None:
        """Stage the ``published_entries`` below ``source`` at ``relative``, the text of
        each Markdown file through ``markdown``; ``exclude`` names files of ``source``'s
        own level to leave out. Raises CopyError, in French, for what cannot be read."""
        for path, name in tree_files(source).items():
            if name not in exclude:
                self.copy(path, f"{relative}/{name}", markdown=markdown)

    def copy(
        self, source: Path, relative: str, *, markdown: Callable[[str], str] | None = None
    ) -> None:
        """Stage the file ``source`` at ``relative`` (see ``copy_tree``)."""
        try:
            data = source.read_bytes()
        except OSError as error:
            raise CopyError(copy_failure(source, "le fichier", error)) from None
        if markdown is not None and source.suffix == ".md":
            data = markdown(data.decode("utf-8")).encode("utf-8")
        self._stage(_Item(relative, data, source))

    def finish(self) -> None:
        """Wait for every file to be written, then remove what the folders staged into
        hold and was not staged this time. Raises CopyError, in French, for the first
        file the disk refused."""
        if self._worker is not None:
            # Here, while the worker ends what it started: the last, partial batch and
            # those the worker has not started.
            left = [b for f, b in self._sent if f.cancel()]
            self._sent = deque((f, b) for f, b in self._sent if not f.cancelled())
            for item in [*self._batch, *(item for batch in left for item in batch)]:
                self._put_here(item)
            self._batch = []
            while self._sent:
                self._wait_one()
            self.close()
        for top in sorted({name.split("/")[0] for name in self._staged if "/" in name}):
            for folder, _dirs, names in os.walk(self.root / top, topdown=False):
                for name in names:
                    path = Path(folder, name)
                    if path.relative_to(self.root).as_posix() not in self._staged:
                        path.unlink()
                if not os.listdir(folder):
                    os.rmdir(folder)


def tree_files(source: Path) -> dict[Path, str]:
    """The ``published_entries`` below ``source``, files only, with their path from it.

    Raises CopyError, in French, for a folder that cannot be listed.
    """
    found: dict[Path, str] = {}
    pending = [(source, "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            entries = published_entries(folder)
        except OSError as error:
            raise CopyError(copy_failure(folder, "le dossier", error)) from None
        for path, is_dir in entries:
            if is_dir:
                pending.append((path, f"{prefix}{path.name}/"))
            else:
                found[path] = prefix + path.name
    return found


def _put(root: Path, relative: str, data: bytes) -> bool:
    """Write ``data`` at ``relative`` below ``root`` unless those bytes are there; whether
    it wrote. Raises OSError."""
    path = root / relative
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
        write_text(path, data)  # replaced: never half a file, even if killed
        return True
    except IsADirectoryError:
        shutil.rmtree(path)
    except NotADirectoryError:  # a file where a folder is now staged
        _clear_files_above(root, relative)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)  # a new file: nobody reads the staging before the build
    return True


def _put_all(root: Path, batch: list[_Item]) -> tuple[int, OSError] | None:
    """``_put`` for each item, in the worker; the first refusal and its place, if any."""
    for index, item in enumerate(batch):
        try:
            _put(root, item.relative, item.data)
        except OSError as error:
            return index, error
    return None


def _failure(root: Path, item: _Item, error: OSError) -> str:
    if item.source is not None:
        return copy_failure(item.source, "le fichier", error)
    return (
        f"« {root / item.relative} » n'a pas pu être écrit ({os_reason(error)}) ; "
        "libérez de la place ou rendez le dossier inscriptible, puis relancez."
    )


def _clear_files_above(root: Path, relative: str) -> None:
    """Remove the files that stand where the folders of ``relative`` are now staged."""
    parts = relative.split("/")
    for end in range(1, len(parts)):
        above = root.joinpath(*parts[:end])
        if above.is_file():
            above.unlink(missing_ok=True)  # or the other process did
            return
