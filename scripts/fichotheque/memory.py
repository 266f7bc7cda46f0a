"""Give back to the system the memory a stage freed, before the next stage starts.

Python frees the pages a stage rendered, but glibc keeps the freed blocks for later
instead of returning them: measured at 10,000 fiches, the build held 980 MB after
staging its pages, of which 550 MB free, while MkDocs's workers and Pagefind started
beside it. ``malloc_trim`` returns them (glibc only; elsewhere this does nothing more
than a garbage collection).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc


def release() -> None:
    """Collect the garbage and return free memory to the system."""
    gc.collect()
    with contextlib.suppress(AttributeError, OSError):  # not glibc
        ctypes.CDLL(None).malloc_trim(0)
