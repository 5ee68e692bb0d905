"""Filter inputs for timelines, visits and treaties; each maps onto one selector."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from django.db.models import QuerySet

from events import selectors
from events.models import Event, Treaty, Visit
from events.types.enums import EventKind, EventStatus, ProvisionKind, TimelineOrdering


@strawberry.input(name="TimelineFilter", description="Every given field narrows the timeline.")
class TimelineFilter:
    person: str | None = strawberry.field(
        default=None, description="Person slug: events the person took part in, in any role."
    )
    country: str | None = strawberry.field(
        default=None,
        description="ISO alpha-2: events in the country, in any of its regions, or with it as a participant.",
    )
    region: str | None = strawberry.field(
        default=None, description="Region slug: events in the region or any region below it."
    )
    kinds: list[EventKind] | None = None  # type: ignore[valid-type]
    status: list[EventStatus] | None = None  # type: ignore[valid-type]
    from_: date | None = strawberry.field(
        default=None,
        name="from",
        description="Events whose date interval overlaps [from, to]; either end may be left open.",
    )
    to: date | None = None
    search: str | None = strawberry.field(
        default=None, description="Full-text search over titles, summaries and cited quotes."
    )


def timeline_for(
    filters: TimelineFilter | None,
    ordering: TimelineOrdering = TimelineOrdering.TIMELINE,
    **scope: Any,
) -> QuerySet[Event]:
    """Return the timeline ``filters`` ask for, within ``scope`` (the person, country or region queried)."""
    given: dict[str, Any] = {"order": ordering.value}
    if filters is not None:
        given |= {
            "person": filters.person,
            "country": filters.country,
            "region": filters.region,
            "kinds": filters.kinds,
            "statuses": filters.status,
            "date_from": filters.from_,
            "date_to": filters.to,
            "search": filters.search,
        }
    events = None
    for name, value in scope.items():
        if given.get(name) is not None:
            # A filter on the same dimension as the scope narrows it further.
            events = selectors.event_timeline(**{name: value})
        else:
            given[name] = value
    timeline = selectors.event_timeline(**{k: v for k, v in given.items() if v is not None})
    return timeline.filter(pk__in=events.values("pk")) if events is not None else timeline


@strawberry.input(name="TreatyFilter", description="Every given field narrows the list.")
class TreatyFilter:
    parties: list[str] | None = strawberry.field(
        default=None, description="ISO alpha-2 codes: treaties to which every listed country is a party."
    )
    provision: ProvisionKind | None = None  # type: ignore[valid-type]
    signed_from: date | None = strawberry.field(
        default=None, description="Signed within [signedFrom, signedTo] (overlap, as for timelines)."
    )
    signed_to: date | None = None


def treaties_for(filters: TreatyFilter | None) -> QuerySet[Treaty]:
    """Return the treaties ``filters`` ask for."""
    if filters is None:
        return selectors.treaty_list()
    return selectors.treaty_list(
        parties=filters.parties,
        provision=filters.provision,
        signed_from=filters.signed_from,
        signed_to=filters.signed_to,
    )


@strawberry.input(name="VisitFilter", description="Every given field narrows the list.")
class VisitFilter:
    visitor: str | None = strawberry.field(default=None, description="Person slug of the visitor.")
    host: str | None = strawberry.field(default=None, description="ISO alpha-2 of the host country.")
    from_: date | None = strawberry.field(default=None, name="from")
    to: date | None = None


def visits_for(filters: VisitFilter | None) -> QuerySet[Visit]:
    """Return the visits ``filters`` ask for."""
    if filters is None:
        return selectors.visit_list()
    return selectors.visit_list(
        visitor=filters.visitor, host=filters.host, date_from=filters.from_, date_to=filters.to
    )
