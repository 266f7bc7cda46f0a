"""Small text helpers shared by every stage: folding, slugs and did-you-mean hints."""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Iterable

from slugify import slugify as _slugify

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Something a reader would take for HTML: a tag or an entity.
MARKUP = re.compile(r"<[A-Za-z/!][^>]*>?|&#?\w+;")


@functools.lru_cache(maxsize=4096)  # the same field names and terms, folded again and again
def fold(text: str) -> str:
    """Lowercase, without accents, every run of other characters as one space.

    "Enseignement/formation/emploi" and "enseignement / Formation / Emploi" fold alike;
    ligatures and letters without a decomposition spell out: « Cœur » is « coeur ».
    """
    return slugify(text).replace("-", " ")


# « l'été » is two words, « l-ete », as French reads it (python-slugify would glue them).
_APOSTROPHES = [["'", " "], ["\u2019", " "], ["\u02bc", " "]]


def slugify(text: str, max_length: int = 0) -> str:
    """The one slug of the package: "Lutte contre le racisme" → "lutte-contre-le-racisme".

    python-slugify transliterates what Unicode does not decompose (« Cœur » → coeur,
    « Ærø » → aero); ``max_length`` cuts at a word boundary.
    """
    return _slugify(
        text, max_length=max_length, word_boundary=bool(max_length), replacements=_APOSTROPHES
    )


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


_NOT_NEWLINE = re.compile(r"[^\n]")


def blank(span: str) -> str:
    """``span`` as spaces, its line breaks kept: what masks a part of a text, offsets kept."""
    return _NOT_NEWLINE.sub(" ", span) if "\n" in span else " " * len(span)


def one_line(text: str) -> str:
    """Every run of white space, newlines included, as one space."""
    return " ".join(text.split())


# Characters nobody types on purpose: control characters (tab and newline aside), the
# line separators that YAML counts as line breaks, lone surrogates and non-characters.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
# The same, minus the line separators: in a body those are only a warning (see INVISIBLE).
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _format_characters() -> str:
    """Every Unicode format character (category Cf: zero widths, bidi controls, tags…)."""
    astral = [0x110BD, 0x110CD, *range(0x13430, 0x13440), *range(0x1BCA0, 0x1BCA4),
              *range(0x1D173, 0x1D17B), *range(0xE0001, 0xE0080)]  # fmt: skip
    codes = [c for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf"] + astral
    # As ranges: a class of 170 single characters, astral ones included, makes the regex
    # engine test each in turn (11 ms per fiche body); 20 ranges take 0.5 ms.
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(
        re.escape(chr(first)) + (f"-{re.escape(chr(last))}" if last > first else "")
        for first, last in ranges
    )


# Characters that show nothing, or turn the text around them: U+200B–U+200F, the bidi
# embeddings and isolates, U+FEFF and every other format character, plus the line and
# paragraph separators. An error in front matter; a warning, named, in a body.
INVISIBLE = re.compile(f"[{_format_characters()}\u2028\u2029]")


def describe_character(char: str) -> str:
    """« U+2028 » and, when it has one, its usual name."""
    names = {
        "\x00": "octet nul",
        "\u2028": "séparateur de ligne",
        "\u2029": "séparateur de paragraphe",
        "\x85": "saut de ligne Unicode",
        "\x1b": "échappement",
        "\u200b": "espace sans chasse",
        "\u200c": "antiliant sans chasse",
        "\u200d": "liant sans chasse",
        "\u200e": "marque gauche-à-droite",
        "\u200f": "marque droite-à-gauche",
        "\u202a": "enchâssement gauche-à-droite",
        "\u202b": "enchâssement droite-à-gauche",
        "\u202c": "fin d'enchâssement bidirectionnel",
        "\u202d": "forçage gauche-à-droite",
        "\u202e": "forçage droite-à-gauche",
        "\u2066": "isolat gauche-à-droite",
        "\u2067": "isolat droite-à-gauche",
        "\u2068": "isolat de première force",
        "\u2069": "fin d'isolat bidirectionnel",
        "\u00ad": "trait d'union conditionnel",
        "\ufeff": "espace insécable sans chasse (BOM)",
    }
    code = f"U+{ord(char):04X}"
    return f"{code} ({names[char]})" if char in names else code


def french_number(number: int) -> str:
    """1234567 → « 1 234 567 », with no-break spaces between groups of three digits."""
    return f"{number:,}".replace(",", "\u00a0")
