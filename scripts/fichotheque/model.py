"""The catalogue: the fiches to publish, ordered, with their terms and relations."""

from __future__ import annotations

from dataclasses import dataclass, field

from .fiches import Fiche
from .glossary import Glossary
from .taxonomy import Facet, Taxonomy, Term
from .validate import resolve_related


def newest_first(fiches: list[Fiche]) -> list[Fiche]:
    """Fiches by date, the most recent first; same dates by title."""
    by_title = sorted(fiches, key=lambda f: (f.title.casefold(), f.slug))
    return sorted(
        by_title,
        key=lambda f: (f.period.end.last_day, f.period.start.first_day),
        reverse=True,
    )


@dataclass(frozen=True)
class Catalogue:
    """What a site shows: published fiches, newest first, and how they relate."""

    taxonomy: Taxonomy
    glossary: Glossary
    fiches: tuple[Fiche, ...]
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def fiche(self, slug: str) -> Fiche | None:
        """The published fiche with this slug, or None."""
        return next((f for f in self.fiches if f.slug == slug), None)

    def fiches_with(self, facet: Facet, term: Term) -> list[Fiche]:
        """The fiches that carry ``term``, newest first."""
        return [f for f in self.fiches if term.slug in f.terms_of(facet.key)]

    def year_span(self) -> tuple[int, int] | None:
        """The first and last year any fiche covers."""
        if not self.fiches:
            return None
        return (
            min(f.period.start.year for f in self.fiches),
            max(f.period.end.year for f in self.fiches),
        )


def build_catalogue(
    fiches: list[Fiche], taxonomy: Taxonomy, glossary: Glossary, *, include_drafts: bool = False
) -> Catalogue:
    """The catalogue of a checked project; drafts are left out unless asked for."""
    shown = [f for f in fiches if include_drafts or not f.is_draft]
    return Catalogue(taxonomy, glossary, tuple(newest_first(shown)), resolve_related(shown))
