"""Who owns what: an import changes only what it wrote last time and nobody has changed since.

Every record an import writes gets a baseline (``seeds.models.Baseline``): its
fields and child rows as the file gave them. On the next run, for each field and
each child row:

- stored value equal to the baseline: nobody touched it, the file's value is written;
- stored value different: an editor changed it since; it is kept, and when the
  file says something else the run reports a ``Conflict`` (file, record, field,
  the editor's value, the file's value);
- a row stored but in neither the baseline nor the file: an editor added it; it stays;
- a row (or record) in the baseline but no longer stored: an editor deleted it;
  it is not re-created.

A partial run (``import_seeds --only`` some of the datasets) sees only part of
what a record is made of: a person of hsg-travels is also hsg-pocom's. It adds,
never removes: an empty value does not clear a field, a list field takes the
union, child rows absent from the run stay, and the baseline is the last one
plus what the run gave, so the next full run sees no editor's change where
there is none.

A record named in ``file_wins`` takes the file exactly, and its history reason
says why. A record with no baseline (written before baselines existed) treats
every difference as an editor's, so nothing is overwritten unasked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from core.edits import current_edit
from core.relations import ChildRelation, relations_of
from core.services import Record
from core.services.bulk import insert_rows, new_instance
from seeds.importer import baseline_rows, fingerprints
from seeds.importer.baseline_rows import SCALARS, base_rows, identity_key, plain, row_given, row_of
from seeds.models import Baseline


@dataclass(frozen=True)
class Conflict:
    """A value an editor changed that the file would change too: kept, reported."""

    file: str
    record: str
    field: str
    editor: Any
    file_value: Any
    model: str = ""  # the record's model label, for the summary's conflicts column

    def __str__(self) -> str:
        return (
            f"{self.file}: {self.record}: {self.field}: kept the editor's {_shown(self.editor)}; "
            f"the file says {_shown(self.file_value)}"
        )


def _shown(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


@dataclass
class Ownership:
    """Merge each batch with what editors did since the last import; collect conflicts and baselines."""

    file_wins: frozenset[str] = frozenset()
    partial: bool = False  # a run of some datasets only: add, never remove (module doc)
    conflicts: list[Conflict] = field(default_factory=list)
    kept: int = 0  # editor changes kept, conflicting or not
    _baselines: list[Baseline] = field(default_factory=list)
    _stored: set[tuple[str, str]] = field(default_factory=set)  # (model, key) of baselines read, for save()
    # Records of the last merge that would write nothing, by key: left out of the write.
    skipped: dict[str, Record[Any]] = field(default_factory=dict)
    skipped_ids: dict[str, Any] = field(default_factory=dict)  # their stored ids, by key
    _touched: fingerprints.Touched = field(default_factory=fingerprints.Touched)
    # What ``expect`` read ahead, by model label: the keys it covers, their stored ids, the keys
    # with a baseline.
    _expected: dict[str, tuple[set[str], dict[str, Any], set[str]]] = field(default_factory=dict)

    def expect(self, model: type[models.Model], keys: Sequence[str], *, key_field: str = "slug") -> None:
        """Read ahead, for all of a section's ``keys``, what each batch's ``merge`` first asks:
        which records are stored (their ids) and which have a baseline (keys only, not the values).

        Two queries for the section instead of two a batch. On PostgreSQL a read waits for every
        row queued before it (core.services.pipeline): these made each batch wait for the last
        batch's rows to be stored, while nothing else ran. What a batch's merge then reads still
        is read then: the baselines that exist and the instances compared (none on a first run).
        Valid while the section writes: a batch writes records and baselines of its own keys
        only, and ``merge`` stops trusting a key once merged (a key given twice is read again).
        """
        label = model._meta.label_lower
        based = Baseline.objects.filter(fingerprints.among("key", keys), model=label)
        self._expected[label] = (
            set(keys),
            _stored_ids(model, key_field, keys),
            set(based.values_list("key", flat=True)),
        )

    def merge(
        self,
        model: type[models.Model],
        records: Sequence[Record[Any]],
        files: Sequence[str],
        *,
        key_field: str = "slug",
        lookup: bool = True,
        ids: Mapping[str, Any] | None = None,
    ) -> list[Record[Any]]:
        """Return the records to write: the file's values where the file owns them, the editors' elsewhere.

        ``lookup=False``: the records carry their stored instance already (None: none stored),
        or ``ids`` gives the stored record's id by key (a visit is found by its event).
        """
        label = model._meta.label_lower
        self._label = model._meta.label
        self.skipped, self.skipped_ids = {}, {}
        checked_at, edit = timezone.now(), current_edit()
        given = {str(r.key): r.instance for r in records if r.instance is not None}
        # Ids first: a record skipped unread needs no instance read (seeds.importer.fingerprints).
        found = {str(k): v for k, v in (ids or {}).items()} | {k: i.pk for k, i in given.items()}
        missing = [r.key for r in records if str(r.key) not in found] if lookup else []
        covered, expected_ids, based = self._expected.get(label) or (set(), {}, set())
        ahead = lookup and bool(records) and all(str(r.key) in covered for r in records)
        if ahead:  # read ahead by expect(): no query
            found.update((str(k), expected_ids[str(k)]) for k in missing if str(k) in expected_ids)
        elif missing:
            found.update(_stored_ids(model, key_field, missing))
        # A partial run's baseline depends on the last one: its records are always compared.
        digests = {str(r.key): "" if self.partial else fingerprints.digest(r) for r in records}
        records, files = self._unchanged(model, label, records, files, found, digests)
        keys = [str(r.key) for r in records]
        wanted = [found[k] for k in keys if k in found and k not in given]
        loaded = model._base_manager.in_bulk(wanted) if wanted else {}
        instances = {k: given.get(k) or loaded.get(found.get(k)) for k in keys}
        # The keys bound as one parameter (fingerprints.among), as the ids above: a first import's
        # batch finds none, and a thousand parameters were most of asking.
        asked = [k for k in keys if k in based] if ahead else keys
        baselines = (
            {b.key: b for b in Baseline.objects.filter(fingerprints.among("key", asked), model=label)}
            if asked
            else {}
        )
        if ahead:
            covered.difference_update(str(r.key) for r in records)
        self._stored.update((label, key) for key in baselines)
        relations = {r.name: r for r in relations_of(model)}
        children: dict[str, dict[Any, list[models.Model]]] = {}
        for name in {n for r in records for n in r.children}:
            pks = [i.pk for k in keys if (i := instances[k]) is not None]  # the records compared only
            children[name] = baseline_rows.stored_values(relations[name], pks) if pks else {}
        deleted = self._deleted(
            model, key_field, [k for k in keys if k in baselines and instances[k] is None]
        )
        merged = []
        for record, file in zip(records, files, strict=True):
            key = str(record.key)
            base = baselines.get(key)
            values = {
                # plain() inline for the scalars most values are, as in row_given.
                "fields": {n: v if type(v) in SCALARS else plain(v) for n, v in record.fields.items()},
                "children": {
                    n: [row_given(relations[n], row) for row in rows] for n, rows in record.children.items()
                },
            }
            instance = instances[key]
            old = base.values if base is not None else None
            if self.partial and instance is not None:
                record, values = self._partial(record, values, instance, old, relations)
            # A bare instance (core.services.bulk.new_instance): it is only inserted or upserted.
            baseline = new_instance(
                Baseline,
                {
                    "model": label,
                    "key": key,
                    "source": file,
                    "values": values,
                    "digest": digests[key],
                    "checked_at": checked_at,
                    "checked_edit": edit.id if edit is not None else None,
                    "clean": True,
                },
            )
            self._baselines.append(baseline)
            conflicts = len(self.conflicts)
            wins = key in self.file_wins
            if instance is None:
                if key in deleted and not wins:
                    self._conflict(file, key, "(record)", "deleted", "the record")
                    continue
                # Looked up just now, under the import's lock: none stored, so the write inserts
                # it without looking it up again (a clash is refused by the database).
                merged.append(
                    Record(record.key, record.fields, record.children, record.reason, create_only=lookup)
                )
                continue
            if wins:
                merged.append(Record(record.key, record.fields, record.children, record.reason, instance))
                continue
            fields = self._fields(file, key, instance, record.fields, old)
            kids = {
                name: self._rows(file, key, relations[name], children[name].get(instance.pk, []), rows, old)
                for name, rows in record.children.items()
            }
            result = Record(record.key, fields, kids, record.reason, instance)
            baseline.clean = len(self.conflicts) == conflicts
            if old is not None and old == values:
                # The file says what it said last time: what it owns is stored already and
                # what an editor changed is kept, so the write would change nothing.
                self.skipped[key] = result
                self.skipped_ids[key] = instance.pk
                continue
            merged.append(result)
        return merged

    def _unchanged(
        self,
        model: type[models.Model],
        label: str,
        records: Sequence[Record[Any]],
        files: Sequence[str],
        ids: Mapping[str, Any],
        digests: Mapping[str, str],
    ) -> tuple[list[Record[Any]], list[str]]:
        """Put the records stored as the last comparison left them in ``skipped``, unread; return
        the others, with their files (seeds.importer.fingerprints).

        A skipped record is the record as given, its stored id in ``skipped_ids``: nothing here
        reads the stored one, and whatever does later (an event written for its visit only)
        loads it by that id.
        """
        candidates = [
            r
            for r in records
            if digests[str(r.key)] and str(r.key) in ids and str(r.key) not in self.file_wins
        ]
        if not candidates:
            return list(records), list(files)
        marks = Baseline.objects.filter(
            fingerprints.among("key", [str(r.key) for r in candidates]),
            model=label,
            clean=True,
            checked_edit__isnull=False,
        ).values_list("key", "digest", "checked_edit", "checked_at")
        checked = {}
        for key, digest, edit_id, at in marks:
            if digest == digests[key]:
                checked[ids[key]] = (key, (edit_id, at))
        if not checked:
            return list(records), list(files)
        changed = self._touched(model, {pk: check for pk, (_, check) in checked.items()})
        same = {key for pk, (key, _) in checked.items() if pk not in changed}
        kept, kept_files = [], []
        for record, file in zip(records, files, strict=True):
            key = str(record.key)
            if key in same:
                # No instance, not even a deferred one (building 20,000 of them was a tenth of
                # a no-op, issue 25): its id is all that is used.
                self.skipped[key] = record
                self.skipped_ids[key] = ids[key]
            else:
                kept.append(record)
                kept_files.append(file)
        return kept, kept_files

    @staticmethod
    def _partial(
        record: Record[Any],
        values: dict[str, Any],
        instance: models.Model,
        old: Mapping[str, Any] | None,
        relations: Mapping[str, ChildRelation],
    ) -> tuple[Record[Any], dict[str, Any]]:
        """A partial run's record and baseline: the last baseline (or what is stored) plus this run's."""
        fields = dict(record.fields)
        base_fields = dict(old["fields"]) if old is not None else {}
        for name, value in record.fields.items():
            stored = getattr(instance, name)
            if value in (None, "", [], {}):
                del fields[name]  # this dataset does not know it; another may
                base_fields.setdefault(name, plain(stored))
            elif isinstance(value, list) and isinstance(stored, list):
                fields[name] = stored + [v for v in value if v not in stored]
                was = base_fields.get(name, plain(stored))
                base_fields[name] = was + [v for v in plain(value) if v not in was]
            else:
                base_fields[name] = values["fields"][name]
        base_children = {n: list(rows) for n, rows in (old["children"] if old is not None else {}).items()}
        for name, rows in values["children"].items():
            relation = relations[name]
            given = {identity_key(relation, row) for row in rows}
            kept = [r for k, r in base_rows(relation, base_children.get(name, [])).items() if k not in given]
            base_children[name] = kept + rows
        merged = Record(record.key, fields, record.children, record.reason, record.instance)
        return merged, {"fields": base_fields, "children": base_children}

    @staticmethod
    def _deleted(model: type[models.Model], key_field: str, keys: list[str]) -> set[str]:
        """Keys of records deleted through the write path (an edit), i.e. by an editor's decision.

        A table emptied outside it (a test's wipe, a restore) is not an editor deleting records.
        """
        if not keys:
            return set()
        history = model.history.filter(  # type: ignore[attr-defined]
            **{f"{key_field}__in": keys}, history_type="-", history_edit__isnull=False
        )
        return {str(k) for k in history.values_list(key_field, flat=True)}

    def _conflict(self, file: str, record: str, name: str, editor: Any, file_value: Any) -> None:
        self.kept += 1
        self.conflicts.append(Conflict(file, record, name, editor, file_value, getattr(self, "_label", "")))

    def _fields(
        self,
        file: str,
        key: str,
        instance: models.Model,
        wanted: Mapping[str, Any],
        old: Mapping[str, Any] | None,
    ) -> dict[str, Any]:
        fields = {}
        for name, value in wanted.items():
            mine, theirs = plain(value), plain(getattr(instance, name))
            base = old["fields"].get(name, theirs) if old is not None else mine
            if theirs in (base, mine):
                fields[name] = value
                continue
            self._conflict(file, key, name, theirs, mine)
        return fields

    def _rows(
        self,
        file: str,
        key: str,
        relation: ChildRelation,
        stored: Iterable[models.Model],
        wanted: Sequence[Mapping[str, Any]],
        old: Mapping[str, Any] | None,
    ) -> list[Any]:
        name = relation.name
        mine = {identity_key(relation, row): row for row in wanted}
        theirs = {json.dumps([plain(v) for v in relation.key_of_row(row)]): row for row in stored}
        if old is None:
            base = {k: row_given(relation, row) for k, row in mine.items()}
        else:
            base = base_rows(relation, old["children"].get(name, []))
        rows: list[Any] = []
        for row_key, row in theirs.items():
            current = row_of(relation, row)
            if row_key in mine:
                given = row_given(relation, mine[row_key])
                was = base.get(row_key, current)
                if all(current.get(k) == was.get(k, v) or current.get(k) == v for k, v in given.items()):
                    rows.append(mine[row_key])
                else:
                    self._conflict(file, key, name, _described(current), _described(given))
                    rows.append(current)
            elif self.partial:
                rows.append(current)  # another dataset's row, or an editor's: a partial run adds only
            elif row_key in base and (base[row_key].items() <= current.items()):
                continue  # the file dropped a row nobody changed
            else:
                if row_key in base:
                    self._conflict(file, key, name, _described(current), "no such row")
                rows.append(current)  # an editor's row, or one an editor changed
        for row_key, row in mine.items():
            if row_key in theirs:
                continue
            if row_key in base:
                self._conflict(file, key, name, "deleted", _described(row_given(relation, row)))
                continue
            rows.append(row)
        return rows

    def save(self) -> None:
        """Record the baselines of every record this run compared, for the next run."""
        if not self._baselines:
            return
        # Every record compared gets its baseline saved, with the time and outcome of the
        # comparison, so that the next run can skip it unread (seeds.importer.fingerprints).
        # New ones (a first import: all of them) go in as plain inserts, one COPY on PostgreSQL;
        # the ones read at merge time are updated in place.
        insert_rows(Baseline, [b for b in self._baselines if (b.model, b.key) not in self._stored])
        stored = [b for b in self._baselines if (b.model, b.key) in self._stored]
        if stored:
            Baseline.objects.bulk_create(
                stored,
                batch_size=500,
                update_conflicts=True,
                unique_fields=["model", "key"],
                update_fields=[
                    "values",
                    "source",
                    "written_at",
                    # the comparison's mark (seeds.importer.fingerprints)
                    "digest",
                    "checked_at",
                    "checked_edit",
                    "clean",
                ],
            )
        self._baselines = []


def _stored_ids(model: type[models.Model], key_field: str, keys: Sequence[Any]) -> dict[str, Any]:
    """The ids of the stored records among ``keys``, by key (as text), in one query."""
    rows = model._base_manager.filter(fingerprints.among(key_field, keys)).values_list(key_field, "pk")
    return {str(k): pk for k, pk in rows}


def _described(row: Mapping[str, Any]) -> str:
    return ", ".join(f"{k.removesuffix('_id')}={v}" for k, v in row.items() if v not in (None, ""))
