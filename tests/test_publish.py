"""Publication that nothing breaks: real builds killed, terminated and run two at a time."""

from __future__ import annotations

import contextlib
import ctypes
import gzip
import hashlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import copy_example
from fichotheque import publish
from fichotheque.buildcache import FOLDER, SITE
from fichotheque.check import check_project
from fichotheque.engine import BuildError, build_site
from fichotheque.project import Project
from fichotheque.publish import (
    JOURNAL_ENV,
    LOCK_TIMEOUT_ENV,
    PAUSE_ENV,
    PAUSE_FILE_ENV,
    WORK_DIR,
)
from test_build import published_front_matter
from test_cli import EXECUTABLE

SEED = 9  # the number; change it to try other instants
RANDOM_KILLS = 20
SPAN = 1.2  # kills fall over the measured duration of a build, and a little after
CLEAN_WORK_DIR = [".gitignore", "lock"]


def work_entries(root: Path) -> list[str]:
    """What the work folder holds besides the cache that builds keep (buildcache.py)."""
    return sorted(set(os.listdir(root / WORK_DIR)) - {FOLDER})


HASHED = re.compile(r"fr_[0-9a-f]+")


def digests(site: Path) -> tuple[str, str]:
    """(exact, stable) digests of every relative path and content of ``site``.

    Pagefind writes its filters in a random order, so their bytes and hashed names change
    from one build of the same pages to the next. ``stable`` leaves those bytes out (and
    ``assert_search_index_whole`` checks those files instead); ``exact`` keeps everything.
    """
    exact, stable = hashlib.sha256(), hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        name = path.relative_to(site).as_posix()
        data = path.read_bytes()
        exact.update(f"{name}\0{len(data)}\0".encode() + data)
        if name.startswith("pagefind/filter/") or name.endswith(".pf_meta"):
            name, data = HASHED.sub("fr_*", name), b""
        elif name == "pagefind/pagefind-entry.json":
            data = HASHED.sub("fr_*", data.decode()).encode()
        stable.update(f"{name}\0{len(data)}\0".encode() + data)
    return exact.hexdigest(), stable.hexdigest()


def assert_search_index_whole(site: Path) -> None:
    """The Pagefind index names exactly the chunk files present: none missing, none extra."""
    entry = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    meta = site / f"pagefind/pagefind.{entry['languages']['fr']['hash']}.pf_meta"
    named = set(HASHED.findall(gzip.decompress(meta.read_bytes()).decode("latin-1")))
    present = {
        path.name.split(".")[0]
        for folder in ("index", "filter", "fragment")
        for path in (site / "pagefind" / folder).iterdir()
    }
    assert named == present


@dataclass(frozen=True)
class Sites:
    """A project whose site/ is the old site and whose sources now give a different one."""

    template: Path
    old_site: Path
    old_exact: str
    old_stable: str
    new_stable: str
    seconds: float


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FICHOTHEQUE_")}
    return env | extra


def start(project: Project, **extra: str) -> subprocess.Popen[str]:
    """``fichotheque build`` on ``project``, running in the background in a group of its own."""
    return subprocess.Popen(
        [str(EXECUTABLE), "build", "--root", str(project.root)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(**extra),
        start_new_session=True,
    )  # fmt: skip


def build(project: Project, **extra: str) -> subprocess.CompletedProcess[str]:
    """``fichotheque build`` on ``project``, run to its end."""
    return subprocess.run(
        [str(EXECUTABLE), "build", "--root", str(project.root)],
        capture_output=True, text=True, timeout=120, env=environment(**extra),
    )  # fmt: skip


def paused(project: Project, point: str, **extra: str) -> subprocess.Popen[str]:
    """A build stopped at ``point`` of the publication, waiting to be killed."""
    marker = project.root.parent / f"paused-{point}"
    marker.unlink(missing_ok=True)
    process = start(project, **{PAUSE_ENV: point, PAUSE_FILE_ENV: str(marker)}, **extra)
    deadline = time.monotonic() + 90
    while not marker.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            _, stderr = process.communicate()
            pytest.fail(f"the build never reached {point}: {stderr}")
        time.sleep(0.02)
    return process


def kill(process: subprocess.Popen[str]) -> None:
    """SIGKILL the build and its Pagefind, as a stopped job or container would be."""
    # Killed alone, the build would leave Pagefind finishing its index in the staging
    # folder, racing with the next build's cleanup of that folder.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Sites:
    """The example built once (old site), then one fiche changed and built again (new site)."""
    root = tmp_path_factory.mktemp("publish")
    project = copy_example(root / "template")
    assert build(project).returncode == 0
    old_site = root / "old-site"
    shutil.copytree(project.site_dir, old_site)
    fiche = sorted(project.fiches_dir.glob("*.md"))[0]
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nUn paragraphe de plus.\n", "utf-8")
    started = time.perf_counter()
    result = build(project)
    seconds = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    _, new_stable = digests(project.site_dir)
    shutil.rmtree(project.site_dir)
    shutil.copytree(old_site, project.site_dir)
    old_exact, old_stable = digests(old_site)
    assert old_stable != new_stable
    return Sites(project.root, old_site, old_exact, old_stable, new_stable, seconds)


@pytest.fixture
def project(sites: Sites, tmp_path: Path) -> Project:
    """A fresh copy of the template: old site published, new sources."""
    shutil.copytree(sites.template, tmp_path / "project")
    return Project(tmp_path / "project")


def published(project: Project, sites: Sites, context: str) -> str:
    """Whether site/ is the complete old site ("old") or a complete new one ("new")."""
    site = project.site_dir
    assert site.is_dir(), f"site/ is missing ({context})"
    exact, stable = digests(site)
    assert stable in (sites.old_stable, sites.new_stable), f"site/ is mixed ({context})"
    assert_search_index_whole(site)
    if stable == sites.old_stable:
        assert exact == sites.old_exact, f"the old site changed ({context})"
        return "old"
    return "new"


def put_old_site_back(project: Project, sites: Sites) -> None:
    shutil.rmtree(project.site_dir, ignore_errors=True)
    shutil.copytree(sites.old_site, project.site_dir)


def assert_nothing_left(project: Project) -> None:
    """No staging, no old site, no journal; git sees nothing of the work folder."""
    root = project.root
    assert [p.name for p in root.iterdir() if p.name.startswith((".site", ".fichotheque-"))] == []
    assert work_entries(root) == CLEAN_WORK_DIR
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    listed = subprocess.run(
        ["git", "add", "-A", "--dry-run"], cwd=root, capture_output=True, text=True, check=True
    ).stdout
    assert "site/index.html" in listed
    assert [line for line in listed.splitlines() if f"'{WORK_DIR}/" in line] == []


def test_a_build_killed_at_any_instant_leaves_the_old_or_the_new_site(
    project: Project, sites: Sites
) -> None:
    """SIGKILL at 20 random instants of a build: site/ is always one whole site, never mixed."""
    rng = random.Random(SEED)
    for number in range(RANDOM_KILLS):
        delay = rng.uniform(0, SPAN * sites.seconds)
        process = start(project)
        time.sleep(delay)
        kill(process)
        context = f"kill {number + 1} after {delay:.2f} s of {sites.seconds:.2f} s, seed {SEED}"
        if published(project, sites, context) == "new":
            put_old_site_back(project, sites)
    assert build(project).returncode == 0
    assert published(project, sites, "after a normal build") == "new"
    assert_nothing_left(project)


EXCHANGE_POINTS = {"before-exchange": "old", "after-exchange": "new", "before-cleanup": "new"}
JOURNAL_POINTS = {
    "journal-written": "old",
    "between-renames": None,  # site/ is missing until the next build puts the old one back
    "after-renames": "new",
    "before-cleanup": "new",
}


@pytest.mark.parametrize(
    ("extra", "points"),
    [({}, EXCHANGE_POINTS), ({JOURNAL_ENV: "1"}, JOURNAL_POINTS)],
    ids=["exchange", "journal"],
)
def test_a_build_killed_inside_the_publication_leaves_a_whole_site(
    project: Project, sites: Sites, extra: dict[str, str], points: dict[str, str | None]
) -> None:
    """SIGKILL at each step of the publication: one whole site, or the next run restores it."""
    for point, expected in points.items():
        put_old_site_back(project, sites)
        kill(paused(project, point, **extra))
        if expected is None:
            assert not project.site_dir.exists()
            process = paused(project, "after-recovery", **extra)
            assert published(project, sites, f"recovered after {point}") == "old"
            kill(process)
        else:
            assert published(project, sites, f"killed at {point}") == expected
    result = build(project, **extra)
    assert result.returncode == 0, result.stderr
    assert published(project, sites, "after a normal build") == "new"
    assert_nothing_left(project)


@pytest.mark.parametrize("moment", ["during-mkdocs", "before-exchange"])
def test_sigterm_during_a_build_cleans_up(project: Project, sites: Sites, moment: str) -> None:
    """A terminated build removes its staging folder, keeps the old site and prints no traceback."""
    if moment == "before-exchange":
        process = paused(project, moment)
    else:
        work = project.root / WORK_DIR
        shutil.rmtree(work / FOLDER)  # nothing kept: MkDocs converts every page
        process = start(project)
        deadline = time.monotonic() + 60
        while not (work / FOLDER / SITE).is_dir() and time.monotonic() < deadline:
            time.sleep(0.01)  # MkDocs has started writing the site
        assert process.poll() is None, "the build ended before MkDocs wrote anything"
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    assert work_entries(project.root) == CLEAN_WORK_DIR
    assert published(project, sites, f"SIGTERM {moment}") == "old"


def test_two_builds_at_once_both_succeed(project: Project) -> None:
    """Two builds started together: the second waits for the first, both exit 0, quietly."""
    processes = [start(project), start(project)]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [p.returncode for p in processes] == [0, 0], outputs
    assert [stderr for _, stderr in outputs] == ["", ""]
    site = project.site_dir
    assert (site / "index.html").is_file() and (site / "pagefind/pagefind.js").is_file()
    for slug in published_front_matter():
        assert (site / "fiches" / slug / "index.html").is_file(), slug
    assert_search_index_whole(site)
    assert_nothing_left(project)


def test_a_build_that_waits_too_long_refuses_in_french(project: Project, sites: Sites) -> None:
    """Past FICHOTHEQUE_LOCK_TIMEOUT, a second build stops with a message, not a traceback."""
    holder = paused(project, "after-recovery")
    try:
        result = build(project, **{LOCK_TIMEOUT_ENV: "0.5"})
    finally:
        kill(holder)
    assert result.returncode == 1
    assert "une autre construction est en cours dans ce projet" in result.stderr
    assert "réessayez quand elle sera finie" in result.stderr
    assert "Traceback" not in result.stderr
    assert published(project, sites, "after a refused build") == "old"


def test_an_unreadable_lock_timeout_is_explained(project: Project) -> None:
    """A FICHOTHEQUE_LOCK_TIMEOUT that is not a number of seconds is named in the message."""
    result = build(project, **{LOCK_TIMEOUT_ENV: "bientôt"})
    assert result.returncode == 1
    assert "FICHOTHEQUE_LOCK_TIMEOUT doit être un nombre de secondes, pas « bientôt »" in (
        result.stderr
    )


def test_what_an_older_version_left_is_repaired(project: Project, sites: Sites) -> None:
    """The old site hidden as .site.old-* by an older version's kill is put back; staging goes."""
    project.site_dir.rename(project.root / ".site.old-1a2b3c4d")
    (project.root / ".fichotheque-build-x1y2z3/site").mkdir(parents=True)
    process = paused(project, "after-recovery")
    try:
        assert published(project, sites, "older version's leftovers") == "old"
        assert [p.name for p in project.root.iterdir() if p.name.startswith(".site")] == []
        assert not (project.root / ".fichotheque-build-x1y2z3").exists()
    finally:
        kill(process)


class _WithoutRenameat2:
    """A libc as old as glibc 2.27: no renameat2 wrapper, only the raw system call."""

    def __init__(self) -> None:
        self.syscall = ctypes.CDLL(None, use_errno=True).syscall


@pytest.mark.skipif(sys.platform != "linux", reason="renameat2 is Linux's")
@pytest.mark.parametrize("libc", ["renameat2", "syscall"])
def test_exchange_swaps_two_folders_in_one_step(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, libc: str
) -> None:
    """exchange() swaps two folders through libc's renameat2 or, without it, the raw syscall."""
    if libc == "syscall":
        monkeypatch.setattr(publish, "_libc", _WithoutRenameat2)
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        (folder / "name").write_text(folder.name, encoding="utf-8")
    assert publish.exchange(first, second)
    assert (first / "name").read_text(encoding="utf-8") == "second"
    assert (second / "name").read_text(encoding="utf-8") == "first"
    with pytest.raises(FileNotFoundError):
        publish.exchange(first, tmp_path / "missing")


def test_the_work_folder_cannot_be_the_publication_folder(project: Project) -> None:
    """Publishing into .fichotheque/ itself is refused before anything is written."""
    with pytest.raises(BuildError, match="dossier de travail"):
        build_site(project, check_project(project), project.root / WORK_DIR)
    assert work_entries(project.root) == CLEAN_WORK_DIR


def test_a_site_put_back_by_hand_gets_a_search_index_of_its_own(
    project: Project, sites: Sites
) -> None:
    """The published index is reused only if it is the one recorded: an older site put
    back in site/ (from a copy, a backup) does not lend its index to the next build."""
    assert build(project).returncode == 0
    assert published(project, sites, "first build") == "new"
    put_old_site_back(project, sites)
    assert build(project).returncode == 0
    assert published(project, sites, "after the old site was put back") == "new"
