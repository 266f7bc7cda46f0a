"""The glossary page: every acronym and jargon word with its meanings."""

from __future__ import annotations

from ..model import Catalogue
from .html import GLOSSARY, Page, esc


def render_glossary(catalogue: Catalogue) -> Page:
    """Every acronym and jargon word with its meanings."""
    items = []
    for entry in sorted(catalogue.glossary.entries, key=lambda e: e.term.casefold()):
        meanings = []
        for meaning in entry.meanings:
            text = f"<strong>{esc(meaning.expansion)}</strong>" if meaning.expansion else ""
            if meaning.context:
                text += f' <span class="glossaire-contexte">({esc(meaning.context)})</span>'
            if meaning.definition:
                text += (" — " if text else "") + esc(meaning.definition)
            meanings.append(f'<dd id="{esc(meaning.id)}">{text}</dd>')
        items.append(f"<dt><abbr>{esc(entry.term)}</abbr></dt>" + "".join(meanings))
    body = (
        "<h1>Glossaire</h1>\n\n<p>Les sigles et le vocabulaire employés dans les fiches, "
        "avec leur sens. Un même sigle peut avoir plusieurs sens selon le pays ou la "
        'région.</p>\n\n<dl class="glossaire">' + "".join(items) + "</dl>"
    )
    return Page(GLOSSARY, "Glossaire", "Les sigles et le vocabulaire des fiches, expliqués.", body)
