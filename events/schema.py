"""Queries and mutations for timelines, events, visits and treaties."""

from __future__ import annotations

from collections.abc import Iterable

import strawberry
import strawberry_django

from core.asof import AsOf, AsOfList, record_as_of
from core.graphql.mutations import RecordMutations
from events import models, selectors, services
from events.asof_connection import as_of_timeline
from events.asof_timeline import treaty_as_of
from events.types import (
    EventConnection,
    EventType,
    TimelineFilter,
    TimelineOrdering,
    TreatyConnection,
    TreatyFilter,
    TreatyType,
    VisitConnection,
    VisitFilter,
    VisitType,
    treaties_for,
    visits_for,
)
from events.types.inputs import (
    EventInput,
    EventPatch,
    TreatyInput,
    TreatyPatch,
    VisitInput,
    VisitPatch,
    event_arguments,
    treaty_arguments,
    visit_arguments,
)


@strawberry.type
class Query:
    @strawberry_django.connection(
        EventConnection,
        description="Events matching every filter, oldest first (earliest, then latest day, then title).",
    )
    def timeline(
        self,
        filters: TimelineFilter | None = None,
        ordering: TimelineOrdering = TimelineOrdering.TIMELINE,
        as_of: AsOfList = None,
    ) -> Iterable[models.Event]:
        if as_of is not None:  # from history: which events matched then, as they stood (events.asof_timeline)
            return as_of_timeline(filters, moment=as_of, order=ordering.value)  # type: ignore[return-value]
        return selectors.timeline_for(filters, ordering.value)

    @strawberry_django.field(description="The event with this slug, or null.")
    def event(self, slug: str, as_of: AsOf = None) -> EventType | None:
        if as_of is not None:  # from history: the event as it stood then (core.asof)
            return record_as_of(models.Event, as_of, slug=slug)  # type: ignore[return-value]
        return selectors.event_by_slug(slug=slug)  # type: ignore[return-value]

    @strawberry_django.field(description="The visit with this slug, or null.")
    def visit(self, slug: str, as_of: AsOf = None) -> VisitType | None:
        if as_of is not None:
            return record_as_of(models.Visit, as_of, slug=slug)  # type: ignore[return-value]
        return selectors.visit_by_slug(slug=slug)  # type: ignore[return-value]

    @strawberry_django.connection(VisitConnection, description="Visits, oldest first.")
    def visits(self, filters: VisitFilter | None = None) -> Iterable[models.Visit]:
        return visits_for(filters)

    @strawberry_django.field(description="The treaty with this slug, or null.")
    def treaty(self, slug: str, as_of: AsOf = None) -> TreatyType | None:
        if as_of is not None:
            return treaty_as_of(slug=slug, moment=as_of)  # type: ignore[return-value]
        return selectors.treaty_by_slug(slug=slug)  # type: ignore[return-value]

    @strawberry_django.connection(TreatyConnection, description="Treaties, oldest signature first.")
    def treaties(self, filters: TreatyFilter | None = None) -> Iterable[models.Treaty]:
        return treaties_for(filters)


EVENTS = RecordMutations(models.Event, services.EVENT_SERVICES, event_arguments)
VISITS = RecordMutations(models.Visit, services.VISIT_SERVICES, visit_arguments)
TREATIES = RecordMutations(models.Treaty, services.TREATY_SERVICES, treaty_arguments)


@strawberry.type
class Mutation:
    event_create, event_update, event_delete = EVENTS.fields(
        input=EventInput,
        patch=EventPatch,
        output=EventType,
        create="Create an event with its places, participants and citations.",
        update="Change an event; each list given replaces the event's list.",
        delete="Delete an event and what hangs on it.",
    )
    visit_create, visit_update, visit_delete = VISITS.fields(
        input=VisitInput,
        patch=VisitPatch,
        output=VisitType,
        create="Create a visit of an existing event.",
        update="Change a visit; a given `destinations` list replaces its list.",
        delete="Delete a visit; its event stays.",
    )
    treaty_create, treaty_update, treaty_delete = TREATIES.fields(
        input=TreatyInput,
        patch=TreatyPatch,
        output=TreatyType,
        create="Create a treaty with its parties, provisions and citations.",
        update="Change a treaty; each list given replaces the treaty's list.",
        delete="Delete a treaty; its events stay, unlinked from it.",
    )
