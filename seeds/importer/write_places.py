"""Write the plan's sources, countries, organizations and regions (places first: all refer to them)."""

from __future__ import annotations

from typing import Any

from core.services import Outcome, Record
from events.models import Source
from events.services import sources_write
from people.models import Organization
from people.services import organizations_write
from places.models import Country, Region
from places.services import countries_write, regions_write
from seeds.importer.plan import record_values
from seeds.importer.write_base import INSERTED, WriterBase, batches


class PlaceSections(WriterBase):
    """Sources, countries, organizations and regions, a depth of regions at a time."""

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
