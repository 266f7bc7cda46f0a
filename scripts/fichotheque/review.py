"""Review dates: a fiche says when it was last checked (« verifie_le »), and a review lasts
the number of months the settings give (« extra.relecture_mois »).

``check`` warns about a fiche whose review is over; ``fichotheque review`` lists them all,
oldest first, with the fiches never reviewed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .fiches import Fiche

REVIEW_KEY = "verifie_le"
MONTHS_SETTING = "relecture_mois"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the 31st becomes the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def review_due(reviewed: dt.date, months: int) -> dt.date:
    """The day a review done on ``reviewed`` runs out."""
    return add_months(reviewed, months)


def is_overdue(reviewed: dt.date, months: int, today: dt.date) -> bool:
    """True once the review has run out."""
    return review_due(reviewed, months) <= today


@dataclass(frozen=True)
class ToReview:
    """A fiche to read again: when it was last reviewed (None: never)."""

    fiche: Fiche
    reviewed: dt.date | None


def to_review(fiches: Sequence[Fiche], months: int, today: dt.date) -> list[ToReview]:
    """The fiches whose review ran out or never happened: never first, then oldest first."""
    found = [
        ToReview(fiche, fiche.reviewed)
        for fiche in fiches
        if fiche.reviewed is None or is_overdue(fiche.reviewed, months, today)
    ]
    return sorted(found, key=lambda item: (item.reviewed or dt.date.min, item.fiche.file))
