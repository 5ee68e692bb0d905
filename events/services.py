"""Writes of events, visits and treaties: validated, atomic, each tagged with its actor and reason.

Relation lists (participants, places, citations, parties, provisions, destinations)
are given whole: ``None`` leaves them alone, a list replaces them, and rows that
stay the same are kept so the history shows only what really changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.services import apply_changes, delete_tagged, replace_children, save_validated
from events.models import (
    Citation,
    Event,
    EventCountry,
    EventRegion,
    ParticipantRole,
    Participation,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
    VisitDestination,
)
from places.models import Country, Region

Rows = Sequence[dict[str, Any]]

EVENT_FIELDS = frozenset({"slug", "kind", "title", "summary", "date", "status", "treaty", "note"})
VISIT_FIELDS = frozenset(
    {"slug", "event", "kind", "visitor", "host_country", "delegation_size", "purpose", "note"}
)
TREATY_FIELDS = frozenset({"slug", "name", "short_name", "signed", "in_force", "note"})


def _pk(instance: Any) -> Any:
    return instance.pk if instance is not None else None


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    if unknown := sorted(set(fields) - allowed):
        raise ValidationError(f"These fields cannot be set here: {', '.join(unknown)}.", code="unknown_field")


def _citations(parent: Event | Treaty, rows: Rows, *, actor: Any, reason: str | None) -> bool:
    link = "event" if isinstance(parent, Event) else "treaty"
    return replace_children(
        existing=parent.citations.all(),
        wanted=rows,
        build=lambda v: Citation(**{link: parent}, **v),
        key=lambda v: (v["source"].pk, v.get("quote", "")),
        key_of=lambda row: (row.source_id, row.quote),
        prefix="citations",
        actor=actor,
        reason=reason,
    )


def _event_relations(
    event: Event,
    *,
    countries: Sequence[Country] | None,
    regions: Sequence[Region] | None,
    participants: Rows | None,
    citations: Rows | None,
    actor: Any,
    reason: str | None,
) -> bool:
    changed = False
    if countries is not None:
        changed |= replace_children(
            existing=event.country_links.all(),
            wanted=[{"country": c} for c in countries],
            build=lambda v: EventCountry(event=event, **v),
            key=lambda v: v["country"].pk,
            key_of=lambda row: row.country_id,
            prefix="countries",
            actor=actor,
            reason=reason,
        )
    if regions is not None:
        changed |= replace_children(
            existing=event.region_links.all(),
            wanted=[{"region": r} for r in regions],
            build=lambda v: EventRegion(event=event, **v),
            key=lambda v: v["region"].pk,
            key_of=lambda row: row.region_id,
            prefix="regions",
            actor=actor,
            reason=reason,
        )
    if participants is not None:
        changed |= replace_children(
            existing=event.participants.all(),
            wanted=participants,
            build=lambda v: Participation(event=event, **v),
            key=lambda v: (
                v["role"],
                getattr(v.get("person"), "pk", None),
                getattr(v.get("country"), "pk", None),
            ),
            key_of=lambda row: (row.role, row.person_id, row.country_id),
            prefix="participants",
            actor=actor,
            reason=reason,
        )
    if citations is not None:
        changed |= _citations(event, citations, actor=actor, reason=reason)
    return changed


@transaction.atomic
def event_create(
    *,
    actor: Any,
    reason: str | None = None,
    fields: dict[str, Any],
    countries: Sequence[Country] = (),
    regions: Sequence[Region] = (),
    participants: Rows = (),
    citations: Rows = (),
) -> Event:
    """Create an event with its places, participants and citations."""
    _check_fields(fields, EVENT_FIELDS)
    event = save_validated(Event(**fields), actor=actor, reason=reason)
    _event_relations(
        event,
        countries=countries,
        regions=regions,
        participants=participants,
        citations=citations,
        actor=actor,
        reason=reason,
    )
    return event


@transaction.atomic
def event_update(
    *,
    actor: Any,
    reason: str | None = None,
    event: Event,
    fields: dict[str, Any],
    countries: Sequence[Country] | None = None,
    regions: Sequence[Region] | None = None,
    participants: Rows | None = None,
    citations: Rows | None = None,
) -> tuple[Event, bool]:
    """Change an event's fields and replace the relation lists given; return it and whether it changed."""
    _check_fields(fields, EVENT_FIELDS)
    changed = apply_changes(event, fields)
    if changed:
        save_validated(event, actor=actor, reason=reason)
    changed |= _event_relations(
        event,
        countries=countries,
        regions=regions,
        participants=participants,
        citations=citations,
        actor=actor,
        reason=reason,
    )
    return event, changed


@transaction.atomic
def event_delete(*, actor: Any, reason: str | None = None, event: Event) -> None:
    """Delete an event with its visit, places, participants and citations."""
    delete_tagged(event, actor=actor, reason=reason)


def visit_mirror_on_event(*, actor: Any, reason: str | None = None, visit: Visit) -> None:
    """Record the visitor as a participant of the visit's event and each destination as its region.

    Timelines find people and places through participants and event regions with a single
    EXISTS (events.selectors._linked); this keeps visits on that fast path. It only adds:
    an event may keep a region or participant the visit no longer names.
    """
    event = visit.event
    if not event.participants.filter(person=visit.visitor_id).exists():
        save_validated(
            Participation(event=event, role=ParticipantRole.VISITOR, person=visit.visitor),
            actor=actor,
            reason=reason,
        )
    located = set(event.region_links.values_list("region_id", flat=True))
    for region_id in visit.destination_links.exclude(region__in=located).values_list("region_id", flat=True):
        save_validated(EventRegion(event=event, region_id=region_id), actor=actor, reason=reason)


def _destinations(visit: Visit, regions: Sequence[Region], *, actor: Any, reason: str | None) -> bool:
    return replace_children(
        existing=visit.destination_links.all(),
        wanted=[{"region": r} for r in regions],
        build=lambda v: VisitDestination(visit=visit, **v),
        key=lambda v: v["region"].pk,
        key_of=lambda row: row.region_id,
        prefix="destinations",
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def visit_create(
    *, actor: Any, reason: str | None = None, fields: dict[str, Any], destinations: Sequence[Region] = ()
) -> Visit:
    """Create a visit of an existing event, with its destinations."""
    _check_fields(fields, VISIT_FIELDS)
    visit = save_validated(Visit(**fields), actor=actor, reason=reason)
    _destinations(visit, destinations, actor=actor, reason=reason)
    visit_mirror_on_event(actor=actor, reason=reason, visit=visit)
    return visit


@transaction.atomic
def visit_update(
    *,
    actor: Any,
    reason: str | None = None,
    visit: Visit,
    fields: dict[str, Any],
    destinations: Sequence[Region] | None = None,
) -> tuple[Visit, bool]:
    """Change a visit's fields and, when given, its destinations; return it and whether anything changed."""
    _check_fields(fields, VISIT_FIELDS)
    changed = apply_changes(visit, fields)
    if changed:
        save_validated(visit, actor=actor, reason=reason)
    if destinations is not None:
        changed |= _destinations(visit, destinations, actor=actor, reason=reason)
    if changed:
        visit_mirror_on_event(actor=actor, reason=reason, visit=visit)
    return visit, changed


@transaction.atomic
def visit_delete(*, actor: Any, reason: str | None = None, visit: Visit) -> None:
    """Delete a visit; its event stays."""
    delete_tagged(visit, actor=actor, reason=reason)


def _treaty_relations(
    treaty: Treaty,
    *,
    parties: Rows | None,
    provisions: Rows | None,
    citations: Rows | None,
    actor: Any,
    reason: str | None,
) -> bool:
    changed = False
    if parties is not None:
        changed |= replace_children(
            existing=treaty.parties.all(),
            wanted=parties,
            build=lambda v: TreatyParty(treaty=treaty, **v),
            key=lambda v: v["country"].pk,
            key_of=lambda row: row.country_id,
            prefix="parties",
            actor=actor,
            reason=reason,
        )
    if provisions is not None:
        changed |= replace_children(
            existing=treaty.provisions.all(),
            wanted=provisions,
            build=lambda v: TreatyProvision(treaty=treaty, **v),
            key=lambda v: (v["kind"], v.get("article", "")),
            key_of=lambda row: (row.kind, row.article),
            prefix="provisions",
            actor=actor,
            reason=reason,
        )
    if citations is not None:
        changed |= _citations(treaty, citations, actor=actor, reason=reason)
    return changed


@transaction.atomic
def treaty_create(
    *,
    actor: Any,
    reason: str | None = None,
    fields: dict[str, Any],
    parties: Rows = (),
    provisions: Rows = (),
    citations: Rows = (),
) -> Treaty:
    """Create a treaty with its parties, provisions and citations."""
    _check_fields(fields, TREATY_FIELDS)
    treaty = save_validated(Treaty(**fields), actor=actor, reason=reason)
    _treaty_relations(
        treaty, parties=parties, provisions=provisions, citations=citations, actor=actor, reason=reason
    )
    return treaty


@transaction.atomic
def treaty_update(
    *,
    actor: Any,
    reason: str | None = None,
    treaty: Treaty,
    fields: dict[str, Any],
    parties: Rows | None = None,
    provisions: Rows | None = None,
    citations: Rows | None = None,
) -> tuple[Treaty, bool]:
    """Change a treaty's fields and replace the relation lists given; return it and whether it changed."""
    _check_fields(fields, TREATY_FIELDS)
    changed = apply_changes(treaty, fields)
    if changed:
        save_validated(treaty, actor=actor, reason=reason)
    changed |= _treaty_relations(
        treaty, parties=parties, provisions=provisions, citations=citations, actor=actor, reason=reason
    )
    return treaty, changed


@transaction.atomic
def treaty_delete(*, actor: Any, reason: str | None = None, treaty: Treaty) -> None:
    """Delete a treaty with its parties, provisions and citations; its events stay, unlinked."""
    delete_tagged(treaty, actor=actor, reason=reason)
