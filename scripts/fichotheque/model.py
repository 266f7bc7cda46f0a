"""The catalogue: the fiches to publish, ordered, with their terms and relations.

Everything a page needs to know about other fiches (who carries a term, which fiches
are related, which acronyms a fiche uses, which fiche comes before it) is computed
once here, with indexes, so that rendering stays linear in the number of fiches.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .crosscheck import resolve_related
from .fiches import Fiche
from .glossary import Glossary, Meaning
from .taxonomy import Facet, Taxonomy, Term

# At most this many other fiches are scored for each fiche (see _similar).
SIMILAR_BUDGET = 50
SIMILAR_COUNT = 3
WEIGHT_SCALE = 1 << 20  # a term's weight, in millionths or so


def newest_first(fiches: list[Fiche]) -> list[Fiche]:
    """Fiches by the day they started, the most recent first; then by end, then by title."""
    by_title = sorted(fiches, key=lambda f: (f.title.casefold(), f.slug))
    return sorted(
        by_title,
        key=lambda f: (f.period.start.first_day, f.period.end.last_day),
        reverse=True,
    )


@dataclass(frozen=True)
class Catalogue:
    """What a site shows: published fiches, newest first, and how they relate."""

    taxonomy: Taxonomy
    glossary: Glossary
    fiches: tuple[Fiche, ...]
    related: dict[str, tuple[str, ...]] = field(default_factory=dict)
    similar: dict[str, tuple[str, ...]] = field(default_factory=dict)
    acronyms: dict[str, tuple[Meaning, ...]] = field(default_factory=dict)
    changed: dict[str, dt.date] = field(default_factory=dict)
    # For each fiche, the link targets of its body that reach a fiche not published.
    unpublished_links: dict[str, frozenset[str]] = field(default_factory=dict)
    _by_slug: dict[str, Fiche] = field(default_factory=dict, repr=False)
    _by_number: dict[int, Fiche] = field(default_factory=dict, repr=False)
    _by_term: dict[tuple[str, str], list[Fiche]] = field(default_factory=dict, repr=False)
    _position: dict[str, int] = field(default_factory=dict, repr=False)

    def fiche(self, slug: str) -> Fiche | None:
        """The published fiche with this slug, or None."""
        return self._by_slug.get(slug)

    def fiche_numbered(self, number: int) -> Fiche | None:
        """The published fiche with this number, or None."""
        return self._by_number.get(number)

    def fiches_with(self, facet: Facet, term: Term) -> list[Fiche]:
        """The fiches that carry ``term``, newest first."""
        return self._by_term.get((facet.key, term.slug), [])

    def terms_by_use(self, facet: Facet) -> list[Term]:
        """The facet's terms, the most used first; equal ones in the taxonomy's order."""
        return sorted(facet.terms, key=lambda term: -len(self.fiches_with(facet, term)))

    def older(self, fiche: Fiche) -> Fiche | None:
        """The fiche just before this one in chronological order."""
        index = self._position[fiche.slug] + 1
        return self.fiches[index] if index < len(self.fiches) else None

    def newer(self, fiche: Fiche) -> Fiche | None:
        """The fiche just after this one in chronological order."""
        index = self._position[fiche.slug] - 1
        return self.fiches[index] if index >= 0 else None

    def fiches_using(self, meaning: Meaning) -> list[Fiche]:
        """The fiches whose text uses this glossary meaning, newest first."""
        return self._users.get(meaning, [])

    @functools.cached_property
    def _users(self) -> dict[Meaning, list[Fiche]]:
        users: dict[Meaning, list[Fiche]] = defaultdict(list)
        for fiche in self.fiches:
            for meaning in dict.fromkeys(self.acronyms.get(fiche.slug, ())):
                users[meaning].append(fiche)
        return users

    def year_span(self) -> tuple[int, int] | None:
        """The first and last year any fiche covers."""
        if not self.fiches:
            return None
        return (
            min(f.period.start.year for f in self.fiches),
            max(f.period.end.year for f in self.fiches),
        )


def build_catalogue(
    fiches: Sequence[Fiche],
    taxonomy: Taxonomy,
    glossary: Glossary,
    *,
    include_drafts: bool = False,
    changed: dict[str, dt.date] | None = None,
    links: Mapping[str, Mapping[str, str]] | None = None,
) -> Catalogue:
    """The catalogue of a checked project; drafts are left out unless asked for.

    ``changed`` maps fiche files to the day they last changed (from git), if known;
    ``links`` maps fiche files to the body links that reach another fiche (link target →
    its slug), so that a link to a fiche not shown becomes plain text.
    """
    shown = newest_first([f for f in fiches if include_drafts or not f.is_draft])
    published = {f.slug for f in shown}
    links = links or {}
    by_term: dict[tuple[str, str], list[Fiche]] = defaultdict(list)
    for fiche in shown:
        for facet_key, slugs in fiche.terms:
            for slug in slugs:
                by_term[(facet_key, slug)].append(fiche)
    related = resolve_related(shown)
    changed = changed or {}
    return Catalogue(
        taxonomy,
        glossary,
        tuple(shown),
        related,
        _similar(shown, by_term, related),
        {f.slug: glossary.meanings(f.meanings) for f in shown},
        {f.slug: changed[f.file] for f in shown if f.file in changed},
        {
            f.slug: frozenset(t for t, s in links.get(f.file, {}).items() if s not in published)
            for f in shown
        },
        {f.slug: f for f in shown},
        {f.number: f for f in shown if f.number is not None},
        dict(by_term),
        {f.slug: index for index, f in enumerate(shown)},
    )


# The last answer of _similar, by what it depends on: the preview's next build, in the
# same process, asks again after most edits (a title, a body).
_remembered: dict[object, dict[str, tuple[str, ...]]] = {}


def _similar(
    fiches: list[Fiche],
    by_term: dict[tuple[str, str], list[Fiche]],
    related: dict[str, tuple[str, ...]],
) -> dict[str, tuple[str, ...]]:
    """``_score_similar``, or its last answer if the fiches' order, terms and related
    fiches are the same (``by_term`` derives from the first two)."""
    key = (tuple((fiche.slug, fiche.terms) for fiche in fiches), tuple(related.items()))
    if key not in _remembered:
        _remembered.clear()
        _remembered[key] = _score_similar(fiches, by_term, related)
    return dict(_remembered[key])


def _score_similar(
    fiches: list[Fiche],
    by_term: dict[tuple[str, str], list[Fiche]],
    related: dict[str, tuple[str, ...]],
) -> dict[str, tuple[str, ...]]:
    """For each fiche, the fiches sharing the most telling terms with it.

    A shared term weighs more the rarer it is (its inverse document frequency); terms
    carried by more than half the fiches tell nothing apart and are skipped. The work per
    fiche is bounded, so the whole stays linear in the number of fiches: candidates are
    gathered from its terms, rarest first, until there are ``SIMILAR_BUDGET`` of them (the
    newest carriers of a term first), then each candidate gets its exact score. A fiche
    left out shares with this one only terms more common than those that filled the
    list, each weighing less than any of them.
    """
    total = len(fiches)
    # Whole numbers, so that a sum is exact whatever order a set gives its terms (it
    # changes with each process) and never tips a tie one way or the other.
    weights = {
        key: round(math.log(total / len(carriers)) * WEIGHT_SCALE)
        for key, carriers in by_term.items()
        if len(carriers) * 2 <= total
    }
    # Each telling term as a number, in the order of the terms (a tie between two terms
    # as common goes to the first): sets of numbers intersect faster than sets of pairs.
    telling = sorted(weights)
    number = {term: n for n, term in enumerate(telling)}
    weight = [weights[term] for term in telling].__getitem__
    carriers = [by_term[term] for term in telling]
    terms_of = {
        fiche.slug: frozenset(
            number[key, slug]
            for key, slugs in fiche.terms
            for slug in slugs
            if (key, slug) in number
        )
        for fiche in fiches
    }
    result = {}
    for fiche in fiches:
        own = terms_of[fiche.slug]
        excluded = {fiche.slug, *related.get(fiche.slug, ())}
        candidates: dict[str, None] = {}
        for term in sorted(own, key=lambda term: (len(carriers[term]), term)):
            for other in carriers[term]:
                if len(candidates) >= SIMILAR_BUDGET:
                    break
                if other.slug not in excluded:
                    candidates[other.slug] = None
        scores = {slug: sum(map(weight, own & terms_of[slug])) for slug in candidates}
        ranked = heapq.nsmallest(SIMILAR_COUNT, scores, key=lambda s: (-scores[s], s))
        result[fiche.slug] = tuple(ranked)
    return result
