"""The validator against golden case files: one mistake per file, its problems beside it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from casefiles import (
    CASES,
    TARGETS,
    TODAY,
    as_line,
    case_files,
    expected_lines,
    run_case,
)
from fichotheque.check import check_project
from fichotheque.problems import CODES
from fichotheque.project import Project

INVALID = [(kind, case) for kind in TARGETS for case in case_files(kind)]


@pytest.mark.parametrize(
    ("kind", "case"), INVALID, ids=[f"{kind}/{case.name}" for kind, case in INVALID]
)
def test_invalid_case_gives_exactly_the_expected_problems(
    kind: str, case: Path, tmp_path: Path
) -> None:
    """Each case file yields exactly the problems, positions and fields written beside it."""
    found = sorted(as_line(problem) for problem in run_case(case, kind, tmp_path))
    assert found == sorted(expected_lines(case))


@pytest.mark.parametrize("case", case_files("fiches", "valid"), ids=lambda p: p.name)
def test_valid_case_gives_no_problem(case: Path, tmp_path: Path) -> None:
    """What is fine stays fine: a BOM, CRLF line ends, accented names, every field used."""
    assert [problem.format_text() for problem in run_case(case, "fiches", tmp_path)] == []


def test_every_problem_has_a_french_message_and_hint(tmp_path: Path) -> None:
    """No problem is reported without a message and a way to fix it."""
    for kind, case in INVALID:
        for problem in run_case(case, kind, tmp_path / case.stem):
            assert problem.message.strip() and problem.hint.strip(), problem


def test_case_folder_covers_every_problem_code() -> None:
    """Every registered problem code is exercised by a case file or a test below."""
    covered = {line.split()[2] for _, case in INVALID for line in expected_lines(case)}
    covered |= {"nom-fichier-collision", "fichier-manquant", "cle-inconnue"}  # tests below
    covered |= {"lien-symbolique", "extension-inattendue"}
    covered |= {"aucune-fiche"}  # tests/test_cli.py
    covered |= {"fichier-illisible", "dossier-illisible", "fichier-special"}  # tests/test_files.py
    covered |= {"fichier-cache", "fichier-trop-gros"}  # tests/test_files.py
    covered |= {"reglage-remplace", "site-url-manquant"}  # tests/test_any_organisation.py
    covered |= {"relecture-depassee"}  # tests/test_review.py
    assert set(CODES) - covered == set()


@pytest.mark.parametrize(
    "names",
    [
        ("Fiche-Logement.md", "fiche-logement.md"),
        (unicodedata.normalize("NFC", "santé.md"), unicodedata.normalize("NFD", "santé.md")),
    ],
    ids=["case", "unicode"],
)
def test_names_that_differ_only_in_case_or_normalisation_collide(
    names: tuple[str, str], tmp_path: Path
) -> None:
    """Two files that one name on macOS or Windows would merge are both caught."""
    import shutil

    shutil.copytree(CASES / "project", tmp_path, dirs_exist_ok=True)
    for index, name in enumerate(names):
        text = (CASES / "project" / "fiches" / "alpha.md").read_text(encoding="utf-8")
        (tmp_path / "fiches" / name).write_text(
            text.replace("numero: 1", f"numero: {10 + index}"), encoding="utf-8"
        )
    problems = check_project(Project(tmp_path), today=TODAY).problems
    assert [p.code for p in problems if p.code == "nom-fichier-collision"] == [
        "nom-fichier-collision"
    ]


def test_missing_taxonomy_is_reported_once_not_in_every_fiche(tmp_path: Path) -> None:
    """Without taxonomy.yml, the missing file is named; facet keys are not called unknown."""
    import shutil

    shutil.copytree(CASES / "project", tmp_path, dirs_exist_ok=True)
    (tmp_path / "taxonomy.yml").unlink()
    problems = check_project(Project(tmp_path), today=TODAY).problems
    assert ("taxonomy.yml", "fichier-manquant") in {(p.file, p.code) for p in problems}
    assert not [p for p in problems if p.code == "cle-inconnue"]


def test_links_and_odd_extensions_in_the_fiches_folder_are_reported(tmp_path: Path) -> None:
    """A symbolic link is refused (it could publish any file); a .MD file is named, not lost."""
    import shutil

    shutil.copytree(CASES / "project", tmp_path, dirs_exist_ok=True)
    secret = tmp_path.parent / f"{tmp_path.name}-secret.md"
    secret.write_text("---\ntitle: Secret\n---\n\nNe pas publier.\n", encoding="utf-8")
    (tmp_path / "fiches" / "lien.md").symlink_to(secret)
    (tmp_path / "fiches" / "dossier-lie").symlink_to(tmp_path / "docs", target_is_directory=True)
    shutil.copyfile(tmp_path / "fiches" / "alpha.md", tmp_path / "fiches" / "MAJUSCULES.MD")
    result = check_project(Project(tmp_path), today=TODAY)
    codes = {(p.file, p.code, p.severity) for p in result.problems}
    assert ("fiches/lien.md", "lien-symbolique", "error") in codes
    assert ("fiches/dossier-lie", "lien-symbolique", "error") in codes
    assert ("fiches/MAJUSCULES.MD", "extension-inattendue", "warning") in codes
    assert "Secret" not in {fiche.title for fiche in result.fiches}
