"""The set-up files' declaration: JSON Schemas that agree with ``check``, the reference page."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import REPO
from fichotheque.check import check_project
from fichotheque.engine import build_site
from fichotheque.glossary import load_glossary
from fichotheque.jsonschemas import DEFAULT_DIR, SCHEMA_FILES, schema_text, schemas
from fichotheque.problems import Severity
from fichotheque.project import Project
from fichotheque.routes import CONFIGURATION, REFERENCE, RESERVED_TERM_SLUGS, reserved_names
from fichotheque.scaffold import vocabulary
from fichotheque.schema import FIELDS_BY_KEY
from fichotheque.setupschema import FACET, FORCED, GROUP, MEANING, SETTINGS, TAXONOMY, TERM
from fichotheque.taxonomy import load_taxonomy

EXECUTABLE = Path(sys.executable).parent / "fichotheque"
Data = dict[str, Any]


def example(name: str) -> Any:
    """An example set-up file of the repository, as an editor's YAML parser sees it."""
    return yaml.safe_load((REPO / f"{name}.yml").read_text(encoding="utf-8"))


def schema_errors(name: str, data: object) -> list[str]:
    """What the JSON Schema ``name`` says of ``data`` (nothing: valid)."""
    validator = jsonschema.Draft7Validator(schemas()[name])
    return [error.message for error in validator.iter_errors(data)]


def check_errors(name: str, data: object, tmp_path: Path) -> list[str]:
    """The errors (not warnings) ``check`` reports for ``data`` written as ``name``.yml."""
    path = tmp_path / f"{name}.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    load = load_taxonomy if name == "taxonomy" else load_glossary
    _, problems = load(path, path.name)
    return [p.format_text() for p in problems if p.severity is Severity.ERROR]


@pytest.mark.parametrize("name", ["glossary", "taxonomy"])
def test_example_files_pass_their_schemas(name: str) -> None:
    """The generated schemas are valid draft-07, and the example files pass them."""
    jsonschema.Draft7Validator.check_schema(schemas()[name])
    assert schema_errors(name, example(name)) == []


def _facet(data: Data) -> Data:
    facet: Data = data["facettes"][0]
    return facet


def _term(data: Data) -> Data:
    facet = _facet(data)
    term: Data = (facet.get("termes") or facet["groupes"][0]["termes"])[0]
    return term


TAXONOMY_CASES: list[tuple[str, Callable[[Data], object], bool]] = [
    ("valid", lambda d: None, True),
    ("hyphenated facet key", lambda d: _facet(d).update(cle="type-activite"), False),
    ("unknown facet key", lambda d: _facet(d).update(couleur="bleu"), False),
    ("unknown term key", lambda d: _term(d).update(ancien="x"), False),
    ("missing facet label", lambda d: _facet(d).pop("libelle"), False),
    ("missing term label", lambda d: _term(d).pop("libelle"), False),
    ("bad slug", lambda d: _term(d).update(slug="Travail en réseau"), False),
    ("reserved facet key", lambda d: _facet(d).update(cle="slug"), False),
    ("reserved term slug", lambda d: _term(d).update(slug=next(iter(RESERVED_TERM_SLUGS))), False),
    (
        "terms and groups",
        lambda d: _facet(d).update(groupes=[{"slug": "g", "libelle": "G", "termes": [_term(d)]}]),
        False,
    ),
    ("no facet", lambda d: d.update(facettes=[]), False),
    ("oui for true", lambda d: _facet(d).update(multiple="oui"), True),
    ("one alias as text", lambda d: _term(d).update(alias="Autre écriture"), True),
    ("no description (a warning)", lambda d: _term(d).pop("description"), True),
]


@pytest.mark.parametrize(
    ("change", "valid"),
    [case[1:] for case in TAXONOMY_CASES],
    ids=[case[0] for case in TAXONOMY_CASES],
)
def test_taxonomy_schema_agrees_with_check(
    change: Callable[[Data], object], valid: bool, tmp_path: Path
) -> None:
    """The taxonomy schema accepts exactly what ``check`` accepts, case by case."""
    data = copy.deepcopy(example("taxonomy"))
    change(data)
    from_schema, from_check = (
        schema_errors("taxonomy", data),
        check_errors("taxonomy", data, tmp_path),
    )
    assert (not from_schema, not from_check) == (valid, valid), (from_schema, from_check)


GLOSSARY_CASES: list[tuple[str, Data, bool]] = [
    ("short form", {"ONG": "Organisation non gouvernementale"}, True),
    ("one meaning, no id", {"ONG": {"forme_developpee": "Organisation non gouvernementale"}}, True),
    (
        "two meanings",
        {
            "CA": [
                {"id": "ca-asbl", "forme_developpee": "Conseil d'administration", "contexte": "A"},
                {"id": "ca-compta", "definition": "Chiffre d'affaires", "contexte": "B"},
            ]
        },
        True,
    ),
    (
        "two meanings, one without context",
        {"CA": [{"id": "a", "definition": "x", "contexte": "A"}, {"id": "b", "definition": "y"}]},
        False,
    ),
    (
        "two meanings, one without id",
        {
            "CA": [
                {"id": "a", "definition": "x", "contexte": "A"},
                {"definition": "y", "contexte": "B"},
            ]
        },
        False,
    ),
    ("bad id", {"ONG": {"id": "ONG 1", "definition": "x"}}, False),
    ("unknown key", {"ONG": {"definition": "x", "source": "y"}}, False),
    ("neither expansion nor definition", {"ONG": {"contexte": "Monde"}}, False),
    ("no meaning", {"ONG": []}, False),
]


@pytest.mark.parametrize(
    ("data", "valid"),
    [case[1:] for case in GLOSSARY_CASES],
    ids=[case[0] for case in GLOSSARY_CASES],
)
def test_glossary_schema_agrees_with_check(data: Data, valid: bool, tmp_path: Path) -> None:
    """The glossary schema accepts exactly what ``check`` accepts, case by case."""
    from_schema, from_check = (
        schema_errors("glossary", data),
        check_errors("glossary", data, tmp_path),
    )
    assert (not from_schema, not from_check) == (valid, valid), (from_schema, from_check)


def test_committed_schemas_are_what_the_command_writes_today() -> None:
    """schemas/ never drifts from the declaration, and the editor settings point to it."""
    vscode = json.loads((REPO / ".vscode/settings.json").read_text(encoding="utf-8"))[
        "yaml.schemas"
    ]
    for name, schema in schemas().items():  # the set-up files' schemas, the same for all
        file = SCHEMA_FILES[name]
        committed = REPO / DEFAULT_DIR / file
        assert committed.read_text(encoding="utf-8") == schema_text(schema), file
        assert vscode[f"./{DEFAULT_DIR}/{file}"] == [f"/{name}.yml"]
        first_line = (REPO / f"{name}.yml").read_text(encoding="utf-8").splitlines()[0]
        assert first_line == f"# yaml-language-server: $schema={DEFAULT_DIR}/{file}"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the installed command and capture what it prints."""
    return subprocess.run(
        [str(EXECUTABLE), *map(str, args)], capture_output=True, text=True, timeout=60
    )


@pytest.mark.example
def test_the_committed_fiche_schema_follows_the_example_taxonomy() -> None:
    """schemas/fiche.schema.json is what the command writes for the example base."""
    written = schemas(*vocabulary(Project(REPO)))["fiche"]
    committed = REPO / DEFAULT_DIR / SCHEMA_FILES["fiche"]
    assert committed.read_text(encoding="utf-8") == schema_text(written)


def test_schema_command_writes_keeps_a_changed_file_and_replaces_it_with_force(
    tmp_path: Path,
) -> None:
    """``fichotheque schema`` writes, says « déjà à jour », keeps an edited file, --force wins."""
    folder = tmp_path / DEFAULT_DIR
    expected = schemas(*vocabulary(Project(tmp_path)))
    first = run("schema", "--root", tmp_path)
    assert first.returncode == 0, first.stderr
    for name, file in SCHEMA_FILES.items():
        assert (folder / file).read_text(encoding="utf-8") == schema_text(expected[name])
        assert f"{DEFAULT_DIR}/{file} : écrit." in first.stdout
    again = run("schema", "--root", tmp_path)
    assert again.returncode == 0 and again.stdout.count("déjà à jour") == len(SCHEMA_FILES)
    edited = folder / SCHEMA_FILES["taxonomy"]
    edited.write_text('{"mien": true}\n', encoding="utf-8")
    refused = run("schema", "--root", tmp_path)
    assert refused.returncode == 1
    assert "--force" in refused.stdout and "Traceback" not in refused.stderr
    assert edited.read_text(encoding="utf-8") == '{"mien": true}\n'
    forced = run("schema", "--root", tmp_path, "--force")
    assert forced.returncode == 0, forced.stderr
    assert edited.read_text(encoding="utf-8") == schema_text(expected["taxonomy"])
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


OWN_TAXONOMY = """\
facettes:
  - cle: publics
    libelle: Publics
    description: Les personnes à qui l'activité s'adresse.
    termes:
      - slug: jeunes
        libelle: Jeunes
        description: Moins de 26 ans.
        alias: [Adolescents]
      - slug: aines
        libelle: Aînés
        description: Plus de 65 ans.
  - cle: saison
    libelle: Saison
    description: Quand l'activité a lieu.
    multiple: false
    groupes:
      - slug: chaudes
        libelle: Saisons chaudes
        termes:
          - slug: ete
            libelle: Été
            description: De juin à septembre.
"""
OWN_FICHE = """\
---
title: Un atelier d'été
description: Un atelier pour les jeunes.
date: 2021
organisation: Une association
publics: [jeunes]
saison: ete
---

Le texte de la fiche.
"""
OWN_SETTINGS = """\
site_name: Une autre base
theme:
  name: material
  language: fr
  font: false
plugins: []
"""


@pytest.fixture(scope="module")
def own_base(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A base with a taxonomy of its own (not the example's), built once."""
    root = tmp_path_factory.mktemp("own")
    (root / "fiches").mkdir()
    (root / "fiches/atelier.md").write_text(OWN_FICHE, "utf-8")
    (root / "taxonomy.yml").write_text(OWN_TAXONOMY, "utf-8")
    (root / "mkdocs.yml").write_text(OWN_SETTINGS, "utf-8")
    project = Project(root)
    result = check_project(project)
    assert not [p for p in result.problems if p.severity is Severity.ERROR], result.problems
    build_site(project, result, project.site_dir)
    return project


def _page(project: Project, path: str) -> BeautifulSoup:
    folder = path.removesuffix(".md")
    html = (project.site_dir / folder / "index.html").read_text(encoding="utf-8")
    return BeautifulSoup(html, "html.parser")


def test_configuration_page_documents_every_declared_key_with_its_type(own_base: Project) -> None:
    """Each key of taxonomy.yml, glossary.yml and the settings has a row with its type."""
    article = _page(own_base, CONFIGURATION).select_one("article")
    rows = {
        (term.code.get_text(), term.select_one(".reference-type").get_text())
        for term in article.select("dl.reference-configuration > dt")
    }
    for block in (TAXONOMY, FACET, GROUP, TERM, MEANING):
        for key in block.keys:
            assert (key.name, str(key.type)) in rows, (block.name, key.name)
    for key in (*SETTINGS, *FORCED):
        assert (key.name, str(key.type)) in rows, key.name
    shown = {code.get_text() for code in article.select("code")}
    assert set(FIELDS_BY_KEY) | set(reserved_names()) | set(RESERVED_TERM_SLUGS) <= shown


def test_configuration_page_shows_the_base_own_facets_and_no_example_names(
    own_base: Project,
) -> None:
    """The facets table and the example come from this base's taxonomy, nothing else."""
    article = _page(own_base, CONFIGURATION).select_one("article")
    own = yaml.safe_load(OWN_TAXONOMY)["facettes"]
    listed = [
        row.find("td").get_text() for row in article.select("table.reference-facettes tbody tr")
    ]
    assert listed == [facet["cle"] for facet in own]
    shown_example = yaml.safe_load(article.select_one("pre code").get_text())
    assert shown_example["facettes"][0]["cle"] == own[0]["cle"]
    assert shown_example["facettes"][0]["termes"][0] == own[0]["termes"][0]
    text = article.get_text()
    for name in ("CAI", "Namur", "Wallonie", "PLI", "travail-en-reseau", "axes"):
        assert name not in text, name


def test_the_two_reference_pages_link_to_each_other(own_base: Project) -> None:
    """The field reference links to the configuration reference, and back."""
    for origin, target in ((REFERENCE, CONFIGURATION), (CONFIGURATION, REFERENCE)):
        links = _page(own_base, origin).select("article a[href]")
        folder = own_base.site_dir / origin.removesuffix(".md")
        targets = {(folder / a["href"]).resolve() for a in links}
        assert (own_base.site_dir / target.removesuffix(".md")).resolve() in targets, origin
