"""The text export of a legacy fiche website, read block by block into fiches.

One export holds several fiches. Each starts with a title line « 2009 – Titre » (or a
period « 2015-2016 – Titre », with an en dash or a hyphen), often repeated on the next
line; then come the body (paragraphs, « • » bullets), the sections « Ressources à
télécharger », « Jargon, abréviations, sigles et acronymes » and « Sources », and last
« Catégories », where each option is a line ticked ☑ or not ☐ under the headings of the
facets and their groups. « Ajouter liens » placeholders and « * Légende » are ignored.

Nothing is dropped: a label that matches no term, an acronym the glossary lacks and a
block without categories are all kept and reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from .files import write_new_text
from .glossary import Glossary
from .limits import FIELD_MAX_CHARS
from .project import Project
from .taxonomy import Facet, Taxonomy
from .text import fold

TITLE = re.compile(r"^\s*(\d{4})(?:\s*[–-]\s*(\d{4}))?\s+[–-]\s+(\S.*?)\s*$")
SECTIONS = {
    fold("Ressources à télécharger"): "ressources",
    fold("Jargon, abréviations, sigles et acronymes"): "sigles",
    fold("Sources"): "sources",
    fold("Catégories"): "categories",
}
IGNORED = {fold("Ajouter liens"), fold("* Légende"), fold("Légende")}
TICKED, UNTICKED = "☑", "☐"
BULLET = re.compile(r"^(\s*)[•◦▪‣·]\s*(.*)$")
URL = re.compile(r"https?://\S+")
ACRONYM = re.compile(r"^(\S+(?:\s\S+){0,3})\s*[:=–-]\s+(.+)$")
SUMMARY_CHARS = 300


@dataclass
class Link:
    """A resource or a source: its title, and its address when it has one."""

    title: str
    url: str | None = None


@dataclass
class Block:
    """One fiche of the export, as read, with what could not be matched."""

    line: int
    title: str
    date: str
    paragraphs: list[str] = field(default_factory=list)
    resources: list[Link] = field(default_factory=list)
    sources: list[Link] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (heading, label)
    has_categories: bool = False
    has_title_line: bool = True  # read from a legacy export (not a spreadsheet row)
    description: str = ""  # the summary when the source gives one
    organisation: str = ""  # the organisation when the source gives one
    # Other declared fields the source gives (« lieux », « partenaires »…), by key.
    fields: dict[str, object] = field(default_factory=dict)

    @property
    def origin(self) -> str:
        """Where the fiche came from, for the comment at its top."""
        return "de l'ancien site" if self.has_title_line else "d'un tableur"

    @property
    def body(self) -> str:
        """The body as Markdown: paragraphs, then the acronyms as abbreviations."""
        parts = list(self.paragraphs)
        if self.acronyms:
            parts.append("\n".join(f"*[{k}]: {v}" for k, v in self.acronyms.items()))
        return "\n\n".join(parts) + "\n"

    @property
    def summary(self) -> str:
        """The summary given, or the first paragraph cut at a sentence within its length."""
        if self.description:
            return self.description
        first = next((p for p in self.paragraphs if not p.startswith(("-", "#"))), self.title)
        first = " ".join(first.split())
        if len(first) <= SUMMARY_CHARS:
            return first
        cut = first[: min(SUMMARY_CHARS, FIELD_MAX_CHARS.get("description", SUMMARY_CHARS))]
        end = max(cut.rfind(". "), cut.rfind(" ; "))
        return (cut[: end + 1] if end > 80 else cut.rsplit(" ", 1)[0] + " …").strip()


def split_blocks(text: str) -> list[tuple[int, list[str]]]:
    """The blocks of an export: each a title line, with its line number, and what follows."""
    blocks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if TITLE.match(line):
            if blocks and _is_repeat(blocks[-1][1], line):
                continue
            blocks.append((number, [line]))
        elif blocks:
            blocks[-1][1].append(line)
    return blocks


def _is_repeat(lines: list[str], line: str) -> bool:
    """A title line repeated right after the first one (blank lines aside)."""
    return all(not other.strip() for other in lines[1:]) and fold(lines[0]) == fold(line)


def read_block(number: int, lines: list[str], taxonomy: Taxonomy) -> Block:
    """One block read into its parts; the categories matched against ``taxonomy``."""
    match = TITLE.match(lines[0])
    assert match is not None
    start, end, title = match.groups()
    block = Block(number, title, f"{start}–{end}" if end and end != start else start)
    section = "corps"
    paragraph: list[str] = []
    facet: Facet | None = None
    heading = ""

    def flush() -> None:
        if paragraph:
            block.paragraphs.append("\n".join(paragraph))
            paragraph.clear()

    for line in lines[1:]:
        stripped = line.strip()
        key = fold(stripped.rstrip(":").strip())
        if not stripped:
            if section == "corps":
                flush()
            continue
        if key in IGNORED or fold(stripped.lstrip("•◦ ")) in IGNORED:
            continue
        if stripped.endswith(":") and key in SECTIONS:
            flush()
            section = SECTIONS[key]
            block.has_categories |= section == "categories"
            continue
        if section == "corps":
            bullet = BULLET.match(line)
            if bullet:
                if paragraph and not paragraph[-1].lstrip().startswith("- "):
                    flush()
                depth = "  " if len(bullet.group(1)) > 3 else ""
                paragraph.append(f"{depth}- {bullet.group(2).strip()}")
            else:
                if paragraph and paragraph[-1].lstrip().startswith("- "):
                    flush()
                paragraph.append(stripped)
        elif section in ("ressources", "sources"):
            link = link_of(BULLET.sub(r"\2", line).strip())
            (block.resources if section == "ressources" else block.sources).append(link)
        elif section == "sigles":
            entry = ACRONYM.match(BULLET.sub(r"\2", line).strip())
            if entry:
                block.acronyms[entry.group(1).strip()] = entry.group(2).strip()
            else:
                block.paragraphs.append(stripped)  # kept where a reader sees it
        elif section == "categories":
            if stripped[0] in (TICKED, UNTICKED):
                label = stripped[1:].strip()
                if stripped[0] == TICKED:
                    tick(block, facet, heading, label)
            elif stripped.endswith(":"):
                found = _facet(taxonomy, key)
                if found is not None:
                    facet, heading = found, stripped.rstrip(": ")
                elif facet is None or not _is_group(facet, key):
                    facet, heading = None, stripped.rstrip(": ")
    flush()
    return block


def link_of(text: str) -> Link:
    url = URL.search(text)
    if url is None:
        return Link(text)
    title = (text[: url.start()] + text[url.end() :]).strip(" :–-()[]")
    return Link(title or url.group(0), url.group(0).rstrip(").,;"))


def _facet(taxonomy: Taxonomy, key: str) -> Facet | None:
    return next((f for f in taxonomy.facets if key in (fold(f.label), fold(f.key))), None)


def _is_group(facet: Facet, key: str) -> bool:
    return any(key in (fold(g.label), fold(g.slug)) for g in facet.groups)


def tick(block: Block, facet: Facet | None, heading: str, label: str) -> None:
    """A ticked option: its term, matched by label, alias or slug, or reported."""
    if facet is not None:
        slug = {fold(s): slug for s, slug in facet.spellings().items()}.get(fold(label))
        if slug is not None:
            chosen = block.terms.setdefault(facet.key, [])
            if slug not in chosen:
                chosen.append(slug)
            return
    block.unmatched.append((heading or "?", label))


def read_export(text: str, taxonomy: Taxonomy) -> list[Block]:
    """Every block of an export, in order."""
    return [read_block(number, lines, taxonomy) for number, lines in split_blocks(text)]


def new_acronyms(blocks: list[Block], glossary: Glossary) -> dict[str, str]:
    """The acronyms the blocks explain and the glossary lacks, to propose for it."""
    known = {entry.term for entry in glossary.entries}
    found: dict[str, str] = {}
    for block in blocks:
        for term, meaning in block.acronyms.items():
            if term not in known:
                found.setdefault(term, meaning)
    return found


def fiche_text(block: Block, organisation: str, taxonomy: Taxonomy) -> tuple[str, bool]:
    """The fiche of a block, and whether it is a draft (no categories, or a required one
    left empty): a draft passes check with warnings, never with errors."""
    from .newfiche import scalar  # the same YAML writing as for a new fiche

    empty = [f for f in taxonomy.facets if f.required and not block.terms.get(f.key)]
    draft = not block.has_categories or bool(empty)
    resources = [{"titre": r.title, "url": r.url} for r in block.resources if r.url]
    sources = [{"titre": s.title, **({"url": s.url} if s.url else {})} for s in block.sources]
    # A resource without an address cannot be downloaded: it stays, as a source.
    sources += [{"titre": r.title} for r in block.resources if not r.url]
    lines = [
        "---",
        f"# Importée {block.origin} (ligne {block.line}).",
        f"title: {scalar(block.title)}",
        f"description: {scalar(block.summary)}",
        f"date: {scalar(int(block.date) if block.date.isdigit() else block.date)}",
        f"organisation: {scalar(block.organisation or organisation)}",
        "statut: brouillon" if draft else "statut: publié",
    ]
    lines += [f"{key}: {scalar(value)}" for key, value in block.fields.items()]
    for key, items in (("ressources", resources), ("sources", sources)):
        if items:
            lines.append(f"{key}:")
            for item in items:
                pairs = list(item.items())
                lines.append(f"  - {pairs[0][0]}: {scalar(pairs[0][1])}")
                lines += [f"    {k}: {scalar(v)}" for k, v in pairs[1:]]
    for facet in taxonomy.facets:
        chosen = block.terms.get(facet.key, [])
        if chosen:
            value = chosen if facet.multiple else chosen[0]
            lines.append(f"{facet.key}: {scalar(value)}")
    lines += [
        f"# Catégorie non reconnue ({heading}) : « {label} » ; ajoutez-la à taxonomy.yml "
        "(ou en alias d'un terme) et cochez-la ici."
        for heading, label in block.unmatched
    ]
    return "\n".join(lines) + "\n---\n\n" + block.body, draft


@dataclass
class ImportReport:
    """What an import read and did: every block is one of written, present or (dry) planned."""

    blocks: list[Block] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    drafts: list[str] = field(default_factory=list)
    acronyms: dict[str, str] = field(default_factory=dict)


def import_blocks(
    project: Project,
    blocks: list[Block],
    organisation: str,
    *,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Write a fiche for every block (of an export or a spreadsheet); never replace a file."""
    from .newfiche import fiche_name
    from .scaffold import vocabulary

    taxonomy, glossary = vocabulary(project)
    report = ImportReport(blocks)
    report.acronyms = new_acronyms(report.blocks, glossary)
    names: set[str] = set()
    for block in report.blocks:
        name = fiche_name(block.title, block.date, today or dt.date.today())
        stem, number = name.removesuffix(".md"), 2
        while name in names:  # two blocks of one title and year
            name, number = f"{stem}-{number}.md", number + 1
        names.add(name)
        relative = f"{project.relative(project.fiches_dir)}/{name}"
        content, draft = fiche_text(block, organisation, taxonomy)
        if draft:
            report.drafts.append(relative)
        path = project.fiches_dir / name
        if path.exists() or path.is_symlink():
            report.present.append(relative)
        elif dry_run or write_new_text(path, content):
            report.written.append(relative)
        else:
            report.present.append(relative)
    return report
