"""Shared fixtures: the example knowledge base, copied and built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import examplefiles
from fichotheque.check import check_project
from fichotheque.engine import BuildReport, build_site
from fichotheque.project import Project

REPO = Path(__file__).resolve().parent.parent
# The tests' own knowledge base: the example as it was when the tests were written, kept
# apart so that the engine's tests hold whatever content the repository publishes.
BASE = REPO / "tests" / "base"
EXAMPLE_PARTS = examplefiles.EXAMPLE_PARTS


def copy_example(destination: Path) -> Project:
    """A copy of the tests' knowledge base (tests/base/) in ``destination``."""
    for part in EXAMPLE_PARTS:
        source = BASE / part
        if source.is_dir():
            shutil.copytree(source, destination / part)
        else:
            shutil.copyfile(source, destination / part)
    return Project(destination)


@pytest.fixture
def example(tmp_path: Path) -> Project:
    """A fresh copy of the example knowledge base, to change freely."""
    return copy_example(tmp_path / "example")


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, BuildReport]:
    """The example knowledge base built once into a temporary site/ folder."""
    project = copy_example(tmp_path_factory.mktemp("built") / "example")
    result = check_project(project)
    assert not result.problems, [p.format_text() for p in result.problems]
    report = build_site(project, result, project.site_dir)
    return project, report


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests of the example content when the root holds another base.

    A copy of this repository whose example was replaced by an organisation's own base
    still runs every test of the engine (they use tests/base/).
    """
    changed = examplefiles.changed()
    if not changed:
        return
    skip = pytest.mark.skip(
        reason="la base d'exemple a été remplacée ou modifiée "
        f"({len(changed)} fichier(s) sur {len(examplefiles.recorded())}, dont {changed[0]}) : "
        "ce test vérifie le contenu de l'exemple"
    )
    for item in items:
        if item.get_closest_marker("example"):
            item.add_marker(skip)
