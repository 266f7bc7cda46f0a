"""The glossary page: every acronym and jargon word, its meanings and the fiches using them."""

from __future__ import annotations

from ..model import Catalogue
from ..routes import GLOSSARY
from ..text import fold
from .html import Page, context_label, esc, fiche_path, href


def _letter(term: str) -> str:
    """The letter a term is filed under: « Égalité » under E, « 3D » under #."""
    first = fold(term)[:1].upper()
    return first if first.isalpha() else "#"


def _alphabet(letters: list[str]) -> str:
    """The A–Z index at the top of the glossary: a link for each letter that has entries."""
    links = " ".join(
        f'<a href="#lettre-{esc(letter.lower())}">{esc(letter)}</a>' for letter in letters
    )
    return f'<nav class="glossaire-index" aria-label="Index alphabétique">{links}</nav>\n\n'


def render_glossary(catalogue: Catalogue) -> Page:
    """Every acronym and jargon word with its meanings and the fiches that use each one."""
    items: list[str] = []
    letters: list[str] = []
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
        letter = _letter(entry.term)
        anchor = ""
        if letter not in letters:
            letters.append(letter)
            anchor = f' id="lettre-{esc(letter.lower())}"'
        items.append(f"<dt{anchor}><abbr>{esc(entry.term)}</abbr></dt>" + "".join(meanings))
    body = (
        "<h1>Glossaire</h1>\n\n<p>Les sigles et le vocabulaire employés dans les fiches, "
        "avec leur sens et les fiches qui les emploient. Un même sigle peut avoir plusieurs "
        f"sens selon le pays ou la région.</p>\n\n<p>{len(entries)} entrées.</p>\n\n"
        + _alphabet(letters)
        + '<dl class="glossaire">'
        + "".join(items)
        + "</dl>"
    )
    return Page(GLOSSARY, "Glossaire", "Les sigles et le vocabulaire des fiches, expliqués.", body)
