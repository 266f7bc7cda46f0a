"""What a cache must be keyed by besides its own input: our code and the libraries' versions."""

from __future__ import annotations

import hashlib
import importlib.metadata
import sys
from collections.abc import Iterable
from pathlib import Path

PACKAGE = Path(__file__).parent


def code_digest(libraries: Iterable[str]) -> hashlib._Hash:
    """A running SHA-256 of Python's version, every source of the package and ``libraries``."""
    digest = hashlib.sha256(f"{sys.version}\n".encode())
    for name in libraries:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}\n".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=absent\n".encode())
    for source in sorted(PACKAGE.rglob("*")):
        if source.is_file() and "__pycache__" not in source.parts:
            digest.update(source.relative_to(PACKAGE).as_posix().encode() + b"\0")
            digest.update(source.read_bytes())
    return digest
