"""A fiche's page: summary, metadata, categories, body, resources, sources, links."""

from __future__ import annotations

import datetime as dt
import hashlib
import posixpath
from collections.abc import Iterable
from pathlib import Path

from ..bodycheck import unlink
from ..dates import MONTHS
from ..fiches import Fiche, Resource
from ..glossary import Meaning
from ..htmlpolicy import wrap_body
from ..model import Catalogue
from ..project import DOCS_DIR
from ..references import CITED, link_references
from ..routes import CATALOGUE, GLOSSARY, HOME, START_YEAR_FILTER, YEAR_FILTER
from ..schema import FIELDS, FIELDS_BY_KEY
from ..searchindex import start_year
from ..taxonomy import Facet, Term
from ..text import one_line
from .html import (
    Page,
    context_label,
    esc,
    fiche_list,
    fiche_path,
    file_path,
    href,
    markdown_text,
    period_tag,
    term_path,
    time_tag,
)
from .search import EVERY_FICHE, HIDDEN_END

# What the search leaves out of a fiche page: everything but its title, its summary and
# its body. Pagefind reads these selectors (engine.py); headings of generated sections
# carry SECTION. The acronym box is left out too (its definitions would match words the
# fiche never uses); its acronyms and their expansions are indexed from .fiche-index.
SECTION = "fiche-section"
NOT_INDEXED = (
    ".fil-ariane", ".fiche-verification", ".fiche-reference-titre", ".fiche-brouillon",
    ".fiche-meta", ".fiche-categories", f".{SECTION}", ".fiche-ressources", ".fiche-sources",
    ".fiche-sigles", ".fiche-liste", ".fiches-proches-explication", ".fiche-voisines",
    ".headerlink",
)  # fmt: skip


def section(title: str) -> str:
    """The Markdown heading of a section the page generates, marked as such."""
    return f"## {title} {{: .{SECTION} }}"


def resource_target(resource: Resource) -> str | None:
    """Where a resource file is published: it lies in docs/ressources/ and keeps its place.

    The check accepts no « fichier: » outside that folder, so the build copies it with
    the rest of docs/.
    """
    if resource.file is None:
        return None
    return file_path(DOCS_DIR, resource.file)


def _day(day: dt.date) -> str:
    return time_tag(day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}")


def _term_links(page: str, facet: Facet, slugs: tuple[str, ...]) -> str:
    """A facet's terms for one fiche, as links, under their group labels when grouped."""

    def links(terms: Iterable[Term]) -> str:
        items = "".join(
            f'<li><a href="{href(page, term_path(facet, t))}">{esc(t.label)}</a></li>'
            for t in terms
        )
        return f'<ul class="fiche-puces">{items}</ul>'

    chosen = [t for t in facet.terms if t.slug in slugs]
    if not facet.groups:
        return links(chosen)
    parts = []
    for group in facet.groups:
        in_group = [t for t in chosen if t.group == group.slug]
        if in_group:
            label = f'<span class="fiche-groupe">{esc(group.label)} :</span>'
            parts.append(f"{label} {links(in_group)}")
    return "".join(parts)


def _size(path: Path) -> str:
    size = path.stat().st_size
    if size < 1000:
        return f"{size} octets"
    if size < 1_000_000:
        return f"{size / 1000:.0f} Ko"
    return f"{size / 1_000_000:.1f} Mo".replace(".", ",")


def render_fiche(
    catalogue: Catalogue, fiche: Fiche, root: Path | None = None, *, body_secret: str = ""
) -> Page:
    """A fiche's page: title, summary, metadata, categories, body, resources, sources, links.

    With ``body_secret``, the body is staged between the markers the sanitiser looks for.
    """
    page = fiche_path(fiche)
    parts = [
        '<nav class="fil-ariane" aria-label="Fil d\'Ariane"><ol>'
        f'<li><a href="{href(page, HOME)}">Accueil</a></li>'
        f'<li><a href="{href(page, CATALOGUE)}">Toutes les fiches</a></li></ol></nav>',
        f'<h1 class="fiche-titre">{esc(fiche.title)}</h1>',
    ]
    if fiche.reviewed:
        # As on public-service sites: how fresh the information is, before anything else.
        label = esc(FIELDS_BY_KEY["verifie_le"].label)
        parts.append(f'<p class="fiche-verification">{label} {_day(fiche.reviewed)}</p>')
    if fiche.is_draft:
        parts.append(
            '<p class="fiche-brouillon" role="note"><strong>Brouillon</strong> : cette fiche '
            "n'est pas publiée ; elle n'apparaît que dans l'aperçu local.</p>"
        )
    parts += [
        f'<p class="fiche-resume" data-pagefind-meta="resume">{esc(fiche.description)}</p>',
        _search_data(catalogue, fiche, catalogue.acronyms.get(fiche.slug, ())),
        _metadata(catalogue, fiche),
    ]
    categories = [
        f"<dt>{esc(facet.label)}</dt><dd>{_term_links(page, facet, fiche.terms_of(facet.key))}</dd>"
        for facet in catalogue.taxonomy.facets
        if fiche.terms_of(facet.key)
    ]
    if categories:
        parts.append(
            '<nav class="fiche-categories" aria-label="Catégories de la fiche">'
            "<dl>" + "".join(categories) + "</dl></nav>"
        )
    parts.append(wrap_body(link_fiche_references(catalogue, fiche), body_secret))
    if fiche.resources:
        items = "".join(_resource_item(page, r, root) for r in fiche.resources)
        parts += [section("Ressources à télécharger"), f'<ul class="fiche-ressources">{items}</ul>']
    if fiche.sources:
        items = "".join(_source_item(s.title, s.url, s.date) for s in fiche.sources)
        parts += [section("Sources"), f'<ul class="fiche-sources">{items}</ul>']
    meanings = catalogue.acronyms.get(fiche.slug, ())
    if meanings:
        parts += [section("Sigles et vocabulaire"), _acronyms_box(page, meanings)]
    parts += _related(catalogue, fiche, page)
    parts.append(_neighbours(catalogue, fiche, page))
    parts.append(_abbreviations(meanings))
    return Page(
        page, fiche.title, fiche.description, "\n\n".join(p for p in parts if p), indexed=True
    )


def fiche_page_digest(
    catalogue: Catalogue,
    fiche: Fiche,
    root: Path | None,
    body_secret: str,
    frame: bytes,
    source: str,
) -> str:
    """A digest of everything ``render_fiche`` reads for ``fiche``: when it is the one of
    the page staged by the last build, that page is the same (render/site.py keeps it).

    ``frame`` digests what every fiche page depends on: the code, the taxonomy; ``source``
    all the fiche itself was read from (check.py), which is cheaper to digest than the
    fiche. Keep this in step with render_fiche: tests build after each kind of change and
    compare the site with a cold build, file by file.
    """
    # Every « Fiche N » of the body, masked or not: more than it links, never fewer.
    numbers = CITED.findall(fiche.body) if "Fiche" in fiche.body else []
    cited = [catalogue.fiche_numbered(int(number)) for number in numbers]
    shown = [catalogue.fiche(slug) for slug in catalogue.related.get(fiche.slug, ())]
    shown += [catalogue.fiche(slug) for slug in catalogue.similar.get(fiche.slug, ())]
    shown += [catalogue.older(fiche), catalogue.newer(fiche)]
    facts = (
        source,
        body_secret,
        catalogue.acronyms.get(fiche.slug, ()),
        catalogue.changed.get(fiche.slug),
        catalogue.unpublished_links.get(fiche.slug, ()),
        [(other.slug, other.title, other is fiche) if other else None for other in cited],
        [(other.slug, other.title, other.period) if other else None for other in shown],
        [_size(root / r.file) if root is not None and r.file else None for r in fiche.resources],
    )
    # repr, not pickle: pickle writes a string seen twice by reference, so equal facts
    # held by other objects would give other bytes.
    return hashlib.sha256(frame + repr(facts).encode("utf-8")).hexdigest()


def _search_data(catalogue: Catalogue, fiche: Fiche, meanings: tuple[Meaning, ...]) -> str:
    """Invisible marks for Pagefind: a filter per facet, per year and for the start year
    (the date order of an index in parts, searchindex.py), the date to sort by.

    The acronyms of the fiche and their expansions are there as words, so that either form
    finds the fiche, without the definitions.
    """
    marks = [
        f'<span data-pagefind-filter="{esc(facet_key)}:{esc(slug)}"></span>'
        for facet_key, slugs in fiche.terms
        for slug in slugs
    ]
    marks += [
        f'<span data-pagefind-filter="{YEAR_FILTER}:{year}"></span>'
        for year in fiche.period.years()
    ]
    marks += [
        f'<span data-pagefind-filter="{START_YEAR_FILTER}:{start_year(fiche)}"></span>',
        f'<span data-pagefind-meta="date:{esc(fiche.period.french())}"></span>',
        f'<span data-pagefind-sort="date:{fiche.period.start.first_day.isoformat()}"></span>',
        f'<span data-pagefind-meta="organisation:{esc(fiche.organisation)}"></span>',
    ]
    words = " ".join(
        [EVERY_FICHE]
        + [f"{esc(m.term)} {esc(m.expansion)}" for m in meanings if m.expansion]
        + [HIDDEN_END]
    )
    return '<div class="fiche-index" hidden>' + "".join(marks) + words + "</div>"


def _metadata(catalogue: Catalogue, fiche: Fiche) -> str:
    """The fields declared for the page (schema.FIELDS), each as its kind shows it."""
    rows = [
        f"<dt>{esc(spec.label)}</dt><dd>{spec.kind.cell(value)}</dd>"
        for spec in FIELDS
        if spec.on_page
        and spec.kind.cell is not None
        and (value := fiche.value(spec.key)) not in (None, "", [], ())
    ]
    changed = catalogue.changed.get(fiche.slug)
    if changed:
        rows.append(f"<dt>Modifiée le</dt><dd>{_day(changed)}</dd>")
    return '<dl class="fiche-meta">' + "".join(rows) + "</dl>"


def link_fiche_references(catalogue: Catalogue, fiche: Fiche) -> str:
    """The body with each « Fiche 37 » naming another published fiche made a link, and
    followed by that fiche's title: « voir Fiche 8 » alone says nothing.

    A link to a fiche that is not published (a draft, a fiche left out) becomes its text,
    as a « Fiche 37 » whose fiche is not published stays text."""
    page_dir = posixpath.dirname(fiche_path(fiche))

    def link(number: int, text: str) -> str | None:
        other = catalogue.fiche_numbered(number)
        if other is None or other is fiche:
            return None
        path = file_path(page_dir, fiche_path(other))
        title = f'<span class="fiche-reference-titre">(« {markdown_text(other.title)} »)</span>'
        return f"[{text}]({path}) {title}"

    body = unlink(fiche.body.strip(), catalogue.unpublished_links.get(fiche.slug, ()))
    return link_references(body, link)


def _acronyms_box(page: str, meanings: tuple[Meaning, ...]) -> str:
    items = []
    for meaning in meanings:
        text = esc(meaning.expansion or meaning.definition)
        text += context_label(meaning.context)
        link = f"{href(page, GLOSSARY)}#{esc(meaning.id)}"
        items.append(
            f'<dt><a href="{link}"><abbr>{esc(meaning.term)}</abbr></a></dt><dd>{text}</dd>'
        )
    return '<dl class="fiche-sigles">' + "".join(items) + "</dl>"


def _abbreviations(meanings: tuple[Meaning, ...]) -> str:
    """Markdown abbreviation definitions: every use of a term in the body gets a tooltip."""
    by_term: dict[str, list[str]] = {}
    for meaning in meanings:
        by_term.setdefault(meaning.term, []).append(
            one_line(meaning.expansion or meaning.definition)
        )
    return "\n".join(f"*[{term}]: {' ou '.join(texts)}" for term, texts in by_term.items())


def _related(catalogue: Catalogue, fiche: Fiche, page: str) -> list[str]:
    named = [catalogue.fiche(slug) for slug in catalogue.related.get(fiche.slug, ())]
    similar = [catalogue.fiche(slug) for slug in catalogue.similar.get(fiche.slug, ())]
    parts = []
    if any(named):
        parts += [
            section("Fiches liées"),
            fiche_list(page, [f for f in named if f], summaries=False),
        ]
    if any(similar):
        parts += [
            section("Fiches proches"),
            '<p class="fiches-proches-explication">Elles partagent le plus de catégories '
            "avec celle-ci.</p>",
            fiche_list(page, [f for f in similar if f], summaries=False),
        ]
    return parts


def _neighbours(catalogue: Catalogue, fiche: Fiche, page: str) -> str:
    links = []
    older, newer = catalogue.older(fiche), catalogue.newer(fiche)
    if older:
        links.append(
            f'<a class="fiche-precedente" href="{href(page, fiche_path(older))}" rel="prev">'
            f"← Fiche précédente : {esc(older.title)} ({period_tag(older.period)})</a>"
        )
    if newer:
        links.append(
            f'<a class="fiche-suivante" href="{href(page, fiche_path(newer))}" rel="next">'
            f"Fiche suivante : {esc(newer.title)} ({period_tag(newer.period)}) →</a>"
        )
    if not links:
        return ""
    return (
        '<nav class="fiche-voisines" aria-label="Fiches voisines dans le temps">'
        + " ".join(links)
        + "</nav>"
    )


def _resource_item(page: str, resource: Resource, root: Path | None) -> str:
    target = resource_target(resource)
    if target is not None:
        link = href(page, target)
        kind = Path(target).suffix.lstrip(".").upper() or "fichier"
        details = kind
        if root is not None and resource.file:
            details += ", " + _size(root / resource.file)
        item = f'<a href="{link}" download>{esc(resource.title)}</a> <span>({esc(details)})</span>'
    else:
        assert resource.url is not None
        item = f'<a href="{esc(resource.url)}">{esc(resource.title)}</a>'
    if resource.description:
        item += f" — {esc(resource.description)}"
    return f"<li>{item}</li>"


def _source_item(title: str, url: str | None, date: str | None) -> str:
    text = f'<a href="{esc(url)}">{esc(title)}</a>' if url else f"<cite>{esc(title)}</cite>"
    if date:
        text += f", {time_tag(date, date)}"
    return f"<li>{text}</li>"
