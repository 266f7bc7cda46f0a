"""``fichotheque init``: a new knowledge base that checks and builds at once.

The starter files ship in the package (``starter/``). What depends on the new base is
filled in: its names, its address, and the parts of the writing guide and of the example
fiche that follow its taxonomy. The JSON Schemas of taxonomy.yml, glossary.yml and the
fiches' front matter come along, with what lets VS Code check them while typing (.vscode/,
.remarkrc.yml, package.json). Nothing already in the folder is replaced.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from .files import write_new_text
from .glossary import Glossary, load_glossary
from .jsonschemas import DEFAULT_DIR, SCHEMA_FILES, schema_text, schemas
from .project import Project
from .taxonomy import Facet, Taxonomy, load_taxonomy

STARTER_DIR = Path(__file__).parent / "starter"
DEFAULT_SITE_NAME = "Fiches d'activités"
DEFAULT_ORGANISATION = "Notre organisation"
EXAMPLE_FICHE = "fiches/exemple.md"
# Starter file → its place in the new base. A dot file does not travel as package data.
RENAMED = {
    "gitignore": ".gitignore",
    "pre-commit-config.yaml": ".pre-commit-config.yaml",
    "remarkrc.yml": ".remarkrc.yml",
    "vscode/settings.json": ".vscode/settings.json",
    "vscode/extensions.json": ".vscode/extensions.json",
}


class InitError(Exception):
    """The base cannot be created there; the message is French."""


@dataclass(frozen=True)
class Identity:
    """Who publishes the base: shown on every page and in the exports."""

    site_name: str = DEFAULT_SITE_NAME
    organisation: str = DEFAULT_ORGANISATION
    site_url: str = ""


@dataclass
class InitReport:
    """What ``init`` wrote, and what it found already there and kept."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def init_base(
    folder: Path, identity: Identity, *, force: bool = False, today: dt.date | None = None
) -> InitReport:
    """Create a new knowledge base in ``folder``; existing files are always kept."""
    today = today or dt.date.today()
    if folder.exists() and not folder.is_dir():
        raise InitError(f"« {folder} » est un fichier ; indiquez un dossier.")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise InitError(
            f"le dossier « {folder} » n'est pas vide ; rien n'a été écrit. Choisissez un "
            "dossier vide ou nouveau, ou relancez avec --force pour ajouter les fichiers qui "
            "manquent (les fichiers déjà là sont gardés tels quels)."
        )
    project = Project(folder)
    report = InitReport()
    example = f"fiches/{today.year}-exemple-de-fiche.md"
    values = _values(identity, today)
    # The taxonomy comes first: the guide and the example fiche follow the one in place.
    starters = sorted(p for p in STARTER_DIR.rglob("*") if p.is_file())
    starters.sort(key=lambda p: p.name != "taxonomy.yml")
    for source in starters:
        relative = source.relative_to(STARTER_DIR).as_posix()
        relative = example if relative == EXAMPLE_FICHE else RENAMED.get(relative, relative)
        if relative != "taxonomy.yml" and "facets_md" not in values:
            values.update(_taxonomy_values(project, example))
        text = Template(source.read_text(encoding="utf-8")).substitute(values)
        _write_new(folder, relative, text, report)
    # Editors check taxonomy.yml and glossary.yml against these (see their first line).
    for name, schema in schemas(*vocabulary(project)).items():
        _write_new(folder, f"{DEFAULT_DIR}/{SCHEMA_FILES[name]}", schema_text(schema), report)
    return report


def vocabulary(project: Project) -> tuple[Taxonomy, Glossary]:
    """The taxonomy and glossary of a base, as far as they can be read (problems aside)."""
    taxonomy, _problems = load_taxonomy(project.taxonomy_path, "taxonomy.yml")
    glossary, _problems = load_glossary(project.glossary_path, "glossary.yml")
    return taxonomy, glossary


def _write_new(folder: Path, relative: str, text: str, report: InitReport) -> None:
    target = folder / relative
    if target.exists() or target.is_symlink() or not write_new_text(target, text):
        report.kept.append(relative)
    else:
        report.written.append(relative)


def _values(identity: Identity, today: dt.date) -> dict[str, str]:
    """The texts a starter file takes, quoted for where it goes (YAML or Markdown)."""
    description = f"Fiches d'activités publiées par {identity.organisation}."
    site_url = (
        f"site_url: {_yaml(identity.site_url)}"
        if identity.site_url
        else "# L'adresse publique du site : le flux et les données ouvertes en ont besoin.\n"
        "# site_url: https://fiches.exemple.org/"
    )
    return {
        "site_name_yaml": _yaml(identity.site_name),
        "site_name_md": html.escape(identity.site_name),
        "site_name_comment": identity.site_name.replace("\n", " "),
        "organisation_yaml": _yaml(identity.organisation),
        "organisation_md": html.escape(identity.organisation),
        "description_yaml": _yaml(description),
        "copyright_yaml": _yaml(f"© {identity.organisation} · textes sous licence CC BY 4.0"),
        "site_url_line": site_url,
        "year": str(today.year),
        "today": today.isoformat(),
    }


def _yaml(text: str) -> str:
    """A YAML scalar that reads back as ``text`` exactly (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _taxonomy_values(project: Project, example: str) -> dict[str, str]:
    """What the guide and the example fiche say of the taxonomy now in the new base."""
    taxonomy, _problems = load_taxonomy(project.taxonomy_path, "taxonomy.yml")
    if not taxonomy.facets:
        taxonomy, _problems = load_taxonomy(STARTER_DIR / "taxonomy.yml", "taxonomy.yml")
    return {
        "facets_md": facets_markdown(taxonomy),
        "facet_lines": "\n".join(_facet_line(facet) for facet in taxonomy.facets),
        "example_file": example.removeprefix("fiches/"),
    }


def facets_markdown(taxonomy: Taxonomy) -> str:
    """The categories of a base, for its writing guide: keys, rules and terms."""
    parts = []
    for facet in taxonomy.facets:
        rules = "plusieurs termes possibles" if facet.multiple else "un seul terme"
        rules += ", obligatoire" if facet.required else ", facultatif"
        lines = [f"### {facet.label} (`{facet.key}`)", "", f"{facet.description} ({rules}.)", ""]
        for group in facet.groups or (None,):
            if group is not None:
                lines += [f"*{group.label}* :", ""]
            lines += [f"- `{term.slug}` : {term.label}" for term in facet.terms_of_group(group)]
            lines.append("")
        parts.append("\n".join(lines).rstrip())
    return "\n\n".join(parts)


def _facet_line(facet: Facet) -> str:
    slugs = [term.slug for term in facet.terms[:2]]
    if not facet.multiple:
        return f"{facet.key}: {slugs[0]}"
    return f"{facet.key}: [{', '.join(slugs)}]"
