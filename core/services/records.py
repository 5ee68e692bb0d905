"""Write whole records (a row and its child lists) in batches, with a tally the importer can report."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.db import models

from core.relations import ChildRelation, relations_of
from core.services.children import ChildDiff, stored_rows, sync_children
from core.services.rows import Outcome, Row, Written, bump, plan_rows, save_planned
from core.services.versions import has_version

M = TypeVar("M", bound=models.Model)
Rows = Sequence[Mapping[str, Any]]


@dataclass
class Record(Generic[M]):
    """One record to write: its natural key, the fields to set and the child lists to replace.

    A relation absent from ``children`` is left alone; a list given becomes the
    record's list exactly. ``instance`` is the stored record when the caller
    has it (an update through the admin or the API); otherwise it is looked up
    by ``key``, and inserted when there is none.
    """

    key: Any
    fields: dict[str, Any]
    children: dict[str, Rows] = field(default_factory=dict)
    reason: str | None = None  # this record's history reason where it differs from the edit's
    instance: M | None = None
    # Insert without looking the key up: a clash is refused by the model checks or the database.
    create_only: bool = False


@dataclass
class Tally:
    """Rows inserted, updated, unchanged and deleted per model, with the keys that changed."""

    counts: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    changes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    conflicts: list[Any] = field(default_factory=list)  # editors' changes a write kept (imports)

    def add(self, model: type[models.Model], outcome: str, key: str, count: int = 1) -> None:
        label = model._meta.label
        self.counts[label][outcome] += count
        if outcome != Outcome.UNCHANGED:
            self.changes[label].append(f"{outcome} {key}")

    def add_many(self, model: type[models.Model], outcome: str, keys: Sequence[str]) -> None:
        """``add`` for each of ``keys``, at once."""
        label = model._meta.label
        self.counts[label][outcome] += len(keys)
        if outcome != Outcome.UNCHANGED:
            self.changes[label].extend([f"{outcome} {key}" for key in keys])

    @property
    def written(self) -> int:
        return sum(
            c[Outcome.INSERTED] + c[Outcome.UPDATED] + c[Outcome.DELETED] for c in self.counts.values()
        )


def tally_rows(tally: Tally, relation: ChildRelation, diffs: Iterable[tuple[str, ChildDiff]]) -> None:
    """Count the child rows of each parent of ``diffs`` (its label, the sync's diff) by outcome.

    One call for a relation's parents, not one per parent (an import tallies twenty thousand
    parents' lists per relation); the counts and keys are those of one ``add``/``add_many``
    per outcome of each parent in turn, each key's text made once (issue 25, item 3).
    """
    counted = relation.child_model._meta.label
    counts = tally.counts.get(counted)  # made at the first count, as add() makes it
    key_of, name = relation.key_of_row, relation.name
    # Each outcome with its text, made once here, not once per parent's rows.
    outcomes = [(o, str(o)) for o in (Outcome.INSERTED, Outcome.UPDATED, Outcome.DELETED)]
    for label, diff in diffs:
        for (outcome, text), rows in zip(outcomes, (diff.inserted, diff.updated, diff.deleted), strict=True):
            if rows:
                if counts is None:
                    counts = tally.counts[counted]
                counts[outcome] += len(rows)
                head = f"{text} {label} {name} "
                tally.changes[counted].extend([f"{head}{key_of(row)}" for row in rows])
        if unchanged := len(diff.kept) - len(diff.inserted) - len(diff.updated):
            if counts is None:
                counts = tally.counts[counted]
            counts[Outcome.UNCHANGED] += unchanged


def stored_by_key(model: type[M], key_field: str, keys: Sequence[Any]) -> dict[Any, M]:
    """The stored records whose ``key_field`` is one of ``keys``, in one query."""
    return {getattr(obj, key_field): obj for obj in model._base_manager.filter(**{f"{key_field}__in": keys})}


def write_records(
    model: type[M],
    records: Sequence[Record[M]],
    *,
    full: bool,
    tally: Tally,
    key_field: str = "slug",
    checked: bool = False,
    before_children: Callable[[list[Written[M]], dict[str, dict[Any, Rows]]], None] | None = None,
    after_children: Callable[[list[Written[M]], dict[str, dict[Any, ChildDiff]]], None] | None = None,
) -> tuple[list[Written[M]], dict[str, dict[Any, ChildDiff]]]:
    """Write ``records`` and their child lists; return each record's outcome and the child diffs.

    ``before_children`` may add to the wanted child lists once every record has
    its id (the visit mirror does); lists it adds for a parent that gave none
    start from the stored rows, so they only add. ``after_children`` may write
    rows below the children (a role's citations) and mark records changed
    before the changed records are saved. ``checked``: the new records' and rows' values
    were validated by the caller (``core.services.rows.plan_rows``).
    """
    lookup = [r.key for r in records if r.instance is None and not r.create_only]
    stored = stored_by_key(model, key_field, lookup) if lookup else {}
    rows = []
    for record in records:
        existing = record.instance
        if existing is None and not record.create_only:
            existing = stored.get(record.key)
        rows.append(Row(dict(record.fields), existing, record.reason))
    # New records first (their children need ids); changed ones are saved once their
    # child lists are, so a record changed only in its children still counts one
    # more version, in one update of the record.
    written = plan_rows(model, rows, full=full, checked=checked)
    save_planned(model, [w for w in written if w.outcome is Outcome.INSERTED])
    for record, result in zip(records, written, strict=True):
        tally.add(model, result.outcome, _described(record.key, result))
    wanted: dict[str, dict[Any, Rows]] = defaultdict(dict)
    for record, result in zip(records, written, strict=True):
        for name, values in record.children.items():
            wanted[name][result.instance.pk] = list(values)
    if before_children is not None:
        before_children(written, wanted)
    by_pk = {result.instance.pk: (record, result) for record, result in zip(records, written, strict=True)}
    reasons = {pk: record.reason for pk, (record, _) in by_pk.items() if record.reason}
    diffs: dict[str, dict[Any, ChildDiff]] = {}
    # A record inserted just now has no stored child rows: only the others' are read.
    new = {w.instance.pk for w in written if w.outcome is Outcome.INSERTED}
    for relation in relations_of(model):
        if not (lists := wanted.get(relation.name)):
            continue
        old = [pk for pk in lists if pk not in new]
        stored = stored_rows(relation, old) if old else {}
        diffs[relation.name] = sync_children(
            relation, lists, full=full, reasons=reasons, stored=stored, checked=checked
        )
        parents = diffs[relation.name]
        tally_rows(tally, relation, [(str(by_pk[pk][0].key), diff) for pk, diff in parents.items()])
        for pk, diff in parents.items():
            record, result = by_pk[pk]
            if diff.changed:
                result.changed.append(relation.name)
                if result.outcome is Outcome.UNCHANGED:
                    result.outcome = Outcome.UPDATED
    if after_children is not None:
        after_children(written, diffs)
    changed = [w for w in written if w.outcome is Outcome.UPDATED]
    if has_version(model):
        for result in changed:
            bump(result)
    save_planned(model, changed)
    return written, diffs


def _described(key: Any, result: Written[Any]) -> str:
    if result.outcome is Outcome.UPDATED:
        return f"{key} ({', '.join(result.changed)})"
    return str(key)


__all__ = ["Record", "Rows", "Tally", "stored_by_key", "tally_rows", "write_records"]
