"""The overview of a whole record on its page: how many events each year, however many there are.

A record page lists its first 50 events in detail; alone, their axis made John Kerry look as
if he stopped travelling in August 2013. The overview counts all of them by year (one query,
``events.selectors.year_counts``): bars above the axis, each linking to that year in the
explorer, and faint year bands on the axis itself, so the axis spans the whole record.

A person's or a country's counts come from its memberships (events.memberships): one row per
event of the record with the year it counts in, kept by every edit, counted by year with an
index-only scan of ``(record, year)``, so even the first view after a write no longer reads
every event of the record (issue 25, item 2). A region's record (its subtree) and any record
as it stood at a moment (``as_of``) are still counted from their events by ``year_counts``.
Either way the counts are kept per record and data version (core.dataversion, which every
committed write moves): a record's page counts once after each write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import connection, router
from django.db.models import QuerySet
from django.urls import reverse

from core import dataversion
from core.models import DataVersion
from events.memberships import year_counts as membership_counts
from events.models import Event
from events.selectors import year_counts
from people.models import Person
from places.models import Country

# Beyond this many years a bar a year is too thin to read: the overview counts by decade.
MOST_YEARS = 60
# Kept this long at most; entries of an old data version are never read again and age out.
COUNTS_SECONDS = 3600

Counter = Callable[[], list[tuple[int, int]]]


@dataclass(frozen=True)
class Period:
    """A year (or a decade) of a record and how many of its events fall in it."""

    first: int
    last: int
    count: int
    height: int  # percent of the tallest bar
    url: str

    @property
    def label(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}s"

    @property
    def level(self) -> int:
        """1-4, for the shade of its band on the axis (CSS classes, no inline styles)."""
        return max(1, min(4, (self.height + 24) // 25))


def overview(
    events: QuerySet[Event], *, explorer_query: dict[str, str], counted: Counter | None = None
) -> list[Period]:
    """Every year from the record's first to its last event, with its count (empty years too).

    ``explorer_query`` names the record (``{"country": "UA"}``): the counts are kept under it.
    ``counted`` counts them another way than ``year_counts(events)`` (a person's or a country's
    memberships, ``memberships_counter``).
    """
    counts = dict(_counts(events, explorer_query, counted or (lambda: year_counts(events))))
    if not counts:
        return []
    first, last = min(counts), max(counts)
    step = 10 if last - first + 1 > MOST_YEARS else 1
    if step == 10:
        first, last = first - first % 10, last - last % 10
    periods = []
    for start in range(first, last + 1, step):
        end = start + step - 1
        n = sum(counts.get(year, 0) for year in range(start, end + 1))
        periods.append((start, end, n))
    tallest = max(n for _, _, n in periods)
    explorer = reverse("explorer")
    return [
        Period(
            first=start,
            last=end,
            count=n,
            height=round(100 * n / tallest),
            url=f"{explorer}?{urlencode({**explorer_query, 'from': str(start), 'to': str(end)})}",
        )
        for start, end, n in periods
    ]


def memberships_counter(scope: dict[str, Any]) -> Counter | None:
    """The counts of a person's or a country's record from its memberships; None for other scopes.

    Only a scope of exactly one person or one country, given as an instance: a region's record
    (its subtree) is counted from its events as before.
    """
    if len(scope) != 1:
        return None
    ((name, record),) = scope.items()
    if name == "person" and isinstance(record, Person):
        return lambda: membership_counts(person_id=record.pk)
    if name == "country" and isinstance(record, Country):
        return lambda: membership_counts(country_id=record.pk)
    return None


def _counts(events: QuerySet[Event], explorer_query: dict[str, str], count: Counter) -> list[tuple[int, int]]:
    """``count()`` (the record's year counts), kept per record and data version.

    Not inside a transaction: there the version may be one this transaction moved and has not
    committed, and another request must never read counts filed under it (the GraphQL response
    cache, core/responsecache.py, stays out of transactions for the same reason). The version is
    read from the database the counts are read from (a replica's own, config/replicas.py).
    """
    if connection.in_atomic_block:
        return count()
    version = dataversion.current(using=router.db_for_read(DataVersion))
    if version is None:
        return count()
    key = f"overview:{version}:{urlencode(sorted(explorer_query.items()))}"
    counts = cache.get(key)
    if counts is None:
        counts = count()
        cache.set(key, counts, COUNTS_SECONDS)
    return counts


def overview_items(periods: list[Period]) -> list[dict[str, Any]]:
    """The periods as faint background bands for the axis (core/static/core/public/timeline.js)."""
    return [
        {
            "id": f"overview-{p.first}",
            "start": date(p.first, 1, 1).isoformat(),
            "end": date(p.last, 12, 31).isoformat(),
            "count": p.count,
            "label": f"{p.label}: {p.count} event{'' if p.count == 1 else 's'}",
            "level": p.level,
        }
        for p in periods
        if p.count
    ]


def overview_context(periods: list[Period]) -> dict[str, Any]:
    """What core/public/_axis.html needs to draw the overview: the bars, the bands, the total."""
    return {
        "overview": periods,
        "overview_items": overview_items(periods),
        "overview_total": sum(p.count for p in periods),
    }
