"""Timelines, visits and treaties as they stood at a past moment, for the public pages and exports.

The live reads (events.selectors) filter the tables; these filter the history tables instead,
through ``core.asof.current_rows`` (each object's row current at the moment), with the same
filters and the same reading order, so a page or an export ``?as_of=`` lists exactly the
events that matched then, deleted ones included, each rebuilt with its lists as they stood
(``core.asof.instances_as_of``). The people, countries and regions a filter names are resolved
as they are now (a slug renamed since is found under its new name); the records an event
points at (a participant's person, a cited source) are shown as they are now, as the GraphQL
``asOf`` fields show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import Exists, F, OuterRef, Q, QuerySet, prefetch_related_objects

from core.asof import current_rows, instances_as_of, rebuilt
from core.fuzzydates import OPEN_START
from events.filtering import _checked_search, _overlapping
from events.models import (
    Citation,
    Event,
    EventCountry,
    EventRegion,
    Participation,
    Treaty,
    TreatyParty,
    Visit,
)
from events.selectors import EVENT_VECTOR, QUOTE_VECTOR, SEARCH_CONFIG, _named_people, events_after
from people.models import Person
from places.models import Country, Region

# events.models.TIMELINE_ORDER on history rows, whose own primary key is the history id.
HISTORY_TIMELINE_ORDER = ("date_earliest", "date_latest", "title", "id")
HISTORY_TREATY_ORDER = (
    F("signed_earliest").asc(nulls_last=True),
    F("signed_latest").asc(nulls_last=True),
    "name",
    "id",
)


def _linked(model: type, moment: datetime, **lookup: Any) -> Q:
    """Event rows with a row of ``model`` current at ``moment`` matching ``lookup``."""
    return Q(Exists(current_rows(model, moment).filter(event_id=OuterRef("id"), **lookup)))


def event_timeline_as_of(
    *,
    moment: datetime,
    person: Person | None = None,
    country: Country | None = None,
    region: Region | None = None,
    kinds: Iterable[str] | None = None,
    statuses: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    search: str | None = None,
) -> QuerySet[Any]:
    """Historical event rows that matched every filter at ``moment``, in timeline order."""
    rows = current_rows(Event, moment).order_by(*HISTORY_TIMELINE_ORDER)
    if person is not None:
        rows = rows.filter(_linked(Participation, moment, person_id=person.pk))
    if country is not None:
        in_country = Region.objects.filter(country=country).values("pk")
        rows = rows.filter(
            _linked(EventCountry, moment, country_id=country.pk)
            | _linked(EventRegion, moment, region_id__in=in_country)
            | _linked(Participation, moment, country_id=country.pk)
            | _linked(Visit, moment, host_country_id=country.pk)
        )
    if region is not None:
        subtree = Region.objects.subtree(region).order_by().values("pk")
        rows = rows.filter(_linked(EventRegion, moment, region_id__in=subtree))
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    if statuses is not None:
        rows = rows.filter(status__in=list(statuses))
    rows = _overlapping(rows, "date", date_from, date_to)
    if search and search.strip():
        rows = rows.filter(_search_as_of(_checked_search(search), moment, connections[rows.db].vendor))
    return rows


def _search_as_of(text: str, moment: datetime, vendor: str) -> Q:
    """The live search (events.selectors._search) on the rows of then: own text, cited quotes,
    people named; PostgreSQL's full-text match or SQLite's substring match of every word."""
    quotes = current_rows(Citation, moment)
    if vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        own = Exists(
            current_rows(Event, moment).alias(vector=EVENT_VECTOR).filter(vector=query, id=OuterRef("id"))
        )
        found = Q(own) | Q(
            Exists(quotes.alias(vector=QUOTE_VECTOR).filter(vector=query, event_id=OuterRef("id")))
        )
    else:
        own_text, quote = Q(), Q()
        for word in text.split():
            own_text &= Q(title__icontains=word) | Q(summary__icontains=word)
            quote &= Q(quote__icontains=word)
        found = own_text | Q(Exists(quotes.filter(quote, event_id=OuterRef("id"))))
    if (taking_part := _named_people(text)) is not None:
        people = taking_part.values("person_id")
        found |= _linked(Participation, moment, person_id__in=people)
    return found


def events_as_of(rows: Iterable[Any], moment: datetime) -> list[Event]:
    """Events rebuilt from their history rows with all a reader sees of them as it stood."""
    return with_details_as_of(instances_as_of(rows, moment), moment)


def with_details_as_of(events: list[Event], moment: datetime) -> list[Event]:
    """Give rebuilt events (their lists attached) their treaty, their places' countries and their visit
    as it stood: events.selectors.with_details's counterpart, a constant number of queries.

    Records they point at are read as they are now, None when deleted since.
    """
    if not events:
        return events
    # The treaty as it stood too: on a treaty's page as it stood, its steps name it as it was then.
    treaty_ids = {e.treaty_id for e in events if e.treaty_id is not None}
    treaties = {t.pk: t for t in _plain(current_rows(Treaty, moment).filter(id__in=treaty_ids))}
    treaty_field = Event._meta.get_field("treaty")
    for event in events:
        if event.treaty_id is not None:
            treaty_field.set_cached_value(event, treaties.get(event.treaty_id))  # type: ignore[union-attr]
    prefetch_related_objects([r for e in events for r in e.regions.all()], "country")
    rows = current_rows(Visit, moment).filter(event_id__in=[e.pk for e in events])
    visits = {v.event_id: v for v in instances_as_of(rows, moment)}
    prefetch_related_objects(list(visits.values()), "visitor", "host_country")
    visit_field, event_field = Event._meta.get_field("visit"), Visit._meta.get_field("event")
    for event in events:
        # The visit as it stood, or none: the live one may have changed or gone since.
        visit = visits.get(event.pk)
        visit_field.set_cached_value(event, visit)  # type: ignore[union-attr]
        if visit is not None:
            event_field.set_cached_value(visit, event)  # type: ignore[union-attr]
    return events


def _plain(rows: Iterable[Any]) -> list[Any]:
    """Records rebuilt from history rows without their lists, for a list that shows only their fields."""
    return [rebuilt(row) for row in rows]


def event_row_as_of(*, moment: datetime, slug: str) -> Any | None:
    """The history row of the event slugged ``slug`` at ``moment`` (a page cursor), or None."""
    return current_rows(Event, moment).filter(slug=slug).first()


def reading_page_as_of(rows: QuerySet[Any], *, moment: datetime, size: int, after: Any = None) -> list[Event]:
    """Up to ``size + 1`` events of an as-of timeline after ``after`` (a row), in reading order.

    events.selectors.reading_page on history rows: events with a known start first, then
    those whose start is open; ``after`` pages by keyset over the same order.
    """
    dated = rows.filter(date_earliest__gt=OPEN_START)
    undated = rows.filter(date_earliest__lte=OPEN_START)
    if after is not None and after.date_earliest <= OPEN_START:
        found = list(events_after(undated, after, key="id")[: size + 1])
    else:
        found = list((events_after(dated, after, key="id") if after is not None else dated)[: size + 1])
        # Asked even when the dated part fills the page, as reading_page does: the same statements.
        found += list(undated[: size + 1])[: size + 1 - len(found)]
    return events_as_of(found, moment)


def visits_as_of(
    *, moment: datetime, visitor: Person | None = None, host: Country | None = None, limit: int
) -> list[Visit]:
    """Up to ``limit`` visits of then, by their events' dates (events.selectors.VISIT_ORDER), each
    with its event and destinations as they stood."""
    rows = current_rows(Visit, moment)
    if visitor is not None:
        rows = rows.filter(visitor_id=visitor.pk)
    if host is not None:
        rows = rows.filter(host_country_id=host.pk)
    listed = list(rows.values_list("event_id", "slug", "id"))
    days = {
        pk: (earliest, latest)
        for pk, earliest, latest in current_rows(Event, moment)
        .filter(id__in=[event_id for event_id, _, _ in listed])
        .values_list("id", "date_earliest", "date_latest")
    }
    ordered = sorted((row for row in listed if row[0] in days), key=lambda r: (*days[r[0]], r[1], r[2]))
    wanted = [visit_id for _, _, visit_id in ordered[:limit]]
    # The lists show each visit's event by its date and slug only: its own lists are not read.
    events = {
        e.pk: e for e in _plain(current_rows(Event, moment).filter(id__in=[r[0] for r in ordered[:limit]]))
    }
    visits = {v.pk: v for v in instances_as_of(rows.filter(id__in=wanted), moment)}
    prefetch_related_objects(list(visits.values()), "visitor", "host_country")
    event_field = Visit._meta.get_field("event")
    for visit in visits.values():
        event_field.set_cached_value(visit, events[visit.event_id])  # type: ignore[union-attr]
    return [visits[pk] for pk in wanted if pk in visits]


def treaties_as_of(*, moment: datetime, party: Country, limit: int) -> list[Treaty]:
    """Up to ``limit`` treaties ``party`` was a party to at ``moment``, oldest signature first."""
    parties = current_rows(TreatyParty, moment).filter(country_id=party.pk).values("treaty_id")
    rows = current_rows(Treaty, moment).filter(id__in=parties).order_by(*HISTORY_TREATY_ORDER)[:limit]
    return _plain(rows)


def treaty_steps_as_of(*, treaty: Treaty, moment: datetime) -> list[Event]:
    """The events of ``treaty`` as they stood, in timeline order."""
    rows = current_rows(Event, moment).filter(treaty_id=treaty.pk).order_by(*HISTORY_TIMELINE_ORDER)
    return events_as_of(rows, moment)
