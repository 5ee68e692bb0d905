"""Events and their visits, written in batches; a batch of one for the admin and the API.

``events_write`` is the whole write: event rows, then the visits named in
``visits`` (keyed by event slug: a ``Record`` writes the event's visit, None
removes it), then each event's child lists. The visit mirror lives here and
only here: an event with a visit names the visitor as a participant and each
destination as a region (timelines find both through one EXISTS,
``events.selectors``), whatever list a caller sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError

from core.edits import edit
from core.relations import field_value
from core.services import (
    ListEdit,
    Outcome,
    Record,
    Rows,
    Tally,
    Written,
    apply_list_edits,
    check_fields,
    claim,
    delete_rows,
    write_records,
)
from core.services.children import lists_given, stored_rows
from core.services.record_writes import create_one, delete_one, update_one, write_declared
from core.services.versions import locked
from events.declarations import EVENT, VISIT
from events.models import Event, ParticipantRole, Visit
from events.relations import DESTINATIONS, PARTICIPANTS, REGIONS
from events.services.citations import resolve_citations

# What an editor may write, from the declarations (events.declarations).
EVENT_FIELDS = EVENT.allowed
VISIT_FIELDS = VISIT.allowed


def _stored_values(relation: Any, row: Any) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in relation.value_fields}


class _Mirror:
    """Write the visits of a batch once its events have ids, and add the rows the mirror needs."""

    def __init__(
        self, visits: Mapping[str, Record[Visit] | None], full: bool, tally: Tally, checked: bool = False
    ) -> None:
        self.visits = visits
        self.full = full
        self.checked = checked
        self.tally = tally
        self.written: dict[str, Written[Visit]] = {}

    def __call__(self, events: list[Written[Event]], wanted: dict[str, dict[Any, Rows]]) -> None:
        # An event inserted just now has no stored visit.
        ids = [w.instance.pk for w in events if w.outcome is not Outcome.INSERTED]
        stored = {v.event_id: v for v in Visit.objects.filter(event_id__in=ids)} if ids else {}
        records, slugs, doomed = [], [], []
        for result in events:
            event = result.instance
            if event.slug not in self.visits:
                continue
            record = self.visits[event.slug]
            if record is None:
                if (old := stored.pop(event.pk, None)) is not None:
                    doomed.append(old)
                continue
            check_fields(record.fields, VISIT_FIELDS)
            fields = {"event_id": event.pk, **record.fields}
            # A visit is the event's: matched by event, never by slug (a slug taken by
            # another event's visit is refused, not moved).
            instance = record.instance if record.instance is not None else stored.get(event.pk)
            if record.create_only:
                instance = None
            records.append(
                Record(record.key, fields, dict(record.children), record.reason, instance, instance is None)
            )
            slugs.append(event.slug)
        for old in doomed:
            self.tally.add(Visit, Outcome.DELETED, old.slug)
        delete_rows(doomed, prefix="visit")
        written, _ = write_records(Visit, records, full=self.full, tally=self.tally, checked=self.checked)
        for slug, result in zip(slugs, written, strict=True):
            self.written[slug] = result
            stored[result.instance.event_id] = result.instance
        touched = {result.instance.pk for result in written if result.outcome is not Outcome.UNCHANGED}
        # Events whose lists are given, or whose visit just changed, are checked.
        checked = {
            pk: visit
            for pk, visit in stored.items()
            if pk in wanted.get("participants", {}) or pk in wanted.get("regions", {}) or visit.pk in touched
        }
        if checked:
            self._add_mirror_rows(checked, wanted)

    def _add_mirror_rows(self, visits: dict[Any, Visit], wanted: dict[str, dict[Any, Rows]]) -> None:
        destinations = stored_rows(DESTINATIONS, [v.pk for v in visits.values()])
        participants = wanted.setdefault("participants", {})
        regions = wanted.setdefault("regions", {})
        missing_lists = [pk for pk in visits if pk not in participants or pk not in regions]
        stored_participants = stored_rows(PARTICIPANTS, missing_lists) if missing_lists else {}
        stored_regions = stored_rows(REGIONS, missing_lists) if missing_lists else {}
        person = PARTICIPANTS.child_model._meta.get_field("person")
        region = REGIONS.child_model._meta.get_field("region")
        for pk, visit in visits.items():
            given = participants.get(pk)
            rows = (
                list(given)
                if given is not None
                else [_stored_values(PARTICIPANTS, r) for r in stored_participants.get(pk, [])]
            )
            if all(field_value(person, row) != visit.visitor_id for row in rows):
                rows.append({"role": ParticipantRole.VISITOR, "person_id": visit.visitor_id})
                participants[pk] = rows
            elif given is not None:
                participants[pk] = rows
            given = regions.get(pk)
            rows = (
                list(given)
                if given is not None
                else [_stored_values(REGIONS, r) for r in stored_regions.get(pk, [])]
            )
            located = {field_value(region, row) for row in rows}
            extra = [
                {"region_id": d.region_id}
                for d in destinations.get(visit.pk, [])
                if d.region_id not in located
            ]
            if extra or given is not None:
                regions[pk] = rows + extra


def events_write(
    *,
    actor: Any,
    reason: str | None = None,
    records: Sequence[Record[Event]],
    visits: Mapping[str, Record[Visit] | None] | None = None,
    full: bool = False,
    tally: Tally | None = None,
    checked: bool = False,
) -> tuple[list[Written[Event]], dict[str, Written[Visit]]]:
    """Write events with their child lists and the visits named in ``visits``; one edit.

    Children: ``countries``, ``regions``, ``participants``, ``citations`` (rows of
    field values, instances or ids). Returns each event's outcome and the visits
    written, by event slug. ``checked``: every new row's values were validated by the
    caller with the models' own rules (the importer's validate step), so new rows are
    inserted without checking them again (``core.services.rows.plan_rows``).
    """
    tally = tally if tally is not None else Tally()
    mirror = _Mirror(visits or {}, full, tally, checked)
    written = write_declared(
        EVENT,
        actor=actor,
        reason=reason,
        records=records,
        full=full,
        tally=tally,
        resolve=resolve_citations,
        checked=checked,
        before_children=mirror,
    )
    return written, mirror.written


def _events_only(**arguments: Any) -> list[Written[Event]]:
    """``events_write`` as a batch write of events alone (the visits it wrote are not asked for)."""
    return events_write(**arguments)[0]


def _links(name: str, items: Sequence[Any] | None) -> Rows | None:
    """Rows of a plain link list: records (``Country``) or rows already (``{"country": …}``)."""
    if items is None:
        return None
    return [item if isinstance(item, Mapping) else {name: item} for item in items]


def _event_lists(
    countries: Sequence[Any] | None,
    regions: Sequence[Any] | None,
    participants: Rows | None,
    citations: Rows | None,
) -> dict[str, Rows]:
    """An event's child lists as given (None: left as stored)."""
    return lists_given(
        countries=_links("country", countries),
        regions=_links("region", regions),
        participants=participants,
        citations=citations,
    )


def event_create(
    *,
    actor: Any,
    reason: str | None = None,
    fields: dict[str, Any],
    countries: Sequence[Any] = (),
    regions: Sequence[Any] = (),
    participants: Rows = (),
    citations: Rows = (),
) -> Event:
    """Create an event with its places, participants and citations."""
    children = _event_lists(countries, regions, participants, citations)
    return create_one(_events_only, Event, actor=actor, reason=reason, fields=fields, children=children)


def event_update(
    *,
    actor: Any,
    reason: str | None = None,
    event: Event,
    fields: dict[str, Any],
    countries: Sequence[Any] | None = None,
    regions: Sequence[Any] | None = None,
    participants: Rows | None = None,
    citations: Rows | None = None,
    list_edits: Mapping[str, ListEdit] | None = None,
    expected_version: int | None = None,
) -> tuple[Event, bool]:
    """Change an event's fields and replace the lists given; return it and whether anything changed.

    ``list_edits`` names rows to add to or remove from a list (``{"countries":
    ListEdit(add=[fr])}``), applied to the rows stored when the write holds the lock.
    ``expected_version`` is the version the caller read: a stale one raises
    ``StaleVersion`` and writes nothing.
    """
    return update_one(
        _events_only,
        event,
        actor=actor,
        reason=reason,
        fields=fields,
        children=_event_lists(countries, regions, participants, citations),
        list_edits=list_edits,
        expected_version=expected_version,
    )


def event_delete(
    *, actor: Any, reason: str | None = None, event: Event, expected_version: int | None = None
) -> None:
    """Delete an event with its visit, places, participants and citations: one revision."""
    delete_one(actor=actor, reason=reason, instance=event, expected_version=expected_version)


def visit_create(
    *, actor: Any, reason: str | None = None, fields: dict[str, Any], destinations: Sequence[Any] = ()
) -> Visit:
    """Create a visit of an existing event, with its destinations."""
    return _visit_write(actor, reason, None, fields, destinations)[0]


def visit_update(
    *,
    actor: Any,
    reason: str | None = None,
    visit: Visit,
    fields: dict[str, Any],
    destinations: Sequence[Any] | None = None,
    list_edits: Mapping[str, ListEdit] | None = None,
    expected_version: int | None = None,
) -> tuple[Visit, bool]:
    """Change a visit's fields and, when given, its destinations; return it and whether anything changed.

    ``expected_version`` is the visit's version the caller read (see ``event_update``).
    """
    check_fields(fields, VISIT_FIELDS)
    with edit(actor=actor, reason=reason):
        claim(visit, expected_version=expected_version)
        # The mirror may change the event's lists and so its version: lock it too (read once).
        if (event := locked(Event, visit.event_id)) is None:
            raise ValidationError("This visit's event was deleted after you read it; nothing was saved.")
        visit.event = event
        if list_edits:
            given = lists_given(destinations=_links("region", destinations))
            destinations = apply_list_edits(visit, list_edits, given).get("destinations")
        return _visit_write(actor, reason, visit, fields, destinations)


def _visit_write(
    actor: Any,
    reason: str | None,
    visit: Visit | None,
    fields: dict[str, Any],
    destinations: Sequence[Any] | None,
) -> tuple[Visit, bool]:
    check_fields(fields, VISIT_FIELDS)
    event = fields.get("event") or (visit.event if visit is not None else None)
    if not isinstance(event, Event):
        raise ValidationError(
            {"event": ValidationError("A visit is made of an existing event.", code="required")}
        )
    values = {name: value for name, value in fields.items() if name != "event"}
    children = lists_given(destinations=_links("region", destinations))
    record = Record(
        values.get("slug", visit.slug if visit else None),
        values,
        children,
        instance=visit,
        create_only=visit is None,
    )
    _, visits = events_write(
        actor=actor,
        reason=reason,
        records=[Record(event.slug, {}, instance=event)],
        visits={event.slug: record},
        full=True,
    )
    written = visits[event.slug]
    return written.instance, written.outcome is not Outcome.UNCHANGED


def visit_delete(
    *, actor: Any, reason: str | None = None, visit: Visit, expected_version: int | None = None
) -> None:
    """Delete a visit; its event stays."""
    delete_one(actor=actor, reason=reason, instance=visit, expected_version=expected_version)
