"""``fichotheque new``: a fiche to fill in, from the declaration and the taxonomy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from fichotheque.check import check_project
from fichotheque.jsonschemas import fiche_schema
from fichotheque.project import Project
from fichotheque.scaffold import vocabulary
from fichotheque.schema import FIELDS
from fichotheque.text import fold, slugify
from test_declarations import front

EXECUTABLE = Path(sys.executable).parent / "fichotheque"


def run(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXECUTABLE), "new", *args, "--root", str(project.root)],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip


def required_terms(project: Project) -> list[str]:
    """One ``--terme`` option per required facet, with its first term."""
    taxonomy, _glossary = vocabulary(project)
    return [
        f"--terme={facet.key}={facet.terms[0].slug}" for facet in taxonomy.facets if facet.required
    ]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Cœur", "coeur"),
        ("Ærø", "aero"),
        ("L'été à Genève", "l-ete-a-geneve"),
        ("Straße", "strasse"),
    ],
)
def test_one_slug_function_folds_accents_and_ligatures(text: str, slug: str) -> None:
    """« Cœur » gives coeur and « Ærø » aero, in file names and in term matching alike."""
    assert slugify(text) == slug
    assert fold(text) == slug.replace("-", " ")


def test_new_writes_every_field_and_every_term(example: Project) -> None:
    """The new fiche holds each declared field and lists each facet's terms in comments."""
    made = run(example, "Cœur de quartier : Ærø", "--date", "2021", "--organisation", "Amicale")
    assert made.returncode == 0, made.stderr
    path = example.fiches_dir / "2021-coeur-de-quartier-aero.md"
    assert f"fiches/{path.name}" in made.stdout
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for spec in FIELDS:
        assert any(line.lstrip("# ").startswith(f"{spec.key}:") for line in lines), spec.key
    taxonomy, _glossary = vocabulary(example)
    for facet in taxonomy.facets:
        assert any(line.lstrip("# ").startswith(f"{facet.key}:") for line in lines), facet.key
        for term in facet.terms:
            assert f"{term.slug} — {term.label}" in text
    meta = front(path)
    assert meta["title"] == "Cœur de quartier : Ærø" and meta["date"] == 2021
    assert meta["organisation"] == "Amicale" and meta["statut"] == "brouillon"


def test_a_new_fiche_passes_check_and_its_schema_once_filled(example: Project) -> None:
    """Fill the summary the command left empty: check and the schema have nothing to say."""
    made = run(example, "Une soirée jeux", "--date", "2019-03", "--organisation", "Ludothèque",
               *required_terms(example))  # fmt: skip
    assert made.returncode == 0, made.stderr
    path = next(example.fiches_dir.glob("2019-une-soiree-jeux.md"))
    before = [p for p in check_project(example).problems if p.file == f"fiches/{path.name}"]
    assert [p.field for p in before] == ["description"]
    path.write_text(
        path.read_text("utf-8").replace('description: ""', "description: Des jeux pour tous."),
        "utf-8",
    )
    after = [p for p in check_project(example).problems if p.file == f"fiches/{path.name}"]
    assert [p.format_text() for p in after] == []
    validator = jsonschema.Draft7Validator(fiche_schema(*vocabulary(example)))
    assert [e.message for e in validator.iter_errors(front(path))] == []


def test_new_never_replaces_a_fiche_without_force(example: Project) -> None:
    """The same title twice: the second is refused and the file kept; --force replaces it."""
    assert run(example, "Atelier", "--date", "2020").returncode == 0
    path = example.fiches_dir / "2020-atelier.md"
    path.write_text("mon texte", encoding="utf-8")
    refused = run(example, "Atelier", "--date", "2020")
    assert refused.returncode == 1
    assert "existe déjà" in refused.stderr and "--force" in refused.stderr
    assert path.read_text(encoding="utf-8") == "mon texte"
    assert run(example, "Atelier", "--date", "2020", "--force").returncode == 0
    assert path.read_text(encoding="utf-8").startswith("---\n")


@pytest.mark.parametrize(
    ("option", "said"),
    [
        ("--terme=nulle_part=x", "n'est pas une catégorie"),
        ("--terme={facet}=pas-un-terme", "termes possibles"),
        ("--date=2024-13", "ne peut pas être lue"),
    ],
)
def test_a_wrong_option_is_explained_and_nothing_is_written(
    option: str, said: str, example: Project
) -> None:
    """An unknown category or term, or a bad date: a French message, exit 2, no file."""
    facet = vocabulary(example)[0].facets[0].key
    files = sorted(example.fiches_dir.iterdir())
    refused = run(example, "Atelier", option.format(facet=facet))
    assert refused.returncode == 2 and said in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert sorted(example.fiches_dir.iterdir()) == files


def test_a_term_may_be_given_by_its_label(example: Project) -> None:
    """--terme accepts a term's label or alias, and writes its slug."""
    taxonomy, _glossary = vocabulary(example)
    facet = next(f for f in taxonomy.facets if f.multiple)
    term = facet.terms[-1]
    made = run(
        example, "Par libellé", "--date", "2020", f"--terme={facet.key}={term.label.upper()}"
    )
    assert made.returncode == 0, made.stderr
    assert front(example.fiches_dir / "2020-par-libelle.md")[facet.key] == [term.slug]


def test_new_asks_on_a_terminal(example: Project) -> None:
    """At a terminal, the title, date, organisation and categories are asked, again after
    a mistake."""
    import pty

    taxonomy, _glossary = vocabulary(example)
    answers = ["Goûter partagé", "2023-13", "2023", "Voisins"]
    for facet in taxonomy.facets:
        answers += (["pas-un-terme"] if facet is taxonomy.facets[0] else []) + [
            facet.terms[0].slug if facet.required else ""
        ]
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(EXECUTABLE), "new", "--root", str(example.root)],
        stdin=follower, stdout=follower, stderr=follower,
    )  # fmt: skip
    os.close(follower)
    os.write(leader, ("\n".join(answers) + "\n").encode())
    output = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    assert process.wait(timeout=60) == 0, output.decode()
    said = output.decode()
    assert "ne peut pas être lue" in said and "termes possibles" in said
    meta = yaml.safe_load(
        (example.fiches_dir / "2023-gouter-partage.md").read_text("utf-8").split("---")[1]
    )
    assert meta["title"] == "Goûter partagé" and meta["organisation"] == "Voisins"
    for facet in taxonomy.facets:
        if facet.required:
            chosen = meta[facet.key]
            assert (chosen if facet.multiple else [chosen]) == [facet.terms[0].slug]
