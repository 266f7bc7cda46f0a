"""Reading and writing files safely: checked encodings, atomic writes."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .problems import Problem, Severity

BOM = "\ufeff"


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """The text of a UTF-8 file, BOM removed and line ends made ``\\n``.

    A file that is missing or not UTF-8 gives a problem instead of text.
    """
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        return None, [
            Problem(
                file, 0, 0, "fichier-illisible", Severity.ERROR, "",
                f"« {file} » est un dossier, là où un fichier est attendu.",
                "Remplacez ce dossier par le fichier attendu.",
            )
        ]  # fmt: skip
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
        return None, [
            Problem(
                file,
                0,
                0,
                "fichier-illisible",
                Severity.ERROR,
                "",
                f"Le fichier « {file} » ne peut pas être lu ({error.strerror}).",
                "Vérifiez ses droits d'accès.",
            )
        ]
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


def write_text(path: Path, text: str) -> None:
    """Write ``text`` through a temporary file renamed over ``path``: never half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def copy_tree(source: Path, target: Path) -> None:
    """Copy the regular files and folders of ``source``: never a link, a pipe or a hidden file.

    A link in docs/ could otherwise publish any file of the machine (/etc/shadow…).
    """
    target.mkdir(parents=True, exist_ok=True)
    for entry in sorted(source.iterdir()):
        if entry.name.startswith(".") or entry.is_symlink():
            continue
        if entry.is_dir():
            copy_tree(entry, target / entry.name)
        elif entry.is_file():
            shutil.copyfile(entry, target / entry.name)
