"""Relative links of fiche bodies, resolved against every page and file the site will hold.

A link is read the way MkDocs reads it: a path to a source file (``autre.md``,
``../ressources/plan.pdf``) is taken from the fiche's source folder, ``docs/fiches/``; a
directory address (``../glossaire/``) is taken from the page's URL, ``fiches/<slug>/``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from .bodycheck import BodyLink
from .problems import Problem, Severity
from .routes import FICHE_SECTION_ANCHORS, FICHES_DIR, GLOSSARY, fiche_page
from .text import suggest


@dataclass
class Targets:
    """What a link may reach: pages (docs-relative ``.md`` paths), files, and anchors."""

    pages: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    anchors: dict[str, set[str]] = field(default_factory=dict)
    fiches: dict[str, str] = field(default_factory=dict)  # fiche page → its slug

    def add_fiche(self, slug: str, anchors: Iterable[str]) -> None:
        """A fiche page and the anchors of its headings."""
        page = fiche_page(slug)
        self.pages.add(page)
        self.anchors[page] = {*anchors, *FICHE_SECTION_ANCHORS}
        self.fiches[page] = slug

    def add_glossary(self, ids: Iterable[str]) -> None:
        """The glossary page, whose anchors are the meanings' ids."""
        self.pages.add(GLOSSARY)
        self.anchors[GLOSSARY] = set(ids)

    def resolve(self, slug: str, target: str) -> tuple[str | None, str]:
        """The page or file a link of fiche ``slug`` reaches (None if nothing), and its anchor."""
        path, _, anchor = target.partition("#")
        path = unquote(path.partition("?")[0])
        if not path:
            return fiche_page(slug), anchor
        if path.startswith("/"):
            return self._at(posixpath.normpath(path.lstrip("/")) or "."), anchor
        source = posixpath.normpath(posixpath.join(FICHES_DIR, path))
        if source in self.pages or source in self.files:
            return source, anchor
        return self._at(posixpath.normpath(posixpath.join(FICHES_DIR, slug, path))), anchor

    def serves(self, url: str) -> bool:
        """Whether a page or a file of the site is served at a site-relative URL."""
        stem = url.rstrip("/")
        return self._at(url) is not None or f"{stem}/index.html" in self.files

    def _at(self, url: str) -> str | None:
        """The page or file served at a site-relative URL."""
        stem = "" if url == "." else url.rstrip("/")
        for candidate in (stem, f"{stem}.md", f"{stem}/index.md".lstrip("/")):
            if candidate in self.pages or candidate in self.files:
                return candidate
        return None


def fiches_reached(slug: str, links: Iterable[BodyLink], targets: Targets) -> dict[str, str]:
    """The links of fiche ``slug``'s body that reach another fiche: link target → its slug.

    The renderer turns those whose fiche is not published (a draft, a fiche left out by
    ``--skip-invalid``) into plain text.
    """
    reached = {}
    for link in links:
        page, _anchor = targets.resolve(slug, link.target)
        other = targets.fiches.get(page) if page is not None else None
        if other is not None and other != slug:
            reached[link.target] = other
    return reached


def check_links(file: str, slug: str, links: Iterable[BodyLink], targets: Targets) -> list[Problem]:
    """A warning for each link of a body that reaches no page, file or anchor of the site."""
    problems = []
    for link in links:
        reached, anchor = targets.resolve(slug, link.target)
        if reached is None:
            guess = suggest(posixpath.basename(link.target.split("#")[0]).removesuffix(".md"), {
                page.removeprefix(f"{FICHES_DIR}/").removesuffix(".md"): page
                for page in targets.pages
            })  # fmt: skip
            problems.append(Problem(
                file, link.mark.line, link.mark.column, "lien-casse", Severity.WARNING, "corps",
                f"Le lien « {link.target} » ne mène à aucune page ni à aucun fichier du site.",
                f"Vouliez-vous dire « {posixpath.relpath(guess, FICHES_DIR)} » ?" if guess
                else "Une autre fiche s'écrit « autre-fiche.md », un document "
                "« ../ressources/document.pdf ».",
            ))  # fmt: skip
        elif anchor and reached in targets.anchors and anchor not in targets.anchors[reached]:
            problems.append(Problem(
                file, link.mark.line, link.mark.column, "lien-casse", Severity.WARNING, "corps",
                f"Le lien « {link.target} » vise l'ancre « #{anchor} », qui n'existe pas dans "
                "cette page.",
                "Les ancres sont les titres de la page en minuscules, sans accents, avec des "
                "tirets : « ## Le contexte » donne « #le-contexte ».",
            ))  # fmt: skip
    return problems
