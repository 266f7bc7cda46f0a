"""A Markdown extension: the HTML blocks Fichothèque writes skip Python-Markdown's parser.

Generated pages write their metadata as raw HTML blocks (see render/__init__.py), which
Python-Markdown passes through untouched, but only after feeding the whole page to
``html.parser`` to find them: a third of its time on a fiche page. Each such block is a
complete element on its own, between blank lines, outside any body. This preprocessor,
run just before Python-Markdown's own (``html_block``), stores those blocks as raw HTML
at once. The output is the same: Python-Markdown would have stored them the same way.

What lies between a body's markers (fiches, the home text, the pages of docs/) is
written by people and is left to Python-Markdown, whatever it looks like. The staged
mkdocs.yml lists this extension; an engine that does not load it (Zensical) renders the
same blocks the slow way.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

from .htmlpolicy import body_markers

NAME = "fichotheque.generated_html"
_OPENING = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)[\s>]")
_BODY_START, _BODY_END = (marker.split(":", 1)[0] for marker in body_markers(""))


class GeneratedHtmlPreprocessor(Preprocessor):
    """Store every complete block-level HTML block outside the bodies as raw HTML."""

    def run(self, lines: list[str]) -> list[str]:
        chunks = "\n".join(lines).split("\n\n")
        in_body = False
        for index, chunk in enumerate(chunks):
            if chunk.startswith(_BODY_START):
                in_body = True
            elif chunk.startswith(_BODY_END):
                in_body = False
            elif not in_body and self._complete_block(chunk):
                chunks[index] = self.md.htmlStash.store(chunk)
        return "\n\n".join(chunks).split("\n")

    def _complete_block(self, chunk: str) -> bool:
        """``<tag …>…</tag>``, a block-level tag opened first and closed last."""
        opening = _OPENING.match(chunk)
        if opening is None:
            return False
        tag = opening.group(1).lower()
        return self.md.is_block_level(tag) and chunk.rstrip().lower().endswith(f"</{tag}>")


class GeneratedHtmlExtension(Extension):
    """Registers :class:`GeneratedHtmlPreprocessor` just before ``html_block``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(GeneratedHtmlPreprocessor(md), "fichotheque_generated_html", 25)
        md.registerExtension(self)


def makeExtension(**kwargs: object) -> GeneratedHtmlExtension:
    """The entry point Python-Markdown calls for ``fichotheque.generated_html``."""
    return GeneratedHtmlExtension(**kwargs)
