"""Checks of events' rows written before the invariants held (``core.integrity``, issue 8)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from core import dataversion
from core.integrity import Check, Finding, register
from core.services import Record, Tally
from core.services.children import stored_rows
from events.memberships import rebuild, stale_events
from events.models import (
    Citation,
    Event,
    EventRegion,
    Participation,
    QuoteRule,
    Source,
    Visit,
    VisitDestination,
)
from events.relations import PARTICIPANTS, REGIONS
from events.visit_dates import FILL, install_triggers


def find_unmirrored() -> list[Finding]:
    """Visits whose visitor is not a participant, or whose destinations are not the event's regions."""
    found = []
    missing_visitor = Visit.objects.exclude(
        Exists(Participation.objects.filter(event_id=OuterRef("event_id"), person_id=OuterRef("visitor_id")))
    ).select_related("event", "visitor")
    for visit in missing_visitor.order_by("pk"):
        found.append(
            Finding(
                f"visit {visit.slug}: visitor {visit.visitor.slug} is not a participant of its event",
                visit.event_id,
            )
        )
    missing_region = VisitDestination.objects.exclude(
        Exists(
            EventRegion.objects.filter(event_id=OuterRef("visit__event_id"), region_id=OuterRef("region_id"))
        )
    ).select_related("visit", "region")
    for destination in missing_region.order_by("pk"):
        found.append(
            Finding(
                f"visit {destination.visit.slug}: destination {destination.region.slug} "
                "is not a region of its event",
                destination.visit.event_id,
            )
        )
    return found


def repair_unmirrored(findings: list[Finding], reason: str) -> list[Finding]:
    """Send each event's own lists back through ``events_write``: the visit mirror adds what is missing."""
    from events.services import events_write

    ids = sorted({f.data for f in findings})
    events = Event.objects.in_bulk(ids)
    participants = stored_rows(PARTICIPANTS, ids)
    regions = stored_rows(REGIONS, ids)
    records = [
        Record(
            event.slug,
            {},
            {
                "participants": [_values(PARTICIPANTS, r) for r in participants.get(pk, [])],
                "regions": [_values(REGIONS, r) for r in regions.get(pk, [])],
            },
            instance=event,
        )
        for pk, event in events.items()
    ]
    events_write(actor=None, reason=reason, records=records, tally=Tally())
    return findings


def _values(relation: Any, row: Any) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in relation.value_fields}


def find_stale_visit_dates() -> list[Finding]:
    """Visits whose copy of their event's dates (``events.visit_dates``) is not the event's.

    The database's triggers keep the copy on every write; rows loaded with triggers off (a
    data-only ``pg_restore --disable-triggers``, a table rebuilt by hand) can miss it, and then
    the visit sits in the wrong place of its visitor's and host's lists.
    """
    stale = Visit.objects.exclude(
        Q(event_date_earliest=F("event__date_earliest")) & Q(event_date_latest=F("event__date_latest"))
    ).select_related("event")
    return [
        Finding(
            f"visit {visit.slug}: its copy of the event's dates ({visit.event_date_earliest} to "
            f"{visit.event_date_latest}) is not the event's ({visit.event.date_earliest} to "
            f"{visit.event.date_latest})",
            visit.pk,
        )
        for visit in stale.order_by("pk")
    ]


def repair_visit_dates(findings: list[Finding], reason: str) -> list[Finding]:
    """Put the triggers back (idempotent) and copy the event's dates again.

    Derived data with no history of its own (events.models.visits), so a plain ``UPDATE``, as
    the migration that added the copy filled it.
    """
    install_triggers(connection)
    ids = sorted(f.data for f in findings)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            cursor.execute(f"{FILL} WHERE id IN ({', '.join(['%s'] * len(chunk))})", chunk)
    return findings


def find_stale_memberships() -> list[Finding]:
    """Events whose overview memberships (events.memberships) are not what their links say.

    Edits keep them; rows written without an edit (a restore, SQL by hand) can leave them behind.
    """
    return [Finding(f"event #{pk}: its memberships are not what its links say", pk) for pk in stale_events()]


def repair_memberships(findings: list[Finding], reason: str) -> list[Finding]:
    """Rebuild those events' memberships (derived data, no history) and move the data version."""
    rebuild(events=[f.data for f in findings])
    dataversion.bump()
    return findings


def find_bad_quotes() -> list[Finding]:
    """Citations whose quote is not verbatim in their source's text (the one quote rule, QuoteRule)."""
    texts = dict(Source.objects.values_list("pk", "text"))
    slugs = dict(Source.objects.values_list("pk", "slug"))
    found = []
    rows = Citation.objects.values_list("pk", "source_id", "quote", "event_id", "treaty_id", "role_id")
    for pk, source_id, quote, event_id, treaty_id, role_id in rows.order_by("pk").iterator(chunk_size=5000):
        problem = QuoteRule.problem(source=slugs[source_id], text=texts[source_id], quote=quote)
        if problem:
            owner = (
                f"event #{event_id}"
                if event_id
                else f"treaty #{treaty_id}"
                if treaty_id
                else f"role #{role_id}"
            )
            found.append(Finding(f"citation #{pk} of {owner}: {problem}", pk))
    return found


register(
    Check(
        "visit-mirror",
        "visits whose visitor or destinations are missing from their event",
        find_unmirrored,
        repair_unmirrored,
    ),
    Check(
        "visit-dates",
        "visits whose copy of their event's dates is not the event's",
        find_stale_visit_dates,
        repair_visit_dates,
    ),
    Check(
        "memberships",
        "events whose overview memberships are not what their links say",
        find_stale_memberships,
        repair_memberships,
    ),
    Check(
        "quotes",
        "citations whose quote breaks the quote rule",
        find_bad_quotes,
        unrepairable="an editor must choose the words (fix the quote or the source text in the admin)",
    ),
)
