"""« Fiche 37 » in a body: found once, the same way for the check and for the links.

Code (fenced blocks and inline spans), HTML comments and tags, and text already inside
a Markdown link are masked first, so that neither the check nor the renderer sees a
reference there.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from .text import blank

FICHE_REFERENCE = re.compile(r"\bFiche\s+(?:n°\s*)?([0-9]{1,6})\b")
# The same without its first word boundary, which keeps re from looking for « Fiche »
# itself (twenty times slower on the benchmark's bodies): every « Fiche N » the first
# finds, and a few more after a letter, which _references leaves out.
CITED = re.compile(FICHE_REFERENCE.pattern.removeprefix(r"\b"))
_WORD = re.compile(r"\w")
# Every alternative starts with a character, which lets re skip to the next place one
# of them is (4x faster on the benchmark's bodies than a first alternative in « ^ »): a
# fence is at the start of a line when what precedes it is a line break or nothing.
_MASKED = re.compile(
    r"```(?<![^\n]```).*?^```[^\n]*$"  # fenced code blocks
    r"|~~~(?<![^\n]~~~).*?^~~~[^\n]*$"
    r"|<!--.*?-->"  # HTML comments
    r"|`[^`\n]*`"  # inline code
    r"|\[[^\]\n]*\]\([^)\n]*\)"  # Markdown links
    r"|<[^>\n]+>",  # HTML tags
    re.DOTALL | re.MULTILINE,
)


_NUMBER = re.compile(r"[0-9]{1,9}")


def reference_number(ref: str) -> int | None:
    """The fiche number a reference or a ``numero`` names (« 37 »), or None."""
    return int(ref) if _NUMBER.fullmatch(ref) else None


def _masked(body: str) -> str:
    """``body`` with every ignored span blanked, offsets unchanged."""
    return _MASKED.sub(lambda m: blank(m.group(0)), body)


def _references(text: str) -> Iterator[re.Match[str]]:
    """``FICHE_REFERENCE.finditer(text)``: a match not at a word's start is left out (one
    that was could not overlap it: « Fiche » holds no other)."""
    for match in CITED.finditer(text):
        start = match.start()
        if not (start and _WORD.match(text, start - 1)):
            yield match


def find_references(body: str) -> Iterator[tuple[int, int]]:
    """(number, offset) of each « Fiche N » outside code, comments, tags and links."""
    if "Fiche" not in body:  # most bodies: nothing to mask
        return
    for match in _references(_masked(body)):
        yield int(match.group(1)), match.start()


def link_references(body: str, link: Callable[[int, str], str | None]) -> str:
    """``body`` with each « Fiche N » replaced by ``link(N, text)``, unless that is None."""
    if "Fiche" not in body:
        return body
    pieces, last = [], 0
    for match in _references(_masked(body)):
        text = body[match.start() : match.end()]
        replacement = link(int(match.group(1)), text)
        if replacement is None:
            continue
        pieces += [body[last : match.start()], replacement]
        last = match.end()
    pieces.append(body[last:])
    return "".join(pieces)
