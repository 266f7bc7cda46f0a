"""The ``fichotheque`` command as a user runs it: exit codes, French messages, JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casefiles import CASES
from conftest import BASE, REPO
from fichotheque.limits import MAX_PROBLEMS_SHOWN
from fichotheque.problems import Problem, Severity, format_report

EXECUTABLE = Path(sys.executable).parent / "fichotheque"


def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """Run the installed command and capture what it prints."""
    return subprocess.run(
        [str(EXECUTABLE), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A small project with one error (an unknown term) and one warning (all axes ticked)."""
    shutil.copytree(CASES / "project", tmp_path, dirs_exist_ok=True)
    shutil.copyfile(BASE / "mkdocs.yml", tmp_path / "mkdocs.yml")
    shutil.copyfile(CASES / "invalid/fiches/terme-inconnu.md", tmp_path / "fiches/terme.md")
    shutil.copyfile(CASES / "invalid/fiches/facette-tout-cochee.md", tmp_path / "fiches/tout.md")
    return tmp_path


@pytest.mark.example
def test_example_knowledge_base_passes_strict_check() -> None:
    """The example fiches pass ``fichotheque check --strict``."""
    result = run("check", "--strict")
    assert result.returncode == 0, result.stdout
    assert "Aucun problème." in result.stdout


def test_problems_are_listed_with_position_and_exit_1(broken: Path) -> None:
    """Every problem is printed as file:line:column, code, French message and hint."""
    result = run("check", "--root", broken)
    assert result.returncode == 1
    assert "fiches/terme.md:6:8: erreur terme-inconnu [axes] « reseaux »" in result.stdout
    assert "→ Vouliez-vous dire « travail-en-reseau » ?" in result.stdout
    assert "fiches/terme.md:7:15: erreur terme-inconnu" in result.stdout
    assert "avertissement facette-tout-cochee" in result.stdout
    assert "3 erreurs et 1 avertissement." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_json_output_lists_every_problem_with_its_fields(broken: Path) -> None:
    """``--format json`` prints an array that tools can read, one object per problem."""
    result = run("check", "--root", broken, "--format", "json")
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert {p["code"] for p in problems} == {"terme-inconnu", "facette-tout-cochee"}
    for problem in problems:
        assert {"file", "line", "column", "code", "severity", "field", "message", "hint"} <= set(
            problem
        )
        assert problem["severity"] in ("error", "warning")
    first = next(p for p in problems if p["code"] == "terme-inconnu")
    assert (first["file"], first["line"], first["column"], first["field"]) == (
        "fiches/terme.md",
        6,
        8,
        "axes",
    )


def test_warnings_fail_only_with_strict(broken: Path) -> None:
    """Warnings alone exit 0, and exit 1 with ``--strict``."""
    (broken / "fiches/terme.md").unlink()
    assert run("check", "--root", broken).returncode == 0
    assert run("check", "--root", broken, "--strict").returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "--formt", "json"), "arguments inconnus"),
        (("check", "--format", "xml"), "choix « 'xml' » invalide"),
        (("verifier",), "commande 'verifier' inconnue"),
        (("check", "--root", "/dossier/qui/n/existe/pas"), "n'existe pas"),
        ((), "arguments obligatoires manquants"),
    ],
)
def test_usage_errors_exit_2_in_french(args: tuple[str, ...], message: str) -> None:
    """A mistyped command line exits 2 with a French message and no traceback."""
    result = run(*args)
    assert result.returncode == 2
    assert "erreur d'utilisation" in result.stderr and message in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_project_is_explained(tmp_path: Path) -> None:
    """An empty folder gets messages about the missing files, not a traceback."""
    result = run("check", "--root", tmp_path)
    assert result.returncode == 1
    assert "taxonomy.yml: erreur fichier-manquant" in result.stdout
    assert "fiches: avertissement aucune-fiche" in result.stdout


def test_build_stops_on_errors_and_keeps_the_published_site(broken: Path) -> None:
    """``build`` refuses to publish a knowledge base with errors; site/ stays as it was."""
    (broken / "fiches/terme.md").rename(broken / "terme.md.bak")
    first = run("build", "--root", broken)
    assert first.returncode == 0, first.stderr
    assert "Site construit" in first.stdout
    index = (broken / "site/index.html").read_bytes()
    (broken / "terme.md.bak").rename(broken / "fiches/terme.md")
    second = run("build", "--root", broken)
    assert second.returncode == 1
    assert "terme-inconnu" in second.stderr and "reste en place" in second.stderr
    assert (broken / "site/index.html").read_bytes() == index


def test_build_with_strict_stops_on_warnings(broken: Path) -> None:
    """``build --strict`` treats a warning as a reason not to publish."""
    (broken / "fiches/terme.md").unlink()
    assert run("build", "--root", broken, "--strict").returncode == 1
    assert not (broken / "site").exists()


def test_help_is_french() -> None:
    """``--help`` describes the commands in French."""
    result = run("--help")
    assert result.returncode == 0
    assert "utilisation :" in result.stdout and "vérifie puis construit le site" in result.stdout


def test_build_without_mkdocs_yml_explains_what_is_missing(broken: Path) -> None:
    """A project without mkdocs.yml gets a French explanation, not a traceback."""
    (broken / "fiches/terme.md").unlink()
    (broken / "mkdocs.yml").unlink()
    result = run("build", "--root", broken)
    assert result.returncode == 1
    assert "mkdocs.yml est introuvable" in result.stderr and "site_name" in result.stderr
    assert "Traceback" not in result.stderr


def test_build_force_replaces_a_foreign_folder(broken: Path) -> None:
    """``--force`` is the documented way to replace a folder Fichothèque did not build."""
    (broken / "fiches/terme.md").unlink()
    (broken / "site").mkdir()
    (broken / "site/notes.txt").write_text("ancien", encoding="utf-8")
    refused = run("build", "--root", broken)
    assert refused.returncode == 1 and "--force" in refused.stderr
    assert (broken / "site/notes.txt").exists()
    forced = run("build", "--root", broken, "--force")
    assert forced.returncode == 0, forced.stderr
    assert not (broken / "site/notes.txt").exists()


def test_output_cut_by_a_pipe_ends_quietly(broken: Path) -> None:
    """``fichotheque check | head -1`` prints one line and no BrokenPipeError."""
    text = (broken / "fiches/terme.md").read_text(encoding="utf-8")
    for index in range(400):  # far more output than a pipe buffers
        (broken / f"fiches/terme-{index}.md").write_text(text, encoding="utf-8")
    result = subprocess.run(
        f"'{EXECUTABLE}' check --root '{broken}' | head -1",
        shell=True, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert len(result.stdout.splitlines()) == 1
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


def test_text_output_caps_the_problems_of_one_file_and_counts_the_rest(broken: Path) -> None:
    """100 000 unknown keys print 20 problems and a line counting the rest, not 200 000 lines."""
    alpha = (broken / "fiches/alpha.md").read_text(encoding="utf-8")
    keys = "".join(f"k{index}: x\n" for index in range(100_000))
    fiche = alpha.replace("---\n", "---\n" + keys, 1).replace("numero: 1", "numero: 50")
    (broken / "fiches/cles.md").write_text(fiche, encoding="utf-8")
    result = run("check", "--root", broken)
    assert result.returncode == 1
    lines = [line for line in result.stdout.splitlines() if line.startswith("fiches/cles.md")]
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[-1] == "fiches/cles.md: … et 99\u00a0980 autres problèmes dans ce fichier."
    assert len(result.stdout.splitlines()) < 100
    assert "terme-inconnu" in result.stdout  # the other files' problems are still all there
    assert "100\u00a0003 erreurs et 1 avertissement." in result.stdout


@pytest.mark.parametrize(("count", "last"), [(20, None), (21, "1 autre problème")])
def test_the_line_counting_the_rest_appears_only_past_the_cap(count: int, last: str | None) -> None:
    """20 problems print as they are; a 21st becomes « … et 1 autre problème »."""
    problems = [
        Problem("fiches/a.md", line, 1, "cle-inconnue", Severity.ERROR, "", "Message.")
        for line in range(1, count + 1)
    ]
    lines = format_report([*problems, Problem("fiches/b.md", 1, 1, "corps-vide",
                                              Severity.ERROR, "", "Vide.")])  # fmt: skip
    assert len(lines) == min(count, MAX_PROBLEMS_SHOWN) + (last is not None) + 1
    if last:
        assert lines[-2] == f"fiches/a.md: … et {last} dans ce fichier."
    assert lines[-1].startswith("fiches/b.md:1:1: erreur corps-vide")
