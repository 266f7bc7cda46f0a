"""Fiche files: finding them, reading them, splitting front matter from body."""

from __future__ import annotations

import datetime as dt
import os
import stat
import unicodedata
from collections import defaultdict
from collections.abc import Mapping as ReadOnly
from dataclasses import dataclass, field
from pathlib import Path

from .dates import Period
from .files import not_a_file, read_text, unreadable_file, unreadable_folder
from .limits import MAX_FICHE_BYTES
from .problems import Problem, Severity
from .text import slugify
from .yamlnodes import Mapping, Mark, parse_yaml

STATUS_PUBLISHED = "publié"
STATUS_DRAFT = "brouillon"
STATUSES = (STATUS_PUBLISHED, STATUS_DRAFT)
RESOURCE_KEYS = ("titre", "fichier", "url", "description")
SOURCE_KEYS = ("titre", "url", "date")

FENCE = "---"
# Names that look like a fiche; only the first is read, the others are reported.
FICHE_SUFFIXES = (".md", ".markdown")


@dataclass(frozen=True)
class Resource:
    """A document to download: a file of the repository or a web address."""

    title: str
    file: str | None = None
    url: str | None = None
    description: str = ""


@dataclass(frozen=True)
class Source:
    """Where the information of a fiche comes from."""

    title: str
    url: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Fiche:
    """One activity sheet, validated and typed."""

    file: str
    slug: str
    title: str
    description: str
    period: Period
    organisation: str
    body: str
    number: int | None = None
    status: str = "publié"
    resources: tuple[Resource, ...] = ()
    sources: tuple[Source, ...] = ()
    related: tuple[str, ...] = ()
    reviewed: dt.date | None = None
    acronyms: tuple[tuple[str, str], ...] = ()
    # The ids of the glossary meanings its text uses (Glossary.used_in), found by the check.
    meanings: tuple[str, ...] = ()
    terms: tuple[tuple[str, tuple[str, ...]], ...] = ()
    old_addresses: tuple[str, ...] = ()  # old slugs, each served as a redirect to this fiche
    # Every field of the front matter as its kind read it (see schema.FIELDS): what the
    # page, the exports and the reference show without naming the field.
    values: ReadOnly[str, object] = field(default_factory=dict, hash=False, compare=False)

    @property
    def is_draft(self) -> bool:
        """Drafts are checked but never published."""
        return self.status == STATUS_DRAFT

    def value(self, key: str) -> object:
        """What the fiche gives for front-matter field ``key`` (read by its kind), or None."""
        return self.values.get(key)

    def terms_of(self, facet_key: str) -> tuple[str, ...]:
        """The slugs this fiche carries in one facet."""
        return dict(self.terms).get(facet_key, ())


@dataclass
class RawFiche:
    """A fiche file as read: its front matter as nodes, its body as text."""

    path: Path
    file: str
    slug: str
    front: Mapping | None = None
    body: str = ""
    body_mark: Mark = field(default_factory=lambda: Mark(1, 1))
    readable: bool = True


def split_front_matter(text: str) -> tuple[str, str, int]:
    """A page's front matter block (fences included, or ""), its body, the body's first line."""
    lines = text.split("\n")
    if lines and lines[0].rstrip() == FENCE:
        closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() == FENCE), None)
        if closing is not None:
            front = "\n".join(lines[: closing + 1]) + "\n"
            return front, "\n".join(lines[closing + 1 :]), closing + 2
    return "", text, 1


def find_fiche_files(fiches_dir: Path, root: Path) -> tuple[list[Path], list[Problem]]:
    """Every Markdown file below ``fiches_dir``, in a stable order, and what was left out.

    Symbolic links are never followed: one could publish a file from outside the
    repository. A hidden fiche (« .x.md ») is named, as it is not published; a folder
    or a pipe named like a fiche, and a folder that cannot be listed, are errors.
    Other hidden files and folders (.git, .DS_Store…) are skipped silently.
    """
    if not fiches_dir.is_dir():
        return [], []
    paths: list[Path] = []
    problems: list[Problem] = []

    def unlisted(error: OSError) -> None:
        folder = Path(error.filename or fiches_dir)
        problems.append(unreadable_folder(folder.relative_to(root).as_posix(), error))

    for folder, dirs, names in os.walk(fiches_dir, onerror=unlisted):
        base = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in [*dirs, *sorted(names)]:
            path = base / name
            file = path.relative_to(root).as_posix()
            if path.is_symlink():
                problems.append(Problem(
                    file, 0, 0, "lien-symbolique", Severity.ERROR, "",
                    f"« {file} » est un lien symbolique : Fichothèque ne le suit pas, car il "
                    "pourrait publier un fichier extérieur au dépôt.",
                    "Remplacez le lien par le fichier (ou le dossier) lui-même.",
                ))  # fmt: skip
            elif name.lower().endswith(FICHE_SUFFIXES):
                problem = _fiche_candidate(path, file, is_dir=name in dirs)
                if problem is None:
                    paths.append(path)
                else:
                    problems.append(problem)
        dirs[:] = [d for d in dirs if not (base / d).is_symlink()]
    return sorted(paths), problems


def _fiche_candidate(path: Path, file: str, *, is_dir: bool) -> Problem | None:
    """None if ``path``, named like a Markdown file, is a fiche to read; else why not."""
    if path.name.startswith("."):
        return Problem(
            file, 0, 0, "fichier-cache", Severity.WARNING, "",
            f"« {file} » est un fichier caché (son nom commence par un point) : il n'est ni "
            "vérifié ni publié.",
            f"Renommez-le en « {path.name.lstrip('.')} » pour le publier, ou supprimez-le.",
        )  # fmt: skip
    try:
        mode = path.lstat().st_mode  # a stat, not an opening: a pipe would block a reader
    except OSError as error:
        return unreadable_file(file, error)
    if is_dir or not stat.S_ISREG(mode):
        return not_a_file(file, mode)
    if not path.name.endswith(".md"):
        return Problem(
            file, 0, 0, "extension-inattendue", Severity.WARNING, "",
            f"« {file} » est ignoré : une fiche porte l'extension « .md » en minuscules.",
            f"Renommez-le en « {path.stem}.md ».",
        )  # fmt: skip
    return None


def read_fiche(path: Path, file: str) -> tuple[RawFiche, list[Problem]]:
    """Read one fiche file and split its front matter; never raises for a user's mistake."""
    raw = RawFiche(path, file, slugify(path.stem))
    text, problems = read_text(path, file, max_bytes=MAX_FICHE_BYTES)
    if text is None:
        raw.readable = False
        return raw, problems
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        raw.readable = False
        return raw, [
            Problem(
                file,
                1,
                1,
                "front-matter-absent",
                Severity.ERROR,
                "",
                "La fiche ne commence pas par « --- » : son en-tête YAML (front matter) "
                f"est absent ; la première ligne est « {lines[0][:60]} ».",
                "Mettez « --- » sur la première ligne, puis les champs (title, description…), "
                "puis une ligne « --- » avant le texte.",
            )
        ]
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "...")), None)
    if closing is None:
        raw.readable = False
        return raw, [
            Problem(
                file,
                1,
                1,
                "front-matter-non-ferme",
                Severity.ERROR,
                "",
                "L'en-tête YAML ouvert par « --- » à la ligne 1 n'est jamais refermé.",
                "Ajoutez une ligne « --- » entre le dernier champ et le texte de la fiche.",
            )
        ]
    front, problems = parse_yaml("\n".join(lines[1:closing]), file, line_offset=1)
    if front is not None and not isinstance(front, Mapping):
        problems.append(
            Problem(
                file,
                front.mark.line,
                front.mark.column,
                "type-invalide",
                Severity.ERROR,
                "",
                "L'en-tête YAML doit être une suite de champs « clé: valeur ».",
                "Écrivez un champ par ligne, par exemple « title: Mon titre ».",
            )
        )
        front = None
    raw.front = front if isinstance(front, Mapping) else Mapping([], Mark(2, 1))
    raw.readable = not problems or front is not None
    raw.body = "\n".join(lines[closing + 1 :])
    raw.body_mark = Mark(closing + 2, 1)
    return raw, problems


def colliding_names(files: list[str]) -> list[list[str]]:
    """Groups of two or more files whose paths differ only in case or normalisation."""
    groups: dict[str, list[str]] = defaultdict(list)
    for file in files:
        groups[unicodedata.normalize("NFC", file).casefold()].append(file)
    return [group for group in groups.values() if len(group) > 1]


def name_collisions(files: list[str]) -> list[Problem]:
    """Files whose paths differ only in case or Unicode normalisation.

    They are distinct on Linux but collide on macOS and Windows, in git checkouts
    and in the site's URLs.
    """
    problems = []
    for group in colliding_names(files):
        for file in group[1:]:
            problems.append(
                Problem(
                    file,
                    0,
                    0,
                    "nom-fichier-collision",
                    Severity.ERROR,
                    "",
                    f"Le nom « {file} » ne diffère de « {group[0]} » que par les majuscules "
                    "ou l'encodage des accents : sous Windows et macOS ce serait le même fichier.",
                    "Renommez ou fusionnez l'un des deux fichiers.",
                )
            )
    return problems
