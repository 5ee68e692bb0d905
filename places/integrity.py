"""Checks of the region tree written before the path rule held (``core.integrity``, issue 8)."""

from __future__ import annotations

from core.integrity import Check, Finding, register
from core.trees import walk_up
from places.models import Region
from places.paths import region_path


def expected_paths() -> tuple[dict[int, str], dict[int, str], set[int]]:
    """Every region's stored path, the path its ancestors give it, and the regions in a cycle."""
    rows = list(Region.objects.values_list("pk", "parent_id", "path"))
    parents = {pk: parent for pk, parent, _ in rows}
    stored = {pk: path for pk, _, path in rows}
    wanted: dict[int, str] = {}
    cyclic: set[int] = set()
    for pk in parents:
        chain, looped = walk_up(pk, parents.get)
        if looped is not None:  # in a cycle, or below one: no path to give it
            cyclic.add(pk)
            continue
        wanted[pk] = region_path(reversed(chain))
    return stored, wanted, cyclic


def find_bad_paths() -> list[Finding]:
    """Regions whose materialized path disagrees with their parents, or that lie in a cycle."""
    stored, wanted, cyclic = expected_paths()
    slugs = dict(Region.objects.values_list("pk", "slug"))
    found = [
        Finding(f"region {slugs[pk]}: lies in a cycle of parents (not repaired)", None)
        for pk in sorted(cyclic)
    ]
    for pk in sorted(wanted):
        if stored[pk] != wanted[pk]:
            found.append(
                Finding(f"region {slugs[pk]}: path {stored[pk]!r}, its parents give {wanted[pk]!r}", pk)
            )
    return found


def repair_bad_paths(findings: list[Finding], reason: str) -> list[Finding]:
    from places.services import region_paths_repair

    ids = [f.data for f in findings if f.data is not None]
    region_paths_repair(actor=None, reason=reason, region_ids=ids)
    return [f for f in findings if f.data is not None]


register(
    Check(
        "region-paths",
        "regions whose materialized path is wrong",
        find_bad_paths,
        repair_bad_paths,
        unrepairable="a cycle needs an editor to choose the right parent",
    )
)
