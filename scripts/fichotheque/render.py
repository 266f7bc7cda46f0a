"""Plain Markdown pages for the site, with every user string HTML-escaped.

The pages are files any Material-compatible engine (MkDocs with Material for MkDocs,
or Zensical) renders as they are: no plugin runs at build time. Metadata is written
as raw HTML blocks, which Markdown passes through untouched, so that a title or a
partner name is always text and never markup. Links between generated pages are
computed here as relative URLs, which keeps the site working from a sub-path.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import yaml

from .dates import MONTHS
from .fiches import Fiche, Resource
from .model import Catalogue
from .schema import FIELDS_BY_KEY
from .taxonomy import Facet, Group, Term
from .text import one_line

HOME = "index.md"
CATALOGUE = "fiches/index.md"
GLOSSARY = "glossaire.md"
LATEST_ON_HOME = 5


def fiche_path(fiche: Fiche) -> str:
    """Where a fiche's page is written, relative to the docs folder."""
    return f"fiches/{fiche.slug}.md"


def facet_path(facet: Facet) -> str:
    """Where a facet's page (its terms and counts) is written."""
    return f"{facet.key}/index.md"


def term_path(facet: Facet, term: Term) -> str:
    """Where a term's page (its fiches) is written."""
    return f"{facet.key}/{term.slug}.md"


def url_of(path: str) -> str:
    """The directory URL a page path is served at: ``fiches/a.md`` → ``fiches/a/``."""
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        stem = stem.removesuffix("index").rstrip("/")
    return f"{stem}/" if stem else ""


def href(from_path: str, to_path: str) -> str:
    """A relative link from one page to a page or a file, as an escaped attribute value."""
    origin = url_of(from_path).rstrip("/") or "."
    target = url_of(to_path)
    relative = posixpath.relpath(target.rstrip("/") or ".", origin)
    if target.endswith("/") or not target:
        relative = "./" if relative == "." else relative + "/"
    return html.escape(quote(relative), quote=True)


def esc(text: str) -> str:
    """User text made safe to place in HTML, on one line (a blank line would end the block)."""
    return html.escape(one_line(text), quote=True)


@dataclass(frozen=True)
class Page:
    """One generated page: its path, its (raw) title and summary, its Markdown body."""

    path: str
    title: str
    description: str
    body: str

    def text(self) -> str:
        """The page file: front matter with escaped strings, then the body."""
        meta = {"title": esc(self.title)}
        if self.description:
            meta["description"] = esc(self.description)
        front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10**9)
        return f"---\n{front}---\n\n{self.body.rstrip()}\n"


@dataclass
class Site:
    """Every generated page, the files to copy beside them, and the navigation."""

    pages: list[Page] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    nav: list[object] = field(default_factory=list)
    staff_pages: list[str] = field(default_factory=list)


def resource_target(resource: Resource) -> str | None:
    """Where a repository file is published: files of docs/ keep their place."""
    if resource.file is None:
        return None
    if resource.file.startswith("docs/"):
        return resource.file.removeprefix("docs/")
    return f"fichiers/{resource.file}"


def render_site(catalogue: Catalogue, root: Path, *, home_intro: str = "") -> Site:
    """Every page of the site for ``catalogue``; ``home_intro`` is the hand-written home text."""
    site = Site()
    for fiche in catalogue.fiches:
        site.pages.append(render_fiche(catalogue, fiche, root))
        for resource in fiche.resources:
            target = resource_target(resource)
            if target and resource.file and not resource.file.startswith("docs/"):
                site.files[target] = root / resource.file
    for facet in catalogue.taxonomy.facets:
        site.pages.append(render_facet(catalogue, facet))
        site.pages.extend(render_term(catalogue, facet, term) for term in facet.terms)
    site.pages.append(render_catalogue(catalogue))
    site.pages.append(render_home(catalogue, home_intro))
    if catalogue.glossary.entries:
        site.pages.append(render_glossary(catalogue))
    site.nav = [
        {"Accueil": HOME},
        {"Toutes les fiches": CATALOGUE},
        {
            "Parcourir": [
                {esc(facet.label): facet_path(facet)} for facet in catalogue.taxonomy.facets
            ]
        },
    ]
    if catalogue.glossary.entries:
        site.nav.append({"Glossaire": GLOSSARY})
    return site


def _meta_row(key: str, value_html: str) -> str:
    return f"<dt>{esc(FIELDS_BY_KEY[key].label)}</dt><dd>{value_html}</dd>"


def _time(iso: str, text: str) -> str:
    return f'<time datetime="{esc(iso)}">{esc(text)}</time>'


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _term_links(page: str, facet: Facet, slugs: tuple[str, ...]) -> str:
    """A facet's terms for one fiche, as links, under their group labels when grouped."""

    def links(terms: Iterable[Term]) -> str:
        return ", ".join(
            f'<a href="{href(page, term_path(facet, t))}">{esc(t.label)}</a>' for t in terms
        )

    chosen = [t for t in facet.terms if t.slug in slugs]
    if not facet.groups:
        return links(chosen)
    parts = []
    for group in facet.groups:
        in_group = [t for t in chosen if t.group == group.slug]
        if in_group:
            parts.append(
                f'<span class="fiche-groupe">{esc(group.label)} :</span> {links(in_group)}'
            )
    return "<br>".join(parts)


def _size(path: Path) -> str:
    size = path.stat().st_size
    if size < 1000:
        return f"{size} octets"
    if size < 1_000_000:
        return f"{size / 1000:.0f} Ko"
    return f"{size / 1_000_000:.1f} Mo".replace(".", ",")


def render_fiche(catalogue: Catalogue, fiche: Fiche, root: Path | None = None) -> Page:
    """A fiche's page: title, summary, metadata, categories, body, resources, sources, links."""
    page = fiche_path(fiche)
    rows = [_meta_row("date", _time(fiche.period.iso(), fiche.period.french()))]
    if fiche.number is not None:
        rows.append(_meta_row("numero", str(fiche.number)))
    rows.append(_meta_row("organisation", esc(fiche.organisation)))
    if fiche.places:
        rows.append(_meta_row("lieux", ", ".join(esc(p) for p in fiche.places)))
    if fiche.region:
        rows.append(_meta_row("region", esc(fiche.region)))
    if fiche.partners:
        rows.append(_meta_row("partenaires", _list(esc(p) for p in fiche.partners)))
    if fiche.funding:
        rows.append(_meta_row("financements", _list(esc(p) for p in fiche.funding)))
    if fiche.reviewed:
        day = fiche.reviewed
        rows.append(
            _meta_row(
                "verifie_le",
                _time(day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}"),
            )
        )
    categories = [
        f"<dt>{esc(facet.label)}</dt><dd>{_term_links(page, facet, fiche.terms_of(facet.key))}</dd>"
        for facet in catalogue.taxonomy.facets
        if fiche.terms_of(facet.key)
    ]
    parts = [
        f'<h1 class="fiche-titre">{esc(fiche.title)}</h1>',
        f'<p class="fiche-resume">{esc(fiche.description)}</p>',
        '<dl class="fiche-meta">' + "".join(rows) + "</dl>",
    ]
    if categories:
        parts.append(
            '<nav class="fiche-categories" aria-label="Catégories de la fiche">'
            "<dl>" + "".join(categories) + "</dl></nav>"
        )
    parts.append(fiche.body.strip())
    if fiche.resources:
        parts.append("## Ressources à télécharger")
        parts.append(
            '<ul class="fiche-ressources">'
            + "".join(_resource_item(page, r, root) for r in fiche.resources)
            + "</ul>"
        )
    if fiche.sources:
        parts.append("## Sources")
        parts.append(
            '<ul class="fiche-sources">'
            + "".join(_source_item(s.title, s.url, s.date) for s in fiche.sources)
            + "</ul>"
        )
    related = [catalogue.fiche(slug) for slug in catalogue.related.get(fiche.slug, ())]
    if any(related):
        parts.append("## Fiches liées")
        parts.append(_fiche_list(page, [f for f in related if f is not None], summaries=False))
    return Page(page, fiche.title, fiche.description, "\n\n".join(parts))


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
        text += f", {_time(date, date)}"
    return f"<li>{text}</li>"


def _fiche_list(page: str, fiches: list[Fiche], *, summaries: bool = True) -> str:
    items = []
    for fiche in fiches:
        item = (
            f'<a href="{href(page, fiche_path(fiche))}">{esc(fiche.title)}</a> '
            f'<span class="fiche-date">({_time(fiche.period.iso(), fiche.period.french())})</span>'
        )
        if summaries:
            item += f'<br><span class="fiche-resume-court">{esc(fiche.description)}</span>'
        items.append(f"<li>{item}</li>")
    return '<ul class="fiche-liste">' + "".join(items) + "</ul>"


def _count(n: int) -> str:
    return f"{n} fiche" + ("s" if n > 1 else "")


def render_term(catalogue: Catalogue, facet: Facet, term: Term) -> Page:
    """A term's page: its description and every fiche that carries it, newest first."""
    page = term_path(facet, term)
    fiches = catalogue.fiches_with(facet, term)
    group = next((g for g in facet.groups if g.slug == term.group), None)
    trail = f'<a href="{href(page, facet_path(facet))}">{esc(facet.label)}</a>'
    if group:
        trail += f" · {esc(group.label)}"
    parts = [
        f"<h1>{esc(term.label)}</h1>",
        f'<p class="terme-facette">{trail}</p>',
    ]
    if term.description:
        parts.append(f'<p class="terme-description">{esc(term.description)}</p>')
    parts.append(f'<p class="terme-compte"><strong>{_count(len(fiches))}</strong></p>')
    parts.append(
        _fiche_list(page, fiches)
        if fiches
        else "<p>Aucune fiche publiée ne porte encore ce terme.</p>"
    )
    return Page(page, term.label, term.description, "\n\n".join(parts))


def _term_counts(page: str, catalogue: Catalogue, facet: Facet, group: Group | None) -> str:
    items = []
    for term in facet.terms_of_group(group):
        n = len(catalogue.fiches_with(facet, term))
        items.append(
            f'<li><a href="{href(page, term_path(facet, term))}">{esc(term.label)}</a> '
            f'<span class="terme-nombre">({_count(n)})</span></li>'
        )
    return '<ul class="facette-termes">' + "".join(items) + "</ul>"


def _facet_terms(page: str, catalogue: Catalogue, facet: Facet, level: int) -> str:
    if not facet.groups:
        return _term_counts(page, catalogue, facet, None)
    return "\n".join(
        f"<h{level}>{esc(group.label)}</h{level}>\n{_term_counts(page, catalogue, facet, group)}"
        for group in facet.groups
    )


def render_facet(catalogue: Catalogue, facet: Facet) -> Page:
    """A facet's page: its description and its terms, with how many fiches each has."""
    page = facet_path(facet)
    parts = [f"<h1>{esc(facet.label)}</h1>"]
    if facet.description:
        parts.append(f"<p>{esc(facet.description)}</p>")
    parts.append(_facet_terms(page, catalogue, facet, 2))
    return Page(page, facet.label, facet.description, "\n\n".join(parts))


def render_catalogue(catalogue: Catalogue) -> Page:
    """Every published fiche, newest first."""
    parts = [
        "<h1>Toutes les fiches</h1>",
        f"<p><strong>{_count(len(catalogue.fiches))}</strong>, de la plus récente à la "
        "plus ancienne.</p>",
        _fiche_list(CATALOGUE, list(catalogue.fiches)),
    ]
    return Page(CATALOGUE, "Toutes les fiches", "", "\n\n".join(parts))


def render_home(catalogue: Catalogue, intro: str) -> Page:
    """The home page: the hand-written introduction, then figures, categories and news."""
    span = catalogue.year_span()
    figures = f"<strong>{_count(len(catalogue.fiches))}</strong>"
    if span:
        figures += f", de {span[0]} à {span[1]}" if span[0] != span[1] else f", en {span[0]}"
    parts = [
        intro.strip() or "<h1>Fiches d'activités</h1>",
        f'<p class="accueil-chiffres">{figures}. '
        f'<a href="{href(HOME, CATALOGUE)}">Voir toutes les fiches</a>.</p>',
        "## Parcourir par catégorie",
    ]
    for facet in catalogue.taxonomy.facets:
        parts.append(f'<h3><a href="{href(HOME, facet_path(facet))}">{esc(facet.label)}</a></h3>')
        parts.append(_facet_terms(HOME, catalogue, facet, 4))
    parts.append("## Dernières fiches")
    parts.append(_fiche_list(HOME, list(catalogue.fiches[:LATEST_ON_HOME])))
    return Page(HOME, "Accueil", "", "\n\n".join(parts))


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
