"""``fichotheque serve``: a local preview, drafts included, rebuilt when a source changes.

The preview is built by the same path as the public site, into a temporary folder, and
published there atomically: the server never shows half a build. After an edit, the pages
are published before the search index, which follows once Pagefind has run again (it has
no incremental mode); meanwhile the search answers from the previous index. A change that breaks
the check leaves the last good preview in place and prints the problems.
"""

from __future__ import annotations

import functools
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from .check import check_project
from .engine import BuildError, BuildReport, build_site, index_site, prepare_next_build
from .problems import format_report, is_failure, summary
from .project import Project
from .publish import terminate
from .searchindex import Plan
from .watch import Watcher, snapshot

QUIET_SECONDS = 0.2  # after a rebuild, how long the sources stay still before the search


def rebuild(
    project: Project, target: Path, say: Callable[[str], None], *, search: bool = True
) -> BuildReport | None:
    """Check and build the preview; on a problem, say why, keep the previous one, and
    return None.

    Without ``search``, the preview keeps its search index until ``reindex``.
    """
    result = check_project(project)
    for line in format_report(result.problems):
        say(line)
    if is_failure(result.problems, strict=False):
        say(f"{summary(result.problems)} L'aperçu précédent reste affiché.")
        return None
    try:
        report = build_site(project, result, target, include_drafts=True, force=True, search=search)
    except BuildError as error:
        say(f"La construction a échoué : {error} L'aperçu précédent reste affiché.")
        return None
    drafts = sum(fiche.is_draft for fiche in result.fiches)
    later = "" if search else " La recherche suit dans un instant."
    say(f"Aperçu à jour : {report.fiche_count} fiche(s) dont {drafts} brouillon(s), "
        f"en {report.seconds:.1f} s.{later}")  # fmt: skip
    return report


def reindex(target: Path, search: Plan, say: Callable[[str], None]) -> None:
    """Renew the preview's search index, once its pages show the last edit."""
    started = time.perf_counter()
    try:
        index_site(target, search)
    except BuildError as error:
        say(f"L'index de recherche n'a pas pu être mis à jour : {error}")
        return
    say(f"Recherche à jour, en {time.perf_counter() - started:.1f} s.")


class _QuietHandler(SimpleHTTPRequestHandler):
    # The browser editor reads admin/config.yml only when it is served as YAML.
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".yml": "text/yaml"}  # noqa: RUF012

    def send_head(self) -> BytesIO | BinaryIO | None:
        # A page rebuilt within the second it was last sent has the same Last-Modified,
        # to the second: asked « If-Modified-Since », the server would answer « not
        # modified », and a reload would show the page from before the edit. Every page
        # is sent whole, and never kept by the browser.
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve(project: Project, host: str, port: int) -> int:
    """Build, serve and rebuild on change until interrupted; returns an exit code."""

    def say(text: str) -> None:
        print(text, flush=True)

    # Stopped by its terminal closing or by kill, the preview removes its folder too.
    for stop in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(stop, terminate)
    with tempfile.TemporaryDirectory(prefix="fichotheque-apercu-") as folder:
        target = Path(folder) / "site"
        # Taken before the first build, so that an edit made meanwhile is not missed.
        state = snapshot(project)
        if not rebuild(project, target, say):
            target.mkdir()
            (target / "index.html").write_text(
                "<!doctype html><html lang=\"fr\"><meta charset=\"utf-8\"><title>Aperçu</title>"
                "<p>La base contient des erreurs : corrigez-les (voir le terminal), "
                "l'aperçu se mettra à jour.</p></html>",
                encoding="utf-8",
            )  # fmt: skip
        handler = functools.partial(_QuietHandler, directory=str(target))
        try:
            server = ThreadingHTTPServer((host, port), handler)
        except OSError as error:
            print(f"fichotheque : le port {port} n'est pas disponible ({error.strerror}).",
                  file=sys.stderr)  # fmt: skip
            return 1
        address = f"http://{host}:{server.server_address[1]}/"
        say(f"Aperçu sur {address} (brouillons compris). Ctrl+C pour arrêter.")
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        stale: BuildReport | None = None  # pages shown that the search does not know yet
        prepared = False  # the next build readied (the first one leaves it to do)
        watcher = Watcher(project)
        try:
            while True:
                idle_work = stale is not None or not prepared
                watcher.wait(QUIET_SECONDS if idle_work else float("inf"))
                current = snapshot(project)
                if current != state:
                    state = current
                    say("Changement détecté, reconstruction…")
                    # Pagefind has no incremental mode: the pages are shown first.
                    stale = rebuild(project, target, say, search=False) or stale
                elif stale is not None:  # once the sources are quiet
                    reindex(target, stale.search, say)
                    stale = None
                elif not prepared:
                    prepare_next_build(target)
                    prepared = True
        except KeyboardInterrupt:
            say("Aperçu arrêté.")
        finally:
            watcher.close()
            server.shutdown()
            server.server_close()
    return 0
