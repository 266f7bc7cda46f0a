"""Worker processes, started the same way wherever the package starts them."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any


def pool(workers: int, **options: Any) -> ProcessPoolExecutor:
    """``workers`` processes, forked from a fork server where the platform has one.

    A fork server is a clean process started once: a worker inherits neither this
    process's threads (the preview's server, a progress display) nor its memory. Where
    there is none (macOS, Windows), workers are spawned. ``options`` go to the executor.
    """
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method), **options)
