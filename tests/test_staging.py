"""Staging over an earlier staging (staging.py) gives the tree a new folder would get,
and leaves alone every file whose bytes did not change, whether this process writes the
files or its worker does."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_example
from fichotheque import staging
from fichotheque.check import check_project
from fichotheque.engine import _settings, stage_site
from fichotheque.files import CopyError
from fichotheque.project import Project
from fichotheque.staging import Staging


def _tree(folder: Path) -> tuple[dict[str, bytes], set[str]]:
    entries = list(folder.rglob("*"))
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in entries if p.is_file()}
    folders = {p.relative_to(folder).as_posix() for p in entries if p.is_dir()}
    return files, folders


def _stage(project: Project, folder: Path) -> None:
    settings = _settings(project)
    stage_site(project, check_project(project), folder, settings=settings)


@pytest.fixture(params=["here", "worker"])
def writer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Where the staging writes its files: here, or in its worker after the first file
    (small batches, few ahead, so that waiting for a batch is tried too). The list
    counts the workers started."""
    started: list[int] = []
    if request.param == "worker":
        monkeypatch.setattr(staging, "BACKGROUND_FROM", 1)
        monkeypatch.setattr(staging, "BATCH", 3)
        monkeypatch.setattr(staging, "BATCHES_AHEAD", 2)

        def counted(workers: int, **options: Any) -> Any:
            started.append(workers)
            return staging_pool(workers, **options)

        staging_pool = staging.pool
        monkeypatch.setattr(staging, "pool", counted)
    return started


def test_staging_again_writes_what_changed_and_removes_what_is_gone(
    tmp_path: Path, writer: list[int]
) -> None:
    project = copy_example(tmp_path / "base")
    kept = tmp_path / "gardé"
    _stage(project, kept)
    (kept / "site").mkdir()  # what the build keeps beside the staged project
    (kept / "site" / "index.html").write_text("le site construit", encoding="utf-8")
    inodes = {p: p.stat().st_ino for p in kept.rglob("*") if p.is_file()}

    fiches = sorted(project.fiches_dir.rglob("*.md"))
    edited, removed = fiches[0], fiches[1]
    edited.write_text(edited.read_text("utf-8").replace("\n## ", "\n## Modifié ", 1), "utf-8")
    removed.unlink()
    shutil.rmtree(project.docs_dir / "ressources")
    (project.docs_dir / "ressources").write_text("un fichier à la place du dossier", "utf-8")
    (project.docs_dir / "nouvelle-page.md").write_text("# Une page\n\nTexte.\n", "utf-8")

    before = len(writer)
    _stage(project, kept)
    assert len(writer) == before * 2  # over the earlier staging too, if in a worker
    _stage(project, tmp_path / "neuf")

    again, fresh = _tree(kept), _tree(tmp_path / "neuf")
    assert again[0].pop("site/index.html") == b"le site construit"
    again[1].discard("site")
    assert again == fresh
    assert not any(removed.stem in name for name in again[0])
    unchanged = [p for p, inode in inodes.items() if p.is_file() and p.stat().st_ino == inode]
    rewritten = {
        p.relative_to(kept).as_posix()
        for p in kept.rglob("*")
        if p.is_file() and inodes.get(p) != p.stat().st_ino
    }
    assert len(unchanged) > len(fiches)  # the pages nothing reached are the same files
    assert f"docs/fiches/{edited.stem}.md" in rewritten
    assert "docs/nouvelle-page.md" in rewritten and "docs/ressources" in rewritten
    assert all(os.listdir(folder) for folder in kept.rglob("*") if folder.is_dir())


def test_a_file_the_worker_cannot_write_is_named_in_french(
    tmp_path: Path, writer: list[int]
) -> None:
    """A refusal in the worker is the CopyError this process would raise, for the file
    written and for the file copied; what came before is written, the worker stopped."""
    source = tmp_path / "source.md"
    source.write_text("texte", encoding="utf-8")
    long_name = "n" * 300  # longer than any file system allows
    for stage, expected in [
        (lambda s: s.write(f"docs/{long_name}.md", "texte"), "n'a pas pu être écrit"),
        (lambda s: s.copy(source, f"docs/{long_name}.md"), "n'a pas pu être copié"),
    ]:
        with Staging(tmp_path / "cible") as staged:
            for n in range(5):
                staged.write(f"docs/page-{n}.md", f"page {n}")
            with pytest.raises(CopyError, match=rf"{expected}.* \(nom trop long\) ; "):
                stage(staged)  # here, at once; in the worker, by the end of finish
                staged.finish()
        assert (tmp_path / "cible/docs/page-4.md").read_text(encoding="utf-8") == "page 4"
    assert not multiprocessing.active_children()
