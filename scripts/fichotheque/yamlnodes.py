"""YAML read as a tree of nodes that keep their position and the text staff wrote.

PyYAML's loaders guess types (``2015-06-01`` becomes a date, ``no`` becomes False,
``1.10`` becomes 1.1), silently keep the last of two duplicate keys and, with the
wrong loader, run arbitrary tags. Here YAML is only *composed*: every scalar stays
the string that was written, with its line and column, and the validators decide
what it means. Duplicate keys and tags outside plain YAML are reported as problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem, Severity
from .text import FORBIDDEN, INVISIBLE, describe_character

# libyaml's composer keeps the same marks as PyYAML's and is about 20 times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TOO_DEEP = yaml.ScalarNode("tag:yaml.org,2002:null", "")

_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map", "merge")
}


@dataclass(frozen=True)
class Mark:
    """A position in a file: line and column, both from 1."""

    line: int
    column: int


@dataclass(eq=False)
class Scalar:
    """A YAML scalar as written. ``quoted`` tells ``"no"`` from ``no``."""

    value: str
    mark: Mark
    quoted: bool = False
    tag: str | None = None  # a tag outside plain YAML, kept only where tags are allowed

    @property
    def is_null(self) -> bool:
        """True for an empty or ``null``/``~`` value written without quotes."""
        return not self.quoted and self.value in ("", "~", "null", "Null", "NULL")


@dataclass(eq=False)
class Sequence:
    """A YAML list."""

    items: list[Node]
    mark: Mark
    tag: str | None = None


@dataclass(eq=False)
class Mapping:
    """A YAML mapping; keys are scalars, in the order written."""

    items: list[tuple[Scalar, Node]]
    mark: Mark
    tag: str | None = None
    _index: dict[str, tuple[Scalar, Node]] = field(default_factory=dict, repr=False)

    def get(self, key: str) -> Node | None:
        """The value of the first occurrence of ``key``, or None."""
        entry = self._index.get(key)
        return entry[1] if entry else None

    def key_node(self, key: str) -> Scalar | None:
        """The key node of the first occurrence of ``key``, to point at it."""
        entry = self._index.get(key)
        return entry[0] if entry else None

    def keys(self) -> list[str]:
        """The distinct keys, in the order written."""
        return list(self._index)


Node = Scalar | Sequence | Mapping

KIND_NAMES = {Scalar: "une valeur simple", Sequence: "une liste", Mapping: "un dictionnaire"}


def describe(node: Node) -> str:
    """A French phrase for what kind of value a node is, to quote in messages."""
    if isinstance(node, Scalar):
        return "une valeur vide" if node.is_null else f"« {node.value} »"
    return KIND_NAMES[type(node)]


# Frequent PyYAML messages, in the words an editor understands.
_SYNTAX_HINTS = (
    (
        "cannot start any token",
        "un caractère interdit en début de valeur (une tabulation ?) ; "
        "indentez avec des espaces et mettez entre guillemets une valeur qui commence "
        "par @, ` ou %",
    ),
    (
        "mapping values are not allowed",
        "un « : » inattendu ; mettez entre guillemets une valeur qui contient « : »",
    ),
    ("could not find expected ':'", "un « : » manque après une clé, ou une ligne est mal indentée"),
    ("expected <block end>", "l'indentation est incohérente : alignez les clés d'un même niveau"),
    ("found unexpected end of stream", "des guillemets ou un crochet ne sont pas refermés"),
    ("<stream end>", "un crochet [ ou une accolade { n'est pas refermé"),
    (
        "expected ',' or ']'",
        "un crochet [ n'est pas refermé, ou une virgule manque entre deux éléments",
    ),
    ("expected ',' or '}'", "une accolade { n'est pas refermée, ou une virgule manque"),
    ("found undefined alias", "un alias * renvoie à une ancre & qui n'existe pas"),
    ("expected a single document", "le bloc contient plusieurs documents YAML"),
    ("did not find expected key", "une ligne est mal indentée ou un tiret de liste est mal placé"),
    ("did not find expected node content", "une valeur manque ou un caractère est mal placé"),
    ("found duplicate anchor", "une ancre & est définie deux fois"),
)


def _syntax_hint(problem: str) -> str:
    for needle, text in _SYNTAX_HINTS:
        if needle in problem:
            return text
    return "vérifiez l'indentation, les deux-points et les guillemets de cette ligne"


def parse_yaml(
    text: str, file: str, *, line_offset: int = 0, tags: bool = False
) -> tuple[Node | None, list[Problem]]:
    """Compose ``text`` into position-keeping nodes, with the problems found.

    ``line_offset`` is the number of file lines before ``text`` starts, so that
    marks point into the file rather than into the extracted block. With ``tags``
    (mkdocs.yml's ``!ENV``…), tags are kept on the nodes instead of being refused.
    """
    problems = forbidden_characters(text, file, line_offset=line_offset)
    # PyYAML counts U+2028 and its kind as line breaks: blanking them keeps lines right.
    text = FORBIDDEN.sub(" ", text)
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        if "nesting depth" not in str(error.problem):  # libyaml's own limit on nesting
            return None, [*problems, _syntax_problem(error, file, line_offset)]
        root = _TOO_DEEP
    except RecursionError:
        root = _TOO_DEEP
    if root is _TOO_DEEP:
        message = "Le YAML imbrique des listes ou des dictionnaires trop profondément."
        hint = "Une fiche n'a besoin que de deux ou trois niveaux : simplifiez ce bloc."
        problem = Problem(
            file, line_offset + 1, 1, "yaml-invalide", Severity.ERROR, "", message, hint
        )
        return None, [*problems, problem]
    if root is None:
        return None, problems
    builder = _Builder(file, line_offset, tags=tags)
    built = builder.build(root)
    return built, problems + builder.problems


def _syntax_problem(error: yaml.MarkedYAMLError, file: str, line_offset: int) -> Problem:
    mark = error.problem_mark or error.context_mark
    if error.context_mark is not None and "quoted scalar" in (error.context or ""):
        # An unclosed quote is found only at the end of the block: point at the quote.
        mark = error.context_mark
    line = mark.line + 1 + line_offset if mark else line_offset + 1
    column = mark.column + 1 if mark else 1
    found = (error.problem or error.context or "erreur de syntaxe").strip()
    opened = ""
    start, context = error.context_mark, error.context or ""
    # Only an unclosed bracket or quote is worth pointing back to; a block mapping's
    # start is usually the first line of the front matter and says nothing.
    if (
        start is not None
        and start.line != line - 1 - line_offset
        and ("flow" in context or "quoted" in context)
    ):
        opened = f" ; le bloc en cause commence ligne {start.line + 1 + line_offset}"
    message = f"Le YAML ne peut pas être lu : {_syntax_hint(found)}{opened} (PyYAML : « {found} »)."
    hint = "Corrigez cette ligne ; si elle semble juste, regardez la ligne précédente."
    return Problem(file, line, column, "yaml-invalide", Severity.ERROR, "", message, hint)


def forbidden_characters(
    text: str, file: str, *, line_offset: int = 0, pattern: re.Pattern[str] = FORBIDDEN
) -> list[Problem]:
    """A problem for every invisible control character of ``text``, where it stands."""
    problems = []
    for number, line in enumerate(text.split("\n"), start=1 + line_offset):
        for match in pattern.finditer(line):
            problems.append(_forbidden(file, Mark(number, match.start() + 1), match.group(0)))
    return problems


def _forbidden(file: str, mark: Mark, char: str) -> Problem:
    return Problem(
        file, mark.line, mark.column, "caractere-interdit", Severity.ERROR, "",
        f"Le texte contient un caractère invisible interdit, {describe_character(char)}.",
        "Supprimez-le : il vient souvent d'un copier-coller depuis un traitement de texte "
        "ou un PDF.",
    )  # fmt: skip


def _invisible(file: str, mark: Mark, value: str, index: int) -> Problem:
    return Problem(
        file, mark.line, mark.column, "caractere-invisible", Severity.ERROR, "",
        f"La valeur contient un caractère invisible, {describe_character(value[index])}, "
        f"en position {index + 1} : « {value[max(0, index - 20) : index]}⟦ici⟧"
        f"{value[index + 1 : index + 20]} ». "
        "Il peut masquer ou retourner le texte affiché, ou rendre deux valeurs différentes "
        "en apparence identiques.",
        "Retapez la valeur au clavier, sans copier-coller depuis un traitement de texte "
        "ou un PDF.",
    )  # fmt: skip


class _Builder:
    """Turns PyYAML nodes into ours, reporting tags and duplicate keys on the way."""

    def __init__(self, file: str, line_offset: int, *, tags: bool = False) -> None:
        self.tags = tags
        self.file = file
        self.line_offset = line_offset
        self.problems: list[Problem] = []
        # An alias makes two places share one node; building each node once keeps
        # "billion laughs" documents linear and recursive anchors finite.
        self._built: dict[int, Node] = {}

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1)

    def build(self, node: yaml.Node) -> Node:
        built = self._built.get(id(node))
        if built is not None:
            return built
        mark = self.mark(node)
        tag = node.tag if node.tag not in _STANDARD_TAGS else None
        if tag is not None and not self.tags:
            shown = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(
                Problem(
                    self.file,
                    mark.line,
                    mark.column,
                    "tag-yaml-interdit",
                    Severity.ERROR,
                    "",
                    f"L'étiquette YAML « {shown} » n'est pas permise : une fiche ne contient "
                    "que du texte, des listes et des dictionnaires.",
                    "Retirez l'étiquette qui commence par « ! » devant la valeur.",
                )
            )
        result: Node
        if isinstance(node, yaml.ScalarNode):
            value = node.value
            if FORBIDDEN.search(value):  # written as an escape, such as "\\x00" or "\\ud800"
                self.problems.append(_forbidden(self.file, mark, FORBIDDEN.findall(value)[0]))
                value = FORBIDDEN.sub("\ufffd", value)
            invisible = INVISIBLE.search(value)
            if invisible:
                self.problems.append(_invisible(self.file, mark, value, invisible.start()))
            result = Scalar(value, mark, quoted=node.style in ("'", '"'), tag=tag)
        elif isinstance(node, yaml.SequenceNode):
            result = Sequence([], mark, tag=tag)
            self._built[id(node)] = result
            result.items.extend(self.build(item) for item in node.value)
        else:
            result = Mapping([], mark, tag=tag)
            self._built[id(node)] = result
            for key_node, value_node in node.value:
                key = self.build(key_node)
                if not isinstance(key, Scalar):
                    self.problems.append(
                        Problem(
                            self.file, key.mark.line, key.mark.column, "type-invalide",
                            Severity.ERROR, "",
                            f"Une clé doit être un texte ; trouvé {describe(key)}.",
                            "Écrivez la clé en toutes lettres avant les deux-points.",
                        )
                    )  # fmt: skip
                    continue
                value = self.build(value_node)
                self._add_entry(result, key, value)
        self._built[id(node)] = result
        return result

    def _add_entry(self, mapping: Mapping, key: Scalar, value: Node) -> None:
        mapping.items.append((key, value))
        first = mapping._index.get(key.value)
        if first is None:
            mapping._index[key.value] = (key, value)
            return
        self.problems.append(
            Problem(
                self.file,
                key.mark.line,
                key.mark.column,
                "cle-dupliquee",
                Severity.ERROR,
                key.value,
                f"La clé « {key.value} » apparaît deux fois (déjà ligne {first[0].mark.line}) ; "
                "YAML ne garderait que la dernière valeur.",
                "Fusionnez les deux valeurs sous une seule clé.",
            )
        )
