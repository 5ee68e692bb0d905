"""Write a validated plan: match each record on its natural key, diff, and save only what changed.

Every save goes through the model (``save()``/``delete()`` or simple-history's
bulk helpers), so each change leaves a historical row whose reason names the
seed file; an unchanged record is not saved at all, so a second run of the
same files writes nothing, history included.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from simple_history.utils import bulk_create_with_history

from core.history import tag_revision
from events.models import (
    Citation,
    Event,
    EventCountry,
    EventRegion,
    Participation,
    Source,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
    VisitDestination,
)
from people.models import Person, Role
from places.models import Country, Region
from seeds.importer.plan import Plan, record_values
from seeds.importer.schema import CitationRecord

INSERTED, UPDATED, UNCHANGED, DELETED = "inserted", "updated", "unchanged", "deleted"
BATCH = 500


class Stats:
    """Counts per model of inserted, updated, unchanged and deleted rows, with the keys that changed."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self.changes: dict[str, list[str]] = defaultdict(list)

    def add(self, model: type[models.Model], outcome: str, key: str, count: int = 1) -> None:
        label = model._meta.label
        self.counts[label][outcome] += count
        if outcome != UNCHANGED:
            self.changes[label].append(f"{outcome} {key}")

    @property
    def written(self) -> int:
        return sum(c[INSERTED] + c[UPDATED] + c[DELETED] for c in self.counts.values())


class Writer:
    """Resolve natural keys to rows and write the plan; call inside one transaction."""

    def __init__(self, plan: Plan, progress: Callable[[str], None], actor: Any | None = None) -> None:
        self.plan = plan
        self.progress = progress
        # The command runs as nobody: history then shows no user, and the reason names the file.
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.stats = Stats()
        self.countries = {c.code: c for c in Country.objects.all()}
        self.regions: dict[str, Region] = {}
        for region in Region.objects.all():
            self._remember(region)
        self.sources: dict[str, Source] = {}
        self.people: dict[str, Person] = {}
        self.treaties: dict[str, Treaty] = {}

    def run(self) -> Stats:
        self._sources()
        self._countries()
        self._regions()
        self._people()
        self._treaties()
        self._events()
        return self.stats

    # -- generic ---------------------------------------------------------------------------------

    def _save(
        self,
        model: type[models.Model],
        existing: models.Model | None,
        values: dict[str, Any],
        reason: str,
        key: str,
    ) -> models.Model:
        """Insert, update only the differing fields, or leave alone; return the row."""
        if existing is None:
            obj = model(**values)
            tag_revision(obj, actor=self.actor, reason=reason)
            obj.save()
            self.stats.add(model, INSERTED, key)
            return obj
        changed = [name for name, value in values.items() if getattr(existing, name) != value]
        if not changed:
            self.stats.add(model, UNCHANGED, key)
            return existing
        for name in changed:
            setattr(existing, name, values[name])
        tag_revision(existing, actor=self.actor, reason=reason)
        existing.save()
        self.stats.add(model, UPDATED, f"{key} ({', '.join(changed)})")
        return existing

    def _sync(
        self,
        model: type[models.Model],
        parent: tuple[str, int],
        key_fields: tuple[str, ...],
        rows: Iterable[dict[str, Any]],
        reason: str,
        label: str,
    ) -> list[models.Model]:
        """Make the parent's child rows equal ``rows``; children the file no longer lists are deleted."""
        attname, pk = parent
        existing = {
            tuple(getattr(o, f) for f in key_fields): o for o in model._base_manager.filter(**{attname: pk})
        }
        kept = []
        for values in rows:
            key = tuple(values[f] for f in key_fields)
            kept.append(
                self._save(model, existing.pop(key, None), {attname: pk, **values}, reason, f"{label} {key}")
            )
        for key, obj in existing.items():
            tag_revision(obj, actor=self.actor, reason=reason)
            obj.delete()
            self.stats.add(model, DELETED, f"{label} {key}")
        return kept

    def _citations(
        self, parent: tuple[str, int], citations: list[CitationRecord], reason: str, label: str
    ) -> None:
        rows = [{"source_id": self.source(c.source).pk, "quote": c.quote} for c in citations]
        self._sync(Citation, parent, ("source_id", "quote"), rows, reason, label)

    # -- lookups by natural key (rows of this run first, then the database) -----------------------

    def source(self, slug: str) -> Source:
        if slug not in self.sources:
            self.sources[slug] = Source.objects.get(slug=slug)
        return self.sources[slug]

    def person(self, slug: str | None) -> int | None:
        if slug is None:
            return None
        if slug not in self.people:
            self.people[slug] = Person.objects.get(slug=slug)
        return self.people[slug].pk

    def country(self, code: str | None) -> int | None:
        return self.countries[code].pk if code is not None else None

    def region(self, ref: str | None) -> int | None:
        return self.regions[ref].pk if ref is not None else None

    def treaty(self, slug: str | None) -> int | None:
        if slug is None:
            return None
        if slug not in self.treaties:
            self.treaties[slug] = Treaty.objects.get(slug=slug)
        return self.treaties[slug].pk

    def _remember(self, region: Region) -> None:
        self.regions[region.slug] = region
        if region.iso_code:
            self.regions[region.iso_code] = region

    # -- sections --------------------------------------------------------------------------------

    def _sources(self) -> None:
        existing = {
            s.slug: s for s in Source.objects.filter(slug__in=[i.record.slug for i in self.plan.sources])
        }
        for item in self.plan.sources:
            slug = item.record.slug
            values = record_values(Source, item.record, text=self.plan.texts[slug])
            self.sources[slug] = self._save(Source, existing.get(slug), values, item.reason, slug)

    def _bulk_create(self, model: type[models.Model], objs: list[tuple[models.Model, str]]) -> None:
        """Insert many rows with their history rows, one batch per history reason."""
        by_reason: dict[str, list[models.Model]] = defaultdict(list)
        for obj, reason in objs:
            by_reason[reason].append(obj)
        for reason, batch in by_reason.items():
            bulk_create_with_history(
                batch, model, batch_size=BATCH, default_user=self.actor, default_change_reason=reason
            )

    def _countries(self) -> None:
        new = []
        for item in self.plan.countries:
            record = item.record
            values = record_values(Country, record)
            if (existing := self.countries.get(record.code)) is None:
                new.append((Country(**values), item.reason))
                self.stats.add(Country, INSERTED, record.code)
            else:
                self._save(Country, existing, values, item.reason, record.code)
        self._bulk_create(Country, new)
        for obj, _ in new:
            self.countries[obj.code] = obj
        if new:
            self.progress(f"Countries: {len(new)} inserted.")

    def _regions(self) -> None:
        # Parents come first in the plan, so one level at a time gets its ids
        # (and the children their materialized paths) before the next.
        level: list[tuple[Region, str]] = []
        level_parents: set[str] = set()
        inserted = 0
        for item in self.plan.regions:
            record = item.record
            if record.parent is not None and record.parent in level_parents:
                self._bulk_create(Region, level)
                for obj, _ in level:
                    self._remember(obj)
                inserted += len(level)
                level, level_parents = [], set()
            values = record_values(
                Region, record, country_id=self.country(record.country), parent_id=self.region(record.parent)
            )
            key = record.iso_code or record.slug
            existing = self.regions.get(key)
            if existing is None:
                parent = self.regions[record.parent] if record.parent else None
                obj = Region(**values, path=parent.descendant_prefix if parent else "/")
                level.append((obj, item.reason))
                level_parents.update(filter(None, (record.slug, record.iso_code)))
                self.stats.add(Region, INSERTED, key)
                continue
            moved = existing.parent_id != values["parent_id"]
            self._save(Region, existing, values, item.reason, key)
            self._remember(existing)
            if moved:
                # A move rewrote the paths below it in the database: reload them.
                for region in Region.objects.all():
                    self._remember(region)
        self._bulk_create(Region, level)
        for obj, _ in level:
            self._remember(obj)
        inserted += len(level)
        if inserted:
            self.progress(f"Regions: {inserted} inserted.")

    def _people(self) -> None:
        existing = {
            p.slug: p for p in Person.objects.filter(slug__in=[i.record.slug for i in self.plan.people])
        }
        for item in self.plan.people:
            record = item.record
            values = record_values(Person, record, nationality_id=self.country(record.nationality))
            person = self._save(Person, existing.get(record.slug), values, item.reason, record.slug)
            self.people[record.slug] = person
            roles = [
                record_values(Role, role, country_id=self.country(role.country)) for role in record.roles
            ]
            kept = self._sync(
                Role,
                ("person_id", person.pk),
                ("title", "country_id", "start"),
                roles,
                item.reason,
                record.slug,
            )
            for role, row in zip(record.roles, kept, strict=True):
                self._citations(
                    ("role_id", row.pk), role.citations, item.reason, f"{record.slug} {role.title}"
                )

    def _treaties(self) -> None:
        existing = {
            t.slug: t for t in Treaty.objects.filter(slug__in=[i.record.slug for i in self.plan.treaties])
        }
        for item in self.plan.treaties:
            record, reason = item.record, item.reason
            treaty = self._save(
                Treaty, existing.get(record.slug), record_values(Treaty, record), reason, record.slug
            )
            self.treaties[record.slug] = treaty
            parent = ("treaty_id", treaty.pk)
            parties = [
                record_values(
                    TreatyParty, p, country_id=self.country(p.country), signatory_id=self.person(p.signatory)
                )
                for p in record.parties
            ]
            self._sync(TreatyParty, parent, ("country_id",), parties, reason, record.slug)
            provisions = [record_values(TreatyProvision, p) for p in record.provisions]
            self._sync(
                TreatyProvision, parent, ("kind", "article", "summary"), provisions, reason, record.slug
            )
            self._citations(parent, record.citations, reason, record.slug)

    def _events(self) -> None:
        slugs = [i.record.slug for i in self.plan.events]
        existing = {e.slug: e for e in Event.objects.filter(slug__in=slugs)}
        visits = {v.event_id: v for v in Visit.objects.filter(event__slug__in=slugs)}
        for item in self.plan.events:
            record, reason = item.record, item.reason
            values = record_values(Event, record, treaty_id=self.treaty(record.treaty))
            event = self._save(Event, existing.get(record.slug), values, reason, record.slug)
            parent = ("event_id", event.pk)
            countries = [{"country_id": self.country(code)} for code in record.countries]
            self._sync(EventCountry, parent, ("country_id",), countries, reason, record.slug)
            regions = [{"region_id": self.region(ref)} for ref in record.regions]
            self._sync(EventRegion, parent, ("region_id",), regions, reason, record.slug)
            participants = [
                record_values(
                    Participation, p, person_id=self.person(p.person), country_id=self.country(p.country)
                )
                for p in record.participants
            ]
            self._sync(
                Participation, parent, ("role", "person_id", "country_id"), participants, reason, record.slug
            )
            self._citations(parent, record.citations, reason, record.slug)
            if (visit := record.visit) is not None:
                values = record_values(
                    Visit,
                    visit,
                    event_id=event.pk,
                    visitor_id=self.person(visit.visitor),
                    host_country_id=self.country(visit.host_country),
                )
                row = self._save(Visit, visits.get(event.pk), values, reason, visit.slug)
                destinations = [{"region_id": self.region(ref)} for ref in visit.destinations]
                self._sync(
                    VisitDestination, ("visit_id", row.pk), ("region_id",), destinations, reason, visit.slug
                )
            elif (old := visits.get(event.pk)) is not None:
                tag_revision(old, actor=self.actor, reason=reason)
                old.delete()
                self.stats.add(Visit, DELETED, old.slug)
