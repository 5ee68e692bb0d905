"""Write the changes log: one ``core.models.Change`` per edit and public record, in commit order.

``core.edits.edit`` calls ``record_changes`` as the last step of every write, inside its
transaction. It reads the historical rows the edit made (kept by the edit as they were
written, compactly: ``core.edits.WrittenRows``, so no query reads them back), folds child
rows (participants, citations, roles, parties…, declared in ``core.relations``) into their
record as ``core.revisions`` does, and stores each record's kind, slugs, author, reason and
field changes — so the feed is one range scan, no history joins at read time.

Commit order: history ids (and any sequence) are handed out when a row is inserted, not when
its transaction commits, so a writer that inserts first and commits last would slip behind a
reader's cursor. Every write already takes the data-version row's lock on its first data
statement and keeps it until it commits (core/dataversion.py); the log rows are inserted while
that lock is held (taken here explicitly, in case the write's triggers have not). So log ids
are allocated in the order writes commit, and "id > cursor" never skips a change. SQLite has
one writer at a time anyway.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.db.models import Max

from core.dataversion import TABLE
from core.edits import Edit, history_model
from core.models import Change
from core.relations import ChildRelation, all_relations
from core.revisions import CHANGED, CREATED, DELETED, Labels
from core.services.bulk import insert_rows, new_instance

# The records the feed serves, by model label: the feed's name for it and its public key.
RECORDS: dict[str, tuple[str, str]] = {
    "events.event": ("event", "slug"),
    "events.visit": ("visit", "slug"),
    "events.treaty": ("treaty", "slug"),
    "events.source": ("source", "slug"),
    "people.person": ("person", "slug"),
    "people.organization": ("organization", "slug"),
    "places.country": ("country", "code"),
    "places.region": ("region", "slug"),
}
# Fields the API never serves (a source's full text and editorial note): kept out of the log.
HIDDEN: dict[str, set[str]] = {"events.source": {"text", "note"}}
MODEL_LABELS = {name: label for label, (name, _) in RECORDS.items()}
# Rows fetched per query when an import touched many records (SQLite caps bound parameters).
BATCH = 500
# Records whose entries are made and inserted at once (record_changes).
CHUNK = 2000


@dataclass(slots=True)
class _Record:
    """What one edit did to one public record: its own rows and its children's."""

    label: str
    pk: int
    own: list[Any] = field(default_factory=list)
    children: list[tuple[ChildRelation, Any]] = field(default_factory=list)


def _relations_by_child() -> dict[str, list[ChildRelation]]:
    found: dict[str, list[ChildRelation]] = defaultdict(list)
    for relation in all_relations():
        found[relation.model].append(relation)
    return found


def _latest_before(history: type[models.Model], pks: set[Any], edit: Edit) -> dict[Any, Any]:
    """Each object's newest historical row written before this edit, by object id."""
    found: dict[Any, Any] = {}
    listed = sorted(pks)
    manager = history._default_manager
    for start in range(0, len(listed), BATCH):
        chunk = listed[start : start + BATCH]
        last = (
            manager.filter(id__in=chunk)
            .exclude(history_edit=edit.id)
            .values("id")
            .annotate(last=Max("history_id"))
            .values("last")
        )
        found.update((row.id, row) for row in manager.filter(history_id__in=last))
    return found


def _parents(relation: ChildRelation, pks: set[Any]) -> dict[Any, Any]:
    """Parent key of each child-of-a-child (a role's person), from the table or its history."""
    model = relation.child_model
    attname = relation.parent_attname
    found: dict[Any, Any] = {}
    listed = sorted(pks)
    for start in range(0, len(listed), BATCH):
        chunk = listed[start : start + BATCH]
        found.update(model._base_manager.filter(pk__in=chunk).values_list("pk", attname))
        missing = [pk for pk in chunk if pk not in found]
        if missing:  # deleted in this very edit: its last historical row still names the parent
            rows = model.history.filter(id__in=missing).order_by("history_id")  # type: ignore[attr-defined]
            found.update((row.id, getattr(row, attname)) for row in rows)
    return found


def _collect(edit: Edit) -> dict[tuple[str, Any], _Record]:
    """The edit's historical rows grouped by public record."""
    by_child = _relations_by_child()
    records: dict[tuple[str, Any], _Record] = {}
    pending: list[tuple[ChildRelation, Any, ChildRelation, Any]] = []  # grandchild rows

    def record(label: str, pk: Any) -> _Record:
        if (found := records.get((label, pk))) is None:
            found = records[(label, pk)] = _Record(label, pk)
        return found

    by_model: dict[type[models.Model], list[Any]] = defaultdict(list)
    for row in edit.rows:
        by_model[history_model(row)].append(row)
    for history, rows in by_model.items():
        label = history.instance_type._meta.label_lower
        if label in RECORDS:
            for row in rows:
                record(label, row.id).own.append(row)
            continue
        # Each relation's parent key and where it leads, looked up once per model, not per row.
        ways = [
            (relation, relation.parent_attname, relation.parent in RECORDS)
            for relation in by_child.get(label, [])
        ]
        for row in rows:
            for relation, attname, to_record in ways:
                parent = getattr(row, attname)
                if parent is None:
                    continue
                if to_record:
                    record(relation.parent, parent).children.append((relation, row))
                else:
                    for up in by_child.get(relation.parent, []):
                        pending.append((relation, row, up, parent))
    # A role's citation is a change of the role's person.
    wanted: dict[ChildRelation, set[Any]] = defaultdict(set)
    for _, _, up, parent in pending:
        wanted[up].add(parent)
    owners = {up: _parents(up, pks) for up, pks in wanted.items()}
    for relation, row, up, parent in pending:
        if (owner := owners[up].get(parent)) is not None and up.parent in RECORDS:
            record(up.parent, owner).children.append((relation, row))
    return records


def _key(row: Any) -> str:
    return str(getattr(row, RECORDS[row.instance_type._meta.label_lower][1]) or "")


def _current_keys(records: list[_Record]) -> dict[tuple[str, Any], str]:
    """Slugs of records only their children changed: from the table, else their last history row."""
    wanted: dict[str, set[Any]] = defaultdict(set)
    for rec in records:
        if not rec.own:
            wanted[rec.label].add(rec.pk)
    keys: dict[tuple[str, Any], str] = {}
    for label, pks in wanted.items():
        model = apps.get_model(label)
        name = RECORDS[label][1]
        listed = sorted(pks)
        for start in range(0, len(listed), BATCH):
            chunk = listed[start : start + BATCH]
            keys.update(
                ((label, pk), key)
                for pk, key in model._base_manager.filter(pk__in=chunk).values_list("pk", name)
            )
            for pk in chunk:
                if (label, pk) not in keys:
                    last = model.history.filter(id=pk).order_by("-history_id").first()  # type: ignore[attr-defined]
                    keys[(label, pk)] = str(getattr(last, name, "") or "") if last else ""
    return keys


def _child_changes(relation: ChildRelation, rows: list[Any], before: Any, labels: Labels) -> list[list[Any]]:
    """One child row's net change in this edit, as changes ``[field, old, new]`` of the parent's list."""
    first, last = rows[0], rows[-1]
    name, fk = relation.name, relation.parent_key
    if first.history_type == "+" and last.history_type == "-":
        return []
    if first.history_type == "+":
        return [[name, None, labels.summary(last, fk)]]
    if last.history_type == "-":
        return [[name, labels.summary(before or first, fk), None]]
    return labels.changed(before, last, skip=fk, prefix=f"{name}.")


def _by_child(rec: _Record) -> list[tuple[ChildRelation, Any, list[Any]]]:
    """``rec``'s child rows by relation and child, in the order they were written first."""
    # Keyed by the relation's identity: hashing the frozen dataclass (all its fields) was a
    # tenth of the log's time at import sizes.
    found: dict[tuple[int, Any], tuple[ChildRelation, Any, list[Any]]] = {}
    for relation, row in rec.children:
        if (group := found.get((id(relation), row.id))) is None:
            group = found[(id(relation), row.id)] = (relation, row.id, [])
        group[2].append(row)
    return list(found.values())


_WRITTEN_AT = attrgetter("history_date")


def _entry(
    rec: _Record, before: dict[tuple[str, Any], Any], labels: Labels, edit: Edit, keys: dict
) -> models.Model | None:
    own = rec.own
    rows = own + [row for _, row in rec.children]
    last_row = max(reversed(rows), key=_WRITTEN_AT)  # the last written on a tie
    previous = before.get((rec.label, rec.pk))
    changes: list[list[Any]] = []  # [field, old, new], as the log stores them
    if own and own[0].history_type == "+" and own[-1].history_type == "-":
        return None  # made and removed by the same write: nothing anyone could have seen
    if own and own[0].history_type == "+":
        kind = CREATED
    elif own and own[-1].history_type == "-":
        kind = DELETED
    else:
        kind = CHANGED
    if own and kind != DELETED:
        changes = labels.changed(None if kind == CREATED else previous, own[-1])
        if (hidden := HIDDEN.get(rec.label)) is not None:
            changes = [c for c in changes if c[0] not in hidden]
    if kind != DELETED:
        for relation, pk, child_rows in _by_child(rec):
            child_before = before.get((relation.model, pk))
            changes.extend(_child_changes(relation, child_rows, child_before, labels))
        if kind == CHANGED and not changes:
            return None  # a save that changed nothing a reader sees
    slug = _key(own[-1]) if own else keys.get((rec.label, rec.pk), "")
    old = _key(previous) if previous is not None and own else ""
    # A bare instance (core.services.bulk.new_instance): it is only inserted.
    return new_instance(
        Change,
        {
            "edit": edit.id,
            "at": last_row.history_date,
            "kind": kind,
            "model": RECORDS[rec.label][0],
            "object_id": rec.pk,
            "slug": slug,
            "previous_slug": old if old != slug else "",
            "user_id": last_row.history_user_id,
            "reason": last_row.history_change_reason or edit.reason,
            "changes": changes,
        },
    )


def _lock_commit_order() -> None:
    """Hold the lock every write takes until commit, so log ids follow commit order (see above)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1 FOR UPDATE")
        if cursor.fetchone() is None:  # no data-version row (never migrated here): a lock of our own
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('chancery_changes'))")


def _entries(
    chunk: list[_Record], edit: Edit, names: dict[type[models.Model], dict[Any, str]]
) -> list[models.Model]:
    """The log entries of ``chunk``'s records, in its order; ``names`` caches labels across chunks."""
    # Rows before this edit: each record's own, and each changed child's.
    before: dict[tuple[str, Any], Any] = {}
    pks_by_model: dict[type[models.Model], set[Any]] = defaultdict(set)
    for rec in chunk:
        if rec.own and rec.own[0].history_type != "+":  # a new record has nothing before
            pks_by_model[history_model(rec.own[0])].add(rec.pk)
        for _, row in rec.children:
            if row.history_type == "~":
                pks_by_model[history_model(row)].add(row.id)
    for history, pks in pks_by_model.items():
        label = history.instance_type._meta.label_lower
        for pk, row in _latest_before(history, pks, edit).items():
            before[(label, pk)] = row
    # What the entries read: records' rows whole, child rows without their key to the parent
    # (never shown: the change is the parent's), so an import's children name no parent record.
    own = [row for rec in chunk for row in rec.own]
    own += [row for (label, _), row in before.items() if label in RECORDS]
    children = [(row, relation.parent_key) for rec in chunk for relation, row in rec.children]
    children += [
        (row, relation.parent_key)
        for rec in chunk
        for relation, child in rec.children
        if (row := before.get((relation.model, child.id))) is not None
    ]
    labels = Labels(own, names=names, skipping=children)
    keys = _current_keys(chunk)
    return [e for rec in chunk if (e := _entry(rec, before, labels, edit, keys)) is not None]


def record_changes(edit: Edit) -> None:
    """Log what ``edit`` did to each public record (call inside the edit's transaction).

    The entries are made and inserted ``CHUNK`` records at a time, in record order: an import's
    tens of thousands of entries, their labels and the rows before it are never all in memory
    at once (issue 25, item 3). A chunk reads what it needs (rows before the edit, names,
    slugs) as the whole edit did, so a small edit runs the same statements as before.
    """
    if not edit.rows:
        return
    records = _collect(edit)
    ordered = sorted(records.values(), key=lambda r: (r.label, r.pk))
    del records
    names: dict[type[models.Model], dict[Any, str]] = {}
    locked = False
    for start in range(0, len(ordered), CHUNK):
        entries = _entries(ordered[start : start + CHUNK], edit, names)
        if not entries:
            continue
        if not locked:
            _lock_commit_order()
            locked = True
        # One COPY (PostgreSQL) or a few multi-row INSERTs per chunk.
        insert_rows(Change, entries)
