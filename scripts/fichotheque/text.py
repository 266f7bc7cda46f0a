"""Small text helpers shared by every stage: folding, slugs and did-you-mean hints."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@functools.lru_cache(maxsize=4096)  # the same field names and terms, folded again and again
def fold(text: str) -> str:
    """Lowercase, without accents, every run of other characters as one space.

    "Enseignement/formation/emploi" and "enseignement / Formation / Emploi" fold alike.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.findall(r"[a-z0-9]+", bare))


def slugify(text: str) -> str:
    """A URL-safe slug: "Lutte contre le racisme" → "lutte-contre-le-racisme"."""
    return fold(text).replace(" ", "-")


def suggest(value: str, candidates: dict[str, str]) -> str | None:
    """The candidate closest to ``value``, or None.

    ``candidates`` maps every spelling worth matching (slug, label, alias) to the
    answer to give, so that a misspelt label still leads to the right slug.
    """
    folded = {fold(spelling): answer for spelling, answer in candidates.items()}
    key = fold(value)
    if key in folded:
        return folded[key]
    close = difflib.get_close_matches(key, list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def quote_list(items: Iterable[str]) -> str:
    """« a », « b » et « c »."""
    quoted = [f"« {item} »" for item in items]
    if len(quoted) <= 1:
        return "".join(quoted)
    return ", ".join(quoted[:-1]) + " et " + quoted[-1]


def one_line(text: str) -> str:
    """Every run of white space, newlines included, as one space."""
    return " ".join(text.split())


# Characters nobody types on purpose: control characters (tab and newline aside), the
# line separators that YAML counts as line breaks, lone surrogates and non-characters.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def describe_character(char: str) -> str:
    """« U+2028 » and, when it has one, its usual name."""
    names = {
        "\x00": "octet nul",
        "\u2028": "séparateur de ligne",
        "\u2029": "séparateur de paragraphe",
        "\x85": "saut de ligne Unicode",
        "\x1b": "échappement",
    }
    code = f"U+{ord(char):04X}"
    return f"{code} ({names[char]})" if char in names else code


def french_number(number: int) -> str:
    """1234567 → « 1 234 567 », with no-break spaces between groups of three digits."""
    return f"{number:,}".replace(",", "\u00a0")
