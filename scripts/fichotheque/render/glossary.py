"""The glossary page: every acronym and jargon word, its meanings and the fiches using them."""

from __future__ import annotations

from ..model import Catalogue
from ..routes import GLOSSARY
from .html import Page, context_label, esc, fiche_path, href


def render_glossary(catalogue: Catalogue) -> Page:
    """Every acronym and jargon word with its meanings and the fiches that use each one."""
    items = []
    entries = sorted(catalogue.glossary.entries, key=lambda e: e.term.casefold())
    for entry in entries:
        meanings = []
        for meaning in entry.meanings:
            text = f"<strong>{esc(meaning.expansion)}</strong>" if meaning.expansion else ""
            text += context_label(meaning.context)
            if meaning.definition:
                text += (" — " if text else "") + esc(meaning.definition)
            users = catalogue.fiches_using(meaning)
            if users:
                links = ", ".join(
                    f'<a href="{href(GLOSSARY, fiche_path(f))}">{esc(f.title)}</a>' for f in users
                )
                text += f'<br><span class="glossaire-fiches">Employé dans : {links}</span>'
            meanings.append(f'<dd id="{esc(meaning.id)}">{text}</dd>')
        items.append(f"<dt><abbr>{esc(entry.term)}</abbr></dt>" + "".join(meanings))
    body = (
        "<h1>Glossaire</h1>\n\n<p>Les sigles et le vocabulaire employés dans les fiches, "
        "avec leur sens et les fiches qui les emploient. Un même sigle peut avoir plusieurs "
        f"sens selon le pays ou la région.</p>\n\n<p>{len(entries)} entrées.</p>\n\n"
        '<dl class="glossaire">' + "".join(items) + "</dl>"
    )
    return Page(GLOSSARY, "Glossaire", "Les sigles et le vocabulaire des fiches, expliqués.", body)
