"""Where the files of a knowledge base live, relative to its root."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Relative to the root, with forward slashes: the paths authors write in fiches.
DOCS_DIR = "docs"
RESOURCES_DIR = f"{DOCS_DIR}/ressources"
FICHES_DIR = "fiches"


@dataclass(frozen=True)
class Project:
    """The layout of one knowledge base. Every path derives from ``root``."""

    root: Path

    @property
    def fiches_dir(self) -> Path:
        """One Markdown file per fiche."""
        return self.root / FICHES_DIR

    @property
    def docs_dir(self) -> Path:
        """Hand-written pages (home, guide) and files to publish as they are."""
        return self.root / DOCS_DIR

    @property
    def resources_dir(self) -> Path:
        """The documents a fiche offers to download (« fichier: »): the only ones it may name."""
        return self.root / RESOURCES_DIR

    @property
    def taxonomy_path(self) -> Path:
        """The facets and their terms."""
        return self.root / "taxonomy.yml"

    @property
    def glossary_path(self) -> Path:
        """Acronyms and jargon."""
        return self.root / "glossary.yml"

    @property
    def mkdocs_path(self) -> Path:
        """The site's settings for MkDocs and Material (or Zensical)."""
        return self.root / "mkdocs.yml"

    @property
    def site_dir(self) -> Path:
        """Where the published site is written."""
        return self.root / "site"

    def relative(self, path: Path) -> str:
        """``path`` relative to the root, with forward slashes, for messages."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()
