"""``fichotheque serve``: the preview shows drafts and follows the sources as they change."""

from __future__ import annotations

import email.utils
import functools
import os
import queue
import subprocess
import threading
import time
import urllib.error
import urllib.request
from http.server import ThreadingHTTPServer
from pathlib import Path

from fichotheque.serve import _QuietHandler
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


def test_a_page_rebuilt_within_the_same_second_is_sent_anew(tmp_path: Path) -> None:
    """A reload right after a quick rebuild shows the new page: the preview never answers
    « not modified » (Last-Modified counts whole seconds) and asks the browser to keep
    nothing."""
    page = tmp_path / "index.html"
    page.write_text("<p>avant</p>", encoding="utf-8")
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(tmp_path))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.read() == b"<p>avant</p>"
            assert response.headers["Cache-Control"] == "no-store"
        second = page.stat().st_mtime // 1
        page.write_text("<p>après la modification</p>", encoding="utf-8")
        os.utime(page, (second + 0.9, second + 0.9))  # rebuilt in the same second
        asked = urllib.request.Request(
            url, headers={"If-Modified-Since": email.utils.formatdate(second + 1, usegmt=True)}
        )
        with urllib.request.urlopen(asked, timeout=10) as response:
            assert response.status == 200
            assert response.read().decode("utf-8") == "<p>après la modification</p>"
    finally:
        server.shutdown()
        server.server_close()


def test_preview_shows_drafts_and_rebuilds_on_change(tmp_path: Path) -> None:
    """Drafts carry a banner; an edit updates the page; a broken fiche keeps the last one."""
    project = _mini_project(tmp_path)
    temporary = tmp_path / "tmp"  # where the preview's site goes
    temporary.mkdir()
    process = subprocess.Popen(
        [str(EXECUTABLE), "serve", "--root", str(project.root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "TMPDIR": str(temporary)},
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
    assert not list(temporary.iterdir())  # stopped by SIGTERM, it removed its folder


_LINES: dict[int, queue.Queue[str]] = {}  # each preview's output, line by line


def _line_with(process: subprocess.Popen[str], text: str, seconds: float = 120) -> str:
    """The next line of the preview's output that contains ``text``.

    A thread reads the output: ``select`` on the pipe would miss lines that an earlier
    ``readline`` already took into the file's buffer, and wait for output that never comes.
    """
    assert process.stdout is not None
    lines = _LINES.get(process.pid)
    if lines is None:
        lines = _LINES[process.pid] = queue.Queue()
        output = process.stdout

        def read() -> None:
            for line in output:
                lines.put(line)
            lines.put("")  # the preview stopped

        threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + seconds
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0))
        except queue.Empty:
            raise AssertionError(f"the preview never said « {text} »") from None
        if text in line:
            return line
        assert line, f"the preview stopped before saying « {text} »"


def test_after_an_edit_the_pages_come_first_and_the_search_follows(tmp_path: Path) -> None:
    """The edited page shows before Pagefind runs; the search answers all along."""
    project = _mini_project(tmp_path)
    process = subprocess.Popen(
        [str(EXECUTABLE), "serve", "--root", str(project.root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
    )  # fmt: skip
    try:
        address = _line_with(process, "Aperçu sur ").split()[2]
        entry = address + "pagefind/pagefind-entry.json"
        before = fetch(entry)
        assert '"languages"' in before
        alpha = project.fiches_dir / "alpha.md"
        alpha.write_text(
            alpha.read_text(encoding="utf-8").replace("title: Alpha", "title: Alpha revue"),
            encoding="utf-8",
        )
        assert "La recherche suit" in _line_with(process, "Aperçu à jour")
        assert "Alpha revue" in fetch(address + "fiches/alpha/")
        # The previous index still answers while the new one is written.
        assert fetch(address + "pagefind/pagefind.js")
        _line_with(process, "Recherche à jour")
        after = fetch(entry)
        assert '"languages"' in after and after != before
        assert fetch(address + "pagefind/pagefind.js")
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
