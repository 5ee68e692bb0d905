"""Section "Filtered timelines": the selector's first page by region, person, country and window.

Each region and person filter is measured next to hand-written variants of the same query (one
``Exists``, ``id IN (UNION)``, OR of two ``Exists``), which show what the selector's shape costs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from bench.dataset import HOT_REGION_ISO
from bench.measure.cases import count_case, page_case
from bench.measure.timing import Results, measure
from events import selectors
from events.models import Event, EventRegion, Participation, Visit, VisitDestination
from people.models import Person
from places.models import Region

EXISTS_ONLY = "one Exists, no OR: a lower bound that drops the visit half of the semantics"
UNION = (
    "same semantics as the selector: events.id IN (event ids from the link table UNION event ids from visits)"
)
OR_EXISTS = "same semantics as the selector: Exists(link table) OR Exists(visits), as first written"


def _landmarks() -> dict[str, Any]:
    hot_region = Region.objects.get(iso_code=HOT_REGION_ISO)
    tops = Region.objects.filter(parent__isnull=True).order_by("pk")
    mid_region = tops[tops.count() // 2]
    # A rarely used village: high ids are the least popular under the generator's skew.
    small_region = (
        Region.objects.filter(kind="village", parent__isnull=False)
        .filter(Exists(EventRegion.objects.filter(region=OuterRef("pk"))))
        .order_by("-pk")
        .first()
    )
    people = Person.objects.count()
    return {
        "hot_region": hot_region,
        "mid_region": mid_region,
        "small_region": small_region,
        "hot_person": Person.objects.get(pk=1),
        "typical_person": Person.objects.get(pk=people // 2),
    }


def filtered_timelines(results: Results, repeat: int) -> dict[str, Any]:
    section = "Filtered timelines (events.selectors.event_timeline, first page)"
    marks = _landmarks()
    hot, mid, small = marks["hot_region"], marks["mid_region"], marks["small_region"]
    hot_person, typical_person = marks["hot_person"], marks["typical_person"]
    subtree = Region.objects.subtree(hot)
    results.dataset["landmarks"] = {
        "hot region": f"{hot.name} ({hot.iso_code}), {subtree.count():,} regions in its subtree, "
        f"{selectors.event_timeline(region=hot).count():,} events",
        "mid region": f"{mid.name} (id {mid.pk}), {Region.objects.subtree(mid).count():,} regions, "
        f"{selectors.event_timeline(region=mid).count():,} events",
        "small region": f"{small.name} ({small.kind}, id {small.pk}), "
        f"{selectors.event_timeline(region=small).count():,} events",
        "hot person": f"{hot_person.name} (id 1), "
        f"{selectors.event_timeline(person=hot_person).count():,} events",
        "typical person": f"{typical_person.name} (id {typical_person.pk}), "
        f"{selectors.event_timeline(person=typical_person).count():,} events",
    }
    window = {"date_from": date(2022, 2, 1), "date_to": date(2022, 3, 31)}
    old_window = {"date_from": date(1950, 1, 1), "date_to": date(1950, 12, 31)}
    cases = [
        page_case("no filter", selectors.event_timeline()),
        page_case("region: hot oblast subtree", selectors.event_timeline(region=hot)),
        page_case("region: hot oblast, EventRegion Exists only", _region_exists_only(hot), EXISTS_ONLY),
        page_case("region: hot oblast, id IN (UNION)", _region_union(hot), UNION),
        page_case("region: hot oblast, OR of two Exists", _region_or(hot), OR_EXISTS),
        page_case("region: mid subdivision subtree", selectors.event_timeline(region=mid)),
        page_case("region: small village", selectors.event_timeline(region=small)),
        page_case("region: small village, EventRegion Exists only", _region_exists_only(small), EXISTS_ONLY),
        page_case("region: small village, id IN (UNION)", _region_union(small), UNION),
        page_case("region: small village, OR of two Exists", _region_or(small), OR_EXISTS),
        page_case("person: most active (head of state)", selectors.event_timeline(person=hot_person)),
        page_case(
            "person: most active, Participation Exists only", _person_exists_only(hot_person), EXISTS_ONLY
        ),
        page_case("person: most active, id IN (UNION)", _person_union(hot_person), UNION),
        page_case("person: most active, OR of two Exists", _person_or(hot_person), OR_EXISTS),
        page_case("person: typical", selectors.event_timeline(person=typical_person)),
        page_case(
            "person: typical, Participation Exists only", _person_exists_only(typical_person), EXISTS_ONLY
        ),
        page_case("person: typical, id IN (UNION)", _person_union(typical_person), UNION),
        page_case("person: typical, OR of two Exists", _person_or(typical_person), OR_EXISTS),
        page_case("country: UA", selectors.event_timeline(country="UA")),
        page_case("window 2022-02-01..2022-03-31", selectors.event_timeline(**window)),
        page_case(
            "window 2022-02..03, closed intervals only",
            Event.objects.filter(
                date_latest__gte=window["date_from"], date_earliest__lte=window["date_to"]
            ).order_by(*_timeline_order()),
            "no open starts (sorted first) to fill the page early: the cost when data has few open intervals",
        ),
        page_case("window 1950", selectors.event_timeline(**old_window)),
        page_case("region hot + window 2022-02..03", selectors.event_timeline(region=hot, **window)),
        page_case("kinds: VISIT", selectors.event_timeline(kinds=["VISIT"])),
        count_case("count: region hot oblast (totalCount)", selectors.event_timeline(region=hot)),
        count_case("count: person most active (totalCount)", selectors.event_timeline(person=hot_person)),
        count_case("count: window 2022-02..03 (totalCount)", selectors.event_timeline(**window)),
    ]
    measure(results, section, cases, repeat)
    for who in ("region: hot oblast", "region: small village", "person: most active", "person: typical"):
        selector = next(c.name for c in cases if c.name.startswith(who))
        single = next(c.name for c in cases if c.name.startswith(who) and "Exists only" in c.name)
        results.ratio(section, f"{who}: selector / single Exists", selector, single)
    return marks


# Hand-written variants of the selector's region and person filters ---------------------------------


def _timeline_order() -> tuple[Any, ...]:
    """Return the selector's ordering, so variants sort exactly as the API does."""
    return tuple(selectors.event_timeline().query.order_by)


def _region_or(region: Region) -> QuerySet[Event]:
    subtree = Region.objects.subtree(region).values("pk")
    return Event.objects.filter(
        Exists(EventRegion.objects.filter(event=OuterRef("pk"), region__in=subtree))
        | Exists(VisitDestination.objects.filter(visit__event=OuterRef("pk"), region__in=subtree))
    ).order_by(*_timeline_order())


def _person_or(person: Person) -> QuerySet[Event]:
    return Event.objects.filter(
        Exists(Participation.objects.filter(event=OuterRef("pk"), person=person))
        | Exists(Visit.objects.filter(event=OuterRef("pk"), visitor=person))
    ).order_by(*_timeline_order())


def _region_exists_only(region: Region) -> QuerySet[Event]:
    subtree = Region.objects.subtree(region).values("pk")
    links = EventRegion.objects.filter(event=OuterRef("pk"), region__in=subtree)
    return Event.objects.filter(Exists(links)).order_by(*_timeline_order())


def _region_union(region: Region) -> QuerySet[Event]:
    subtree = Region.objects.subtree(region).values("pk")
    ids = (
        EventRegion.objects.filter(region__in=subtree)
        .values("event_id")
        .union(VisitDestination.objects.filter(region__in=subtree).values("visit__event_id"))
    )
    return Event.objects.filter(pk__in=ids).order_by(*_timeline_order())


def _person_exists_only(person: Person) -> QuerySet[Event]:
    return Event.objects.filter(
        Exists(Participation.objects.filter(event=OuterRef("pk"), person=person))
    ).order_by(*_timeline_order())


def _person_union(person: Person) -> QuerySet[Event]:
    ids = (
        Participation.objects.filter(person=person)
        .values("event_id")
        .union(Visit.objects.filter(visitor=person).values("event_id"))
    )
    return Event.objects.filter(pk__in=ids).order_by(*_timeline_order())
