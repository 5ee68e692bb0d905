"""Writes of countries and regions: typed, keyword-only, one edit each, in batches for importers.

Regions keep a materialized path of ancestor ids. ``regions_write`` inserts a
batch whose parents are already stored (an importer writes one depth of the
tree at a time) with each path computed from its parent in one query, and
moves a region through ``Region.save``, which checks the cycle rule and
rewrites the paths below it in one UPDATE.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError

from core.edits import edit
from core.services import (
    Outcome,
    Record,
    Tally,
    Written,
    check_fields,
    prefixed,
    validate_row,
    write_records,
)
from core.services.record_services import RecordServices
from core.services.record_writes import DeclaredWrite, create_one, delete_one, update_one
from core.trees import walk_up
from places.declarations import COUNTRY, REGION
from places.models import Country, Region

# What an editor may write, from the declarations (places.declarations).
COUNTRY_FIELDS = COUNTRY.allowed
REGION_FIELDS = REGION.allowed


countries_write: DeclaredWrite[Country] = DeclaredWrite(
    COUNTRY, doc="Insert, update or leave alone countries by ISO code."
)


def country_create(*, actor: Any, reason: str | None = None, fields: dict[str, Any]) -> Country:
    """Create a country."""
    return create_one(countries_write, Country, actor=actor, reason=reason, fields=fields)


def country_update(
    *, actor: Any, reason: str | None = None, country: Country, fields: dict[str, Any]
) -> tuple[Country, bool]:
    """Change a country; return it and whether anything changed."""
    return update_one(countries_write, country, actor=actor, reason=reason, fields=fields)


def country_delete(*, actor: Any, reason: str | None = None, country: Country) -> None:
    """Delete a country nothing refers to."""
    delete_one(actor=actor, reason=reason, instance=country)


def _parent_id(record: Record[Region]) -> Any:
    fields = record.fields
    if "parent" in fields:
        return fields["parent"].pk if fields["parent"] is not None else None
    if "parent_id" in fields:
        return fields["parent_id"]
    return record.instance.parent_id if record.instance is not None else None


class _RegionsWrite(DeclaredWrite[Region]):
    """Write regions by slug; new ones need their parent stored already (write parents first)."""

    def write(
        self, records: Sequence[Record[Region]], *, actor: Any, reason: str | None, full: bool, tally: Tally
    ) -> list[Written[Region]]:
        for record in records:
            check_fields(record.fields, REGION_FIELDS)
        with edit(actor=actor, reason=reason):
            parent_ids = {pid for r in records if (pid := _parent_id(r)) is not None}
            parents = Region.objects.in_bulk(parent_ids) if parent_ids else {}
            moves, rest = [], []
            for record in records:
                fields = {k: v for k, v in record.fields.items() if k not in ("parent", "parent_id")}
                parent = parents.get(_parent_id(record))
                if "parent" in record.fields or "parent_id" in record.fields:
                    fields["parent"] = parent
                moved = record.instance is not None and _parent_id(record) != record.instance.parent_id
                if record.instance is None:
                    fields["path"] = Region.path_under(parent)
                placed = Record(record.key, fields, {}, record.reason, record.instance, record.create_only)
                (moves if moved else rest).append(placed)
            written = {
                id(r): w
                for r, w in zip(rest, write_records(Region, rest, full=full, tally=tally)[0], strict=True)
            }
            for record in moves:
                written[id(record)] = _move(record, full=full, tally=tally)
        return [written[id(r)] for r in (*rest, *moves)]


regions_write = _RegionsWrite(REGION)


def _move(record: Record[Region], *, full: bool, tally: Tally) -> Written[Region]:
    """Move a region under another parent: cycle rule, then its path and every path below it."""
    region = record.instance
    assert region is not None
    changed = [name for name, value in record.fields.items() if getattr(region, name) != value]
    for name, value in record.fields.items():
        setattr(region, name, value)
    try:
        validate_row(region, changed, full=full)
    except ValidationError as error:
        raise ValidationError(prefixed(error, "")) from None
    if record.reason:
        region._change_reason = record.reason  # type: ignore[attr-defined]
    region.save()
    tally.add(Region, Outcome.UPDATED, f"{record.key} ({', '.join(changed)})")
    return Written(region, Outcome.UPDATED, changed)


def region_create(*, actor: Any, reason: str | None = None, fields: dict[str, Any]) -> Region:
    """Create a region under its parent, if any."""
    return create_one(regions_write, Region, actor=actor, reason=reason, fields=fields)


def region_update(
    *, actor: Any, reason: str | None = None, region: Region, fields: dict[str, Any]
) -> tuple[Region, bool]:
    """Change a region, a move included; return it and whether anything changed."""
    return update_one(regions_write, region, actor=actor, reason=reason, fields=fields)


def region_delete(*, actor: Any, reason: str | None = None, region: Region) -> None:
    """Delete a region nothing lies in or refers to."""
    delete_one(actor=actor, reason=reason, instance=region)


def region_paths_repair(*, actor: Any, reason: str | None = None, region_ids: Sequence[int]) -> int:
    """Rewrite the paths of ``region_ids`` from their parents, and the paths below them; return how many.

    For rows written before the path rule held (``manage.py check_integrity``): each
    region is saved through ``Region.save``, which reads its parent's path afresh and
    moves its subtree, shallowest first so a parent is right before its children.
    """
    with edit(actor=actor, reason=reason):
        regions = list(Region.objects.filter(pk__in=region_ids))
        parents = dict(Region.objects.values_list("pk", "parent_id"))
        # The tree walk every surface uses (core.trees): a region's depth is its ancestors' count.
        depth = {r.pk: len(walk_up(r.pk, parents.get)[0]) for r in regions}
        for region in sorted(regions, key=lambda r: depth[r.pk]):
            region.refresh_from_db(fields=["path"])  # a parent's move may have rewritten it
            region.save()
    return len(regions)


# Each record's create, update and delete, as the admin and the GraphQL mutations call them.
COUNTRY_SERVICES = RecordServices(
    create=country_create, update=country_update, delete=country_delete, record="country"
)
REGION_SERVICES = RecordServices(
    create=region_create, update=region_update, delete=region_delete, record="region"
)
