"""Filter pieces the event and treaty selectors share: date-window overlap and checked search text,
and the timeline's filters, stated once for the live timeline (events.selectors) and the one as it
stood (events.asof_timeline)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Literal, Protocol, TypedDict

from django.db.models import QuerySet

from core import limits
from core.errors import InvalidFilter
from core.fuzzydates import period_end
from core.validators import text_problem

if TYPE_CHECKING:
    from people.models import Person
    from places.models import Country, Region

TimelineOrder = Literal["timeline", "relevance"]


class TimelineScope(TypedDict, total=False):
    """The filters a timeline takes, live (``events.selectors.event_timeline``) or as it stood
    (``events.asof_timeline.event_rows_as_of``). People, countries and regions may be records or
    slug / ISO code; a filter left out or None is not applied."""

    person: Person | str | None
    country: Country | str | None
    region: Region | str | None
    kinds: Iterable[str] | None
    statuses: Iterable[str] | None
    date_from: date | None
    date_to: date | None
    search: str | None


class TimelineFilters(Protocol):
    """The filters of a timeline as a client gives them (the GraphQL ``TimelineFilter`` input is one)."""

    person: str | None
    country: str | None
    region: str | None
    kinds: Iterable[str] | None
    status: Iterable[str] | None
    from_: date | None
    to: date | None
    search: str | None


def scope_of(filters: TimelineFilters | None) -> TimelineScope:
    """The filters a client gave under the selectors' names, those it left empty out."""
    if filters is None:
        return {}
    given: TimelineScope = {
        "person": filters.person,
        "country": filters.country,
        "region": filters.region,
        "kinds": filters.kinds,
        "statuses": filters.status,
        "date_from": filters.from_,
        "date_to": filters.to,
        "search": filters.search,
    }
    return {k: v for k, v in given.items() if v is not None}  # type: ignore[return-value]


def own_columns(rows: QuerySet, scope: TimelineScope) -> QuerySet:
    """Keep the events, live or historical rows, whose own kind, status and dates ``scope`` accepts
    (the filters read from the event's row alone; its links are the caller's)."""
    if (kinds := scope.get("kinds")) is not None:
        rows = rows.filter(kind__in=list(kinds))
    if (statuses := scope.get("statuses")) is not None:
        rows = rows.filter(status__in=list(statuses))
    return _overlapping(rows, "date", scope.get("date_from"), scope.get("date_to"))


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
