"""One declaration drives everything: a field's kind reads it, describes it, shows it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import BASE, REPO
from fichotheque.check import check_project
from fichotheque.fiches import split_front_matter
from fichotheque.jsonschemas import fiche_schema
from fichotheque.project import Project
from fichotheque.scaffold import vocabulary


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server sees it: dates stay text, numbers are numbers."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def front(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return yaml.load(split_front_matter(text)[0].strip().strip("-"), Loader=_EditorLoader)


def schema_errors(project: Project, data: object) -> list[str]:
    validator = jsonschema.Draft7Validator(fiche_schema(*vocabulary(project)))
    return [error.message for error in validator.iter_errors(data)]


def test_every_fiche_of_the_base_passes_the_fiche_schema(example: Project) -> None:
    """The tests' base is valid for check; its schema accepts every one of its fiches."""
    assert not [p for p in check_project(example).problems if p.severity == "error"]
    for path in sorted(example.fiches_dir.glob("*.md")):
        assert schema_errors(example, front(path)) == [], path.name


@pytest.mark.parametrize(
    ("line", "valid"),
    [
        ("date: 2009", True),
        ("date: 2015-2016", True),
        ("date: 20091", False),
        ("numero: 37", True),
        ('numero: "37"', True),
        ("numero: 0", False),
        ("numero: -4", False),
        ("statut: brouillon", True),
        ("statut: fini", False),
        ("slug: Mon Adresse", False),
    ],
)
def test_the_schema_and_check_agree_on_what_yaml_reads_as_numbers(
    line: str, valid: bool, example: Project
) -> None:
    """Years and numbers that YAML reads as integers: the schema and check say the same."""
    fiche = sorted(example.fiches_dir.glob("*.md"))[0]
    text = fiche.read_text(encoding="utf-8")
    key = line.split(":")[0]
    lines = [row for row in text.split("\n") if not row.startswith(f"{key}:")]
    lines.insert(1, line)
    fiche.write_text("\n".join(lines), encoding="utf-8")
    problems = [
        p
        for p in check_project(example).problems
        if p.file.endswith(fiche.name) and p.severity == "error"
    ]
    assert (problems == []) is valid, [p.format_text() for p in problems]
    assert (schema_errors(example, front(fiche)) == []) is valid


NEW_FIELD = """    FieldSpec(
        "public_vise",
        kinds.TEXT_LIST,
        "Public visé",
        "Les personnes à qui l'activité s'adressait.",
        "public_vise: [Familles]",
        column="public_vise",
        on_page=True,
    ),
"""


NEW_FACET = """  - cle: saisons
    libelle: Saisons
    description: La saison où l'activité se tenait.
    multiple: true
    termes:
      - slug: hiver
        libelle: Hiver rigoureux
      - slug: ete
        libelle: Été
"""


def test_a_new_field_declaration_is_read_described_shown_and_exported(tmp_path: Path) -> None:
    """One FieldSpec more in schema.py and one facet more in taxonomy.yml: check, new, the
    schema, the page, the browser editor, the reference and the exports all follow, with
    no other code changed."""
    package = tmp_path / "lib" / "fichotheque"
    shutil.copytree(REPO / "scripts" / "fichotheque", package)
    schema = package / "schema.py"
    text = schema.read_text(encoding="utf-8")
    anchor = "FIELDS: tuple[FieldSpec, ...] = (\n"
    schema.write_text(text.replace(anchor, anchor + NEW_FIELD), encoding="utf-8")
    base = tmp_path / "base"
    for part in ("fiches", "docs", "taxonomy.yml", "glossary.yml", "mkdocs.yml"):
        source = BASE / part
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, base / part)
    fiche = sorted((base / "fiches").glob("*.md"))[0]
    fiche.write_text(
        fiche.read_text("utf-8").replace("---\n", "---\npublic_vise: [Familles, Voisins]\n", 1),
        "utf-8",
    )
    taxonomy = base / "taxonomy.yml"
    taxonomy.write_text(
        taxonomy.read_text("utf-8").replace("facettes:\n", "facettes:\n" + NEW_FACET, 1), "utf-8"
    )
    assert "editeur:" in (base / "mkdocs.yml").read_text("utf-8")  # the base has /admin/
    wrong = sorted((base / "fiches").glob("*.md"))[1]
    original = wrong.read_text("utf-8")
    wrong.write_text(original.replace("---\n", "---\npublic_vise: {a: b}\n", 1), "utf-8")
    environment = {**os.environ, "PYTHONPATH": str(tmp_path / "lib")}

    def command(*args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "fichotheque", *map(str, args)], cwd=tmp_path,
            capture_output=True, text=True, timeout=600, env=environment, check=False,
        )  # fmt: skip

    checked = command("check", "--root", base)
    assert f"fiches/{wrong.name}" in checked.stdout and "public_vise" in checked.stdout
    assert f"fiches/{fiche.name}" not in checked.stdout
    assert command("schema", "--root", base).returncode == 0
    schema_json = json.loads((base / "schemas" / "fiche.schema.json").read_text("utf-8"))
    assert schema_json["properties"]["public_vise"]["title"].startswith("Public visé")
    assert schema_json["properties"]["saisons"]["anyOf"][0]["enum"] == ["hiver", "ete"]
    assert command("new", "Une fiche neuve", "--root", base).returncode == 0
    (new,) = (base / "fiches").glob("*-une-fiche-neuve.md")
    new_text = new.read_text("utf-8")
    assert "public_vise" in new_text and "saisons" in new_text and "Hiver rigoureux" in new_text
    new.unlink()
    wrong.write_text(original, "utf-8")
    built = command("build", "--root", base)
    assert built.returncode == 0, built.stderr
    site = base / "site"
    page = BeautifulSoup(
        (site / "fiches" / fiche.stem / "index.html").read_text("utf-8"), "html.parser"
    )
    cells = {dt.get_text(): dt.find_next_sibling("dd") for dt in page.select("dl.fiche-meta dt")}
    assert [li.get_text() for li in cells["Public visé"].select("li")] == ["Familles", "Voisins"]
    reference = (site / "reference-des-champs" / "index.html").read_text("utf-8")
    assert "public_vise" in reference and "Public visé" in reference
    exported = json.loads((site / "donnees" / "fiches.json").read_text("utf-8"))
    by_slug = {item["slug"]: item for item in exported["fiches"]}
    assert by_slug[fiche.stem]["public_vise"] == ["Familles", "Voisins"]
    csv_header = (site / "donnees" / "fiches.csv").read_text("utf-8").splitlines()[0]
    assert "public_vise" in csv_header
    editor = yaml.safe_load((site / "admin" / "config.yml").read_text("utf-8"))
    form = {item["name"]: item for item in editor["collections"][0]["fields"]}
    assert form["public_vise"]["widget"] == "list" and form["public_vise"]["label"] == "Public visé"
    assert form["saisons"]["options"] == [
        {"label": "Hiver rigoureux", "value": "hiver"},
        {"label": "Été", "value": "ete"},
    ]
