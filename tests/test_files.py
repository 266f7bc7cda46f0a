"""The file system as it really is: unreadable files and folders, pipes, hidden fiches, sizes.

Root reads any file whatever its mode, and tests run as root here and in CI; a command
that must meet a real permission error runs without the capabilities that let root
through (``setpriv``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from casefiles import CASES, TODAY
from conftest import BASE
from fichotheque.check import check_project
from fichotheque.files import NEW_FILE_MODE, CopyError, file_digest, write_text
from fichotheque.limits import MAX_FICHE_BYTES
from fichotheque.project import Project
from fichotheque.staging import Staging

EXECUTABLE = Path(sys.executable).parent / "fichotheque"
SETPRIV = shutil.which("setpriv") or shutil.which("setpriv", path="/usr/bin:/bin")
DROPPED = "-dac_override,-dac_read_search"

RESOURCE_FICHE = """---
title: Ressource
description: Une fiche qui propose un document.
date: 2010
numero: 5
organisation: CAI
axes: [accompagnement]
thematiques: [logement]
type: projet
ressources:
  - titre: Le document
    fichier: {path}
---

Texte.
"""


def unprivileged(command: list[str]) -> list[str]:
    """``command`` run so that file modes apply, even as root (dropping the capabilities)."""
    if os.geteuid() != 0:
        return command
    if SETPRIV is None:
        if os.environ.get("CI") == "true":
            pytest.fail("setpriv (util-linux) is needed to test permissions as root in CI")
        pytest.skip("setpriv is missing: as root, file modes cannot be tested")
    return [SETPRIV, f"--bounding-set={DROPPED}", f"--inh-caps={DROPPED}", "--", *command]


def run_unprivileged(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The installed command, run as a user whom file modes apply to."""
    command = unprivileged([str(EXECUTABLE), *map(str, args)])
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def problems_of(result: subprocess.CompletedProcess[str]) -> set[tuple[str, int, str]]:
    """(file, line, code) of every problem of a ``check --format json``."""
    return {(p["file"], p["line"], p["code"]) for p in json.loads(result.stdout)}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The small case project, with a docs/ page, a fiche in a sub-folder and mkdocs.yml."""
    root = tmp_path / "base"
    shutil.copytree(CASES / "project", root)
    shutil.copyfile(BASE / "mkdocs.yml", root / "mkdocs.yml")
    (root / "docs/page.md").write_text("# Une page\n\nÀ lire.\n", encoding="utf-8")
    (root / "fiches/archives").mkdir()
    shutil.copyfile(CASES / "project/fiches/alpha.md", root / "fiches/archives/gamma.md")
    text = (root / "fiches/archives/gamma.md").read_text(encoding="utf-8")
    (root / "fiches/archives/gamma.md").write_text(text.replace("numero: 1", "numero: 3"))
    (root / "fiches/ressource.md").write_text(
        RESOURCE_FICHE.format(path="docs/ressources/doc.txt"), encoding="utf-8"
    )
    return root


def test_dropped_capabilities_make_a_file_without_permission_unreadable(tmp_path: Path) -> None:
    """The permission tests below really meet a permission error, even as root."""
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    secret.chmod(0)
    command = unprivileged([sys.executable, "-c", f"open({str(secret)!r}).read()"])
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode != 0 and "PermissionError" in result.stderr


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("fiches/alpha.md", {("fiches/alpha.md", 0, "fichier-illisible")}),
        ("fiches", {("fiches", 0, "dossier-illisible")}),
        ("fiches/archives", {("fiches/archives", 0, "dossier-illisible")}),
        ("docs/page.md", {("docs/page.md", 0, "fichier-illisible")}),
        ("docs", {("docs", 0, "dossier-illisible")}),
        ("docs/ressources", {("docs/ressources", 0, "dossier-illisible")}),
        (
            "docs/ressources/doc.txt",
            {
                ("docs/ressources/doc.txt", 0, "fichier-illisible"),
                ("fiches/ressource.md", 12, "fichier-illisible"),
            },
        ),
        ("taxonomy.yml", {("taxonomy.yml", 0, "fichier-illisible")}),
        ("glossary.yml", {("glossary.yml", 0, "fichier-illisible")}),
    ],
)
def test_unreadable_files_and_folders_are_located_errors(
    project: Path, target: str, expected: set[tuple[str, int, str]]
) -> None:
    """A file or folder the build could not read fails the check, named, without a traceback."""
    (project / target).chmod(0)
    try:
        result = run_unprivileged("check", "--root", project, "--format", "json")
    finally:
        (project / target).chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    found = problems_of(result)
    assert expected <= found, found
    assert all("permission refusée" in p["message"] for p in json.loads(result.stdout)
               if (p["file"], p["line"], p["code"]) in expected)  # fmt: skip


def test_unreadable_fiche_is_explained_in_french(project: Path) -> None:
    """The text output says which file, why (in French) and how to fix it."""
    (project / "fiches/alpha.md").chmod(0)
    result = run_unprivileged("check", "--root", project)
    assert result.returncode == 1
    assert (
        "fiches/alpha.md: erreur fichier-illisible Le fichier « fiches/alpha.md » ne peut pas "
        "être lu (permission refusée)." in result.stdout
    )
    assert "chmod a+r fiches/alpha.md" in result.stdout


def test_build_turns_a_file_unreadable_since_the_check_into_a_french_error(project: Path) -> None:
    """A docs/ file that cannot be copied stops the build with a BuildError, not a traceback."""
    script = f"""
import os, sys
from pathlib import Path
from fichotheque.check import check_project
from fichotheque.engine import BuildError, build_site
from fichotheque.project import Project
project = Project(Path({str(project)!r}))
result = check_project(project)
assert not result.problems, result.problems
os.chmod(project.docs_dir / "page.md", 0)
try:
    build_site(project, result, project.site_dir)
except BuildError as error:
    print(error)
    sys.exit(3)
"""
    command = unprivileged([sys.executable, "-c", script])
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    (project / "docs/page.md").chmod(0o644)
    assert result.returncode == 3, result.stderr
    assert "page.md" in result.stdout and "permission refusée" in result.stdout
    assert not (project / "site").exists()


def test_staging_names_what_it_cannot_copy(tmp_path: Path) -> None:
    """Staging raises a French CopyError for a target it cannot write."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/page.md").write_text("x", encoding="utf-8")
    (tmp_path / "cible").write_text("un fichier, pas un dossier", encoding="utf-8")
    with pytest.raises(
        CopyError, match=r"n'a pas pu être copié dans le site \(un élément du chemin"
    ):
        Staging(tmp_path / "cible").copy_tree(tmp_path / "docs", "docs")
    with pytest.raises(CopyError, match=r"n'a pas pu être écrit \(un élément du chemin"):
        Staging(tmp_path / "cible").write("docs/autre.md", "texte")


@pytest.mark.parametrize(
    ("pipe", "expected"),
    [
        ("fiches/tube.md", ("fiches/tube.md", 0, "fichier-special")),
        ("taxonomy.yml", ("taxonomy.yml", 0, "fichier-special")),
        ("docs/ressources/tube.pdf", ("fiches/ressource.md", 12, "fichier-special")),
    ],
)
def test_a_pipe_is_reported_and_never_read(
    project: Path, pipe: str, expected: tuple[str, int, str]
) -> None:
    """A FIFO named like a fiche, a file or a resource is an error; reading it would hang."""
    (project / pipe).unlink(missing_ok=True)
    os.mkfifo(project / pipe)
    (project / "fiches/ressource.md").write_text(
        RESOURCE_FICHE.format(path="docs/ressources/tube.pdf"), encoding="utf-8"
    )
    command = [str(EXECUTABLE), "check", "--root", str(project), "--format", "json"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 1, result.stderr
    assert expected in problems_of(result)


def test_a_pipe_in_docs_is_neither_read_nor_copied(project: Path, tmp_path: Path) -> None:
    """The build publishes only regular files: a FIFO in docs/ neither blocks nor is copied."""
    os.mkfifo(project / "docs/tube")
    staging = Staging(tmp_path)
    staging.copy_tree(project / "docs", "copie")
    staging.finish()
    assert (tmp_path / "copie/page.md").is_file()
    assert not (tmp_path / "copie/tube").exists()


def test_a_folder_named_like_a_fiche_is_an_error_and_its_fiches_are_read(project: Path) -> None:
    """« fiches/2009.md/ » is a folder, not a fiche: named as an error; what it holds is checked."""
    (project / "fiches/archives").rename(project / "fiches/2009.md")
    result = check_project(Project(project), today=TODAY)
    codes = {(p.file, p.code, str(p.severity)) for p in result.problems}
    assert ("fiches/2009.md", "fichier-special", "error") in codes
    assert "fiches/2009.md/gamma.md" in {fiche.file for fiche in result.fiches}


def test_a_hidden_fiche_is_a_warning_and_is_not_published(project: Path) -> None:
    """« .brouillon.md » is named as not published; other hidden files stay silent."""
    shutil.copyfile(project / "fiches/alpha.md", project / "fiches/.brouillon.md")
    (project / "fiches/.DS_Store").write_bytes(b"\0\1")
    result = check_project(Project(project), today=TODAY)
    hidden = [p for p in result.problems if p.file.startswith("fiches/.")]
    assert [(p.file, p.code, str(p.severity)) for p in hidden] == [
        ("fiches/.brouillon.md", "fichier-cache", "warning")
    ]
    assert "fiches/.brouillon.md" not in {fiche.file for fiche in result.fiches}


def test_a_fiche_over_the_size_limit_is_reported_once_and_not_parsed(project: Path) -> None:
    """A 20 MB fiche gives one problem: its unknown key and forbidden bytes are never read."""
    big = project / "fiches/enorme.md"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("---\ntitle: Énorme\ncle_inconnue: oui\n---\n\n\x01")
        handle.write(("Une ligne de texte qui se répète. " * 30 + "\n") * 20_000)
    assert big.stat().st_size > 20_000_000
    problems = [p for p in check_project(Project(project), today=TODAY).problems]
    assert [(p.file, p.code) for p in problems if p.file == "fiches/enorme.md"] == [
        ("fiches/enorme.md", "fichier-trop-gros")
    ]
    message = next(p.message for p in problems if p.code == "fichier-trop-gros")
    assert "1\u00a0000\u00a0000 octets" in message


def test_a_fiche_of_exactly_the_size_limit_is_read(project: Path) -> None:
    """The limit is inclusive: a fiche of exactly MAX_FICHE_BYTES bytes is checked as usual."""
    text = (project / "fiches/alpha.md").read_text(encoding="utf-8")
    text = text.replace("numero: 1", "numero: 8") + "\n"
    padding = MAX_FICHE_BYTES - len(text.encode("utf-8"))
    filler = ("a" * 99 + "\n") * (padding // 100) + "b" * (padding % 100)
    (project / "fiches/limite.md").write_text(text + filler, encoding="utf-8")
    assert (project / "fiches/limite.md").stat().st_size == MAX_FICHE_BYTES
    result = check_project(Project(project), today=TODAY)
    assert [p.code for p in result.problems if p.file == "fiches/limite.md"] == []
    assert "fiches/limite.md" in {fiche.file for fiche in result.fiches}


@pytest.mark.parametrize("link_target", ["../../mkdocs.yml", "doc.txt"])
def test_a_resource_through_a_link_is_refused(project: Path, link_target: str) -> None:
    """« fichier: » naming a link is refused, wherever the link points: the site copies no link."""
    (project / "docs/ressources/lien.txt").symlink_to(link_target)
    (project / "fiches/ressource.md").write_text(
        RESOURCE_FICHE.format(path="docs/ressources/lien.txt"), encoding="utf-8"
    )
    problems = check_project(Project(project), today=TODAY).problems
    assert [(p.file, p.line, p.code) for p in problems if p.file == "fiches/ressource.md"] == [
        ("fiches/ressource.md", 12, "lien-symbolique")
    ]


def test_a_written_file_gets_the_usual_permissions_or_keeps_its_own(tmp_path: Path) -> None:
    """Writing through a temporary file does not leave a file only its writer can read."""
    mask = os.umask(0o022)
    os.umask(mask)
    new = tmp_path / "nouveau.md"
    write_text(new, "texte")
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~mask == NEW_FILE_MODE
    kept = tmp_path / "garde.md"
    kept.write_text("avant")
    kept.chmod(0o640)
    write_text(kept, "après")
    assert kept.read_text() == "après"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


def test_a_file_digest_is_remembered_only_while_the_file_is_the_same(tmp_path: Path) -> None:
    """Written again with the same size and modification time, in place or replaced: the
    change time (or the inode) tells it apart, and the digest is that of the new bytes."""
    path = tmp_path / "fiche.md"
    path.write_bytes(b"premier")
    first = file_digest(path)
    assert first == hashlib.sha256(b"premier").hexdigest()
    assert file_digest(path) == first
    before = path.stat()
    with path.open("r+b") as file:  # in place: same inode, same size
        file.write(b"deuxime")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file_digest(path) == hashlib.sha256(b"deuxime").hexdigest()
    replacement = tmp_path / "nouveau.md"
    replacement.write_bytes(b"troisie")
    os.utime(replacement, ns=(before.st_atime_ns, before.st_mtime_ns))
    replacement.replace(path)
    assert file_digest(path) == hashlib.sha256(b"troisie").hexdigest()
    assert file_digest(tmp_path) is None  # a folder
    assert file_digest(tmp_path / "absent.md") is None
