"""The preview's watcher: woken by a change to any source, and by nothing else."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from conftest import copy_example
from fichotheque import watch
from fichotheque.project import Project

LONG = 30.0  # far longer than a file event takes to arrive


def _woken_by(project: Project, change: object) -> bool:
    watcher = watch.Watcher(project)
    try:
        assert watcher.has_events  # Linux: inotify
        assert not watcher.wait(0.3)  # nothing happened yet
        threading.Timer(0.2, change).start()  # type: ignore[arg-type]
        return watcher.wait(LONG)
    finally:
        watcher.close()


def _append(path: Path) -> None:
    with path.open("a", encoding="utf-8") as file:
        file.write("\n")


@pytest.mark.parametrize(
    "source",
    ["fiches/2007-plans-locaux-integration.md", "taxonomy.yml", "docs/guide-de-redaction.md"],
)
def test_an_edit_to_a_source_wakes_the_watcher(tmp_path: Path, source: str) -> None:
    project = copy_example(tmp_path / "base")
    before = watch.snapshot(project)
    assert _woken_by(project, lambda: _append(project.root / source))
    assert watch.snapshot(project) != before


def test_a_new_fiche_in_a_new_folder_wakes_the_watcher(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "base")
    folder = project.fiches_dir / "2030"

    def add() -> None:
        folder.mkdir()
        (folder / "nouvelle.md").write_text("---\ntitle: Nouvelle\n---\n", encoding="utf-8")

    assert _woken_by(project, add)
    assert str(folder / "nouvelle.md") in watch.snapshot(project)


def test_fiches_created_after_the_watcher_are_watched(tmp_path: Path) -> None:
    """A base whose fiches/ folder appears once the preview runs."""
    project = copy_example(tmp_path / "base")
    fiches = project.fiches_dir.rename(tmp_path / "ailleurs")
    watcher = watch.Watcher(project)
    try:
        threading.Timer(0.2, lambda: fiches.rename(project.fiches_dir)).start()
        assert watcher.wait(LONG)  # the folder appearing in the root
        threading.Timer(0.2, lambda: _append(next(project.fiches_dir.glob("*.md")))).start()
        assert watcher.wait(LONG)  # then an edit inside it
    finally:
        watcher.close()


def test_files_beside_the_sources_do_not_wake_the_watcher(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "base")
    (project.root / "site").mkdir()
    watcher = watch.Watcher(project)
    try:
        threading.Timer(0.1, lambda: (project.root / "site" / "index.html").write_text("x")).start()
        assert not watcher.wait(1.0)
    finally:
        watcher.close()


def test_without_file_events_the_watcher_looks_at_intervals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No inotify (or no watches left): the preview still sees an edit, by looking."""
    project = copy_example(tmp_path / "base")

    class NoEvents:
        def schedule(self, *args: object, **kwargs: object) -> None:
            raise OSError(28, "inotify watch limit reached")

        def is_alive(self) -> bool:
            return False

    monkeypatch.setattr(watch, "Observer", NoEvents)
    watcher = watch.Watcher(project)
    assert not watcher.has_events
    before = watch.snapshot(project)
    _append(project.fiches_dir / "2007-plans-locaux-integration.md")
    assert not watcher.wait(LONG)  # returns after POLL_SECONDS, not after LONG
    assert watch.snapshot(project) != before


def test_reading_the_sources_does_not_wake_the_watcher(tmp_path: Path) -> None:
    """A check reads every fiche: the watcher must not handle those reads while it builds."""
    project = copy_example(tmp_path / "base")
    watcher = watch.Watcher(project)
    try:
        threading.Timer(0.1, lambda: [p.read_bytes() for p in project.fiches_dir.glob("*")]).start()
        assert not watcher.wait(1.0)
    finally:
        watcher.close()
