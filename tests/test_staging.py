"""Staging over an earlier staging (staging.py) gives the tree a new folder would get,
and leaves alone every file whose bytes did not change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import copy_example
from fichotheque.check import check_project
from fichotheque.engine import _settings, stage_site
from fichotheque.project import Project


def _tree(folder: Path) -> tuple[dict[str, bytes], set[str]]:
    entries = list(folder.rglob("*"))
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in entries if p.is_file()}
    folders = {p.relative_to(folder).as_posix() for p in entries if p.is_dir()}
    return files, folders


def _stage(project: Project, folder: Path) -> None:
    settings = _settings(project)
    stage_site(project, check_project(project), folder, settings=settings)


def test_staging_again_writes_what_changed_and_removes_what_is_gone(tmp_path: Path) -> None:
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

    _stage(project, kept)
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
