"""Write a validated plan through the apps' services, in batches, as one edit.

This step only resolves natural keys (slugs, ISO codes) to ids and hands
``core.services.Record`` batches to ``places.services``, ``events.services``
and ``people.services`` — the same services the admin and the API call, so
the same invariants hold (visit mirror, quote rule, region paths, child-row
identity, history with user and reason). Each record's history reason names
its seed file; the whole run is one edit id. An unchanged record is not
written at all, so a second run of the same files writes nothing, history
included.

For importers of other datasets (issues 9 and 10): build ``Record`` batches the
same way (see ``_events``) and call the batch services inside the importer's
own transaction; ``BATCH`` records per call keeps memory flat and each call a
few dozen statements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from core.edits import edit
from core.relations import relations_of
from core.services import Outcome, Record, Tally
from events.models import Citation, Event, Participation, Source, Treaty, TreatyParty, TreatyProvision, Visit
from events.services import events_write, sources_write, treaties_write
from people.identity_imports import MergeDecision, person_decisions_record
from people.models import Identifier, Organization, Person, PersonMerge, Role
from people.services import organizations_write, people_write
from places.models import Country, Region
from places.services import countries_write, regions_write
from seeds.importer.ownership import Ownership
from seeds.importer.plan import Plan, Planned, record_values
from seeds.importer.problems import Msg, Problem
from seeds.importer.schema import CitationRecord
from seeds.models import Baseline

INSERTED, UPDATED, UNCHANGED, DELETED = (
    Outcome.INSERTED.value,
    Outcome.UPDATED.value,
    Outcome.UNCHANGED.value,
    Outcome.DELETED.value,
)
BATCH = 1000
IMPORT_REASON = "import_seeds"


T = TypeVar("T")


def _key(record: Any) -> str:
    """A planned record's natural key: its slug (a country's: its code)."""
    return getattr(record, "slug", None) or getattr(record, "code", "")


class Vanished(Exception):
    """A record the files refer to was in the database at validation and is gone at write time.

    Validation reads the database before the import's transaction; an editor may delete a
    person (say) in between. The lookup then misses (it was a KeyError; issue 19, item 7):
    this names what is missing and where the files refer to it.
    """

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def batches(items: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def treaty_levels(items: Sequence[Any]) -> list[list[Any]]:
    """Planned treaties grouped so that each one's parent (if planned too) is in an earlier group."""
    planned = {i.record.slug: i for i in items}
    depths: dict[str, int] = {}

    def depth(slug: str) -> int:
        if slug not in depths:
            depths[slug] = 0  # a cycle (refused by validation) stops here
            parent = planned[slug].record.parent
            depths[slug] = depth(parent) + 1 if parent in planned and parent != slug else 0
        return depths[slug]

    levels: dict[int, list[Any]] = {}
    for item in items:
        levels.setdefault(depth(item.record.slug), []).append(item)
    return [levels[d] for d in sorted(levels)]


class Writer:
    """Resolve natural keys to ids and write the plan through the services; call inside one transaction."""

    def __init__(
        self,
        plan: Plan,
        progress: Callable[[str], None],
        actor: Any | None = None,
        file_wins: frozenset[str] = frozenset(),
        file_wins_reason: str = "",
        *,
        partial: bool = False,
    ) -> None:
        self.plan = plan
        # partial: a run of some datasets only, which adds and never removes (seeds.importer.ownership).
        self.owner = Ownership(file_wins=file_wins, partial=partial)
        self.file_wins_reason = file_wins_reason
        self.progress = progress
        self.actor = actor
        self.stats = Tally()
        self.countries = {c.code: c.pk for c in Country.objects.all()}
        self.regions: dict[str, Region] = {}
        for region in Region.objects.all():
            self._remember(region)
        self.sources: dict[str, int] = {}
        self.people: dict[str, int] = {}
        self.treaties: dict[str, int] = {}
        self.organizations: dict[str, int] = {}
        self.item: Planned | None = None  # the record being built, for a Vanished reference's message

    def run(self) -> Tally:
        with edit(actor=self.actor, reason=IMPORT_REASON):
            self._sources()
            self._countries()
            self._organizations()
            self._regions()
            self._people()
            self._treaties()
            self._events()
            self.owner.save()
        self.stats.conflicts = self.owner.conflicts
        return self.stats

    def _with_editors_changes(
        self, model: type[Any], records: list[Record[Any]], items: list[Any], **kw: Any
    ) -> list[Any]:
        """Merge a batch with what editors changed since the last import (seeds.importer.ownership)."""
        files = [i.doc.name if i.doc is not None else i.reason for i in items]
        for record in records:
            if str(record.key) in self.owner.file_wins:
                record.reason = f"{record.reason}; the file wins: {self.file_wins_reason}"
        merged = self.owner.merge(model, records, files, **kw)
        for key, record in self.owner.skipped.items():
            # Left out of the write (it would change nothing), still counted as unchanged.
            self.stats.add(model, UNCHANGED, key)
            for name, rows in record.children.items():
                relation = next(r for r in relations_of(model) if r.name == name)
                if rows:
                    self.stats.add(relation.child_model, UNCHANGED, key, len(rows))
                cited = sum(len(row.get("citations") or ()) for row in rows if isinstance(row, dict))
                if cited:
                    self.stats.add(Citation, UNCHANGED, key, cited)
        return merged

    def _skipped_ids(self, cache: dict[str, int]) -> None:
        """Remember the ids of the records the last merge left out of the write."""
        for key, record in self.owner.skipped.items():
            cache[key] = record.instance.pk

    # -- lookups by natural key (rows of this run first, then the database) -----------------------

    def _ids(self, model: type[Any], cache: dict[str, int], slugs: set[str | None]) -> None:
        missing = [s for s in slugs if s is not None and s not in cache]
        if missing:
            cache.update(model.objects.filter(slug__in=missing).values_list("slug", "pk"))

    def _need(self, found: dict[str, T], kind: str, key: str) -> T:
        """``found[key]``, or Vanished naming the reference and the record that makes it."""
        try:
            return found[key]
        except KeyError:
            item = self.item
            where, record = (item.where(), str(_key(item.record))) if item is not None else ("", "")
            message = Msg.VANISHED.format(kind=kind, value=key)
            raise Vanished(Problem(where, None, record, "", message)) from None

    def country(self, code: str | None) -> int | None:
        return self._need(self.countries, "country", code) if code is not None else None

    def region(self, ref: str | None) -> int | None:
        return self._need(self.regions, "region", ref).pk if ref is not None else None

    def _remember(self, region: Region) -> None:
        self.regions[region.slug] = region
        if region.iso_code:
            self.regions[region.iso_code] = region

    def _citations(self, citations: list[CitationRecord]) -> list[dict[str, Any]]:
        return [
            {
                "source_id": self._need(self.sources, "source", c.source),
                "quote": c.quote,
                "locator": c.locator,
            }
            for c in citations
        ]

    # -- sections --------------------------------------------------------------------------------

    def _sources(self) -> None:
        records = [
            Record(
                i.record.slug,
                record_values(Source, i.record, text=self.plan.texts[i.record.slug]),
                reason=i.reason,
            )
            for i in self.plan.sources
        ]
        records = self._with_editors_changes(Source, records, self.plan.sources)
        self._skipped_ids(self.sources)
        for written in sources_write(actor=self.actor, records=records, tally=self.stats):
            self.sources[written.instance.slug] = written.instance.pk

    def _countries(self) -> None:
        records = [
            Record(i.record.code, record_values(Country, i.record), reason=i.reason)
            for i in self.plan.countries
        ]
        records = self._with_editors_changes(Country, records, self.plan.countries, key_field="code")
        for chunk in batches(records):
            for written in countries_write(actor=self.actor, records=chunk, tally=self.stats):
                self.countries[written.instance.code] = written.instance.pk
        inserted = self.stats.counts[Country._meta.label][INSERTED]
        if inserted:
            self.progress(f"Countries: {inserted} inserted.")

    def _organizations(self) -> None:
        records = [
            Record(i.record.slug, record_values(Organization, i.record), reason=i.reason)
            for i in self.plan.organizations
        ]
        records = self._with_editors_changes(Organization, records, self.plan.organizations)
        for written in organizations_write(actor=self.actor, records=records, tally=self.stats):
            self.organizations[written.instance.slug] = written.instance.pk

    def organization(self, slug: str | None) -> int | None:
        return self._need(self.organizations, "organization", slug) if slug is not None else None

    def _regions(self) -> None:
        # Parents come first in the plan, so one depth at a time gets its ids (and
        # the next its materialized paths) before the next is written.
        level: list[tuple[Record[Region], Any]] = []
        level_keys: set[str] = set()
        moved = False
        for item in self.plan.regions:
            self.item, record = item, item.record
            if record.parent is not None and record.parent in level_keys:
                moved |= self._write_regions(level)
                level, level_keys = [], set()
            values = record_values(
                Region, record, country_id=self.country(record.country), parent_id=self.region(record.parent)
            )
            existing = self.regions.get(record.iso_code or record.slug)
            level.append((Record(record.slug, values, reason=item.reason, instance=existing), item))
            level_keys.update(filter(None, (record.slug, record.iso_code)))
        moved |= self._write_regions(level)
        if moved:
            # A move rewrote the paths below it in the database: reload them.
            for region in Region.objects.all():
                self._remember(region)
        inserted = self.stats.counts[Region._meta.label][INSERTED]
        if inserted:
            self.progress(f"Regions: {inserted} inserted.")

    def _write_regions(self, level: list[tuple[Record[Region], Any]]) -> bool:
        moved = False
        records = self._with_editors_changes(Region, [r for r, _ in level], [i for _, i in level])
        for chunk in batches(records):
            for written in regions_write(actor=self.actor, records=chunk, tally=self.stats):
                moved |= written.outcome is Outcome.UPDATED and "parent" in written.changed
                self._remember(written.instance)
        return moved

    def _people(self) -> None:
        self._ids(
            Organization,
            self.organizations,
            {r.post_organization for i in self.plan.people for r in i.record.roles},
        )
        records = []
        for item in self._not_merged_away(self.plan.people):
            self.item, record = item, item.record
            roles = [
                {
                    **record_values(
                        Role,
                        role,
                        country_id=self.country(role.country),
                        post_country_id=self.country(role.post_country),
                        post_organization_id=self.organization(role.post_organization),
                    ),
                    "citations": self._citations(role.citations),
                }
                for role in record.roles
            ]
            identifiers = [record_values(Identifier, i) for i in record.identifiers]
            values = record_values(Person, record, nationality_id=self.country(record.nationality))
            children = {"roles": roles, "identifiers": identifiers}
            records.append(Record(record.slug, values, children, reason=item.reason))
        records = self._with_editors_changes(Person, records, self.plan.people)
        self._skipped_ids(self.people)
        for chunk in batches(records):
            for written in people_write(actor=self.actor, records=chunk, tally=self.stats):
                self.people[written.instance.slug] = written.instance.pk
        self._person_decisions()

    def _person_decisions(self) -> None:
        """Store the files' decisions on who is who; a slug merged away then names its survivor."""
        items = self.plan.person_decisions
        if items:
            self._record_decisions([i.record for i in items])
        # Events and treaties naming a slug merged away get the survivor.
        self.people.update(PersonMerge.objects.values_list("merged_slug", "survivor_id"))

    def _record_decisions(self, records: list[Any]) -> None:
        slugs = {s for r in records for s in (r.person, r.other)}
        self._ids(Person, self.people, slugs)
        people = {
            p.pk: p for p in Person.objects.filter(pk__in=[self.people[s] for s in slugs if s in self.people])
        }
        merged = [
            MergeDecision(people[self.people[r.person]], r.other, r.name, r.reason)
            for r in records
            if r.decision == "merged"
        ]
        distinct = [
            (people[self.people[r.person]], people[self.people[r.other]], r.reason)
            for r in records
            if r.decision == "distinct"
        ]
        counts = person_decisions_record(actor=self.actor, merged=merged, distinct=distinct)
        for outcome, n in counts.items():
            if n:
                self.stats.add(PersonMerge, outcome, "decisions", n)

    def _not_merged_away(self, items: list[Any]) -> list[Any]:
        """The people to write: a record whose slug an editor merged away names the survivor instead.

        Its rows went to the survivor with the merge; writing it would make the merged
        person again (issue 20: a merge outlives every re-import).
        """
        merged = set(PersonMerge.objects.values_list("merged_slug", flat=True))
        merged |= {i.record.other for i in self.plan.person_decisions if i.record.decision == "merged"}
        kept = []
        for item in items:
            if item.record.slug in merged:
                self.stats.add(Person, UNCHANGED, item.record.slug)
                continue
            kept.append(item)
        return kept

    def person(self, slug: str | None) -> int | None:
        return self._need(self.people, "person", slug) if slug is not None else None

    def _treaties(self) -> None:
        items = self.plan.treaties
        self._ids(Person, self.people, {p.signatory for i in items for p in i.record.parties})
        self._ids(Treaty, self.treaties, {i.record.parent for i in items})
        self._ids(Organization, self.organizations, {p.organization for i in items for p in i.record.parties})
        # An amendment needs its parent's id: parents written in this run go first, a level
        # at a time (validation refused unknown parents and self-reference).
        for level in treaty_levels(items):
            records = []
            for item in level:
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
            records = self._with_editors_changes(Treaty, records, level)
            self._skipped_ids(self.treaties)
            for chunk in batches(records):
                for written in treaties_write(actor=self.actor, records=chunk, tally=self.stats):
                    self.treaties[written.instance.slug] = written.instance.pk

    def _events(self) -> None:
        events = [i.record for i in self.plan.events]
        self._ids(Treaty, self.treaties, {e.treaty for e in events})
        self._ids(
            Person,
            self.people,
            {p.person for e in events for p in e.participants} | {e.visit.visitor for e in events if e.visit},
        )
        for chunk in batches(self.plan.events):
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
            skipped = dict(self.owner.skipped)
            kept = {r.key for r in records}
            visits = self._visits([i for i in chunk if i.record.slug in kept or i.record.slug in skipped])
            # An event left out whose visit changes (or goes) is written for its visit only.
            records += [
                Record(slug, {}, {}, instance=skipped[slug].instance)
                for slug in visits
                if slug not in kept and slug in skipped
            ]
            events_write(actor=self.actor, records=records, visits=visits, tally=self.stats)
            if len(self.plan.events) > BATCH and records:
                self.progress(f"Events: {len(records)} more written.")

    def _visits(self, items: list[Any]) -> dict[str, Record[Visit] | None]:
        """The visits of a batch of events, merged with editors' changes like any record."""
        given = []
        for item in items:
            self.item = item
            given.append((item, self._visit(item.record, item.reason)))
        with_visit = [(i, r) for i, r in given if r is not None]
        # A visit is its event's: matched by event, never by slug (see events.services).
        stored = {
            v.event.slug: v
            for v in Visit.objects.filter(event__slug__in=[i.record.slug for i in items]).select_related(
                "event"
            )
        }
        for i, r in with_visit:
            r.instance = stored.get(i.record.slug)
        merged = self._with_editors_changes(
            Visit, [r for _, r in with_visit], [i for i, _ in with_visit], lookup=False
        )
        by_slug = {r.key: r for r in merged}
        visits: dict[str, Record[Visit] | None] = {
            i.record.slug: by_slug[r.key] for i, r in with_visit if r.key in by_slug
        }
        # A file that drops a visit removes it only where the import wrote it (it has a baseline).
        # A partial run's event without a visit says nothing of the visit: it stays.
        dropped = [] if self.owner.partial else [i.record.slug for i, r in given if r is None]
        owned = set(
            Baseline.objects.filter(
                model="events.visit", key__in=Visit.objects.filter(event__slug__in=dropped).values("slug")
            ).values_list("key", flat=True)
        )
        for slug, visit_slug in Visit.objects.filter(event__slug__in=dropped).values_list(
            "event__slug", "slug"
        ):
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


__all__ = ["BATCH", "DELETED", "INSERTED", "UNCHANGED", "UPDATED", "Vanished", "Writer", "batches"]
