"""Dates and periods as staff write them: read exactly, or refused with a reason."""

from __future__ import annotations

import pytest

from fichotheque.dates import DateError, parse_day, parse_period


@pytest.mark.parametrize(
    ("text", "iso", "french"),
    [
        ("2009", "2009", "2009"),
        ("2022-09", "2022-09", "septembre 2022"),
        ("2023-06-06", "2023-06-06", "6 juin 2023"),
        ("2015–2016", "2015/2016", "2015–2016"),
        ("2015-2016", "2015/2016", "2015–2016"),
        ("2015 - 2016", "2015/2016", "2015–2016"),
        ("2022-09 – 2023-03", "2022-09/2023-03", "septembre 2022 – mars 2023"),
        ("2018-06-14 – 2018-06-15", "2018-06-14/2018-06-15", "14 juin 2018 – 15 juin 2018"),
    ],
)
def test_accepted_dates_keep_their_precision(text: str, iso: str, french: str) -> None:
    """Years, months, days and periods are read as written, and shown in French."""
    period = parse_period(text)
    assert (period.iso(), period.french()) == (iso, french)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("20O9", "n'est pas une date"),
        ("2015-13", "le mois 13"),
        ("2015-02-30", "n'existe pas dans le calendrier"),
        ("1799", "improbable"),
        ("2015-16", "2015–2016"),
        ("２００９", "n'est pas une date"),
        ("2015–", "n'est pas une date"),
        ("2015 – 2016 – 2017", "n'est pas une date"),
    ],
)
def test_refused_dates_say_why(text: str, reason: str) -> None:
    """What cannot be read is refused with a reason that quotes or explains it."""
    with pytest.raises(DateError, match=reason):
        parse_period(text)


def test_a_review_date_must_be_a_whole_day() -> None:
    """« vérifié le » needs a day, not a month."""
    assert parse_day("2026-11-20").isoformat() == "2026-11-20"
    with pytest.raises(DateError, match="jour complet"):
        parse_day("2026-11")
