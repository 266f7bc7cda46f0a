"""Reading and writing files safely: checked kinds, sizes and encodings, atomic writes."""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from .problems import Problem, Severity
from .project import RESOURCES_DIR
from .text import french_number

BOM = "\ufeff"
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # absent on Windows, where there are no FIFOs

# What the system says, in French; another error keeps the system's own words.
_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOENT: "introuvable",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.ELOOP: "trop de liens symboliques",
    errno.ENAMETOOLONG: "nom trop long",
    errno.EIO: "erreur de lecture du disque",
    errno.EEXIST: "un fichier porte déjà ce nom",
    errno.ENOSPC: "disque plein",
    errno.EROFS: "disque en lecture seule",
}


class CopyError(Exception):
    """A file or folder that could not be copied into the site; the message is French."""


def os_reason(error: OSError) -> str:
    """Why the system refused, in French when the error is a common one."""
    return _REASONS.get(error.errno or 0, error.strerror or str(error))


def unreadable_file(file: str, error: OSError) -> Problem:
    """The problem of a file the system refuses to open or to stat."""
    return Problem(
        file, 0, 0, "fichier-illisible", Severity.ERROR, "",
        f"Le fichier « {file} » ne peut pas être lu ({os_reason(error)}).",
        f"Rendez-le lisible (par exemple « chmod a+r {file} ») ou retirez-le du dépôt.",
    )  # fmt: skip


def unreadable_folder(file: str, error: OSError) -> Problem:
    """The problem of a folder whose content cannot be listed."""
    return Problem(
        file, 0, 0, "dossier-illisible", Severity.ERROR, "",
        f"Le dossier « {file} » ne peut pas être lu ({os_reason(error)}) : ce qu'il contient "
        "ne serait ni vérifié ni publié.",
        f"Rendez-le lisible et traversable (par exemple « chmod a+rx {file} ») ou "
        "retirez-le du dépôt.",
    )  # fmt: skip


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in French: « un dossier »…"""
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISFIFO(mode):
        return "un tube nommé (FIFO)"
    if stat.S_ISSOCK(mode):
        return "une socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "un périphérique"
    return "un fichier spécial"


def not_a_file(file: str, mode: int) -> Problem:
    """The problem of a folder, a pipe or a device where a regular file is expected.

    Nothing is read from it: reading a pipe would wait forever for a writer.
    """
    unread = (
        "" if stat.S_ISDIR(mode) else " : il n'est pas lu, car sa lecture pourrait ne jamais finir"
    )
    return Problem(
        file, 0, 0, "fichier-special", Severity.ERROR, "",
        f"« {file} » est {kind_of(mode)}, là où un fichier ordinaire est attendu{unread}.",
        "Remplacez-le par un fichier ordinaire, ou renommez-le pour qu'il ne porte plus ce nom.",
    )  # fmt: skip


def too_big(file: str, size: int, limit: int) -> Problem:
    """The problem of a file larger than ``limit`` bytes, which is not read."""
    return Problem(
        file, 0, 0, "fichier-trop-gros", Severity.ERROR, "",
        f"Le fichier fait {french_number(size)} octets, au-delà de la limite de "
        f"{french_number(limit)} octets : il n'est ni lu ni vérifié.",
        "Raccourcissez-le ; un long document (rapport, annexe) se publie à part, comme "
        f"ressource rangée dans {RESOURCES_DIR}/.",
    )  # fmt: skip


def read_text(
    path: Path, file: str, *, max_bytes: int | None = None
) -> tuple[str | None, list[Problem]]:
    """The text of a UTF-8 file, BOM removed and line ends made ``\\n``.

    A file that is missing, unreadable, not a regular file, larger than ``max_bytes`` or
    not UTF-8 gives a problem instead of text. The file is stat-ed first: a pipe is never
    opened (reading it would block) and a file over the limit is never read.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, [
            Problem(
                file,
                0,
                0,
                "fichier-manquant",
                Severity.ERROR,
                "",
                f"Le fichier « {file} » est introuvable.",
                "Créez-le, ou lancez la commande depuis la racine de la base de fiches "
                "(l'option --root indique un autre dossier).",
            )
        ]
    except OSError as error:
        return None, [unreadable_file(file, error)]
    if not stat.S_ISREG(info.st_mode):
        return None, [not_a_file(file, info.st_mode)]
    if max_bytes is not None and info.st_size > max_bytes:
        return None, [too_big(file, info.st_size, max_bytes)]
    try:
        data, mode = _read_regular(path, max_bytes)
    except OSError as error:
        return None, [unreadable_file(file, error)]
    if not stat.S_ISREG(mode):  # replaced between the stat and the opening
        return None, [not_a_file(file, mode)]
    if max_bytes is not None and len(data) > max_bytes:  # grew in the meantime
        return None, [too_big(file, len(data), max_bytes)]
    return _decode(data, file)


def _read_regular(path: Path, max_bytes: int | None) -> tuple[bytes, int]:
    """The bytes of ``path`` (at most ``max_bytes + 1``), and its mode once opened.

    Opening without blocking, then checking the opened file, means that a pipe put in
    the file's place after the stat is never read.
    """
    descriptor = os.open(path, os.O_RDONLY | _NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            return b"", mode
        return handle.read(-1 if max_bytes is None else max_bytes + 1), mode


def _decode(data: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 bytes as text with ``\\n`` line ends; any other encoding as a problem."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            Problem(
                file, 1, 1, "encodage", Severity.ERROR, "",
                "Le fichier est en UTF-16 (souvent le choix « Unicode » de Windows), pas en UTF-8.",
                "Ouvrez-le dans votre éditeur et enregistrez-le en UTF-8.",
            )
        ]  # fmt: skip
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        before = data[: error.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = before.count(b"\n") + 1
        line_start = before[before.rfind(b"\n") + 1 :]
        column = len(line_start.decode("utf-8", errors="replace")) + 1
        byte = data[error.start : error.start + 1].hex()
        return None, [
            Problem(
                file,
                line,
                column,
                "encodage",
                Severity.ERROR,
                "",
                f"Le fichier n'est pas en UTF-8 : l'octet 0x{byte} ne peut pas être lu "
                "(le fichier vient sans doute de Windows en Latin-1 ou CP1252).",
                "Ouvrez-le dans votre éditeur et enregistrez-le en UTF-8.",
            )
        ]
    text = text.removeprefix(BOM)
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# mkstemp makes files only their owner can read; a written file gets the permissions
# any new file gets (a web server must read the site), or keeps those of the file it
# replaces.
NEW_FILE_MODE = 0o666 & ~_umask()


def _temporary_beside(path: Path, content: str | bytes) -> Path:
    """``content`` written whole in a temporary file of ``path``'s folder (text as UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = NEW_FILE_MODE
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_text(path: Path, text: str | bytes) -> None:
    """Write ``text`` through a temporary file renamed over ``path``: never half a file."""
    temporary = _temporary_beside(path, text)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_new_text(path: Path, text: str) -> bool:
    """Write ``text`` at ``path`` only if nothing is there; False when something was.

    The file appears whole or not at all, and a file created meanwhile by someone else is
    never replaced: the temporary file is linked to its name, which fails if it is taken.
    """
    temporary = _temporary_beside(path, text)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        temporary.unlink(missing_ok=True)
    return True


def published_entries(folder: Path) -> list[tuple[Path, bool]]:
    """The folders and regular files of ``folder`` that a build publishes, by name.

    Each comes with whether it is a folder. Never a link, a pipe or a hidden file: a
    link in docs/ could otherwise publish any file of the machine (/etc/shadow…).
    Raises OSError when ``folder`` cannot be listed.
    """
    with os.scandir(folder) as scan:
        entries = [
            (Path(entry.path), entry.is_dir(follow_symlinks=False))
            for entry in scan
            if not entry.name.startswith(".")
            and (entry.is_dir(follow_symlinks=False) or entry.is_file(follow_symlinks=False))
        ]
    return sorted(entries)


def published_files(folder: Path) -> list[Path]:
    """Every file below ``folder`` that a build publishes; unreadable parts are left out.

    (``unreadable_below`` reports them.)
    """
    try:
        entries = published_entries(folder)
    except OSError:
        return []
    files = []
    for path, is_dir in entries:
        files += published_files(path) if is_dir else [path]
    return files


def copy_failure(path: Path, what: str, error: OSError) -> str:
    return (
        f"{what} « {path} » n'a pas pu être copié dans le site ({os_reason(error)}) ; "
        "rendez-le lisible ou retirez-le, puis relancez la construction."
    )


def unreadable_below(folder: Path, root: Path) -> list[Problem]:
    """What a build could not read below ``folder``: a check finds it before a build.

    Files are opened without blocking and closed at once, never read.
    """
    if not folder.is_dir():
        return []
    problems: list[Problem] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            entries = published_entries(current)
        except OSError as error:
            problems.append(unreadable_folder(current.relative_to(root).as_posix(), error))
            continue
        for path, is_dir in entries:
            if is_dir:
                pending.append(path)
                continue
            try:
                os.close(os.open(path, os.O_RDONLY | _NONBLOCK))
            except OSError as error:
                problems.append(unreadable_file(path.relative_to(root).as_posix(), error))
    return problems


CACHE_ENV = "FICHOTHEQUE_CACHE"


def cache_dir() -> Path:
    """The user's cache folder for Fichothèque: downloads, the results of past checks."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fichotheque"


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a regular file's bytes; None for anything else (a pipe would block a
    reader) or a file that cannot be read.

    Remembered in this process while the file keeps its inode, size and times: a file
    written again, or replaced, has a new change time (the preview's next build reads
    only what changed).
    """
    try:
        status = path.lstat()
        if not stat.S_ISREG(status.st_mode):
            return None
        key = (str(path), status.st_dev, status.st_ino, status.st_size,
               status.st_mtime_ns, status.st_ctime_ns)  # fmt: skip
        if key not in _DIGESTS:
            if len(_DIGESTS) >= _DIGESTS_KEPT:
                _DIGESTS.clear()
            _DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return _DIGESTS[key]
    except OSError:
        return None


_DIGESTS: dict[tuple[str, int, int, int, int, int], str] = {}
_DIGESTS_KEPT = 200_000
