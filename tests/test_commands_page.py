"""The staff page of commands says what the command line declares."""

from __future__ import annotations

import argparse

from bs4 import BeautifulSoup

from fichotheque.cli import build_parser
from fichotheque.engine import BuildReport
from fichotheque.project import Project


def test_the_commands_page_shows_every_command_and_option(
    built_example: tuple[Project, BuildReport],
) -> None:
    """Each subcommand of the parser has its section, its description and each option."""
    project, _report = built_example
    page = BeautifulSoup(
        (project.site_dir / "commandes" / "index.html").read_text("utf-8"), "html.parser"
    )
    article = page.select_one("article")
    assert article is not None
    sections = {h2.get_text(strip=True): h2 for h2 in article.select("h2")}
    commands = next(
        a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    assert commands
    for name, sub in commands.items():
        heading = sections[f"fichotheque {name}"]
        text = " ".join(sibling.get_text(" ") for sibling in heading.find_next_siblings(limit=2))
        assert " ".join((sub.description or "").split())[:60] in " ".join(text.split())
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert option in text, (name, option)
    assert "Les commandes" in [a.get_text(strip=True) for a in page.select(".md-nav a")]
