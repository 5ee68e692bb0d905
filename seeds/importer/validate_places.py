"""The validator's checks of sources, countries and regions, gazetteer overrides and the region tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core import limits
from core.trees import walk_up
from events.models import Source
from places.models import Country, Region, parent_elsewhere
from seeds.importer import gazetteer
from seeds.importer.loader import Loc
from seeds.importer.plan import Planned, record_values
from seeds.importer.problems import Msg
from seeds.importer.schema import CountryRecord, RegionRecord
from seeds.importer.validate_base import ValidatorBase
from seeds.importer.yamlsafe import UnsafeFile, read_bounded


class PlaceChecks(ValidatorBase):
    """Sources (and their text files), countries and regions: ISO entries merged with the files'
    overrides, regions ordered parents first."""

    def _region_key(self, ref: str) -> str:
        """One key per region, whether named by slug or by ISO code."""
        if ref in self.regions:
            record = self.regions[ref].record
            return record.iso_code or record.slug
        return self.db_region_keys.get(ref, ref)

    def _country_ref(self, item: Planned, loc: Loc, code: str | None) -> None:
        if code is not None and code not in self.countries and code not in self.db_countries:
            self._add(item, loc, Msg.UNKNOWN_COUNTRY.format(value=code))

    def _region_country(self, ref: str) -> str | None:
        if ref in self.regions:
            return self.regions[ref].record.country
        return self.db_regions.get(ref)

    def _region_ref(self, item: Planned, loc: Loc, ref: str | None) -> None:
        if ref is not None and self._region_country(ref) is None:
            self._add(item, loc, Msg.UNKNOWN_REFERENCE.format(kind="region", value=ref))

    def _gazetteer(self) -> None:
        doc = next((d for d in self.docs if d.gazetteer), None)
        if doc is None:
            return
        reason = f"{doc.reason} (pycountry {gazetteer.PYCOUNTRY_VERSION})"
        for code, record in gazetteer.countries().items():
            self.countries[code] = Planned(record, None, "countries", 0, reason)
        for code, record in gazetteer.regions().items():
            item = Planned(record, None, "regions", 0, reason)
            self.regions[code] = self.regions[record.slug] = item

    def _from_gazetteer(self, records: dict[str, Any], code: str) -> Planned | None:
        # An override merges with the ISO entry even when this run does not load the whole
        # gazetteer, so a file gives the same rows whether imported alone or with the rest.
        record = records.get(code)
        return Planned(record, None, "", 0, "") if record is not None else None

    def _source(self, item: Planned) -> None:
        record = item.record
        if not self._unique(self.source_items, record.slug, item, "source"):
            return
        text = record.text  # a dataset's article, given inline; a seed file names a text file
        if record.text_file is not None:
            text = self._text_file(item, record.text_file)
        self.sources[record.slug] = text
        self.plan.texts[record.slug] = text
        self._fields(item, (), Source, record_values(Source, record, text=text))
        self.plan.sources.append(item)

    def _text_file(self, item: Planned, name: str) -> str:
        """The text of a source's ``text_file``: a regular file in the YAML file's folder, bounded.

        Seed files may come from anyone, so the path may not leave that folder (absolute,
        '..', a symbolic link pointing out) nor name a device, and the file has a size limit.
        """
        assert item.doc is not None
        folder = item.doc.path.parent.resolve()
        relative = Path(name)
        try:
            inside = (
                not relative.is_absolute()
                and ".." not in relative.parts
                and (folder / relative).resolve().is_relative_to(folder)
            )
        except (OSError, RuntimeError):  # a link loop
            inside = False
        if not inside:
            self._add(item, ("text_file",), Msg.TEXT_FILE_OUTSIDE.format(value=name))
            return ""
        try:
            # Byte for byte: newline="" keeps line endings as received.
            return read_bounded(folder / relative, limits.SEED_TEXT_FILE_BYTES, newline="")
        except (OSError, UnicodeDecodeError, UnsafeFile) as error:
            problem = getattr(error, "strerror", None) or str(error)
            self._add(item, ("text_file",), Msg.TEXT_FILE_MISSING.format(value=name, problem=problem))
            return ""

    def _country(self, item: Planned) -> None:
        record: CountryRecord = item.record
        base = self.countries.get(record.code) or self._from_gazetteer(gazetteer.countries(), record.code)
        if base is not None and base.doc is not None:
            self._unique({record.code: base}, record.code, item, "country", ("code",))
            return
        if base is not None:
            name = record.name or base.record.name
            aliases = [*base.record.aliases, *record.aliases]
            if name != base.record.name:
                aliases.insert(0, base.record.name)
            merged = base.record.model_copy(
                update={
                    "name": name,
                    "alpha3": record.alpha3 or base.record.alpha3,
                    "aliases": _dedupe(aliases, name),
                }
            )
            item = Planned(merged, item.doc, item.section, item.index, item.reason)
        elif not self._required(item, ("name",) if record.historical else ("alpha3", "name"), record.code):
            return
        self._fields(item, (), Country, record_values(Country, item.record))
        self.countries[record.code] = item

    def _region(self, item: Planned) -> None:
        record: RegionRecord = item.record
        base = None
        if record.iso_code:
            base = self.regions.get(record.iso_code) or self._from_gazetteer(
                gazetteer.regions(), record.iso_code
            )
        if base is not None and base.doc is not None:
            self._unique({record.iso_code: base}, record.iso_code, item, "region", ("iso_code",))
            return
        if base is not None:
            update = {name: getattr(record, name) for name in record.model_fields_set}
            aliases = [*base.record.aliases, *record.aliases]
            if record.name and record.name != base.record.name:
                aliases.insert(0, base.record.name)
            update["aliases"] = _dedupe(aliases, update.get("name", base.record.name))
            self.regions.pop(base.record.slug, None)
            item = Planned(
                base.record.model_copy(update=update), item.doc, item.section, item.index, item.reason
            )
        elif not self._required(item, ("slug", "name", "kind", "country"), record.iso_code):
            return
        record = item.record
        if (
            record.iso_code
            and base is None
            and not self._unique(self.regions, record.iso_code, item, "region", ("iso_code",))
        ):
            return
        if not self._unique(self.regions, record.slug, item, "region", ("slug",)):
            return
        owner = self.db_region_keys.get(record.slug)
        if owner not in (None, record.iso_code or record.slug) and owner not in self.regions:
            # The slug belongs to another region in the database, which this run leaves as it is.
            other = f"the database, region {owner}"
            self._add(item, ("slug",), Msg.DUPLICATE.format(kind="region", value=record.slug, other=other))
            return
        if record.iso_code:
            self.regions[record.iso_code] = item
        self._country_ref(item, ("country",), record.country)
        self._fields(item, (), Region, record_values(Region, record))

    def _order_regions(self) -> None:
        """Regions parents first, so each parent has an id and a path before its children are written."""
        items = {id(item): item for item in self.regions.values()}.values()
        depth: dict[int, int] = {}
        by_id = {id(item): item for item in items}

        def planned_parent(key: int) -> int | None:
            parent = by_id[key].record.parent
            return id(self.regions[parent]) if parent is not None and parent in self.regions else None

        for item in items:
            # The tree walk every surface uses (core.trees); a region in a cycle, or below one,
            # has no place to be written at.
            chain, looped = walk_up(id(item), planned_parent)
            if looped is not None:
                self._add(item, ("parent",), Msg.REGION_CYCLE.format(value=item.record.slug))
            depth[id(item)] = len(chain)
            parent = item.record.parent
            if parent is None or item.doc is None:
                continue
            parent_country = self._region_country(parent)
            if parent_country is None:
                self._region_ref(item, ("parent",), parent)
            elif parent_elsewhere(country=item.record.country, parent_country=parent_country):
                message = Msg.REGION_OTHER_COUNTRY.format(
                    value=parent, parent_country=parent_country, country=item.record.country
                )
                self._add(item, ("parent",), message)
        self.plan.countries = list(self.countries.values())
        self.plan.regions = sorted(items, key=lambda i: depth[id(i)])


def _dedupe(names: list[str], name: str) -> list[str]:
    seen = {name.casefold()}
    kept = []
    for alias in names:
        if alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return kept
