"""``fichotheque new``: a fiche to fill in, with every field of the declaration in it.

The fields come from ``schema.FIELDS`` and the categories from taxonomy.yml: what is
given (title, date, organisation, terms) is written as a value, a required field left
empty waits to be filled (``check`` says so), an optional one is there as a comment
that shows its form. Each category lists its terms in comments above its line.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML

from .dates import DateError, parse_period
from .fiches import STATUS_DRAFT, STATUS_PUBLISHED
from .files import write_new_text, write_text
from .project import Project
from .schema import FIELDS
from .taxonomy import Facet, Taxonomy
from .text import fold, slugify

SLUG_LENGTH = 60  # words kept whole: the file name stays readable in a listing
BODY = """
## Ce qui a été fait

## Avec qui

## Ce qui en est ressorti
"""


class NewFicheError(Exception):
    """The fiche cannot be written as asked; the message is French."""


@dataclass
class Answers:
    """What the person gave for the new fiche."""

    title: str
    date: str = ""
    organisation: str = ""
    terms: dict[str, list[str]] = field(default_factory=dict)


def fiche_name(title: str, date: str, today: dt.date) -> str:
    """« 2024-atelier-d-ecriture.md »: the year first, so that files sort by date."""
    year = date[:4] if date[:4].isdigit() else str(today.year)
    slug = slugify(title, max_length=SLUG_LENGTH)
    if not slug:
        raise NewFicheError(
            f"le titre « {title} » ne contient ni lettre ni chiffre : la fiche n'aurait pas "
            "de nom de fichier."
        )
    return f"{year}-{slug}.md"


def check_date(date: str) -> None:
    """A date the fiche could hold, or a French explanation."""
    try:
        parse_period(date)
    except DateError as error:
        raise NewFicheError(f"la date « {date} » ne peut pas être lue : {error}.") from None


def resolve_terms(facet: Facet, written: list[str]) -> list[str]:
    """The slugs meant by what was written (slug, label or alias), or an explanation."""
    spellings = {fold(spelling): slug for spelling, slug in facet.spellings().items()}
    found = []
    for text in written:
        slug = spellings.get(fold(text))
        if slug is None:
            choices = ", ".join(term.slug for term in facet.terms)
            raise NewFicheError(
                f"« {text.strip()} » n'est pas un terme de « {facet.key} » ; termes possibles : "
                f"{choices}."
            )
        found.append(slug)
    if len(found) > 1 and not facet.multiple:
        raise NewFicheError(f"« {facet.key} » ne prend qu'un seul terme.")
    return found


def scalar(value: object) -> str:
    """A value as one line of YAML, quoted only where YAML needs it; lists in brackets."""
    if isinstance(value, list):
        return "[" + ", ".join(scalar(item) for item in value) + "]"
    yaml = YAML()
    yaml.width = 10_000
    out = io.StringIO()
    yaml.dump({"k": value}, out)
    return out.getvalue().removeprefix("k:").strip()


def _commented(text: str) -> list[str]:
    return [f"# {line}" for line in text.splitlines()]


def _facet_lines(facet: Facet, chosen: list[str]) -> list[str]:
    how = "plusieurs termes possibles" if facet.multiple else "un seul terme"
    need = "obligatoire" if facet.required else "facultatif"
    lines = [f"# {facet.label} ({need}, {how}) :"]
    for group in facet.groups or (None,):
        indent = "#   "
        if group is not None:
            lines.append(f"#   {group.label} :")
            indent = "#     "
        lines += [f"{indent}{t.slug} — {t.label}" for t in facet.terms_of_group(group)]
    value: object = chosen if facet.multiple else (chosen[0] if chosen else "")
    line = f"{facet.key}: {scalar(value)}"
    lines.append(line if chosen or facet.required else f"# {line}")
    return lines


def new_fiche_text(answers: Answers, taxonomy: Taxonomy, today: dt.date) -> str:
    """The text of a new fiche: every declared field, then every category, then a body."""
    given: dict[str, object] = {
        "title": answers.title,
        "date": answers.date,
        "organisation": answers.organisation,
        "statut": STATUS_DRAFT,
        "verifie_le": today,
    }
    lines = [
        "---",
        "# Une nouvelle fiche : remplissez les champs, puis lancez « fichotheque check ».",
        "# Un champ précédé de « # » est facultatif : retirez le « # » pour le remplir.",
    ]
    for spec in FIELDS:
        value = given.get(spec.key)
        if value:
            if isinstance(value, str) and value.isdigit():
                value = int(value)  # « date: 2024 », as staff write it
            line = f"{spec.key}: {scalar(value)}"
            if spec.key == "statut":
                line += f"  # « {STATUS_PUBLISHED} » quand la fiche est prête"
            lines.append(line)
        elif spec.required:
            lines += _commented(textwrap.fill(f"{spec.label} : {spec.help}", 86))
            lines.append(f'{spec.key}: ""')
        else:
            lines += _commented(spec.example)
    lines.append("# Catégories (taxonomy.yml) : écrivez les identifiants, pas les libellés.")
    for facet in taxonomy.facets:
        lines += _facet_lines(facet, answers.terms.get(facet.key, []))
    return "\n".join(lines) + "\n---\n" + BODY


def write_new_fiche(
    project: Project,
    answers: Answers,
    taxonomy: Taxonomy,
    *,
    force: bool = False,
    today: dt.date | None = None,
) -> Path:
    """Write the new fiche in fiches/; an existing file is replaced only with ``force``."""
    today = today or dt.date.today()
    path = project.fiches_dir / fiche_name(answers.title, answers.date, today)
    text = new_fiche_text(answers, taxonomy, today)
    if force:
        write_text(path, text)
    elif not write_new_text(path, text):
        raise NewFicheError(
            f"{project.relative(path)} existe déjà ; il n'a pas été modifié. Choisissez un "
            "autre titre, ou relancez avec --force pour le remplacer."
        )
    return path
