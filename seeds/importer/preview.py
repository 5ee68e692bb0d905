"""What ``--dry-run`` reports: the validated plan held against the database, read without a lock.

A dry run used to be a real write rolled back: exact, but it held the write lock (SQLite) or
the rows it updated (PostgreSQL) for as long as a real import writes, so every editor waited
(171 s on a 48 MB file; issue 19, item 10). Now it stops after validation and planning, and
only reads: which planned records are new (a real run inserts them) and which are already
stored (a real run compares them field by field and writes only what differs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models

from seeds.importer.plan import Plan, Planned
from seeds.importer.sections import SECTIONS

CHUNK = 1000  # keys per lookup: well under SQLite's bound on query parameters


@dataclass(frozen=True)
class Preview:
    """Planned records of one model: how many are new and how many are stored already."""

    model: str
    new: int
    stored: int


def _stored(model: type[models.Model], field: str, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        found.update(model._base_manager.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found


def _count(model: type[models.Model], items: Iterable[Planned], *fields: str) -> Preview:
    """Count ``items`` whose record matches a stored row on any of ``fields`` (as the writer matches)."""
    records = [i.record for i in items]
    stored = {f: _stored(model, f, [v for r in records if (v := getattr(r, f, None))]) for f in fields}
    hits = sum(any(getattr(r, f, None) in stored[f] for f in fields) for r in records)
    return Preview(model._meta.label, len(records) - hits, hits)


def preview(plan: Plan) -> list[Preview]:
    """Each planned model's new and stored records, in write order; models with none left out."""
    rows = [
        _count(section.model, getattr(plan, section.name), *section.keys)
        for section in SECTIONS
        if section.model is not None
    ]
    return [row for row in rows if row.new or row.stored]
