"""A fiche's page: summary, metadata, categories, body, resources, sources, links."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..dates import MONTHS
from ..fiches import Fiche, Resource
from ..model import Catalogue
from ..schema import FIELDS_BY_KEY
from ..taxonomy import Facet, Term
from .html import (
    Page,
    esc,
    fiche_list,
    fiche_path,
    href,
    html_list,
    term_path,
    time_tag,
)


def resource_target(resource: Resource) -> str | None:
    """Where a repository file is published: files of docs/ keep their place."""
    if resource.file is None:
        return None
    if resource.file.startswith("docs/"):
        return resource.file.removeprefix("docs/")
    return f"fichiers/{resource.file}"


def _meta_row(key: str, value_html: str) -> str:
    return f"<dt>{esc(FIELDS_BY_KEY[key].label)}</dt><dd>{value_html}</dd>"


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
    rows = [_meta_row("date", time_tag(fiche.period.iso(), fiche.period.french()))]
    if fiche.number is not None:
        rows.append(_meta_row("numero", str(fiche.number)))
    rows.append(_meta_row("organisation", esc(fiche.organisation)))
    if fiche.places:
        rows.append(_meta_row("lieux", ", ".join(esc(p) for p in fiche.places)))
    if fiche.region:
        rows.append(_meta_row("region", esc(fiche.region)))
    if fiche.partners:
        rows.append(_meta_row("partenaires", html_list(esc(p) for p in fiche.partners)))
    if fiche.funding:
        rows.append(_meta_row("financements", html_list(esc(p) for p in fiche.funding)))
    if fiche.reviewed:
        day = fiche.reviewed
        rows.append(
            _meta_row(
                "verifie_le",
                time_tag(day.isoformat(), f"{day.day} {MONTHS[day.month - 1]} {day.year}"),
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
        parts.append(fiche_list(page, [f for f in related if f is not None], summaries=False))
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
        text += f", {time_tag(date, date)}"
    return f"<li>{text}</li>"
