"""Filter pieces the event and treaty selectors share: date-window overlap and checked search text."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

from core import limits
from core.errors import InvalidFilter
from core.fuzzydates import period_end
from core.validators import text_problem


def _overlapping(qs: QuerySet, prefix: str, date_from: date | None, date_to: date | None) -> QuerySet:
    """Keep rows whose fuzzy date ``prefix`` overlaps [date_from, date_to].

    Open ends are stored as extreme days (core.fuzzydates), so they overlap every
    window by plain comparison; a row with no date at all matches no window. A bound
    given as a month or year (core.fuzzydates.PeriodStart) ends the window on its last day.
    """
    date_to = period_end(date_to) if date_to is not None else None
    if date_from and date_to and date_from > date_to:
        raise InvalidFilter(f"The window ends before it starts: from {date_from} is after to {date_to}.")
    if date_from is not None:
        qs = qs.filter(**{f"{prefix}_latest__gte": date_from})
    if date_to is not None:
        qs = qs.filter(**{f"{prefix}_earliest__lte": date_to})
    return qs


def _checked_search(search: str) -> str:
    """Return the search text stripped, or raise InvalidFilter naming the limit it passes.

    Checked before any query is built: a 2 MB search cost PostgreSQL 25 s to refuse and held
    a SQLite thread for minutes; 30,000 words exceeded PostgreSQL's stack depth.
    """
    if len(search) > limits.SEARCH_CHARACTERS:
        raise InvalidFilter(
            f"Search text is {len(search):,} characters long; the limit is {limits.SEARCH_CHARACTERS}."
        )
    if (words := len(search.split())) > limits.SEARCH_WORDS:
        raise InvalidFilter(f"Search has {words} words; the limit is {limits.SEARCH_WORDS}.")
    if problem := text_problem(search):
        raise InvalidFilter(f"Search text cannot be used: {problem}")
    return search.strip()
