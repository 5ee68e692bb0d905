"""Where a fuzzy date goes on a points-and-spans timeline (TimelineJS): core.fuzzydates.placement."""

from __future__ import annotations

from datetime import date

import pytest

from core.fuzzydates import FuzzyDate
from core.fuzzydates.placement import MISSING_START_LEAD, UNKNOWN_END_LENGTH, Placement, placement

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(
    ("edtf", "expected"),
    [
        # A known day: a point on it.
        ("2022-02-24", Placement(date(2022, 2, 24), "day", None, "day", "24 February 2022")),
        # One day in a window: a point on the window's first day, labelled as the day (the
        # window does not cover all of 2022), never on 1 January 2022, before the invasion.
        (
            "[2022-02-24..2025-08-06]",
            Placement(date(2022, 2, 24), "day", None, "day", "between 24 February 2022 and 6 August 2025"),
        ),
        # A month or a year: the period, since the window covers it.
        ("2024-05", Placement(date(2024, 5, 1), "month", None, "day", "May 2024")),
        ("2019", Placement(date(2019, 1, 1), "year", None, "day", "2019")),
        ("2022-21", Placement(date(2022, 3, 1), "month", None, "day", "spring 2022")),
        # A span keeps each end as finely as it is known.
        (
            "2013-02-01/2017-01-20",
            Placement(date(2013, 2, 1), "day", date(2017, 1, 20), "day", "1 February 2013 – 20 January 2017"),
        ),
        (
            "2022~/2023-05",
            Placement(date(2022, 1, 1), "year", date(2023, 5, 31), "month", "c. 2022 – May 2023"),
        ),
        # An open start: a span ending on the known day, saying "until".
        (
            "../2025-08-06",
            Placement(
                date(2025, 8, 6) - MISSING_START_LEAD, "day", date(2025, 8, 6), "day", "until 6 August 2025"
            ),
        ),
        # Still going: up to today. Ended, nobody says when: cut short, and the text says so.
        ("2022-02-24/..", Placement(date(2022, 2, 24), "day", TODAY, "day", "from 24 February 2022")),
        (
            "2022-02-24/",
            Placement(
                date(2022, 2, 24),
                "day",
                date(2022, 2, 24) + UNKNOWN_END_LENGTH,
                "day",
                "from 24 February 2022 (end unknown)",
            ),
        ),
    ],
)
def test_each_meaning_is_placed_inside_what_is_known(edtf: str, expected: Placement) -> None:
    assert placement(FuzzyDate.parse(edtf), today=TODAY) == expected


def test_an_open_end_that_began_yesterday_is_still_drawn_a_month_long() -> None:
    placed = placement(FuzzyDate.parse("2026-12-05/.."), today=TODAY)
    assert placed is not None and placed.end == date(2027, 1, 4)
