"""The person and country memberships (events.models.memberships): kept in step, rebuilt, counted.

A record page's overview counts its events by year (events.overview). Counting them from the
link tables reads every event of the record, so the first view after any write grew with the
record (the busiest person: 1.9 s at a million events). The memberships hold, for each person
and country, one row per event of its record with the overview's year; a count by year is then
an index-only scan of ``(record, year)``.

Kept in ONE place: ``core.edits`` calls ``follow`` at the end of every edit (admin, mutations,
imports) with the historical rows it wrote, and after each historical row saved outside an edit.
The events those rows touch (events written or deleted, the events of every participation,
event–country, event–region and visit row written or deleted, the events of regions written,
whose country may have changed) lose their rows and get them again from the link tables: four
set-based statements whatever the number of events, their ids bound as one parameter
(core.lookups). An event deleted by any means takes its rows along (``ON DELETE CASCADE``);
a person's or a country's rows go with their links (events.models.memberships says why they
have no constraint). Writes that make no historical row (the bench's COPY, raw SQL, a restore)
are not seen: ``manage.py rebuild_memberships`` (``make memberships``) rebuilds both tables, and
``check_integrity``'s ``memberships`` check finds the events they left behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, F

from core.edits import history_model
from core.fuzzydates import OPEN_END, OPEN_START
from core.lookups import InOneParameter, one_parameter, one_parameter_sql

PERSONS = "events_personmembership"
COUNTRIES = "events_countrymembership"
# Link models whose rows name an event (their ``event_id``), by label.
_EVENT_LINKS = ("events.participation", "events.eventcountry", "events.eventregion", "events.visit")


def _year(vendor: str) -> str:
    """The overview's year of event ``e`` (events.selectors.year_counts), null with no known day."""
    if vendor == "postgresql":
        part = "EXTRACT(YEAR FROM {})::smallint"
    else:  # SQLite keeps dates as ISO text: the year is its first four characters.
        part = "CAST(substr({}, 1, 4) AS INTEGER)"
    return (
        f"CASE WHEN e.date_earliest > '{OPEN_START.isoformat()}' THEN {part.format('e.date_earliest')} "
        f"WHEN e.date_latest < '{OPEN_END.isoformat()}' THEN {part.format('e.date_latest')} END"
    )


def _where(vendor: str, among: bool, column: str, *more: str) -> str:
    """A WHERE clause: ``column`` among the events bound as ``%(ids)s`` (if ``among``) and ``more``."""
    tests = [one_parameter_sql(column, vendor, "%(ids)s"), *more] if among else list(more)
    return f" WHERE {' AND '.join(tests)}" if tests else ""


def _person_rows(vendor: str, *, among: bool) -> str:
    """The person memberships the participations give: (event_id, record_id, year)."""
    return (
        f"SELECT DISTINCT l.event_id AS event_id, l.person_id AS record_id, {_year(vendor)} AS year "
        f"FROM events_participation l JOIN events_event e ON e.id = l.event_id"
        f"{_where(vendor, among, 'l.event_id', 'l.person_id IS NOT NULL')}"
    )


def _country_rows(vendor: str, *, among: bool) -> str:
    """The country memberships the four kinds of link give (events.selectors._in_country)."""

    def where(column: str, *more: str) -> str:
        return _where(vendor, among, column, *more)

    # UNION, not UNION ALL: an event counts once per country, however many links say so.
    return (
        f"SELECT l.event_id AS event_id, l.country_id AS record_id, {_year(vendor)} AS year FROM ("
        f"SELECT event_id, country_id FROM events_eventcountry{where('event_id')} "
        f"UNION SELECT er.event_id, r.country_id FROM events_eventregion er "
        f"JOIN places_region r ON r.id = er.region_id{where('er.event_id')} "
        f"UNION SELECT event_id, country_id FROM events_participation"
        f"{where('event_id', 'country_id IS NOT NULL')} "
        f"UNION SELECT event_id, host_country_id FROM events_visit{where('event_id')}"
        f") l JOIN events_event e ON e.id = l.event_id"
    )


def _statements(vendor: str, *, among: bool) -> list[str]:
    """The four statements that rebuild both tables, for the events bound as ``%(ids)s`` if ``among``."""
    return [
        f"DELETE FROM {PERSONS}{_where(vendor, among, 'event_id')}",
        f"INSERT INTO {PERSONS} (event_id, person_id, year) {_person_rows(vendor, among=among)}",
        f"DELETE FROM {COUNTRIES}{_where(vendor, among, 'event_id')}",
        f"INSERT INTO {COUNTRIES} (event_id, country_id, year) {_country_rows(vendor, among=among)}",
    ]


def stale_events() -> list[int]:
    """Events whose stored memberships are not what their links say (``check_integrity``), in id order.

    After a write no edit saw (a restore, SQL by hand): compares both tables with what
    ``rebuild`` would write, both ways.
    """
    vendor = connection.vendor
    parts = []
    for table, column, rows in (
        (PERSONS, "person_id", _person_rows(vendor, among=False)),
        (COUNTRIES, "country_id", _country_rows(vendor, among=False)),
    ):
        stored = f"SELECT event_id, {column} AS record_id, year FROM {table}"
        parts.append(f"SELECT event_id FROM ({rows} EXCEPT {stored}) missing")
        parts.append(f"SELECT event_id FROM ({stored} EXCEPT {rows}) extra")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT event_id FROM ({' UNION '.join(parts)}) stale ORDER BY event_id")
        return [event_id for (event_id,) in cursor.fetchall()]


def rebuild(*, events: Iterable[int] | None = None, using: BaseDatabaseWrapper | None = None) -> None:
    """Rebuild the memberships of ``events`` (ids; all of them when None) from the link tables."""
    db = using or connection
    ids = None if events is None else sorted(set(events))
    if ids == []:
        return
    params = None if ids is None else {"ids": one_parameter(ids, db.vendor)}
    # An edit's own transaction holds them (no savepoint of their own); alone, one of theirs.
    with nullcontext() if db.in_atomic_block else transaction.atomic(using=db.alias), db.cursor() as cursor:
        if ids is None and db.vendor == "postgresql":
            # Wholesale (a migration, the command, the bench) is no request: at a million events
            # it runs past the requests' statement timeout (config/settings.py), as an import does.
            cursor.execute("SELECT set_config('statement_timeout', '0', true)")
        for sql in _statements(db.vendor, among=ids is not None):
            cursor.execute(sql, params)


def touched_events(rows: Iterable[Any]) -> set[int]:
    """The ids of the events whose memberships ``rows`` (historical rows one write made) may change."""
    events: set[int] = set()
    regions: set[int] = set()
    moved: dict[Any, list[int]] = {}  # link history model -> ids of link rows changed in place
    kinds: dict[type, str] = {}  # a row's class -> what it is to the memberships (an import: 200k rows)
    for row in rows:
        cls = type(row)
        kind = kinds.get(cls)
        if kind is None:
            kind = kinds[cls] = _kind(row)
        if kind == "event":
            events.add(row.id)
        elif kind == "link":
            events.add(row.event_id)
            if row.history_type == "~":
                moved.setdefault(history_model(row), []).append(row.id)
        elif kind == "region" and row.history_type == "~":
            # Its country may have changed: every event placed in it changes country.
            regions.add(row.id)
    for history, ids in moved.items():
        # A link row changed in place may have left another event: its earlier rows name it.
        earlier = history._base_manager.filter(InOneParameter(F("id"), ids))
        events.update(earlier.values_list("event_id", flat=True).distinct())
    if regions:
        from events.models import EventRegion

        placed = EventRegion.objects.filter(InOneParameter(F("region_id"), list(regions)))
        events.update(placed.values_list("event_id", flat=True))
    return events


def _kind(row: Any) -> str:
    label = row.instance_type._meta.label_lower
    if label == "events.event":
        return "event"
    if label in _EVENT_LINKS:
        return "link"
    return "region" if label == "places.region" else "other"


def follow(rows: Iterable[Any]) -> None:
    """Keep the memberships of the events ``rows`` touched (``core.edits.keep_derived``)."""
    rebuild(events=touched_events(rows))


def year_counts(*, person_id: int | None = None, country_id: int | None = None) -> list[tuple[int, int]]:
    """A person's or a country's events by year, oldest first, from the memberships (index-only).

    The same pairs as ``events.selectors.year_counts`` over ``event_timeline(person=…)`` or
    ``event_timeline(country=…)``.
    """
    from events.models import CountryMembership, PersonMembership

    if person_id is not None:
        rows = PersonMembership.objects.filter(person_id=person_id)
    elif country_id is not None:
        rows = CountryMembership.objects.filter(country_id=country_id)
    else:
        raise ValueError("year_counts needs a person or a country")
    counted = rows.filter(year__isnull=False).order_by().values("year").annotate(n=Count("*"))
    return list(counted.order_by("year").values_list("year", "n"))
