"""glossary.yml: acronyms and jargon, each with one or several meanings."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .files import read_text
from .problems import Problem
from .reading import Reader
from .setupschema import MEANING, MEANING_ID_RULE
from .text import slugify
from .yamlnodes import Mapping, Node, Scalar, Sequence, parse_yaml

MIN_EXPANSION = 8  # shorter expansions would match ordinary words


@dataclass(frozen=True)
class Meaning:
    """One meaning of a glossary term, in one context (PLI in Wallonia, PLI in Canada)."""

    id: str
    term: str
    expansion: str
    context: str
    definition: str


@dataclass(frozen=True)
class Entry:
    """A term as it appears in texts (an acronym or a word) and its meanings."""

    term: str
    meanings: tuple[Meaning, ...]

    @property
    def is_ambiguous(self) -> bool:
        """True when a fiche must say which meaning it uses."""
        return len(self.meanings) > 1

    def pattern(self) -> re.Pattern[str]:
        """Matches the term as a whole word, case kept (CAI, not « caisse »)."""
        return re.compile(rf"(?<![\w-]){re.escape(self.term)}(?![\w-])")


@dataclass(frozen=True)
class Glossary:
    """Every glossary entry, in the order written."""

    entries: tuple[Entry, ...] = ()

    def alphabetical(self) -> list[Entry]:
        """The entries in the order a reader looks them up: by term, case aside."""
        return sorted(self.entries, key=lambda e: e.term.casefold())

    def entry(self, term: str) -> Entry | None:
        """The entry for ``term`` as written, or None."""
        return next((entry for entry in self.entries if entry.term == term), None)

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        """Matches any term of the glossary as a whole word, the longest first."""
        if not self.entries:
            return None
        return re.compile(rf"(?<![\w-]){_trie(entry.term for entry in self.entries)}(?![\w-])")

    @cached_property
    def _expansions(self) -> tuple[tuple[Meaning, str], ...]:
        """The meanings long enough to be found written out, with their casefolded form."""
        return tuple(
            (m, m.expansion.casefold())
            for entry in self.entries
            for m in entry.meanings
            if len(m.expansion) >= MIN_EXPANSION
        )

    @cached_property
    def _by_id(self) -> dict[str, Meaning]:
        return {meaning.id: meaning for entry in self.entries for meaning in entry.meanings}

    def meanings(self, ids: Iterable[str]) -> tuple[Meaning, ...]:
        """The meanings with these ids, in that order; an id no longer there is left out."""
        return tuple(self._by_id[i] for i in ids if i in self._by_id)

    def used_in(self, text: str, chosen: dict[str, str]) -> tuple[Meaning, ...]:
        """The meanings ``text`` uses, honouring the meaning chosen for each term (``chosen``).

        An ambiguous term the text did not settle keeps all its meanings (the check warns).
        A meaning written out in full counts too: the box then names its acronym, which
        makes the fiche findable by either form.
        """
        if self.pattern is None:
            return ()
        found = {match.group(0) for match in self.pattern.finditer(text)}
        folded = " ".join(text.casefold().split())
        spelled = {m.id for m, expansion in self._expansions if expansion in folded}
        meanings: list[Meaning] = []
        for entry in self.entries:  # ids are unique in the glossary (the check says so)
            if entry.term in found:
                choice = chosen.get(entry.term)
                meanings += [m for m in entry.meanings if choice in (None, m.id) or m.id in spelled]
            elif spelled:
                meanings += [m for m in entry.meanings if m.id in spelled]
        return tuple(meanings)


_Trie = dict[str, "_Trie"]  # one character → what follows it; "" ends a word


def _trie(words: Iterable[str]) -> str:
    """A regular expression for any of ``words``, the longest that fits first, shaped as a
    trie: re tries each alternative of a plain « a|b|c » at every position of the text,
    a trie only the words that go on with the next character."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branches(node: _Trie) -> str:
        going_on = [re.escape(char) + branches(rest) for char, rest in node.items() if char]
        if not going_on:
            return ""
        group = "(?:" + "|".join(going_on) + ")"
        return group + "?" if "" in node else group  # greedy: the longer word first

    return branches(root)


def load_glossary(path: Path, file: str) -> tuple[Glossary, list[Problem]]:
    """Read and check glossary.yml. A project without one has an empty glossary."""
    if not path.exists():
        return Glossary(), []
    text, problems = read_text(path, file)
    if text is None:
        return Glossary(), problems
    root, problems = parse_yaml(text, file)
    reader = _GlossaryReader(file)
    reader.problems.extend(problems)
    return reader.read(root), reader.problems


class _GlossaryReader(Reader):
    def read(self, root: Node | None) -> Glossary:
        mapping = self.mapping(root, "", "Le glossaire")
        if mapping is None:
            return Glossary()
        entries: list[Entry] = []
        ids: dict[str, str] = {}
        seen: set[str] = set()
        for key, node in mapping.items:
            term = key.value.strip()
            if term in seen:  # already reported as a duplicate key
                continue
            seen.add(term)
            if not term:
                self.report(
                    key,
                    "cle-invalide",
                    "",
                    "Une entrée du glossaire n'a pas de terme.",
                    "Écrivez le sigle ou le mot avant les deux-points.",
                )
                continue
            meanings: list[Meaning] = []
            items = node.items if isinstance(node, Sequence) else [node]
            if not items:
                self.report(
                    node, "champ-manquant", term, f"« {term} » n'a aucun sens.",
                    "Ajoutez « forme_developpee: » ou « definition: », ou retirez l'entrée.",
                )  # fmt: skip
            for index, item in enumerate(items):
                field = f"{term}[{index + 1}]"
                if isinstance(item, Scalar):  # « BAPA: Bureau d'accueil… », the short form
                    item = Mapping(
                        [(Scalar("forme_developpee", item.mark), item)],
                        item.mark,
                        _index={"forme_developpee": (Scalar("forme_developpee", item.mark), item)},
                    )
                meaning = self.mapping(item, field, "Un sens")
                if meaning is None:
                    continue
                self.check_keys(meaning, MEANING.names, field + ".", "d'un sens du glossaire")
                if len(items) > 1:
                    self.require(meaning, ("id",), field + ".", "quand un terme a plusieurs sens")
                    meaning_id = self.text(meaning.get("id"), field + ".id")
                else:
                    meaning_id = self.text(meaning.get("id"), field + ".id") or slugify(term)
                expansion = self.text(meaning.get("forme_developpee"), field + ".forme_developpee")
                context = self.text(meaning.get("contexte"), field + ".contexte")
                definition = self.text(meaning.get("definition"), field + ".definition")
                if expansion is None and definition is None:
                    self.report(
                        meaning,
                        "champ-manquant",
                        field + ".forme_developpee",
                        f"Le sens de « {term} » n'a ni forme développée ni définition.",
                        "Ajoutez « forme_developpee: » ou « definition: ».",
                    )
                if len(items) > 1 and context is None and meaning.get("contexte") is None:
                    self.report(
                        meaning,
                        "champ-manquant",
                        field + ".contexte",
                        f"« {term} » a plusieurs sens : chacun doit dire son contexte.",
                        "Ajoutez « contexte: » : le pays, la région ou le domaine où ce sens "
                        "s'applique.",
                    )
                if meaning_id is None:
                    continue
                id_node = meaning.get("id")
                if id_node is None and not MEANING_ID_RULE.pattern.match(meaning_id):
                    self.report(
                        key, "slug-invalide", field + ".id",
                        f"Aucun identifiant ne peut être déduit de « {term} ».",
                        "Ajoutez « id: » avec des minuscules, des chiffres et des tirets.",
                    )  # fmt: skip
                    continue
                if not MEANING_ID_RULE.pattern.match(meaning_id):
                    self.report(
                        id_node, "slug-invalide", field + ".id",
                        f"« {meaning_id} » n'est pas un identifiant valable.",
                        "Utilisez des minuscules sans accent, des chiffres et des tirets.",
                    )  # fmt: skip
                    continue
                if meaning_id in ids:
                    deduced = "" if id_node else " (déduit du terme)"
                    self.report(
                        id_node or key, "identifiant-duplique", field + ".id",
                        f"L'identifiant « {meaning_id} »{deduced} est déjà celui d'un sens de "
                        f"« {ids[meaning_id]} ».",
                        "Donnez à ce sens un « id: » unique.",
                    )  # fmt: skip
                    continue
                ids[meaning_id] = term
                meanings.append(
                    Meaning(meaning_id, term, expansion or "", context or "", definition or "")
                )
            if meanings:
                entries.append(Entry(term, tuple(meanings)))
        return Glossary(tuple(entries))
