"""The limits are declared once, in ``fichotheque.limits``; the docs give the same numbers."""

from __future__ import annotations

import pytest

from conftest import REPO
from fichotheque.limits import (
    MAX_FICHE_BYTES,
    MAX_PROBLEMS_SHOWN,
    MAX_SUMMARY_CHARS,
    MAX_TEXT_CHARS,
)
from fichotheque.text import french_number

STATED = [
    f"{french_number(MAX_FICHE_BYTES)} octets",
    f"{french_number(MAX_SUMMARY_CHARS)} caractères",
    f"{french_number(MAX_TEXT_CHARS)} caractères",
    f"{french_number(MAX_PROBLEMS_SHOWN)} problèmes",
]


@pytest.mark.parametrize(
    "doc", ["README.md", pytest.param("docs/guide-de-redaction.md", marks=pytest.mark.example)]
)
@pytest.mark.parametrize("stated", STATED)
def test_docs_state_every_limit(doc: str, stated: str) -> None:
    """The README and the guide give each limit as the checks apply it."""
    text = (REPO / doc).read_text(encoding="utf-8").replace("\u00a0", " ")
    assert stated.replace("\u00a0", " ") in " ".join(text.split())
