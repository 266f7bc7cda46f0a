"""Typed reading of YAML nodes, turning every surprise into a French problem.

Each loader (taxonomy, glossary, fiches) reads through one ``Reader``, so that a
missing key, a list where text was expected or an unknown key is worded the same
everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from .limits import MAX_PROBLEMS_SHOWN, MAX_TEXT_CHARS
from .problems import Problem, Severity
from .text import french_number, suggest
from .yamlnodes import Mapping, Mark, Node, Scalar, Sequence, describe

BOOLEAN_WORDS = {"true": True, "false": False, "oui": True, "non": False}


class Reader:
    """Reads nodes of one file and collects the problems found there."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def report(
        self,
        where: Node | Mark | None,
        code: str,
        field: str,
        message: str,
        hint: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record a problem at a node, at a mark, or on the whole file (None)."""
        mark = where if isinstance(where, Mark) or where is None else where.mark
        line, column = (mark.line, mark.column) if mark else (0, 0)
        self.problems.append(Problem(self.file, line, column, code, severity, field, message, hint))

    def mapping(self, node: Node | None, field: str, what: str) -> Mapping | None:
        """``node`` if it is a mapping; otherwise report it and return None."""
        if node is None or isinstance(node, Mapping):
            return node
        self.report(
            node,
            "type-invalide",
            field,
            f"{what} doit être un dictionnaire de clés et de valeurs ; trouvé {describe(node)}.",
            "Écrivez une clé par ligne, sous la forme « clé: valeur ».",
        )
        return None

    def text(self, node: Node | None, field: str) -> str | None:
        """The text of a non-empty scalar; report anything else."""
        if node is None:
            return None
        if isinstance(node, Scalar) and not node.is_null and node.value.strip():
            return node.value.strip() if self._short_enough(node, field) else None
        self.report(
            node,
            "type-invalide" if not isinstance(node, Scalar) else "valeur-vide",
            field,
            f"Le champ « {field} » attend un texte ; trouvé {describe(node)}.",
            "Écrivez le texte après les deux-points, entre guillemets s'il contient "
            "« : » ou « # ».",
        )
        return None

    def max_chars(self, field: str) -> int:
        """The longest text ``field`` may hold; readers of a kind of file may set their own."""
        return MAX_TEXT_CHARS

    def _short_enough(self, node: Scalar, field: str) -> bool:
        """Whether the text of ``node`` fits ``max_chars``; if not, report it."""
        length, limit = len(node.value.strip()), self.max_chars(field)
        if length <= limit:
            return True
        self.report(
            node,
            "texte-trop-long",
            field,
            f"Le texte de « {field} » fait {french_number(length)} caractères ; la limite est "
            f"de {french_number(limit)}. Il commence par « {node.value.strip()[:40]}… ».",
            "Raccourcissez-le : ce champ est repris tel quel dans les listes, les pages et les "
            "données ouvertes.",
        )
        return False

    def scalars(self, node: Node | None, field: str) -> list[Scalar]:
        """The non-empty scalars of a list (a single scalar counts as a list of one)."""
        if node is None:
            return []
        items = node.items if isinstance(node, Sequence) else [node]
        result = []
        for item in items:
            if isinstance(item, Scalar) and not item.is_null and item.value.strip():
                if self._short_enough(item, field):
                    result.append(item)
            else:
                self.report(
                    item,
                    "type-invalide",
                    field,
                    f"Chaque élément de « {field} » doit être un texte ; trouvé {describe(item)}.",
                    "Écrivez un élément par ligne, précédé de « - ».",
                )
        return result

    def sequence(self, node: Node | None, field: str) -> list[Node]:
        """The items of a list; report anything that is not a list."""
        if node is None:
            return []
        if isinstance(node, Sequence):
            return node.items
        self.report(
            node,
            "type-invalide",
            field,
            f"Le champ « {field} » attend une liste ; trouvé {describe(node)}.",
            "Écrivez un élément par ligne, précédé de « - ».",
        )
        return []

    def boolean(self, node: Node | None, field: str) -> bool | None:
        """true/false (or oui/non); report anything else."""
        if node is None:
            return None
        if isinstance(node, Scalar) and node.value.lower() in BOOLEAN_WORDS:
            return BOOLEAN_WORDS[node.value.lower()]
        self.report(
            node,
            "type-invalide",
            field,
            f"Le champ « {field} » attend true ou false ; trouvé {describe(node)}.",
            "Écrivez true (oui) ou false (non).",
        )
        return None

    def check_keys(self, mapping: Mapping, allowed: Iterable[str], prefix: str, what: str) -> None:
        """Report every key of ``mapping`` that is not ``allowed``, with a did-you-mean."""
        allowed = list(allowed)
        spellings = {name: name for name in allowed}
        # A did-you-mean costs a fuzzy search; past the problems a terminal shows, the
        # keys are no typos (a pasted file, a generated one) and the list of fields helps more.
        guesses = MAX_PROBLEMS_SHOWN
        for key, _value in mapping.items:
            if key.value in allowed:
                continue
            if key.value == "<<" and not key.quoted:
                self.report(
                    key, "cle-inconnue", prefix + key.value,
                    "La fusion YAML « << » n'est pas permise : chaque fiche écrit ses champs.",
                    "Recopiez les champs voulus à la place de la ligne « <<: … ».",
                )  # fmt: skip
                continue
            guess = suggest(key.value, spellings) if guesses > 0 else None
            guesses -= 1
            hint = (
                f"Vouliez-vous dire « {guess} » ?"
                if guess
                else "Champs permis : " + ", ".join(allowed) + "."
            )
            self.report(
                key,
                "cle-inconnue",
                prefix + key.value,
                f"« {key.value} » n'est pas un champ connu {what}.",
                hint,
            )

    def require(
        self,
        mapping: Mapping,
        keys: Iterable[str],
        prefix: str,
        what: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Report every key of ``keys`` missing from ``mapping``."""
        for key in keys:
            if mapping.get(key) is None:
                self.report(
                    mapping,
                    "champ-manquant",
                    prefix + key,
                    f"Le champ obligatoire « {key} » manque {what}.",
                    f"Ajoutez une ligne « {key}: … ».",
                    severity,
                )
