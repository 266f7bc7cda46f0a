"""Shared fixtures: the example knowledge base, copied and built once per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fichotheque.check import check_project
from fichotheque.engine import BuildReport, build_site
from fichotheque.project import Project

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_PARTS = ("fiches", "docs", "taxonomy.yml", "glossary.yml", "mkdocs.yml")


def copy_example(destination: Path) -> Project:
    """A copy of the repository's example knowledge base in ``destination``."""
    for part in EXAMPLE_PARTS:
        source = REPO / part
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
