"""Years, months, days and periods as staff write them, checked rather than guessed."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
EARLIEST_YEAR = 1800
_DATE = r"[0-9]{4}(?:-[0-9]{1,2}(?:-[0-9]{1,2})?)?"
_SINGLE = re.compile(rf"^({_DATE})$")
_PERIOD = re.compile(rf"^({_DATE})(?:\s*[–—/]\s*|\s+-\s+|-|\s+(?:à|au)\s+)({_DATE})$")

EXPECTED_DATE = (
    "une année (2009), un mois (2022-09), un jour (2023-06-06) "
    "ou une période (2015–2016, 2022-09 – 2023-03)"
)
EXPECTED_DAY = "un jour au format AAAA-MM-JJ, par exemple 2026-03-15"


class DateError(ValueError):
    """A date that cannot be read; the message is French and quotes the value."""


@dataclass(frozen=True, order=True)
class PartialDate:
    """A year, a month of a year or a day: as precise as the writer was."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def first_day(self) -> dt.date:
        """The earliest day this date can mean."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        """The latest day this date can mean."""
        month = self.month or 12
        return dt.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def iso(self) -> str:
        """2009, 2022-09 or 2023-06-06."""
        parts = [f"{self.year:04d}"]
        if self.month:
            parts.append(f"{self.month:02d}")
        if self.day:
            parts.append(f"{self.day:02d}")
        return "-".join(parts)

    def french(self) -> str:
        """2009, septembre 2022 or 6 juin 2023."""
        if self.month is None:
            return str(self.year)
        month = f"{MONTHS[self.month - 1]} {self.year}"
        return f"{self.day} {month}" if self.day else month


@dataclass(frozen=True, order=True)
class Period:
    """When an activity took place: one date, or a start and an end."""

    start: PartialDate
    end: PartialDate

    @property
    def is_single(self) -> bool:
        """True when the activity is dated by a single year, month or day."""
        return self.start == self.end

    def iso(self) -> str:
        """The canonical written form: 2009 or 2015/2016 (ISO 8601 intervals use a slash)."""
        return self.start.iso() if self.is_single else f"{self.start.iso()}/{self.end.iso()}"

    def french(self) -> str:
        """2009, 2015–2016 or septembre 2022 – mars 2023."""
        if self.is_single:
            return self.start.french()
        start, end = self.start.french(), self.end.french()
        separator = "–" if " " not in start + end else " – "
        return f"{start}{separator}{end}"

    def years(self) -> range:
        """Every calendar year the activity touches."""
        return range(self.start.year, self.end.year + 1)


def parse_partial(text: str) -> PartialDate:
    """Read 2009, 2022-09 or 2023-06-06; raise DateError otherwise."""
    match = _SINGLE.match(text.strip())
    if not match:
        raise DateError(f"« {text} » n'est pas une date reconnue")
    return _partial(match.group(1))


def _partial(text: str) -> PartialDate:
    numbers: list[int | None] = [int(part) for part in text.split("-")]
    year, month, day = [*numbers, None, None][:3]
    assert year is not None
    if year < EARLIEST_YEAR:
        raise DateError(f"l'année {year} est improbable (avant {EARLIEST_YEAR})")
    if month is not None and not 1 <= month <= 12:
        if day is None and len(text) == 7:  # « 2015-16 »: a period with a short end year
            raise DateError(
                f"le mois {month} n'existe pas dans « {text} » ; pour une période, écrivez "
                f"les deux années en entier : {year}–{year // 100}{month:02d}"
            )
        raise DateError(f"le mois {month} n'existe pas dans « {text} »")
    if day is not None:
        assert month is not None
        try:
            dt.date(year, month, day)
        except ValueError:
            raise DateError(f"le jour « {text} » n'existe pas dans le calendrier") from None
    return PartialDate(year, month, day)


def parse_period(text: str) -> Period:
    """Read a single date or a period; raise DateError (not for order: see ``check_period``)."""
    cleaned = text.strip()
    single = _SINGLE.match(cleaned)
    if single:
        date = _partial(single.group(1))
        return Period(date, date)
    match = _PERIOD.match(cleaned)
    if not match:
        raise DateError(f"« {text} » n'est pas une date ni une période reconnue")
    return Period(_partial(match.group(1)), _partial(match.group(2)))


def parse_day(text: str) -> dt.date:
    """Read a full day, AAAA-MM-JJ; raise DateError otherwise."""
    date = parse_partial(text)
    if date.day is None:
        raise DateError(f"« {text} » n'est pas un jour complet")
    return date.first_day
