"""Write the plan's treaties (parents before amendments) and events with their visits."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from core.services import Record
from events.models import Event, Participation, Source, Treaty, TreatyParty, TreatyProvision, Visit
from events.services import events_write, treaties_write
from events.services.citations import sources_read
from people.models import Organization, Person
from seeds.importer.fingerprints import among
from seeds.importer.plan import record_values
from seeds.importer.write_base import BATCH, WriterBase, batches, drain
from seeds.models import Baseline


def treaty_levels(items: Sequence[Any]) -> list[list[Any]]:
    """Planned treaties grouped so that each one's parent (if planned too) is in an earlier group."""
    planned = {i.record.slug: i for i in items}
    depths: dict[str, int] = {}
    levels: dict[int, list[Any]] = {}
    for item in items:
        levels.setdefault(_depth(item.record.slug, planned, depths), []).append(item)
    return [levels[d] for d in sorted(levels)]


def _depth(slug: str, planned: dict[str, Any], depths: dict[str, int]) -> int:
    """How many planned ancestors ``slug`` has.

    A function of its own, not a closure over ``planned``: a recursive closure is a reference
    cycle, which kept every planned treaty alive until a full garbage collection, long after
    each was written (issue 25, item 3).
    """
    if slug not in depths:
        depths[slug] = 0  # a cycle (refused by validation) stops here
        parent = planned[slug].record.parent
        depths[slug] = _depth(parent, planned, depths) + 1 if parent in planned and parent != slug else 0
    return depths[slug]


class EventSections(WriterBase):
    """Treaties a level at a time, then events in batches, each batch with its visits."""

    def _treaties(self) -> None:
        items = self.plan.take("treaties")
        self._ids(Person, self.people, {p.signatory for i in items for p in i.record.parties})
        self._ids(Treaty, self.treaties, {i.record.parent for i in items})
        self._ids(Organization, self.organizations, {p.organization for i in items for p in i.record.parties})
        # An amendment needs its parent's id: parents written in this run go first, a level
        # at a time (validation refused unknown parents and self-reference), a batch at a
        # time within a level, each let go once written.
        levels = treaty_levels(items)
        items.clear()
        for level in levels:
            for chunk in drain(level):
                self._treaty_batch(chunk)

    def _treaty_batch(self, chunk: list[Any]) -> None:
        """Write treaties none of which amends another of the batch."""
        records = []
        for item in chunk:
            self.item, record = item, item.record
            parties = [
                record_values(
                    TreatyParty,
                    p,
                    country_id=self.country(p.country),
                    organization_id=self.organization(p.organization),
                    signatory_id=self.person(p.signatory),
                )
                for p in record.parties
            ]
            children = {
                "parties": parties,
                "provisions": [record_values(TreatyProvision, p) for p in record.provisions],
                "citations": self._citations(record.citations),
            }
            values = record_values(
                Treaty,
                record,
                parent_id=self._need(self.treaties, "treaty", record.parent) if record.parent else None,
            )
            records.append(Record(record.slug, values, children, reason=item.reason))
        records = self._with_editors_changes(Treaty, records, chunk)
        self._skipped_ids(self.treaties)
        for batch in batches(records):
            for written in treaties_write(actor=self.actor, records=batch, tally=self.stats):
                self.treaties[written.instance.slug] = written.instance.pk

    def _events(self) -> None:
        items = self.plan.take("events")
        events = [i.record for i in items]
        self._ids(Treaty, self.treaties, {e.treaty for e in events})
        self._ids(
            Person,
            self.people,
            {p.person for e in events for p in e.participants} | {e.visit.visitor for e in events if e.visit},
        )
        del events
        self.owner.expect(Event, [i.record.slug for i in items])
        with sources_read(Source.objects.in_bulk(set(self.sources.values()))):
            self._event_batches(items)

    def _event_batches(self, items: list[Any]) -> None:
        many = len(items) > BATCH
        for chunk in drain(items):  # each batch let go once written
            records = []
            for item in chunk:
                self.item, record = item, item.record
                children = {
                    "countries": [{"country_id": self.country(code)} for code in record.countries],
                    "regions": [{"region_id": self.region(ref)} for ref in record.regions],
                    "participants": [
                        record_values(
                            Participation,
                            p,
                            person_id=self.person(p.person),
                            country_id=self.country(p.country),
                        )
                        for p in record.participants
                    ],
                    "citations": self._citations(record.citations),
                }
                values = record_values(Event, record, treaty_id=self.treaties.get(record.treaty or ""))
                records.append(Record(record.slug, values, children, reason=item.reason))
            records = self._with_editors_changes(Event, records, list(chunk))
            skipped = dict(self.owner.skipped_ids)
            kept = {r.key for r in records}
            stored_events = {r.key: r.instance.pk for r in records if r.instance is not None} | skipped
            visits = self._visits(
                [i for i in chunk if i.record.slug in kept or i.record.slug in skipped], stored_events
            )
            # An event left out whose visit changes (or goes) is written for its visit only; a
            # skipped record is known by its id only, so its instance is read here.
            visit_only = [slug for slug in visits if slug not in kept and slug in skipped]
            stored = Event._base_manager.in_bulk([skipped[slug] for slug in visit_only])
            records += [Record(slug, {}, {}, instance=stored[skipped[slug]]) for slug in visit_only]
            # checked: validation applied the models' field rules to every value planned
            # (seeds.importer.validate); new rows are inserted without a second check.
            events_write(actor=self.actor, records=records, visits=visits, tally=self.stats, checked=True)
            if many and records:
                self.progress(f"Events: {len(records)} more written.")

    def _visits(self, items: list[Any], stored_events: dict[str, int]) -> dict[str, Record[Visit] | None]:
        """The visits of a batch of events, merged with editors' changes like any record.

        ``stored_events``: the ids of the events already stored, by slug (only they can have a
        visit stored); the others are new.
        """
        given = []
        for item in items:
            self.item = item
            given.append((item, self._visit(item.record, item.reason)))
        with_visit = [(i, r) for i, r in given if r is not None]
        # A visit is its event's: matched by event, never by slug (see events.services). Ids
        # only: the merge reads the instances of the visits it compares.
        # By the events' ids, known already: no join to the events' table, and ids, not slugs,
        # to bind (a no-op re-import reads this for every stored event; issue 25, item 3).
        events = {stored_events[s]: s for i in items if (s := i.record.slug) in stored_events}
        rows = (
            Visit.objects.filter(among("event_id", list(events))).values_list("event_id", "pk", "slug")
            if events
            else []
        )
        stored = {events[event]: (pk, slug) for event, pk, slug in rows}
        ids = {r.key: stored[i.record.slug][0] for i, r in with_visit if i.record.slug in stored}
        merged = self._with_editors_changes(
            Visit, [r for _, r in with_visit], [i for i, _ in with_visit], lookup=False, ids=ids
        )
        by_slug = {r.key: r for r in merged}
        visits: dict[str, Record[Visit] | None] = {
            i.record.slug: by_slug[r.key] for i, r in with_visit if r.key in by_slug
        }
        # A file that drops a visit removes it only where the import wrote it (it has a baseline).
        # A partial run's event without a visit says nothing of the visit: it stays.
        dropped = [] if self.owner.partial else [i.record.slug for i, r in given if r is None]
        stored_dropped = {slug: stored[slug][1] for slug in dropped if slug in stored}
        owned: set[str] = set()
        if stored_dropped:
            baselines = Baseline.objects.filter(model="events.visit", key__in=list(stored_dropped.values()))
            owned = set(baselines.values_list("key", flat=True))
        for slug, visit_slug in stored_dropped.items():
            if visit_slug in owned:
                visits[slug] = None
        return visits

    def _visit(self, record: Any, reason: str) -> Record[Visit] | None:
        if (visit := record.visit) is None:
            return None
        values = record_values(
            Visit,
            visit,
            visitor_id=self.person(visit.visitor),
            host_country_id=self.country(visit.host_country),
        )
        values.pop("event", None)
        destinations = [{"region_id": self.region(ref)} for ref in visit.destinations]
        return Record(visit.slug, values, {"destinations": destinations}, reason=reason)
