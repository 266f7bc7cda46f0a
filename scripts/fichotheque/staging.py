"""The staged project, written into a folder that may hold the one staged before it.

A build stages the whole project every time, so what is staged is never stale; but on
a disk, creating a file costs far more than reading one (half a millisecond here, for
each of thousands of pages). ``Staging`` leaves alone a file whose bytes are the same,
replaces one that changed, and at ``finish`` removes from the folders it staged into
whatever was not staged again. In a new folder, it simply writes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Collection
from pathlib import Path

from .files import CopyError, copy_failure, os_reason, published_entries, write_text


class Staging:
    """The files staged so far below ``root``, by their path there (``docs/index.md``)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._staged: set[str] = set()

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
        try:
            self._put(relative, data)
        except OSError as error:
            raise CopyError(
                f"« {self.root / relative} » n'a pas pu être écrit ({os_reason(error)}) ; "
                "libérez de la place ou rendez le dossier inscriptible, puis relancez."
            ) from None

    def _put(self, relative: str, data: bytes) -> None:
        self._staged.add(relative)
        path = self.root / relative
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return
            write_text(path, data)  # replaced: never half a file, even if killed
            return
        except IsADirectoryError:
            shutil.rmtree(path)
        except NotADirectoryError:  # a file where a folder is now staged
            _clear_files_above(self.root, relative)
        except FileNotFoundError:
            pass
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)  # a new file: nobody reads the staging before the build

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
        try:
            self._put(relative, data)
        except OSError as error:
            raise CopyError(copy_failure(source, "le fichier", error)) from None

    def finish(self) -> None:
        """Remove what the folders staged into hold and was not staged this time."""
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


def _clear_files_above(root: Path, relative: str) -> None:
    """Remove the files that stand where the folders of ``relative`` are now staged."""
    parts = relative.split("/")
    for end in range(1, len(parts)):
        above = root.joinpath(*parts[:end])
        if above.is_file():
            above.unlink()
            return
