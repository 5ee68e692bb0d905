"""Reads of events, visits, treaties and sources, as QuerySets the API and admin compose.

Every "takes part in / lies in" filter is an ``EXISTS`` or ``IN`` subquery, never a
join: a join across to-many relations would need DISTINCT, which breaks counting and
keyset paging (strawberry-graphql-django #792).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Unpack

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import ExtractYear

from core.fuzzydates import OPEN_END, OPEN_START
from events.filtering import (
    TimelineFilters,
    TimelineOrder,
    TimelineScope,
    _checked_search,
    _overlapping,
    own_columns,
    scope_of,
)
from events.models import (
    TIMELINE_ORDER,
    Citation,
    Event,
    EventCountry,
    EventRegion,
    Participation,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
)
from events.search import search_events
from people.models import Person
from people.selectors import person_for_filter
from places.models import Country, Region
from places.selectors import country_for_filter, region_for_filter

# Treaty reads have their own module; the API and pages find them here too.
from events.treaty_selectors import TREATY_ORDER as TREATY_ORDER  # isort: skip
from events.treaty_selectors import party_steps as party_steps  # isort: skip
from events.treaty_selectors import treaty_by_slug as treaty_by_slug  # isort: skip
from events.treaty_selectors import treaty_list as treaty_list  # isort: skip

# By the event's dates, as copied onto the visit (events.visit_dates): an index hands out a
# visitor's or a host's visits in this order a page at a time (visit_visitor_date_idx).
VISIT_ORDER = ("event_date_earliest", "event_date_latest", "slug", "pk")


def _event_ids(*links: QuerySet) -> Q:
    """Events whose id any of ``links`` yields, as one ``IN (… UNION …)``."""
    first, *rest = (link.order_by().values("event_id") for link in links)
    return Q(pk__in=first.union(*rest) if rest else first)


def _linked(links: QuerySet) -> Q:
    """Events with a row in ``links``, as one EXISTS.

    The services keep a visit's visitor among its event's participants and its
    destinations among the event's regions (the visit mirror, events.services),
    so participants and event regions alone find every event. A single EXISTS lets
    PostgreSQL choose: a semi-join from the link table's index for a rare person or
    place, the timeline-index walk for a frequent one (bench/report.md).
    """
    return Q(Exists(links.filter(event=OuterRef("pk"))))


def _in_subtree(region: Region) -> Q:
    """Events located in the region or any region below it, visits going there included."""
    subtree = Region.objects.subtree(region).order_by().values("pk")
    return _linked(EventRegion.objects.filter(region__in=subtree))


# A country with at least this many events placed in it takes the timeline-index walk.
BUSY_COUNTRY_EVENTS = 2000


def _in_country(country: Country, *, gather: bool = False) -> Q:
    """Events in the country, in any of its regions, hosted by it, or with it as a participant.

    Four kinds of link: for a country with few events, one ``IN (… UNION …)`` gathers and
    sorts them; for a busy one, EXISTS tests while walking the timeline index find a page
    sooner than gathering tens of thousands of ids (bench/report.md). Both are exact;
    capped counts of its event-country and event-region links (indexed) pick. ``gather``
    asks for the ``IN (… UNION …)`` whatever the size: an aggregate over all of a busy
    country's events (its overview) read the whole event table through the EXISTS tests,
    one row at a time, and so grew with the record, not with the country (issue 25).
    """
    links = [
        EventCountry.objects.filter(country=country),
        EventRegion.objects.filter(region__country=country),
        Participation.objects.filter(country=country),
        Visit.objects.filter(host_country=country),
    ]
    if gather or all(link[:BUSY_COUNTRY_EVENTS].count() < BUSY_COUNTRY_EVENTS for link in links[:2]):
        return _event_ids(*links)
    return _linked_to_any(links)


def _linked_to_any(links: list[QuerySet]) -> Q:
    """Events with a row in any of ``links``, as one EXISTS over their ``UNION ALL``.

    As an OR of four EXISTS, PostgreSQL turned each into a hashed subplan: before walking a
    single row it read and hashed every link of the country (150,000 rows for UA at a million
    events, 230 ms per walk), however soon the walk found its page, so a busy country's page
    grew with the record (issue 25). A UNION cannot be hashed that way: each event walked is
    probed in the four link tables' indexes, and the walk stops at its page.
    """
    first, *rest = (link.filter(event=OuterRef("pk")).order_by().values("event_id") for link in links)
    return Q(Exists(first.union(*rest, all=True)))


def _with_person(person: Person) -> Q:
    """Events the person took part in, in any role, the visitor of a visit included."""
    return _linked(Participation.objects.filter(person=person))


def event_timeline(
    *, order: TimelineOrder = "timeline", whole: bool = False, **scope: Unpack[TimelineScope]
) -> QuerySet[Event]:
    """Return events matching every filter of ``scope``, in timeline order unless relevance is asked for.

    People, countries and regions may be given as instances or as slug / ISO code;
    an unknown slug or code raises InvalidFilter. ``whole`` says the caller reads all of
    them (a count by year), not a page: the filters then take the form that gathers.
    """
    events = Event.objects.order_by(*TIMELINE_ORDER)
    if (person := scope.get("person")) is not None:
        events = events.filter(_with_person(person_for_filter(person) if isinstance(person, str) else person))
    if (country := scope.get("country")) is not None:
        events = events.filter(
            _in_country(country_for_filter(country) if isinstance(country, str) else country, gather=whole)
        )
    if (region := scope.get("region")) is not None:
        events = events.filter(_in_subtree(region_for_filter(region) if isinstance(region, str) else region))
    events = own_columns(events, scope)
    if (search := scope.get("search")) and search.strip():
        events = search_events(events, _checked_search(search), by_relevance=order == "relevance")
    return events


def timeline_for(
    filters: TimelineFilters | None, order: TimelineOrder = "timeline", **scope: Any
) -> QuerySet[Event]:
    """Return the timeline ``filters`` ask for, within ``scope`` (the person, country or region queried).

    Here, below every GraphQL type, so that the person, country and region types reach it
    without importing the event types (which import theirs).
    """
    given = scope_of(filters)
    events = None
    for name, value in scope.items():
        if given.get(name) is not None:
            # A filter on the same dimension as the scope narrows it further.
            events = event_timeline(**{name: value})
        else:
            given[name] = value  # type: ignore[literal-required]
    timeline = event_timeline(order=order, **given)
    return timeline.filter(pk__in=events.values("pk")) if events is not None else timeline


def event_by_slug(*, slug: str) -> QuerySet[Event]:
    """Return the event with ``slug`` (none or one)."""
    return Event.objects.filter(slug=slug)


def visit_list(
    *,
    visitor: Person | str | None = None,
    host: Country | str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Visit]:
    """Return visits, oldest first, by visitor, host country and date overlap of their events."""
    visits = Visit.objects.order_by(*VISIT_ORDER)
    if visitor is not None:
        visits = visits.filter(visitor=person_for_filter(visitor) if isinstance(visitor, str) else visitor)
    if host is not None:
        visits = visits.filter(host_country=country_for_filter(host) if isinstance(host, str) else host)
    return _overlapping(visits, "event_date", date_from, date_to)


def first_visits(visits: QuerySet[Visit], count: int) -> QuerySet[Visit]:
    """The first ``count`` of ``visits`` in their order, as a queryset to join details to.

    Joining the visitors before the LIMIT let PostgreSQL hash every person to keep 51 visits
    (a scan of the people table on each country page, growing with the record, issue 25);
    choosing the visits first joins their details to those rows alone.
    """
    return Visit.objects.filter(pk__in=visits.values("pk")[:count]).order_by(*VISIT_ORDER)


def visit_by_slug(*, slug: str) -> QuerySet[Visit]:
    """Return the visit with ``slug`` (none or one)."""
    return Visit.objects.filter(slug=slug)


def events_after(events: QuerySet[Any], cursor: Any, *, key: str = "pk") -> QuerySet[Any]:
    """Keep the events after ``cursor`` in timeline order (keyset paging for the public pages).

    The plain bound on the leading column lets the database start its walk of
    event_timeline_idx at the cursor; the OR chain then settles ties exactly. ``key`` names the
    event's id: ``id`` on history rows (events.asof), whose own primary key is the history id.
    """
    e, la, t = cursor.date_earliest, cursor.date_latest, cursor.title
    return events.filter(date_earliest__gte=e).filter(
        Q(date_earliest__gt=e)
        | Q(date_earliest=e, date_latest__gt=la)
        | Q(date_earliest=e, date_latest=la, title__gt=t)
        | Q(date_earliest=e, date_latest=la, title=t, **{f"{key}__gt": getattr(cursor, key)})
    )


def reading_page(events: QuerySet[Event], *, size: int, after: Event | None = None) -> list[Event]:
    """Up to ``size + 1`` of ``events`` after ``after``, "oldest first" as a reader means it.

    An event whose start is open or unknown ("../2025-08-06") is stored with the first
    representable day (core.fuzzydates.OPEN_START), so the plain timeline order put a 2025
    event first in the explorer. Here every event with a known start comes first, in
    timeline order; those without one follow, among themselves by their known end (the
    order's next key), and their date says "until …". Each part is a walk of the same
    indexed order (event_timeline_idx), one query each, then the details once. The pages
    and exports page through this; the API keeps the plain order its cursors encode.
    """
    dated = events.filter(date_earliest__gt=OPEN_START)
    undated = events.filter(date_earliest__lte=OPEN_START)
    if after is not None and after.date_earliest <= OPEN_START:
        rows = list(_joined(events_after(undated, after))[: size + 1])
    else:
        rows = list(_joined(events_after(dated, after) if after is not None else dated)[: size + 1])
        # Asked even when the dated part fills the page: a page then runs the same statements
        # whether or not it reaches the undated part (tests/pages/test_records.py).
        rows += list(_joined(undated)[: size + 1])[: size + 1 - len(rows)]
    prefetch_related_objects(rows, *_detail_prefetches())
    return rows


def year_counts(events: QuerySet[Event]) -> list[tuple[int, int]]:
    """How many of ``events`` fall in each year, oldest first: the overview of a whole record.

    An event counts in the year of its first possible day, or of its known end when its
    start is open ("../2025-08-06" counts in 2025); one with no known day at all is left out.
    One aggregate query, whatever the number of events.
    """
    day = Case(When(date_earliest__gt=OPEN_START, then=F("date_earliest")), default=F("date_latest"))
    rows = (
        events.order_by()
        .exclude(date_earliest__lte=OPEN_START, date_latest__gte=OPEN_END)
        .annotate(year=ExtractYear(day))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
        .values_list("year", "n")
    )
    return [(year, n) for year, n in rows if year is not None]


def _joined(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("visit__visitor", "visit__host_country", "treaty")


def _detail_prefetches() -> tuple[Prefetch, ...]:
    return (
        Prefetch("participants", Participation.objects.select_related("person", "country").order_by("pk")),
        Prefetch("regions", Region.objects.select_related("country").order_by("name")),
        Prefetch("countries", Country.objects.order_by("name")),
        # A source's full text (a dataset's can be megabytes) is not shown in a list: reading it
        # for each of 2,000 citations made an export's slowest step.
        Prefetch("citations", Citation.objects.select_related("source").defer("source__text").order_by("pk")),
    )


def with_details(events: QuerySet[Event]) -> QuerySet[Event]:
    """Events with everything a reader sees of them, in a constant number of queries."""
    return _joined(events).prefetch_related(*_detail_prefetches())


def event_detail(*, slug: str) -> QuerySet[Event]:
    """The event with ``slug`` and all it links to, for its public page (none or one)."""
    return with_details(event_by_slug(slug=slug)).prefetch_related(
        Prefetch("visit__destinations", Region.objects.order_by("name"))
    )


def treaty_detail(*, slug: str) -> QuerySet[Treaty]:
    """The treaty with ``slug``, its parties, provisions and citations, for its public page."""
    return (
        treaty_by_slug(slug=slug)
        .select_related("parent")
        .prefetch_related(
            Prefetch(
                "parties",
                TreatyParty.objects.select_related("country", "organization", "signatory").order_by(
                    "country__name", "organization__name"
                ),
            ),
            Prefetch("provisions", TreatyProvision.objects.order_by("pk")),
            Prefetch("citations", Citation.objects.select_related("source").order_by("pk")),
        )
    )
