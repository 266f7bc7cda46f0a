"""What a build keeps for the next one: the staged project, the site it built, its record.

The work folder (publish.py) keeps ``cache/`` from one build to the next::

    cache/
      mkdocs.yml, docs/, overrides/   the staged project, as the last build staged it
      site/                           what MkDocs wrote and harden.py made safe (no search
                                      index, no editor: each build adds those to its copy)
      record.json                     what that site was built from (``Kept``)
      site-precedent/                 the site the last publication replaced, made into the
                                      next one's copy of site/ (``site_copy``)

Each build stages the whole project afresh into ``cache/``, so what it stages is never
stale, writing only the files whose bytes differ (staging.py); MkDocs converts again
only the pages whose source changed, unless what every page shows did
(mkdocsbuild.Record), and harden.py reads only the pages MkDocs wrote. The body
secret is drawn again, and the site started over, when the allowed hosts (the policy of
every page) or the format of the record change. The secret never leaves the work folder:
the staged pages carry it, and harden.py removes it from every page it publishes.

``take`` removes the record as a build starts and ``keep`` writes it back once the site
is complete, so a build that fails or is killed in between leaves no record: the next
one starts over. The published site is a copy of ``cache/site`` made of hard links
(``link_copy``); every write into ``cache/site`` replaces a file instead of writing into
it, so a published file never changes under its readers.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .files import write_text
from .mkdocsbuild import Record
from .searchindex import IndexRecord

FOLDER = "cache"
SITE = "site"
SPARE = "site-precedent"  # the site published before the last one (site_copy)
RECORD = "record.json"
INDEX_RECORD = "index.json"  # the digest of each part of the published search index
FORMAT = 2


@dataclass
class Kept:
    """What the site in ``cache/site`` was built from."""

    secret: str  # the body markers of its staged pages (harden.py)
    hosts: tuple[str, ...]  # the third-party hosts its policy allows
    mkdocs: Record | None = None  # None: MkDocs' own build, nothing to reuse
    hashes: dict[str, list[str]] = field(default_factory=dict)  # page → inline script hashes
    pages: dict[str, str] = field(default_factory=dict)  # staged fiche page → its facts' digest


def take(folder: Path) -> Kept | None:
    """The record of the site in ``folder``, removed from the disk; None if there is none."""
    path = folder / RECORD
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
        if data.get("format") != FORMAT:
            return None
        mkdocs = Record.from_json(data["mkdocs"]) if data["mkdocs"] is not None else None
        hashes = {str(k): [str(h) for h in v] for k, v in data["hashes"].items()}
        pages = {str(k): str(v) for k, v in data["pages"].items()}
        return Kept(str(data["secret"]), tuple(data["hosts"]), mkdocs, hashes, pages)
    except (OSError, ValueError, KeyError, TypeError):  # absent, cut short, another version
        path.unlink(missing_ok=True)
        return None


def keep(folder: Path, kept: Kept) -> None:
    """Write the record of the site now complete in ``folder``."""
    data = {
        "format": FORMAT,
        "secret": kept.secret,
        "hosts": list(kept.hosts),
        "mkdocs": kept.mkdocs.to_json() if kept.mkdocs is not None else None,
        "hashes": kept.hashes,
        "pages": kept.pages,
    }
    write_text(folder / RECORD, json.dumps(data, ensure_ascii=False))


def take_index(folder: Path) -> IndexRecord:
    """What the search index last published was made from (``searchindex.recorded``),
    removed from the disk: a build that fails before it publishes leaves none."""
    path = folder / INDEX_RECORD
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        path.unlink()
        return IndexRecord.from_json(data)
    except (OSError, ValueError, AttributeError, TypeError, IndexError):
        path.unlink(missing_ok=True)
        return IndexRecord()


def keep_index(folder: Path, record: IndexRecord) -> None:
    """Write what the search index just published was made from."""
    write_text(folder / INDEX_RECORD, json.dumps(record.to_json()))


def site_copy(built: Path, target: Path, spare: Path) -> None:
    """Make ``target`` (absent) a copy of ``built`` made of hard links.

    The site published before, kept at ``spare`` by ``keep_spare``, becomes that copy:
    only the files that are no longer links to those of ``built`` are linked again
    (``relink``). Without one, every folder is made anew, which is slow where making a
    folder is (a third of a millisecond each, for a folder per page). Where hard links
    cannot be made, the files are copied.
    """
    try:
        if spare.is_dir():
            os.replace(spare, target)
        else:
            target.mkdir()
        relink(built, target)
    except OSError:  # another filesystem, or no hard links
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(built, target)


def keep_spare(previous: Path, spare: Path) -> None:
    """Keep the site just replaced by the publication for the next ``site_copy``.

    Its files are never written into again, only replaced or removed: a visitor still
    reading one of them reads it whole.
    """
    shutil.rmtree(spare, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.replace(previous, spare)


def prepare_spare(published: Path, spare: Path) -> None:
    """Make a spare of the site at ``published`` when there is none (after a build that
    replaced no site), so that the next ``site_copy`` does not make every folder anew.

    A spare left half-made is made whole by ``relink``, as any spare is.
    """
    if not spare.exists() and published.is_dir():
        with contextlib.suppress(OSError):
            link_copy(published, spare)


def relink(source: Path, target: Path) -> None:
    """Make the tree ``target`` hold exactly the files of ``source``, as hard links.

    A file that is already a link to the same file (the same inode) stays as it is: no
    file of ``source`` is ever written into, only replaced, so a link to it is up to date.
    Raises OSError where hard links cannot be made.
    """
    with os.scandir(source) as scan:
        wanted = {entry.name: entry for entry in scan}
    with os.scandir(target) as scan:
        present = {entry.name: entry for entry in scan}
    for name, entry in list(present.items()):
        if name not in wanted or entry.is_dir(follow_symlinks=False) != wanted[name].is_dir():
            _remove(Path(entry.path))
            present.pop(name)
    for name, entry in wanted.items():
        path = target / name
        if entry.is_dir(follow_symlinks=False):
            if name not in present:
                path.mkdir()
            relink(Path(entry.path), path)
        elif name not in present or present[name].inode() != entry.inode():
            path.unlink(missing_ok=True)
            os.link(entry.path, path)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def link_copy(source: Path, target: Path) -> None:
    """Copy the tree ``source`` to ``target`` (absent) as hard links; real copies if it cannot."""
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:  # another filesystem, or no hard links
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)
