"""Where a fuzzy date goes on a timeline that draws only points and spans (TimelineJS).

Such a renderer has no band for "one day somewhere in this window" and no open end, so
each meaning is placed as honestly as it can be, and the text (``FuzzyDate.display``,
shown instead of the renderer's own date label) says what is known:

- a known day, or one day in a window ("2024-05", "[2022-02-24..2025-08-06]"), or several
  days: a point on the first day it may be, never before the window (TimelineJS draws a
  bare year on 1 January, which would put "[2022-02-24..2025-08-06]" before the invasion
  it follows). ``unit`` says how finely that first day may be labelled: a whole month or
  year only when the window covers it, else the day;
- a span with both ends: from its first to its last day;
- an open or unknown start ("../2025-08-06", "[..2025-08-06]"): a span ending on the known
  end, starting ``MISSING_START_LEAD`` before it ("until 6 August 2025");
- an open end ("2022-02-24/..", still going): a span from the known start to today;
- an unknown end ("2022-02-24/", it ended, nobody says when): a span from the known start,
  cut short at ``UNKNOWN_END_LENGTH``.

The lengths are the ones the pages' own axis draws (core/static/core/public/timeline.js),
so an event looks the same in both.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from core.fuzzydates.value import DateKind, EndState, FuzzyDate

Unit = Literal["year", "month", "day"]

MISSING_START_LEAD = timedelta(days=365)
UNKNOWN_END_LENGTH = timedelta(days=180)
# An open end is drawn at least this long, so one that began yesterday is still visible.
OPEN_END_MINIMUM = timedelta(days=30)


@dataclass(frozen=True)
class Placement:
    """A fuzzy date as points-and-spans renderers draw it: ``end`` is None for a point."""

    start: date
    start_unit: Unit
    end: date | None
    end_unit: Unit
    text: str


def _unit_from(first: date, last: date) -> Unit:
    """The coarsest label for ``first`` that still names no day before it or after ``last``."""
    if first.day == 1:
        month_end = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
        if first.month == 1 and last >= date(first.year, 12, 31):
            return "year"
        if last >= month_end:
            return "month"
    return "day"


def _unit_until(last: date, first: date) -> Unit:
    """The coarsest label for ``last`` (an end) that names no day after it or before ``first``."""
    if last.month == 12 and last.day == 31 and first <= date(last.year, 1, 1):
        return "year"
    if last.day == calendar.monthrange(last.year, last.month)[1] and first <= date(last.year, last.month, 1):
        return "month"
    return "day"


def _end_window(part: FuzzyDate | None, first: date, last: date) -> tuple[date, date]:
    """The days one end of a span may be: its own window (``fd.start``), else ``first..last``."""
    if part is not None and part.earliest is not None and part.latest is not None:
        return part.earliest, part.latest
    return first, last


def placement(fd: FuzzyDate, *, today: date) -> Placement | None:
    """Return where ``fd`` is drawn by a points-and-spans renderer, or None when it has no day at all."""
    first, last = fd.earliest, fd.latest
    if first is None and last is None:
        return None
    if first is None:
        assert last is not None
        end_first, _ = _end_window(fd.end, last, last)
        return Placement(last - MISSING_START_LEAD, "day", last, _unit_until(last, end_first), fd.display)
    start_unit = _unit_from(*_end_window(fd.start, first, first))
    if last is None:
        if fd.end_state == EndState.UNKNOWN:
            end = first + UNKNOWN_END_LENGTH
        else:
            end = max(today, first + OPEN_END_MINIMUM)
        return Placement(first, start_unit, end, "day", fd.display)
    if fd.kind == DateKind.SPAN:
        end_first, _ = _end_window(fd.end, last, last)
        return Placement(first, start_unit, last, _unit_until(last, end_first), fd.display)
    # One day (known or somewhere in the window) or several: a point on the first day it may be.
    return Placement(first, _unit_from(first, last), None, "day", fd.display)
