"""The timeline as it stood at a past moment (issue 24): which events matched, from history.

``timeline_as_of`` is the as-of twin of ``events.selectors.timeline_for``: the same filters,
each applied to the state at the moment, not today's. An event matches when its historical
row current at the moment (core.asof.current_rows) and the link rows current then (its
participants, countries, regions, a visit's host, its citations' quotes) satisfy the filter;
events deleted since are among them, events made since are not. It returns a QuerySet of
historical event rows in timeline order, so a page is one walk of the history table's own
timeline index (migration events 0011, docs/performance.md), each row's currency a range test
on its own ``history_valid_until`` (core.history).

``events_from_history`` turns a page of those rows into ``Event`` instances as they stood,
their lists, visit and treaty rebuilt from history in one query per relation
(core.asof.attach_as_of); the GraphQL types and the pages (events.asof) read them like live
records.

The place tree (which region lies below which) and a search's "names a person" step are read
as they are now: regions keep no history, and people's folded search names are not historical.
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import datetime
from functools import reduce
from typing import Any, Unpack

from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import (
    Exists,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Value,
    prefetch_related_objects,
)
from django.db.models.lookups import LessThanOrEqual

from core.asof import check_moment, current_rows, instances_as_of, record_as_of, row_as_of, with_targets
from events.filtering import (
    TimelineFilters,
    TimelineOrder,
    TimelineScope,
    _checked_search,
    own_columns,
    scope_of,
)
from events.models import Citation, Event, EventCountry, EventRegion, Participation, Treaty, Visit
from events.search import EVENT_VECTOR, QUOTE_VECTOR, SEARCH_CONFIG, named_people, relevance
from events.selectors import BUSY_COUNTRY_EVENTS
from people.models import Person
from people.selectors import person_for_filter
from places.models import Country, Region
from places.selectors import country_for_filter, region_for_filter

# Timeline order over historical rows: ``id`` is the event's key there (``pk`` is the row's).
AS_OF_ORDER = ("date_earliest", "date_latest", "title", "id")


def _linked(links: QuerySet) -> Q:
    """Historical events with a row in ``links`` (link rows current at the moment)."""
    return Q(Exists(links.filter(event_id=OuterRef("id"))))


def _named_at(model: type[Model], moment: datetime, now: Any, **key: Any) -> int:
    """The key of the record that had ``key`` at ``moment``, else of the one ``now`` names today.

    Today's name is the fallback for a slug merged away since (people.selectors follows merges);
    a record made since then simply matches nothing then. ``now`` raises InvalidFilter for a
    name nobody has.
    """
    row = row_as_of(model, moment, **key)
    return row.id if row is not None else now().pk


def _person(person: Person | str, moment: datetime) -> Q:
    if isinstance(person, Person):
        pk = person.pk
    else:
        pk = _named_at(Person, moment, lambda: person_for_filter(person), slug=person)
    return _linked(current_rows(Participation, moment).filter(person_id=pk))


def _probed(links: QuerySet, moment: datetime) -> Q:
    """Historical events with a row in ``links``, tested row by row as the timeline walk meets them.

    Under an OR, PostgreSQL turns each EXISTS into a hashed subplan that first gathers every link
    row of the filter (tens of thousands for a busy country, a whole table's scan for its regions)
    however early the walk finds its page: the planner costs a subplan as if the walk read the
    whole table, not the page a LIMIT stops at. A condition on the walked row inside the subquery
    (true of every row the walk keeps: it was written by the moment) keeps PostgreSQL from
    hashing it, so each test is one probe of the link table's event index (docs/performance.md).
    """
    written = LessThanOrEqual(OuterRef("history_date"), Value(moment))
    return Q(Exists(links.filter(written, event_id=OuterRef("id"))))


def _country(country: Country | str, moment: datetime) -> Q:
    """In the country, in any of its regions, hosted by it, or with it as a participant, as then.

    A busy country (as ``events.selectors`` counts it, on today's links: only the plan depends
    on it) is tested row by row along the timeline walk (``_probed``); a quiet one by hashed
    EXISTS, which gather its few link rows once.
    """
    if isinstance(country, Country):
        pk = country.pk
    else:
        code = country.strip().upper()
        pk = _named_at(Country, moment, lambda: country_for_filter(country), code=code)
    links = [
        current_rows(EventCountry, moment).filter(country_id=pk),
        current_rows(EventRegion, moment).filter(region__country_id=pk),
        current_rows(Participation, moment).filter(country_id=pk),
        current_rows(Visit, moment).filter(host_country_id=pk),
    ]
    busy = any(
        live[:BUSY_COUNTRY_EVENTS].count() >= BUSY_COUNTRY_EVENTS
        for live in (
            EventCountry.objects.filter(country_id=pk),
            EventRegion.objects.filter(region__country_id=pk),
        )
    )
    return reduce(operator.or_, [_probed(link, moment) if busy else _linked(link) for link in links])


def _region(region: Region | str, moment: datetime) -> Q:
    place = region_for_filter(region) if isinstance(region, str) else region
    subtree = Region.objects.subtree(place).order_by().values("pk")
    return _linked(current_rows(EventRegion, moment).filter(region_id__in=subtree))


def _search(rows: QuerySet, text: str, moment: datetime, *, by_relevance: bool) -> QuerySet:
    """Keep rows whose title, summary or then-cited quotes match ``text`` (as events.selectors does)."""
    taking_part = named_people(text)
    quotes = current_rows(Citation, moment)
    named = None
    if taking_part is not None:
        people = taking_part.values("person_id")
        named = _linked(current_rows(Participation, moment).filter(person_id__in=people))
    if connections[rows.db].vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        quoted = quotes.alias(vector=QUOTE_VECTOR).filter(vector=query)
        found = Q(vector=query) | _linked(quoted)
        rows = rows.alias(vector=EVENT_VECTOR).filter(found | named if named is not None else found)
        if by_relevance:
            rank = relevance(query, quotes.filter(event_id=OuterRef("id")))
            rows = rows.annotate(relevance=rank).order_by("-relevance", *AS_OF_ORDER)
        return rows
    own_text = Q()
    quote = Q()
    for word in text.split():
        own_text &= Q(title__icontains=word) | Q(summary__icontains=word)
        quote &= Q(quote__icontains=word)
    found = own_text | _linked(quotes.filter(quote))
    return rows.filter(found | named if named is not None else found)


def event_rows_as_of(
    *,
    moment: datetime,
    order: TimelineOrder = "timeline",
    within: Iterable[Q] = (),
    **scope: Unpack[TimelineScope],
) -> QuerySet:
    """Historical event rows current at ``moment`` matching every filter as it stood, in timeline order.

    The as-of twin of ``events.selectors.event_timeline``, read by the GraphQL ``timeline(asOf)``
    (through ``timeline_as_of``) and by the pages and exports ``?as_of=`` (events.asof);
    ``within`` narrows further (a scope). People, countries and regions given as records are
    matched by their key; slugs and codes are read as they were at the moment (as today for
    one no record had then), and an unknown one raises InvalidFilter. ``moment`` is aware and
    has passed (core.asof.check_moment, core.citing.parse_as_of); one before any event was
    recorded simply matches nothing.
    """
    rows = current_rows(Event, moment).order_by(*AS_OF_ORDER)
    conditions = list(within)
    if (person := scope.get("person")) is not None:
        conditions.append(_person(person, moment))
    if (country := scope.get("country")) is not None:
        conditions.append(_country(country, moment))
    if (region := scope.get("region")) is not None:
        conditions.append(_region(region, moment))
    rows = own_columns(rows.filter(*conditions), scope)
    if (search := scope.get("search")) and search.strip():
        rows = _search(rows, _checked_search(search), moment, by_relevance=order == "relevance")
    return rows


def timeline_as_of(
    filters: TimelineFilters | None, *, moment: datetime, order: TimelineOrder = "timeline", **scope: Any
) -> QuerySet:
    """The timeline ``filters`` asked for at ``moment``, within ``scope`` (a person, country or region).

    Historical event rows (unsliced, in timeline order, or relevance with a search): page them
    with ``rows_after`` and turn a page into events with ``events_from_history``. A filter on the
    scope's own dimension narrows it further, as ``events.selectors.timeline_for`` does.
    """
    moment = check_moment(Event, moment)
    by_scope = {"person": _person, "country": _country, "region": _region}
    within = [by_scope[name](value, moment) for name, value in scope.items()]
    return event_rows_as_of(moment=moment, order=order, within=within, **scope_of(filters))


def position_of(rows: QuerySet, event_id: int, moment: datetime) -> dict[str, Any] | None:
    """The ordering values of event ``event_id`` in ``rows``' order, or None when there are none.

    A cursor names an event only: at a moment that has passed its values are fixed, so they are
    read again from history rather than carried (and trusted) in the cursor. An event outside
    ``rows`` (a cursor of a narrower list) is placed by its own values in timeline order.
    """
    names = [term.lstrip("-") for term in rows.query.order_by]
    found = rows.filter(id=event_id).values(*names).first()
    if found is None and tuple(names) == AS_OF_ORDER:
        found = current_rows(Event, moment).filter(id=event_id).values(*names).first()
    return found


def flipped(rows: QuerySet) -> QuerySet:
    """``rows`` in the opposite order (for paging backwards)."""
    terms = [term[1:] if term.startswith("-") else f"-{term}" for term in rows.query.order_by]
    return rows.order_by(*terms)


def rows_after(rows: QuerySet, position: dict[str, Any]) -> QuerySet:
    """Keep the rows after ``position`` in ``rows``' order.

    A plain bound on the leading column lets the database start its index walk at the cursor;
    the OR chain settles ties exactly (as events.selectors.events_after does).
    """
    terms = list(rows.query.order_by)
    either = Q()
    equal: dict[str, Any] = {}
    for term in terms:
        name = term.lstrip("-")
        either |= Q(**equal, **{f"{name}__{'lt' if term.startswith('-') else 'gt'}": position[name]})
        equal[name] = position[name]
    lead = terms[0].lstrip("-")
    bound = f"{lead}__{'lte' if terms[0].startswith('-') else 'gte'}"
    return rows.filter(**{bound: position[lead]}).filter(either)


def _split_parties(treaty: Treaty) -> None:
    """The parties as TreatyType reads them: states and organizations apart."""
    parties = list(treaty.parties.all())
    treaty.state_parties = [p for p in parties if p.country_id is not None]  # type: ignore[attr-defined]
    treaty.organization_parties = [p for p in parties if p.organization_id is not None]  # type: ignore[attr-defined]


def treaty_as_of(*, slug: str, moment: datetime) -> Treaty | None:
    """The treaty with ``slug`` as it stood at ``moment`` (core.asof), its parties split as TreatyType
    reads them."""
    treaty = record_as_of(Treaty, moment, slug=slug)
    if treaty is not None:
        _split_parties(treaty)  # type: ignore[arg-type]
    return treaty  # type: ignore[return-value]


def treaties_as_of(ids: Iterable[int], moment: datetime) -> dict[int, Treaty]:
    """The treaties ``ids`` as they stood at ``moment``, with their lists; deleted ones left out."""
    rows = list(current_rows(Treaty, moment).filter(id__in=list(ids)))
    treaties = instances_as_of(rows, moment)
    for treaty in treaties:
        _split_parties(treaty)  # type: ignore[arg-type]
    return {t.pk: t for t in treaties}  # type: ignore[misc]


def events_from_history(
    rows: Iterable[Any], moment: datetime, *, only: frozenset[str] | None = None
) -> list[Event]:
    """The events historical ``rows`` stood for at ``moment``, with their lists, visit and treaty then.

    ``only`` names the relations the caller will read (``participants``, ``countries``, ``visit``,
    ``treaty``...; the compiled read path knows them from the query); None reads them all.
    """
    return with_details_as_of(instances_as_of(list(rows), moment, only=only), moment, only=only)


def with_details_as_of(
    events: list[Event], moment: datetime, *, only: frozenset[str] | None = None
) -> list[Event]:
    """Give rebuilt events (their lists attached) their visit and treaty as they stood, and their
    regions' countries: events.selectors.with_details's counterpart for the API and the pages.

    A constant number of queries for any number of events: one for the visits (and one per
    their lists and the records they name), one for the treaties (and theirs), one for the
    countries. Records they point at are read as they are now, None when deleted since. ``only``
    as ``events_from_history`` takes it: a visit, treaty or region list not named is not read.
    """
    if not events:
        return events
    wanted = (lambda name: True) if only is None else only.__contains__
    by_id = {event.pk: event for event in events}
    visits: list[Any] = []
    if wanted("visit"):
        visits = instances_as_of(list(current_rows(Visit, moment).filter(event_id__in=list(by_id))), moment)
        with_targets(Visit, visits, skip=("event",))
    visit_of = {visit.event_id: visit for visit in visits}
    treaties: dict[int, Treaty] = {}
    if wanted("treaty"):
        treaties = treaties_as_of({e.treaty_id for e in events if e.treaty_id is not None}, moment)
    if wanted("regions"):
        prefetch_related_objects([r for e in events for r in e.regions.all()], "country")
    visit_cache = Event._meta.get_field("visit")
    for event in events:
        # The visit as it stood, or none: the live one may have changed or gone since. What was
        # not read is left uncached (core.graphql.compiled.instances then refuses to serve it).
        if wanted("visit"):
            visit = visit_of.get(event.pk)
            visit_cache.set_cached_value(event, visit)  # type: ignore[attr-defined]
            if visit is not None:
                Visit._meta.get_field("event").set_cached_value(visit, event)
        if wanted("treaty"):
            Event._meta.get_field("treaty").set_cached_value(event, treaties.get(event.treaty_id))  # type: ignore[arg-type]
    return events
