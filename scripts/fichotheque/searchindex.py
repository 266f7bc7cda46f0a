"""The search index, built by Pagefind in parts of whole years, two parts at a time.

Pagefind holds every page it indexes in memory until it writes the index: about 360 KB
per fiche page here, so 3.6 GB for 10,000 fiches, and it has no option to bound that.
A site of more than ``PART_PAGES`` fiches is therefore indexed in parts, one Pagefind
run each, and each run indexes only its part's pages (a ``glob`` listing them). Pagefind
keeps about 1.5 cores busy: from ``SHARED_FROM`` fiches, the index has at least
``CONCURRENT`` parts, indexed side by side (1,000 pages: 2.8 s alone, 2.1 s in halves).

The first part, the newest fiches, is ``pagefind/`` as on a small site; the others are
``pagefind/lots/2/``, ``pagefind/lots/3/``… The search page lists them (``data-lots``)
and merges them with Pagefind's own ``mergeIndex``: results ranked by relevance across
parts, filter counts summed, one WebAssembly module for all. A part holds whole years
of start dates, so the date order is one year after the other (recherche.js asks each
year on its own, through the ``START_YEAR_FILTER`` every fiche carries).

A word that a part lacks would not simply find nothing there: Pagefind, finding no
indexed word that starts with a searched word, falls back on the longest indexed word
that starts it (« sambreville » on « s »), and would bring back unrelated fiches. So
each part also indexes a lexicon page holding every word a reader sees in the fiches
(not where their links lead): a word of the site is then known to every part, as it is
to a single index. That page carries the
start year ``LEXICON``, which every search of an index in parts excludes.

A part whose pages, lexicon and Pagefind did not change since the index was published
is not indexed again: its folder is linked from the published site (``part_digests``).
An edit that adds a word to the site changes every lexicon (``index_frame``), and every
part is indexed; then, as after a first build, no page needs reading before Pagefind
starts, and the pages are digested for the next build while it runs.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
import string
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .files import write_text
from .routes import FICHES_DIR, INDEX_DIR, START_YEAR_FILTER

if TYPE_CHECKING:
    from .fiches import Fiche
    from .glossary import Glossary
    from .model import Catalogue

PART_PAGES = 1000  # about 370 MB of Pagefind per part
SHARED_FROM = 400
CONCURRENT = 2  # Pagefind runs at once
PARTS_DIR = "lots"
LEXICON = "lexique"  # the lexicon page's start year (START_YEAR_FILTER)
LEXICON_PAGE = "lexique-de-recherche.html"  # in the site while Pagefind runs, then removed
TIMEOUT_SECONDS = 1800


class IndexingError(Exception):
    """Pagefind failed; the message is French."""


@dataclass(frozen=True)
class Part:
    """The fiches one Pagefind run indexes, and where its index goes in the site."""

    folder: str  # relative to the site: "pagefind", "pagefind/lots/2"…
    slugs: tuple[str, ...]

    def glob(self, lexicon: bool) -> str:
        """The pages of the part, for Pagefind (slugs are lowercase, digits and hyphens)."""
        pages = f"{FICHES_DIR}/{{{','.join(self.slugs)}}}/index.html"
        return f"{{{pages},{LEXICON_PAGE}}}" if lexicon else pages


@dataclass(frozen=True)
class Plan:
    """What the search index is made of: its parts and, when there are several, the
    words of the lexicon page, found in the ``fiches`` and the ``glossary`` when first
    asked for (a preview shows its pages before it indexes them)."""

    parts: tuple[Part, ...] = ()
    fiches: Sequence[Fiche] = field(default=(), compare=False, repr=False)
    glossary: Glossary | None = field(default=None, compare=False, repr=False)

    @functools.cached_property
    def words(self) -> frozenset[str]:
        if len(self.parts) < 2:
            return frozenset()
        # What a fiche page indexes: its title, summary and body, its acronyms and their
        # expansions (render/fiche.py, NOT_INDEXED); Markdown marks do no harm.
        entries = self.glossary.entries if self.glossary else ()
        texts = [f"{m.term} {m.expansion}" for e in entries for m in e.meanings]
        texts += (f"{f.title} {f.description} {f.body}" for f in self.fiches)
        written = {word for text in texts for word in _shown(text).split()}
        # Pagefind ignores case and the marks around a word (« **emploi** », « 2024. »):
        # without them, an edit that only writes known words keeps the lexicon as it was.
        return frozenset(w for w in {w.strip(_MARKS).lower() for w in written} if w)


def plan(catalogue: Catalogue) -> Plan:
    """The search index of a catalogue's fiches."""
    return Plan(tuple(search_parts(catalogue)), catalogue.fiches, catalogue.glossary)


def lexicon_page(words: Iterable[str], language: str) -> str:
    """The lexicon page: every word once, under the language of the fiche pages."""
    text = html.escape(" ".join(sorted(words)))
    return (
        f'<!doctype html><html lang="{html.escape(language)}"><body data-pagefind-body>'
        f'<span data-pagefind-filter="{START_YEAR_FILTER}:{LEXICON}"></span>'
        f"<p>{text}</p></body></html>"
    )


def start_year(fiche: Fiche) -> int:
    """The year a fiche is filed under in the date order (``START_YEAR_FILTER``)."""
    return fiche.period.start.first_day.year


def search_parts(catalogue: Catalogue) -> list[Part]:
    """The parts of the search index of a catalogue's fiches."""
    fiches = [(start_year(f), f.slug) for f in catalogue.fiches]
    return split(fiches, part_target(len(fiches)))


def part_target(count: int) -> int:
    """How many of ``count`` fiches a part should hold: all of them below
    ``SHARED_FROM``, else an even share among ``CONCURRENT`` parts or more, each of at
    most ``PART_PAGES``."""
    if count < SHARED_FROM:
        return max(count, 1)
    parts = max(CONCURRENT, -(-count // PART_PAGES))
    return -(-count // parts)


def split(fiches: Iterable[tuple[int, str]], target: int, limit: int | None = None) -> list[Part]:
    """Parts of whole start years, newest first, from ``(start year, slug)`` pairs.

    A part is closed once it holds ``target`` fiches, or when the next year would take
    it over ``limit`` (``PART_PAGES``); a year of more fiches than that is a part alone.
    """
    limit = max(limit or PART_PAGES, target)
    years: dict[int, list[str]] = {}
    for year, slug in fiches:
        years.setdefault(year, []).append(slug)
    groups: list[list[str]] = []
    for year in sorted(years, reverse=True):
        if not groups or len(groups[-1]) >= target or len(groups[-1]) + len(years[year]) > limit:
            groups.append([])
        groups[-1] += years[year]
    return [Part(folder(n), tuple(group)) for n, group in enumerate(groups, 1)]


def folder(number: int) -> str:
    """Where part ``number`` (from 1) goes in the site."""
    return INDEX_DIR if number == 1 else f"{INDEX_DIR}/{PARTS_DIR}/{number}"


def index_frame(plan: Plan, excluded: Sequence[str]) -> str:
    """What every part's index is made from besides its pages: the lexicon, Pagefind's
    version and what it leaves out. When it changes, no part can be kept."""
    from importlib.metadata import version

    frame = hashlib.blake2b(version("pagefind-bin").encode())
    frame.update(json.dumps([list(excluded), sorted(plan.words)]).encode())
    return frame.hexdigest()


def part_digests(site: Path, plan: Plan, frame: str) -> dict[str, str]:
    """For each part's folder, a digest of all its index is made from: its pages as
    built in ``site`` and the ``frame`` (``index_frame``)."""
    digests = {}
    for part in plan.parts:
        digest = hashlib.blake2b(frame.encode())
        for slug in part.slugs:
            digest.update(f"\0{slug}\0".encode())
            digest.update((site / FICHES_DIR / slug / "index.html").read_bytes())
        digests[part.folder] = digest.hexdigest()
    return digests


@dataclass(frozen=True)
class IndexRecord:
    """What a build remembers of the search index it published (``recorded``): its frame,
    and for each part the digest it was made from and its entry file."""

    frame: str = ""
    parts: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"frame": self.frame, "parts": {k: list(v) for k, v in self.parts.items()}}

    @classmethod
    def from_json(cls, data: object) -> IndexRecord:
        """The record in ``data``; an empty one if it is not one (an older format)."""
        if not isinstance(data, dict) or not isinstance(data.get("parts"), dict):
            return cls()
        parts = {str(k): (str(v[0]), str(v[1])) for k, v in data["parts"].items() if len(v) == 2}
        return cls(str(data.get("frame", "")), parts)


def reusable(published: Path, digests: Mapping[str, str], record: IndexRecord) -> dict[str, Path]:
    """The parts of the index published at ``published`` that a build can link: those
    whose digest is the one in ``record`` (written by ``recorded`` when they were
    published), and whose entry file is still that one (site/ may have been put back from
    a copy since).
    """
    return {
        part: published / part
        for part, digest in digests.items()
        if record.parts.get(part) == (digest, _entry(published / part))
        and (published / part / "pagefind.js").is_file()
    }


def recorded(published: Path, frame: str, digests: Mapping[str, str]) -> IndexRecord:
    """What to remember of the index just published at ``published``, for ``reusable``."""
    return IndexRecord(
        frame, {part: (digest, _entry(published / part)) for part, digest in digests.items()}
    )


def _entry(index: Path) -> str:
    """A digest of a part's entry file, which names its index files by their content."""
    try:
        return hashlib.sha256((index / "pagefind-entry.json").read_bytes()).hexdigest()
    except OSError:
        return ""


@dataclass
class Indexing:
    """Pagefind running over the parts of a built site, ``CONCURRENT`` at a time.

    ``start`` returns at once; ``wait`` runs what is left and raises ``IndexingError``
    on a failure; ``stop`` kills the runs under way (a build that failed meanwhile).
    Without parts (no fiche published), Pagefind indexes every page, as it would alone.
    The parts of ``reused`` (folder → the same part's index, as published) are linked.
    """

    site: Path
    output: Path  # the index folder of the first part, usually site/pagefind
    plan: Plan
    excluded: Sequence[str]  # CSS selectors of what is not indexed
    reused: Mapping[str, Path] = field(default_factory=dict)
    _running: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)
    _configs: Path | None = None
    _todo: list[int] = field(default_factory=list)

    def start(self) -> Indexing:
        try:
            self._start()
        except BaseException:  # stopped meanwhile, or a part could not be linked
            self.stop()
            raise
        return self

    def _start(self) -> None:
        # Pagefind's settings go beside the site: in a build's staging folder, removed
        # with it, even after a kill (publish.py), and in the preview's own folder.
        self._configs = Path(tempfile.mkdtemp(prefix=".pagefind-reglages-", dir=self.site.parent))
        self._todo = []
        for number in range(max(len(self.plan.parts), 1)):
            kept = self.reused.get(folder(number + 1)) if self.plan.parts else None
            if kept is None:
                self._todo.append(number)
            else:  # the first part's folder holds the others: they are not its own
                shutil.copytree(
                    kept, self._target(number), copy_function=os.link, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(PARTS_DIR) if number == 0 else None,
                )  # fmt: skip
        if self.plan.words and self._todo:
            first = self.site / FICHES_DIR / self.plan.parts[0].slugs[0] / "index.html"
            language = _LANGUAGE.search(first.read_text("utf-8", errors="replace")[:2000])
            page = lexicon_page(self.plan.words, language[1] if language else "")
            write_text(self.site / LEXICON_PAGE, page)
        for number in self._todo[:CONCURRENT]:
            self._launch(number)

    def wait(self) -> None:
        try:
            for position, number in enumerate(self._todo):
                self._finish(number)
                if position + CONCURRENT < len(self._todo):
                    self._launch(self._todo[position + CONCURRENT])
        finally:
            self.stop()

    def stop(self) -> None:
        for process in self._running.values():
            if process.poll() is None:
                process.kill()
                process.wait()
        if self._configs is not None:
            shutil.rmtree(self._configs, ignore_errors=True)
        (self.site / LEXICON_PAGE).unlink(missing_ok=True)

    def _target(self, number: int) -> Path:
        return self.output / Path(folder(number + 1)).relative_to(INDEX_DIR)

    def _launch(self, number: int) -> None:
        from pagefind_bin import get_executable

        assert self._configs is not None
        command = [str(get_executable()), "--site", str(self.site), "--quiet"]
        command += ["--output-path", str(self._target(number))]
        command += ["--exclude-selectors", ", ".join(self.excluded)]
        # Pagefind reads pagefind.json in its working folder: ours, never the user's.
        workdir = self._configs / str(number + 1)
        workdir.mkdir()
        parts = self.plan.parts
        settings = {"glob": parts[number].glob(bool(self.plan.words))} if parts else {}
        write_text(workdir / "pagefind.json", json.dumps(settings))
        # What it says goes to a file: a pipe nobody reads while another run is awaited
        # could fill up and stop it.
        with (workdir / _OUTPUT).open("w") as output:
            try:
                self._running[number] = subprocess.Popen(
                    command, cwd=workdir, stdout=output, stderr=subprocess.STDOUT
                )
            except OSError as error:
                raise IndexingError(_FAILED.format(error)) from None

    def _finish(self, number: int) -> None:
        process = self._running[number]
        try:
            process.wait(timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as error:
            raise IndexingError(_FAILED.format(error)) from None
        if process.returncode != 0 or not (self._target(number) / "pagefind.js").is_file():
            assert self._configs is not None
            said = (self._configs / str(number + 1) / _OUTPUT).read_text(errors="replace")
            details = said.strip().splitlines()[-1:] or ["sans message"]
            raise IndexingError(f"l'index de recherche (Pagefind) a échoué : {details[0]}")


_MARKS = string.punctuation + "«»‹›“”‘’…–—"
# What a reader does not see of a body, so Pagefind does not index it either: where a
# link leads (« [texte](https://…) »), an HTML tag and its attributes.
_UNSEEN = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)|</?[A-Za-z][\w-]*(?:\s[^>]*)?/?>")


def _shown(text: str) -> str:
    return _UNSEEN.sub(" ", text)


_OUTPUT = "sortie.txt"
_LANGUAGE = re.compile(r'<html[^>]*\slang="([^"]*)"')
_FAILED = "l'index de recherche (Pagefind) n'a pas pu être construit ({})."
