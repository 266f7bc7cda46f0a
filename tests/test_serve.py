"""``fichotheque serve``: the preview shows drafts and follows the sources as they change."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from test_build import _mini_project
from test_cli import EXECUTABLE


def fetch(url: str) -> str:
    """The page at ``url``, or "" while it is being replaced."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except urllib.error.HTTPError:
        return ""


def wait_for(predicate, seconds: float = 30) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_preview_shows_drafts_and_rebuilds_on_change(tmp_path: Path) -> None:
    """Drafts carry a banner; an edit updates the page; a broken fiche keeps the last one."""
    project = _mini_project(tmp_path)
    process = subprocess.Popen(
        [str(EXECUTABLE), "serve", "--root", str(project.root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        address = ""
        for line in process.stdout:
            if line.startswith("Aperçu sur "):
                address = line.split()[2]
                break
        assert address.startswith("http://127.0.0.1:")
        draft = fetch(address + "fiches/beta/")
        assert "fiche-brouillon" in draft and "Brouillon" in draft
        alpha = project.fiches_dir / "alpha.md"
        alpha.write_text(
            alpha.read_text(encoding="utf-8").replace("title: Alpha", "title: Alpha modifiée"),
            encoding="utf-8",
        )
        assert wait_for(lambda: "Alpha modifiée" in fetch(address + "fiches/alpha/"))
        alpha.write_text("---\ntitle: [\n---\n\nCassé.\n", encoding="utf-8")
        time.sleep(2)
        assert "Alpha modifiée" in fetch(address + "fiches/alpha/")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
    assert not (project.root / "site").exists()  # the preview never touches site/
