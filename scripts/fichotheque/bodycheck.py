"""A fiche body, read as its author wrote it: what the sanitiser will remove, and weak links.

The sanitiser (``htmlpolicy.sanitise``) runs on the HTML after Markdown, where positions
are lost. This reads the Markdown source instead, with code blocks and code spans
masked, so that every raw tag, attribute, URL and attribute list is reported at its
line and column, against the same declarations the sanitiser uses.
"""

from __future__ import annotations

import bisect
import functools
import html
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field

from . import htmlpolicy as policy
from .problems import Problem, Severity
from .text import INVISIBLE, blank, describe_character, fold
from .yamlnodes import Mark

# Link texts that say nothing out of context (compared folded: no case, no accents).
VAGUE_LINK_TEXTS = frozenset(
    fold(text)
    for text in (
        "ici", "cliquez ici", "cliquer ici", "clique ici", "lien", "ce lien", "le lien",
        "voir", "voir ici", "en savoir plus", "plus", "lire la suite", "la suite", "là",
        "page", "cette page", "document", "ce document", "télécharger",
    )
)  # fmt: skip

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])\s")
_CODE_SPAN = re.compile(r"(?<!`)(`{1,20})(?!`)(.{1,5000}?)(?<!`)\1(?!`)", re.S)
# « <!--> » and « <!---> » close at once for a browser: never read them as openers.
_COMMENT = re.compile(r"<!--(?!-?>)(.*?)(-->|\Z)", re.S)
_TRAP_COMMENT = re.compile(r"<!---?>|--!>")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>")
_DESTINATION = r"(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()]*)*)"
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\\n]|\\.|\[[^\[\]\n]{0,500}\]){0,500})\]\(\s*" + _DESTINATION
    + r"""(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"""
)  # fmt: skip
_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[([^\]\n]+)\]:[ \t]*(<[^<>\n]*>|\S+)", re.M)
_REFERENCE_USE = re.compile(
    r"(!?)\[((?:[^\[\]\\\n]|\\.){0,500})\](?:\[([^\[\]\n]{0,500})\])?(?![(:])"
)
_ATTR_LIST = re.compile(r"\{:?[ \t]*([^{}\n]{1,500}?)[ \t]*\}")
_ATTR_TOKEN = re.compile(r"""[#.][\w:-]+|[\w:-]+=(?:"[^"]*"|'[^']*'|[^\s"'}]+)|[\w:-]+""")


@dataclass(frozen=True)
class BodyLink:
    """A relative link of a body, to resolve once every page is known."""

    target: str
    mark: Mark


@dataclass
class BodyReport:
    """What reading a body found: its problems, its relative links and its anchors."""

    problems: list[Problem] = field(default_factory=list)
    links: list[BodyLink] = field(default_factory=list)
    anchors: set[str] = field(default_factory=set)


def mask_code(text: str) -> str:
    """``text`` with code blocks, code spans and comments blanked, newlines kept.

    What is inside code is shown as typed, never run; masking keeps every other
    character at its offset, so that positions stay right.
    """
    lines = text.split("\n")
    fence: str | None = None
    previous_blank, context_is_list = True, False
    for index, line in enumerate(lines):
        opening = _FENCE.match(line)
        if fence is not None:
            if opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            lines[index] = " " * len(line)
            continue
        if opening:
            fence = opening.group(1)
            lines[index] = " " * len(line)
            continue
        indented = line.startswith(("    ", "\t"))
        if line.strip() and indented and previous_blank and not context_is_list:
            lines[index] = " " * len(line)
            continue  # an indented code block: previous_blank stays as it was
        if line.strip():
            context_is_list = bool(_LIST_ITEM.match(line)) or (indented and context_is_list)
        previous_blank = not line.strip()
    masked = "\n".join(lines)
    masked = _CODE_SPAN.sub(lambda m: blank(m.group(0)), masked)
    return _COMMENT.sub(lambda m: "<!--" + blank(m.group(1)) + m.group(2), masked)


def _bare(url: str) -> str:
    """A link destination as the check records it: no spaces, no angle brackets."""
    return url.strip().removeprefix("<").removesuffix(">")


def unlink(body: str, targets: Collection[str]) -> str:
    """``body`` with each Markdown link to one of ``targets`` replaced by its text.

    Links are found exactly as the check finds them (code masked, inline and reference
    links), so the links replaced are the ones the check resolved. Images stay.
    """
    if not targets:
        return body
    masked = mask_code(body)
    masked = _AUTOLINK.sub(lambda m: blank(m.group(0)), masked)
    references = {
        fold(m.group(1)): _bare(m.group(2)) for m in _REFERENCE_DEFINITION.finditer(masked)
    }
    spans = [
        match.span(0) + match.span(2)
        for match in _INLINE_LINK.finditer(masked)
        if not match.group(1) and _bare(match.group(3)) in targets
    ]
    masked = _INLINE_LINK.sub(lambda m: blank(m.group(0)), masked)
    for match in _REFERENCE_USE.finditer(masked):
        url = references.get(fold(match.group(3) or match.group(2)))
        if not match.group(1) and url is not None and url in targets:
            spans.append(match.span(0) + match.span(2))
    pieces, last = [], 0
    for start, end, text_start, text_end in sorted(spans):
        pieces += [body[last:start], body[text_start:text_end]]
        last = end
    pieces.append(body[last:])
    return "".join(pieces)


class _Positions:
    """Offsets of the body turned into file marks."""

    def __init__(self, text: str, start: Mark) -> None:
        self.text = text
        self.first_line = start.line

    @functools.cached_property
    def starts(self) -> list[int]:
        """Where each line begins; counted only once a problem needs a position."""
        return [0] + [match.end() for match in re.finditer("\n", self.text)]

    def mark(self, offset: int) -> Mark:
        line = bisect.bisect_right(self.starts, offset) - 1
        return Mark(self.first_line + line, offset - self.starts[line] + 1)

    def offset(self, line: int, column: int) -> int:
        """The offset of a (1-based line, 0-based column) of the body text."""
        return self.starts[line - 1] + column


def check_body(body: str, start: Mark, file: str, hosts: Iterable[str] = ()) -> BodyReport:
    """Read a fiche body: every construct the sanitiser removes, weak links, invisible text."""
    return _BodyReader(body, start, file, tuple(hosts)).read()


class _BodyReader:
    def __init__(self, body: str, start: Mark, file: str, hosts: tuple[str, ...]) -> None:
        self.body = body
        self.file = file
        self.hosts = hosts
        self.positions = _Positions(body, start)
        self.report = BodyReport()

    def problem(self, offset: int, code: str, message: str, hint: str, severity: Severity) -> None:
        mark = self.positions.mark(offset)
        self.report.problems.append(
            Problem(self.file, mark.line, mark.column, code, severity, "corps", message, hint)
        )

    def read(self) -> BodyReport:
        self._invisible()
        masked = mask_code(self.body)
        # An opener is unclosed when no « --> » comes after it: look after the last one only.
        unclosed = masked.find("<!--", max(0, masked.rfind("-->") - 3))
        if unclosed != -1 and "-->" not in masked[unclosed + 4 :]:
            self.problem(
                unclosed, "html-dangereux",
                "Ce commentaire HTML « <!-- » n'est jamais refermé : tout ce qui le suit "
                "disparaîtrait de la page.",
                "Refermez-le par « --> », ou retirez-le.",
                Severity.ERROR,
            )  # fmt: skip
        for match in _TRAP_COMMENT.finditer(masked):
            self.problem(
                match.start(), "html-dangereux",
                f"« {match.group(0)} » ferme un commentaire HTML d'une façon que les "
                "navigateurs lisent autrement que l'œil : ce qui suit pourrait s'exécuter.",
                "Écrivez un commentaire complet, « <!-- note --> », ou retirez-le.",
                Severity.ERROR,
            )  # fmt: skip
        masked = self._autolinks(masked)
        references = self._reference_definitions(masked)
        masked = self._inline_links(masked)
        self._reference_uses(masked, references)
        self._attribute_lists(masked)
        _TagScanner(self).scan(masked)
        self._headings(masked)
        return self.report

    # Characters

    def _invisible(self) -> None:
        for match in INVISIBLE.finditer(self.body):
            char = match.group(0)
            at_line_end = char in "\u2028\u2029" and self.body[match.end() : match.end() + 1] in (
                "\n",
                "",
            )
            what = describe_character(char)
            self.problem(
                match.start(), "caractere-invisible",
                f"Le texte contient un caractère invisible, {what}"
                + (" en fin de ligne ; la construction le remplace par un saut de ligne."
                   if at_line_end else " : il peut masquer ou retourner le texte affiché."),
                "Supprimez-le : il vient souvent d'un copier-coller depuis un traitement de "
                "texte ou un PDF.",
                Severity.WARNING,
            )  # fmt: skip

    # URLs

    def url(self, offset: int, url: str, *, loads: bool, what: str) -> None:
        """Report a dangerous scheme, or a third-party host for what loads by itself."""
        url = _bare(url)
        if policy.is_dangerous_url(url):
            scheme = policy.url_scheme(url)
            self.problem(
                offset, "url-dangereuse",
                f"{what} utilise une adresse « {scheme}: » ({_short(url)}), qui peut exécuter "
                "du code dans le navigateur des visiteurs.",
                "Remplacez-la par une adresse https:// ou par un fichier de docs/ressources/.",
                Severity.ERROR,
            )  # fmt: skip
            return
        host = policy.url_host(url)
        if loads and host is not None and not policy.host_allowed(host, self.hosts):
            self.problem(
                offset, "contenu-tiers",
                f"{what} se charge depuis « {host} » : chaque visiteur enverrait son adresse "
                "IP et la page visitée à ce site tiers. Par défaut, rien ne se charge d'un "
                "autre site.",
                "Copiez le fichier dans docs/ressources/ et indiquez ce chemin, ou, si "
                f"l'organisation l'accepte, ajoutez « {host} » à « extra.hotes_autorises » "
                "dans mkdocs.yml.",
                Severity.ERROR,
            )  # fmt: skip
            return
        if not loads and host is None and policy.url_scheme(url) is None:
            self.report.links.append(BodyLink(url, self.positions.mark(offset)))

    def _autolinks(self, masked: str) -> str:
        for match in _AUTOLINK.finditer(masked):
            self.url(match.start(), match.group(1), loads=False, what="Le lien")
        return _AUTOLINK.sub(lambda m: blank(m.group(0)), masked)

    def _reference_definitions(self, masked: str) -> dict[str, str]:
        references = {}
        for match in _REFERENCE_DEFINITION.finditer(masked):
            label, url = match.group(1), match.group(2)
            references[fold(label)] = url
            self.url(match.start(2), url, loads=False, what=f"La référence « [{label}] »")
        return references

    def _inline_links(self, masked: str) -> str:
        for match in _INLINE_LINK.finditer(masked):
            image, text, url = match.group(1), match.group(2), match.group(3)
            if image:
                self.url(match.start(3), url, loads=True, what="L'image")
                if not text.strip():
                    self._missing_alt(match.start())
            else:
                self.url(match.start(3), url, loads=False, what="Le lien")
                self.link_text(match.start(), text, url)
        return _INLINE_LINK.sub(lambda m: blank(m.group(0)), masked)

    def _reference_uses(self, masked: str, references: dict[str, str]) -> None:
        for match in _REFERENCE_USE.finditer(masked):
            image, text, label = match.group(1), match.group(2), match.group(3)
            url = references.get(fold(label or text))
            if url is None:
                continue
            if image:
                self.url(match.start(), url, loads=True, what="L'image")
                if not text.strip():
                    self._missing_alt(match.start())
            else:
                self.link_text(match.start(), text, url)

    def _missing_alt(self, offset: int) -> None:
        self.problem(
            offset, "image-sans-alt",
            "L'image n'a pas de texte de remplacement : une personne aveugle ne saura pas "
            "ce qu'elle montre.",
            "Décrivez l'image entre les crochets : « ![Affiche de l'atelier](…) ».",
            Severity.WARNING,
        )  # fmt: skip

    def link_text(self, offset: int, text: str, url: str) -> None:
        """Report a link text that says nothing out of context, or a bare address."""
        shown = re.sub(r"[*_`]", "", text).strip()
        bare = re.match(r"^(?:https?://|www\.)", shown, re.I) is not None
        if fold(shown) in VAGUE_LINK_TEXTS or bare:
            self.problem(
                offset, "lien-peu-parlant",
                f"Le texte du lien, « {_short(shown)} », ne dit pas où il mène ; une personne "
                "qui parcourt les liens au clavier ou avec un lecteur d'écran l'entend seul.",
                "Écrivez ce que le lien ouvre, par exemple « [le programme de la journée]"
                f"({_short(url)}) ».",
                Severity.WARNING,
            )  # fmt: skip

    # Attribute lists: {: #id .class key=value }

    def _attribute_lists(self, masked: str) -> None:
        for match in _ATTR_LIST.finditer(masked):
            tokens = _ATTR_TOKEN.findall(match.group(1))
            if "".join(tokens).replace(" ", "") != match.group(1).replace(" ", ""):
                continue  # not an attribute list: ordinary text between braces
            for token in tokens:
                if token[0] in "#.":
                    if token[0] == "." and not policy.allowed_class(token[1:]):
                        self.removed(match.start(), f"la classe « {token[1:]} »")
                    continue
                key, _, value = token.partition("=")
                self.attribute(match.start(), "", key.lower(), value.strip("\"'"), in_list=True)

    def attribute(
        self, offset: int, tag: str, name: str, value: str, *, in_list: bool = False
    ) -> None:
        """Report one attribute the sanitiser removes, as an error when it is dangerous."""
        where = f"l'attribut « {name} »" + (f" de <{tag}>" if tag else "")
        if name.startswith(policy.DANGEROUS_PREFIXES) or name in policy.DANGEROUS_ATTRIBUTES:
            self.problem(
                offset, "html-dangereux",
                f"{where[0].upper()}{where[1:]} peut exécuter du code, recouvrir la page ou "
                "détourner la recherche ; il est refusé.",
                "Retirez-le : une fiche ne contient ni code ni mise en page, le thème s'en "
                "charge.",
                Severity.ERROR,
            )  # fmt: skip
            return
        if name in policy.URL_ATTRIBUTES and value:
            before = len(self.report.problems)
            self.url(
                offset, value, loads=name in policy.LOADING_ATTRIBUTES, what=where.capitalize()
            )
            if len(self.report.problems) > before:
                return
        allowed = name in policy.ATTR_LIST_KEYS if in_list else policy.allowed_attribute(tag, name)
        if name == "class" and allowed:
            for cls in value.split():
                if not policy.allowed_class(cls):
                    self.removed(offset, f"la classe « {cls} »")
        elif name == "id" and allowed and not policy.allowed_id(value):
            self.removed(offset, f"l'identifiant « {value} »")
        elif not allowed:
            self.removed(offset, where)

    def removed(self, offset: int, what: str) -> None:
        """A harmless construct the sanitiser drops: a warning."""
        self.problem(
            offset, "html-retire",
            f"{what[0].upper()}{what[1:]} disparaîtra de la page publiée.",
            "Retirez-le de la fiche ; le guide de rédaction liste le HTML permis.",
            Severity.WARNING,
        )  # fmt: skip

    # Anchors

    def _headings(self, masked: str) -> None:
        from markdown.extensions.toc import slugify, unique

        ids: set[str] = set()
        for match in re.finditer(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", masked, re.M):
            text = re.sub(r"\{[^}]*\}\s*$", "", match.group(1))
            explicit = re.search(r"\{[^}]*#([\w:-]+)[^}]*\}\s*$", match.group(1))
            anchor = explicit.group(1) if explicit else unique(slugify(text, "-"), ids)
            ids.add(anchor)
        ids.update(re.findall(r"\bid=[\"']?([\w:.-]+)", masked))
        ids.update(re.findall(r"\{[^{}\n]{0,500}?#([\w:-]+)[^{}\n]{0,500}\}", masked))
        self.report.anchors = ids


# Raw HTML tags, read as a browser splits them (HTML5 lets « < » start an attribute name).
# Every repetition is bounded, so that no input makes the scan quadratic.
_NAME = r"[A-Za-z][\w:-]{0,60}"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+)"""
_ATTRIBUTE = re.compile(rf"""([^\s/>"'=]{{1,200}})(?:\s*=\s*({_VALUE}))?""")
_TAG = re.compile(
    rf"""<(?:/({_NAME})\s*>|({_NAME})((?:[\s/]+[^\s/>"'=]{{1,200}}(?:\s*=\s*{_VALUE})?){{0,60}})"""
    r"[\s/]*?(/?)>)"
)


_TAG_START = re.compile(r"</?[A-Za-z]")


class _TagScanner:
    """Raw HTML of a masked body: every element and attribute against the policy."""

    def __init__(self, reader: _BodyReader) -> None:
        self.reader = reader
        self.link: tuple[int, int, str] | None = None  # where <a> starts and ends, its href
        self.open: list[tuple[str, int]] = []

    def scan(self, masked: str) -> None:
        for match in self._tags(masked):
            closing, name, attributes, self_closing = match.groups()
            if closing:
                self.end_tag(closing.lower(), match.start(), masked)
                continue
            values: dict[str, str] = {}
            for attribute in _ATTRIBUTE.finditer(attributes):
                value = attribute.group(2) or ""
                if value[:1] in ("'", '"'):
                    value = value[1:-1]
                values.setdefault(attribute.group(1).lower(), html.unescape(value))
            self.start_tag(name.lower(), values, match, closed=bool(self_closing))
        for tag, offset in self.open:
            if tag in policy.DANGEROUS_TAGS:
                continue  # already an error of its own
            self.reader.problem(
                offset, "html-dangereux",
                f"L'élément <{tag}> n'est jamais refermé : il engloberait tout ce qui suit et "
                "casserait la fin de la page.",
                f"Ajoutez « </{tag}> » là où il doit finir, ou retirez-le.",
                Severity.ERROR,
            )  # fmt: skip

    def _tags(self, masked: str) -> Iterator[re.Match[str]]:
        """Every tag, in order. A tag that cannot be read is an error and is skipped whole.

        A browser reads everything from « <a » to the next « > » as one tag, so the scan
        jumps there: each character is looked at a bounded number of times.
        """
        position = 0
        while (start := masked.find("<", position)) != -1:
            match = _TAG.match(masked, start)
            if match is not None:
                yield match
                position = match.end()
                continue
            position = start + 1
            if not _TAG_START.match(masked, start):
                continue  # « a < b », not a tag
            end = masked.find(">", start)
            if end == -1:
                break  # no tag can end: the rest is text
            self.reader.problem(
                start, "html-dangereux",
                f"La balise « {_short(masked[start : end + 1], 40)} » est mal formée (guillemet "
                "non refermé, attributs sans fin…) : un navigateur la lirait autrement et elle "
                "pourrait avaler le texte qui suit.",
                "Corrigez-la ou retirez-la ; si « < » fait partie du texte, écrivez « &lt; ».",
                Severity.ERROR,
            )  # fmt: skip
            position = end + 1

    def start_tag(
        self, tag: str, values: dict[str, str], match: re.Match[str], *, closed: bool
    ) -> None:
        offset = match.start()
        reader = self.reader
        src_host = policy.url_host(values.get("src", "")) if values.get("src") else None
        embed_allowed = (
            tag in policy.EMBED_TAGS
            and src_host is not None
            and policy.host_allowed(src_host, reader.hosts)
        )
        if tag in policy.DANGEROUS_TAGS and not embed_allowed:
            reader.problem(
                offset, "html-dangereux",
                f"L'élément <{tag}> peut exécuter du code, envoyer des données ou prendre la "
                "place de la page ; il est refusé dans une fiche.",
                _DANGEROUS_HINTS.get(tag, "Retirez-le ; le guide de rédaction liste le HTML permis."),  # noqa: E501
                Severity.ERROR,
            )  # fmt: skip
        elif tag not in policy.ALLOWED_TAGS and not embed_allowed:
            reader.removed(offset, f"l'élément <{tag}> (son texte reste)")
        for name, value in values.items():
            reader.attribute(offset, tag, name, value)
        if tag == "img" and not values.get("alt", "").strip():
            reader._missing_alt(offset)
        if tag == "a" and "href" in values:
            self.link = (offset, match.end(), values["href"])
        if not closed and tag not in policy.VOID_TAGS and tag not in policy.OPTIONAL_END_TAGS:
            self.open.append((tag, offset))

    def end_tag(self, tag: str, offset: int, masked: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break
        if tag == "a" and self.link is not None:
            start, text_start, url = self.link
            text = html.unescape(re.sub(r"<[^<>]*>", "", masked[text_start:offset]))
            self.reader.link_text(start, text, url)
            self.link = None


_DANGEROUS_HINTS = {
    "iframe": "Pour une vidéo, mettez un lien vers elle ; un hôte autorisé dans "
    "« extra.hotes_autorises » peut seul être intégré.",
    "form": "Un formulaire d'une fiche pourrait recueillir des mots de passe : mettez un lien "
    "vers le vrai formulaire.",
    "style": "La mise en forme vient du thème ; utilisez les titres, listes et tableaux.",
}


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
