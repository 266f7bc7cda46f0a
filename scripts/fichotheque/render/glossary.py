"""The glossary page: every acronym and jargon word, its meanings and the fiches using them."""

from __future__ import annotations

from ..fiches import Fiche
from ..glossary import Entry, Meaning
from ..model import Catalogue
from ..routes import GLOSSARY
from ..text import fold
from .html import Page, context_label, count_fiches, esc, fiche_list, fiche_path, href
from .paging import cut, paged


def _letter(term: str) -> str:
    """The letter a term is filed under: « Égalité » under E, « 3D » under #."""
    first = fold(term)[:1].upper()
    return first if first.isalpha() else "#"


def entry_keys(entry: Entry) -> str:
    """What finds an entry, folded: the term, then each expansion (« pli plan local … »)."""
    forms = [entry.term, *(m.expansion for m in entry.meanings if m.expansion)]
    return "|".join(fold(form) for form in forms)


def _alphabet(letters: list[str]) -> str:
    """The A–Z index at the top of the glossary: a link for each letter that has entries."""
    links = " ".join(
        f'<a href="#lettre-{esc(letter.lower())}">{esc(letter)}</a>' for letter in letters
    )
    return f'<nav class="glossaire-index" aria-label="Index alphabétique">{links}</nav>\n\n'


USERS_SHOWN = 5  # fiches named under a meaning; the others are one click further
# Past this many fiches, the others are listed on a page of the meaning's own
# (glossaire/<id>/), not folded into the glossary: the glossary stays the same size
# however many fiches use a word.
USERS_FOLDED = 50


def meaning_path(meaning: Meaning) -> str:
    """The page listing every fiche that uses a much-used meaning."""
    return f"{GLOSSARY.removesuffix('.md')}/{meaning.id}.md"


def _has_own_page(catalogue: Catalogue, meaning: Meaning) -> bool:
    return len(catalogue.fiches_using(meaning)) > USERS_SHOWN + USERS_FOLDED


def _meaning_label(meaning: Meaning) -> str:
    """A meaning's expansion, its context and its definition, as HTML."""
    text = f"<strong>{esc(meaning.expansion)}</strong>" if meaning.expansion else ""
    text += context_label(meaning.context)
    if meaning.definition:
        text += " — " if text else ""
        text += f'<span class="glossaire-definition">{esc(meaning.definition)}</span>'
    return text


def meaning_text(
    page: str,
    catalogue: Catalogue,
    meaning: Meaning,
    *,
    shown: int = USERS_SHOWN,
    more_at: str = "",
) -> str:
    """A meaning: its expansion, its context, its definition and the fiches that use it.

    Past ``shown`` fiches, the rest are folded away, or linked at ``more_at``.
    """
    text = _meaning_label(meaning)
    users = catalogue.fiches_using(meaning)
    if not users:
        return text

    def links(fiches: list[Fiche]) -> str:
        return ", ".join(
            f'<a href="{href(page, fiche_path(f))}">{esc(f.title)}</a>' for f in fiches
        )

    first, rest = users[:shown], users[shown:]
    if not first:
        return text + (
            f'<br><span class="glossaire-fiches"><a href="{more_at}">Employé dans '
            f"{count_fiches(len(rest))}</a></span>"
        )
    text += f'<br><span class="glossaire-fiches">Employé dans : {links(first)}'
    if rest and more_at:
        text += f' et <a href="{more_at}">{count_fiches(len(rest))} de plus</a>'
    text += "</span>"
    if rest and not more_at:
        text += (
            f'<details class="glossaire-suite"><summary>et {count_fiches(len(rest))} de plus'
            f"</summary>{links(rest)}</details>"
        )
    return text


def render_meanings(catalogue: Catalogue) -> list[Page]:
    """A page (or several) for each much-used meaning: every fiche that uses it."""
    pages: list[Page] = []
    for entry in catalogue.glossary.alphabetical():
        for meaning in entry.meanings:
            if not _has_own_page(catalogue, meaning):
                continue
            path = meaning_path(meaning)
            users = catalogue.fiches_using(meaning)
            title = f"{entry.term} : {meaning.expansion}" if meaning.expansion else entry.term
            intro = (
                f"<h1><abbr>{esc(entry.term)}</abbr></h1>\n\n<p>{_meaning_label(meaning)}</p>\n\n"
                f"<p>Employé dans <strong>{count_fiches(len(users))}</strong> · "
                f'<a href="{href(path, GLOSSARY)}#{esc(meaning.id)}">Retour au glossaire</a></p>'
            )
            first = Page(path, title, meaning.definition, intro)
            pages += paged(first, cut(users), lambda page, piece: fiche_list(page, list(piece)))
    return pages


def render_glossary(catalogue: Catalogue) -> Page:
    """Every acronym and jargon word with its meanings and the fiches that use each one."""
    items: list[str] = []
    letters: list[str] = []
    entries = catalogue.glossary.alphabetical()
    for entry in entries:
        meanings = [
            f'<dd id="{esc(meaning.id)}">'
            + meaning_text(
                GLOSSARY, catalogue, meaning,
                more_at=href(GLOSSARY, meaning_path(meaning))
                if _has_own_page(catalogue, meaning) else "",
            )
            + "</dd>"
            for meaning in entry.meanings
        ]  # fmt: skip
        letter = _letter(entry.term)
        anchor = ""
        if letter not in letters:
            letters.append(letter)
            anchor = f' id="lettre-{esc(letter.lower())}"'
        items.append(
            f'<div class="glossaire-entree" data-cles="{esc(entry_keys(entry))}">'
            f"<dt{anchor}><abbr>{esc(entry.term)}</abbr></dt>" + "".join(meanings) + "</div>"
        )
    body = (
        "<h1>Glossaire</h1>\n\n<p>Les sigles et le vocabulaire employés dans les fiches, "
        "avec leur sens et les fiches qui les emploient. Un même sigle peut avoir plusieurs "
        f"sens selon le pays ou la région.</p>\n\n<p>{len(entries)} entrées.</p>\n\n"
        + _alphabet(letters)
        + '<p class="glossaire-filtre" hidden><label for="glossaire-filtre">Filtrer le glossaire'
        '</label> <input type="search" id="glossaire-filtre" autocomplete="off"> '
        '<span id="glossaire-compte" role="status"></span></p>\n\n'
        + '<dl class="glossaire">'
        + "".join(items)
        + "</dl>"
    )
    return Page(GLOSSARY, "Glossaire", "Les sigles et le vocabulaire des fiches, expliqués.", body)
