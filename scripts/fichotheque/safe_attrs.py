"""A Markdown extension: attribute lists that may set only an id and classes.

Python-Markdown's ``attr_list`` lets ``{: onfocus="…" autofocus }`` write any attribute,
which runs script on page load. The staged ``mkdocs.yml`` uses this extension in its
place: ``{: #id .class }`` and ``{ .md-button }`` keep working, every other key is
dropped. The sanitiser would remove such attributes anyway; this stops them earlier.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element

from markdown import Markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

NAME = "fichotheque.safe_attrs"


class SafeAttrListTreeprocessor(AttrListTreeprocessor):
    """``attr_list``, keeping only ``#id``, ``.class``, ``id=…`` and ``class=…``."""

    def assign_attrs(self, elem: Element, attrs_string: str, *, strict: bool = False) -> str:
        """Assign the id and classes of ``attrs_string`` to ``elem``; ignore the rest."""
        attrs, remainder = get_attrs_and_remainder(attrs_string)
        if strict and remainder:
            return remainder
        for key, value in attrs:
            if key in (".", "class") and value:
                classes = elem.get("class")
                elem.set("class", f"{classes} {value}" if classes else value)
            elif key == "id" and value:
                elem.set("id", value)
        return remainder


class SafeAttrListExtension(Extension):
    """Registers :class:`SafeAttrListTreeprocessor` where ``attr_list`` would be."""

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the tree processor under attr_list's name and priority."""
        md.treeprocessors.register(SafeAttrListTreeprocessor(md), "attr_list", 8)
        md.registerExtension(self)


def makeExtension(**kwargs: object) -> SafeAttrListExtension:
    """The entry point Python-Markdown calls for ``fichotheque.safe_attrs``."""
    return SafeAttrListExtension(**kwargs)
