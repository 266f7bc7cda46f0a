"""Publication: the built site replaces the published one in one step, one build at a time.

What a reader of the published folder (``site/``) can see, whatever happens to a build
(an error, Ctrl+C, SIGTERM, SIGKILL, two builds at once):

- the complete previous site or the complete new one, never a mix. On Linux the two
  folders trade places in one system call (``renameat2`` with ``RENAME_EXCHANGE``).
  Elsewhere, or on a filesystem that cannot exchange, the old site is renamed aside and
  the new one renamed in, with a journal: if a kill falls between the two renames, the
  next build puts the previous site back before doing anything else;
- builds of one project run one after the other: each holds a lock (``flock``) on the
  work folder, and a second build waits for the first, for ``FICHOTHEQUE_LOCK_TIMEOUT``
  seconds at most (600 by default), then refuses with a French message;
- nothing that ``git add -A`` would pick up. Everything a build writes besides the site
  lives in the work folder ``.fichotheque/``, beside the target (so on the same
  filesystem, which atomic renames need), and that folder ignores itself in git::

      .fichotheque/
        .gitignore        « * »
        lock              held by the build in progress; holds its process id
        journal.json      only while a fallback publication is under way
        build-XXXXXXXX/   one build's staging: the new site/, then the old one, kept in
                          cache/ for the next build's copy (buildcache.site_copy)
        cache/            what builds keep for the next one (buildcache.py)

  Under the lock, a build first removes what a killed build left there. SIGTERM is
  turned into an exception during a build, so that a terminated build cleans up too.

Test hooks (environment variables; for tests, not for users):

- ``FICHOTHEQUE_TEST_PAUSE=<point>`` with ``FICHOTHEQUE_TEST_PAUSE_FILE=<path>``: at that
  point of the publication, write ``<path>`` and sleep, so that a test can kill the build
  exactly there. The points are in ``PAUSE_POINTS``.
- ``FICHOTHEQUE_TEST_JOURNAL=1``: never exchange, always use the journal fallback.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import json
import os
import platform
import secrets
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from .files import write_text

WORK_DIR = ".fichotheque"
LOCK_TIMEOUT_ENV = "FICHOTHEQUE_LOCK_TIMEOUT"
DEFAULT_LOCK_TIMEOUT = 600.0
PAUSE_ENV = "FICHOTHEQUE_TEST_PAUSE"
PAUSE_FILE_ENV = "FICHOTHEQUE_TEST_PAUSE_FILE"
JOURNAL_ENV = "FICHOTHEQUE_TEST_JOURNAL"
PAUSE_POINTS = (
    "after-recovery",  # the lock is held, what a killed build left is repaired and removed
    "before-exchange",  # the new site is complete in the staging folder
    "after-exchange",  # the new site is published, the old one is in the staging folder
    "journal-written",  # fallback: the journal is written, nothing renamed yet
    "between-renames",  # fallback: the old site is renamed aside, the new one not yet in
    "after-renames",  # fallback: the new site is published, the journal not yet removed
    "before-cleanup",  # the staging folder is about to be removed
)

_GITIGNORE = ".gitignore"
_LOCK = "lock"
_JOURNAL = "journal.json"
_JOURNAL_KEYS = ("target", "built", "previous")
_STAGING_PREFIX = "build-"
_POLL_SECONDS = 0.1
_PAUSE_SECONDS = 120

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# The number of the renameat2 system call, for a libc that does not wrap it (before glibc 2.28).
_RENAMEAT2_SYSCALL = {"x86_64": 316, "aarch64": 276, "riscv64": 276, "i686": 353, "i386": 353}


class PublishError(Exception):
    """The site could not be published; the message is French and says what to do."""


class Terminated(SystemExit):
    """SIGTERM arrived during a build: raised so that ``finally`` blocks remove its files."""

    def __init__(self) -> None:
        super().__init__(128 + signal.SIGTERM)


@dataclass
class Workspace:
    """One build's hold on the work folder: the lock, and a staging folder to build into."""

    target: Path
    staging: Path
    _release: contextlib.ExitStack

    @property
    def folder(self) -> Path:
        """The work folder, ``.fichotheque/`` beside the target."""
        return self.staging.parent

    def publish(self, built: Path) -> Path | None:
        """Put the folder ``built`` in place of the target; the old site goes to the staging.

        Returns where the old site now is, if there was one.
        """
        target = self.target
        try:
            if not target.exists():
                os.replace(built, target)  # the first publication: nothing to replace
                return None
            _pause("before-exchange")
            if exchange(built, target):
                _pause("after-exchange")
                return built
            return _replace_with_journal(self.folder, built, target)
        except OSError as error:
            raise PublishError(
                f"le site n'a pas pu être publié dans « {target} » ({error.strerror or error})."
            ) from None

    def close(self) -> None:
        """Undo a publication left halfway, remove the staging folder, release the lock."""
        _pause("before-cleanup")
        self._release.close()


def work_folder(target: Path) -> Path:
    """The work folder of the builds published at ``target``: beside it."""
    return target.parent / WORK_DIR


def begin(target: Path) -> Workspace:
    """Take the lock beside ``target``, repair what a killed build left, make a staging folder.

    Until ``close()``, SIGTERM raises ``Terminated`` (in the main thread only).
    """
    folder = work_folder(target)
    stack = contextlib.ExitStack()
    try:
        stack.callback(_trap_sigterm())
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if not (folder / _GITIGNORE).exists():
                write_text(folder / _GITIGNORE, "*\n")
        except OSError as error:
            raise PublishError(
                f"le dossier « {target.parent} » ne peut pas accueillir le site "
                f"({error.strerror or error})."
            ) from None
        stack.callback(os.close, _lock(folder / _LOCK, _lock_timeout()))
        recover(folder)
        staging = folder / f"{_STAGING_PREFIX}{secrets.token_hex(4)}"
        try:
            _remove_leftovers(folder, target)
            _pause("after-recovery")
            staging.mkdir()
        except OSError as error:
            raise PublishError(
                f"le dossier de travail « {folder} » n'a pas pu être préparé "
                f"({error.strerror or error})."
            ) from None
        stack.callback(shutil.rmtree, staging, ignore_errors=True)
        stack.callback(recover, folder)  # runs first: a site renamed aside is put back
    except BaseException:
        stack.close()
        raise
    return Workspace(target, staging, stack)


def recover(folder: Path) -> None:
    """Finish what the journal of ``folder`` describes: a missing site gets its old one back.

    The journal exists only between the two renames of a fallback publication. If the
    target is missing, the kill fell between them: the previous site is renamed back.
    """
    journal = folder / _JOURNAL
    try:
        step = json.loads(journal.read_text(encoding="utf-8"))
        target, built, previous = (folder.parent / step[key] for key in _JOURNAL_KEYS)
    except FileNotFoundError:
        return
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise PublishError(
            f"le journal de publication « {journal} » est illisible ({error}) ; vérifiez que "
            "le site publié est complet, puis supprimez ce fichier."
        ) from None
    try:
        if not target.exists():
            os.replace(previous if previous.exists() else built, target)
        journal.unlink()
    except OSError as error:
        raise PublishError(
            f"la publication interrompue dans « {target} » n'a pas pu être réparée "
            f"({error.strerror or error})."
        ) from None


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step; False where this system or filesystem cannot."""
    if sys.platform != "linux" or os.environ.get(JOURNAL_ENV):
        return False
    libc = _libc()
    paths = (os.fsencode(first), os.fsencode(second))
    function = getattr(libc, "renameat2", None)
    if function is not None:
        function.restype = ctypes.c_int
        result = function(_AT_FDCWD, paths[0], _AT_FDCWD, paths[1], _RENAME_EXCHANGE)
    elif (number := _RENAMEAT2_SYSCALL.get(platform.machine())) is not None:
        libc.syscall.restype = ctypes.c_long
        result = libc.syscall(
            ctypes.c_long(number), ctypes.c_long(_AT_FDCWD), paths[0],
            ctypes.c_long(_AT_FDCWD), paths[1], ctypes.c_long(_RENAME_EXCHANGE),
        )  # fmt: skip
    else:
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _replace_with_journal(folder: Path, built: Path, target: Path) -> Path:
    """The fallback: rename the old site aside, then the new one in, under a journal."""
    previous = built.parent / "old-site"
    paths = (target, built, previous)
    step = {
        key: path.relative_to(folder.parent).as_posix()
        for key, path in zip(_JOURNAL_KEYS, paths, strict=True)
    }
    write_text(folder / _JOURNAL, json.dumps(step))
    _pause("journal-written")
    os.replace(target, previous)
    _pause("between-renames")
    os.replace(built, target)
    _pause("after-renames")
    (folder / _JOURNAL).unlink()
    return previous


def _remove_leftovers(folder: Path, target: Path) -> None:
    """Remove what killed builds left: staging folders and temporary files.

    Versions before the work folder staged beside the target, and a kill between their
    two renames left the old site hidden as ``.site.old-*``: it is put back if need be.
    """
    for entry in folder.iterdir():
        if entry.name.startswith(_STAGING_PREFIX) or entry.name.endswith(".tmp"):
            _remove(entry)
    hidden = []
    for entry in target.parent.iterdir():
        if entry.name.startswith(".fichotheque-build-"):
            _remove(entry)
        elif entry.name.startswith(f".{target.name}.old-"):
            hidden.append(entry)
    hidden.sort(key=lambda path: path.stat().st_mtime)
    if hidden and not target.exists():
        os.replace(hidden.pop(), target)
    for entry in hidden:
        _remove(entry)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _lock(path: Path, timeout: float) -> int:
    """An open descriptor of ``path`` holding its lock; waits ``timeout`` seconds at most."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise PublishError(
            f"le verrou « {path} » ne peut pas être créé ({error.strerror or error})."
        ) from None
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                holder = os.pread(fd, 20, 0).decode("ascii", "replace").strip()
                raise PublishError(
                    "une autre construction est en cours dans ce projet "
                    f"(processus {holder or 'inconnu'}, verrou « {path} ») et ne s'est pas "
                    f"terminée en {timeout:g} s ; réessayez quand elle sera finie."
                )
            time.sleep(_POLL_SECONDS)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except BaseException as error:
        os.close(fd)
        if isinstance(error, OSError):
            raise PublishError(
                f"le verrou « {path} » ne peut pas être pris ({error.strerror or error})."
            ) from None
        raise
    return fd


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _lock_timeout() -> float:
    """Seconds to wait for another build, from ``FICHOTHEQUE_LOCK_TIMEOUT``."""
    text = os.environ.get(LOCK_TIMEOUT_ENV)
    if text is None:
        return DEFAULT_LOCK_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise PublishError(f"{LOCK_TIMEOUT_ENV} doit être un nombre de secondes, pas « {text} ».")
    return seconds


def terminate(signum: int, frame: FrameType | None) -> None:
    """A signal handler that raises ``Terminated``, so that ``finally`` blocks run."""
    raise Terminated


def _trap_sigterm() -> Callable[[], object]:
    """Make SIGTERM raise ``Terminated``; returns what puts the previous handler back."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may set handlers
    previous = signal.getsignal(signal.SIGTERM)
    signal.signal(signal.SIGTERM, terminate)
    return lambda: signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _pause(point: str) -> None:
    """Test hook: at the point named by ``FICHOTHEQUE_TEST_PAUSE``, say so, and wait."""
    if os.environ.get(PAUSE_ENV) != point:
        return
    marker = os.environ.get(PAUSE_FILE_ENV)
    if marker:
        Path(marker).write_text(point, encoding="utf-8")
    time.sleep(_PAUSE_SECONDS)


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)
