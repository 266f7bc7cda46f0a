"""On a terminal, build and check show each stage with its count and name the slowest;
in CI or through a pipe they show nothing more than before."""

from __future__ import annotations

import os
import re
import subprocess

import pytest

from fichotheque.progress import Progress
from fichotheque.project import Project
from test_precommit import EXECUTABLE

BUILD_STAGES = (
    "Catalogue", "Pages générées", "Conversion des pages (MkDocs)", "Sécurisation des pages",
    "Index de recherche (Pagefind)", "Publication",
)  # fmt: skip
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_a_terminal(*args: str, ci: bool) -> str:
    """What a person at a terminal sees (the command's stdout and stderr on a pty)."""
    import pty

    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci:
        environment["CI"] = "true"
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [str(EXECUTABLE), *args], stdin=follower, stdout=follower, stderr=follower,
        env=environment,
    )  # fmt: skip
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=300) == 0, output.decode(errors="replace")
    return ANSI.sub("", output.decode(errors="replace"))


def test_build_on_a_terminal_shows_each_stage_and_the_slowest(example: Project) -> None:
    shown = on_a_terminal("build", "--root", str(example.root), ci=False)
    fiches = len(list(example.fiches_dir.glob("*.md")))
    assert re.search(rf"Vérification des fiches\b.*\b{fiches}/{fiches}\b", shown), shown
    for label in BUILD_STAGES:
        assert label in shown
    slowest = re.search(r"Étape la plus longue : (.+) \(([\d.]+) s sur ([\d.]+) s\)\.", shown)
    assert slowest is not None, shown
    assert float(slowest[2]) <= float(slowest[3])


@pytest.mark.parametrize("command", ["check", "build"])
def test_in_ci_a_terminal_sees_no_progress(example: Project, command: str) -> None:
    shown = on_a_terminal(command, "--root", str(example.root), ci=True)
    assert "Étape la plus longue" not in shown and "Vérification des fiches" not in shown


def test_through_a_pipe_nothing_is_drawn(example: Project) -> None:
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    done = subprocess.run(
        [EXECUTABLE, "check", "--root", example.root], capture_output=True, text=True,
        env=environment, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert "Étape" not in done.stderr and "\x1b[" not in done.stdout + done.stderr


def test_the_stages_are_timed_even_when_nothing_is_shown() -> None:
    progress = Progress(show=False)
    with progress.stage("Un", total=3) as step:
        for _ in range(3):
            step.advance()
    with progress.stage("Deux") as step:
        step.total = 5
    assert [(s.label, s.count) for s in progress.stages] == [("Un", 3), ("Deux", 5)]
    slowest = progress.slowest()
    assert slowest is not None and slowest.seconds == max(s.seconds for s in progress.stages)


def test_a_stage_run_within_another_is_counted_once() -> None:
    progress = Progress(show=False)
    with progress.stage("Dehors"), progress.stage("Dedans"):
        pass
    with progress.stage("Après"):
        pass
    within = {s.label: s.within for s in progress.stages}
    assert within == {"Dedans": "Dehors", "Dehors": None, "Après": None}
    seconds = {s.label: s.seconds for s in progress.stages}
    assert seconds["Dedans"] <= seconds["Dehors"]
    assert progress.seconds() == seconds["Dehors"] + seconds["Après"]
    assert [s.to_dict()["pendant"] for s in progress.stages] == ["Dehors", None, None]
