"""check reuses what it learnt of an unchanged fiche, and only then.

Each test counts how many fiches the single-file checks really read, and compares the
problems with those of a run without any cache.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from fichotheque import checkcache, fingerprint
from fichotheque.check import check_project
from fichotheque.problems import format_json
from fichotheque.project import Project

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The files the single-file checks read, in this process, with a fresh cache folder."""
    monkeypatch.setenv("FICHOTHEQUE_CACHE", str(tmp_path / "cache"))
    seen: list[str] = []
    real = checkcache.check_file

    def counting(path: Path, file: str, context: object) -> checkcache.Entry:
        seen.append(file)
        return real(path, file, context)  # type: ignore[arg-type]

    monkeypatch.setattr(checkcache, "check_file", counting)
    return seen


def _problems(project: Project, today: dt.date = TODAY) -> str:
    return format_json(check_project(project, today).problems)


def _uncached(project: Project, tmp_path: Path, today: dt.date = TODAY) -> str:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FICHOTHEQUE_CACHE", str(tmp_path / "elsewhere"))
        return _problems(project, today)


def _broken(example: Project) -> Path:
    """One fiche with an unknown term (the taxonomy decides) and a misspelt key."""
    source = sorted(example.fiches_dir.glob("*.md"))[0]
    broken = example.fiches_dir / "2021-cassee.md"
    text = source.read_text(encoding="utf-8").replace("\naxes: [", "\naxes: [terme-nouveau, ", 1)
    text = text.replace("\nnumero:", "\nnumeraux:", 1)
    broken.write_text(text, encoding="utf-8")
    return broken


def test_a_second_run_reads_no_fiche_and_reports_the_same(
    example: Project, counted: list[str], tmp_path: Path
) -> None:
    _broken(example)
    first = _problems(example)
    fiches = len(list(example.fiches_dir.glob("*.md")))
    assert len(counted) == fiches and "terme-inconnu" in first
    counted.clear()
    second = _problems(example)
    assert counted == []
    assert second == first == _uncached(example, tmp_path)
    assert not list(example.root.glob(".fichotheque*"))  # nothing kept in the base itself


def test_an_edited_fiche_alone_is_read_again(
    example: Project, counted: list[str], tmp_path: Path
) -> None:
    broken = _broken(example)
    _problems(example)
    counted.clear()
    broken.write_text(broken.read_text("utf-8").replace("numeraux:", "numero:"), "utf-8")
    again = _problems(example)
    assert counted == [example.relative(broken)]
    assert again == _uncached(example, tmp_path) and "numeraux" not in again


def _add_term(project: Project) -> None:
    taxonomy = yaml.safe_load(project.taxonomy_path.read_text(encoding="utf-8"))
    facet = next(f for f in taxonomy["facettes"] if f["cle"] == "axes")
    terms = facet["termes"] if "termes" in facet else facet["groupes"][0]["termes"]
    terms.append({"slug": "terme-nouveau", "libelle": "Terme nouveau", "description": "Ajouté."})
    project.taxonomy_path.write_text(yaml.safe_dump(taxonomy, allow_unicode=True), "utf-8")


def _edit_glossary(project: Project) -> None:
    with project.glossary_path.open("a", encoding="utf-8") as glossary:
        glossary.write("\nZZQ:\n  - id: zzq\n    forme_developpee: Zone de test\n")


def _edit_settings(project: Project) -> None:
    with project.mkdocs_path.open("a", encoding="utf-8") as settings:
        settings.write("\n# un commentaire\n")


def _add_resource(project: Project) -> None:
    project.resources_dir.mkdir(parents=True, exist_ok=True)
    (project.resources_dir / "nouveau.pdf").write_bytes(b"%PDF-1.4\n")


def _new_library(monkeypatch: pytest.MonkeyPatch) -> Callable[[Project], None]:
    real = importlib.metadata.version

    def change(_project: Project) -> None:
        monkeypatch.setattr(
            importlib.metadata, "version", lambda name: "99" if name == "nh3" else real(name)
        )

    return change


CHANGES: dict[str, Callable[[Project], None]] = {
    "taxonomy.yml": _add_term,
    "glossary.yml": _edit_glossary,
    "mkdocs.yml": _edit_settings,
    "a resource file": _add_resource,
}


@pytest.mark.parametrize("change", [*CHANGES, "a library", "the package's code", "the day"])
def test_what_a_fiche_check_reads_besides_the_fiche_invalidates_every_fiche(
    example: Project, counted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    change: str,
) -> None:  # fmt: skip
    _broken(example)
    _problems(example)
    counted.clear()
    today = TODAY
    if change in CHANGES:
        CHANGES[change](example)
    elif change == "a library":
        _new_library(monkeypatch)(example)
    elif change == "the package's code":
        copy = tmp_path / "package"
        shutil.copytree(fingerprint.PACKAGE, copy)
        monkeypatch.setattr(fingerprint, "PACKAGE", copy)
        _problems(example)  # the copy is the same code: nothing to read again
        assert counted == []
        with (copy / "validate.py").open("a", encoding="utf-8") as code:
            code.write("\n# changed\n")
    else:
        today = TODAY + dt.timedelta(days=1)
    again = _problems(example, today)
    assert sorted(counted) == sorted(example.relative(p) for p in example.fiches_dir.glob("*.md"))
    assert again == _uncached(example, tmp_path, today)
    if change == "taxonomy.yml":
        assert "terme-nouveau" not in again  # the term exists now: the old answer is gone


def test_worker_processes_find_what_this_process_finds(
    example: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _broken(example)
    alone = _uncached(example, tmp_path)
    monkeypatch.setattr(checkcache, "PARALLEL_FROM", 2)
    monkeypatch.setenv("FICHOTHEQUE_CACHE", str(tmp_path / "parallel"))
    assert _problems(example) == alone


def test_a_damaged_cache_is_ignored(example: Project, counted: list[str]) -> None:
    _broken(example)
    first = _problems(example)
    (stored,) = (Path(checkcache.cache_dir()) / "check").glob("*.pickle")
    stored.write_bytes(b"pas un pickle")
    counted.clear()
    assert _problems(example) == first
    assert len(counted) == len(list(example.fiches_dir.glob("*.md")))
