"""Skip a record without reading its child rows when neither the file nor anyone else changed it.

A no-op re-import used to read every stored record's child rows and compare them row by row
(issue 25, item 3: a ``--full`` no-op took half as long as the first write). Each baseline
(``seeds.models.Baseline``) now also keeps:

- ``digest``: a hash of the record as the file gave it (fields and child rows, references as
  ids), so "the file says what it said last time" is one string comparison;
- ``checked_at`` and ``checked_edit``: when the import last compared the record with what is
  stored, and the edit id of that run;
- ``clean``: that comparison kept no editor's value against the file's (no conflict).

A record whose digest is unchanged, whose last comparison was clean, and which has no history
row — of its own or of its child rows, a role's citations included — since that comparison
other than the import's own, is stored exactly as the last run left it: comparing it again
would write nothing and report nothing, so it is skipped unread. Anything else (an editor's
save, a deletion, a conflict kept, a changed file) is compared field by field and row by row
as before (``seeds.importer.ownership``).

Skipping costs little: the merge looks up ids, not instances, and reads the instances of the
records it compares only (a skipped one is its id, ``Ownership.skipped_ids``); the history is
read by time, once per table (``Touched``).

History rows carry the time the writer called ``save``, not the commit's: an editor whose
transaction was open while the import read could show an earlier time than the import's read.
``MARGIN`` looks that far back before the last comparison, so such a change is still seen (an
editor's write holds its transaction for seconds; the lock timeout bounds it, core.locks).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from django.db.models import F

from core.lookups import InOneParameter
from core.relations import relations_of
from core.services import Record
from core.services.bulk import historical_model
from seeds.importer import runs

MARGIN = datetime.timedelta(minutes=5)


def among(column: str, values: Sequence[Any]) -> InOneParameter:
    """A filter: ``column`` is one of ``values``, bound as one parameter (``core.lookups``).

    The import looks a batch's thousand keys up several times per batch: as a thousand
    parameters that was a third of a no-op's own CPU on PostgreSQL (issue 25, item 3).
    ``values`` not empty.
    """
    return InOneParameter(F(column), list(values))


# The encoder json.dumps would build for these options, built once: json.dumps makes a new one
# each call, and an import hashes every record (issue 25, item 3). The text is the same.
_DIGEST_TEXT = json.JSONEncoder(sort_keys=True, default=str, separators=(",", ":")).encode


def digest(record: Record[Any]) -> str:
    """A hash of the record's fields and child rows as given (sorted keys; dates as text)."""
    text = _DIGEST_TEXT([record.fields, record.children])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


Check = tuple[uuid.UUID, datetime.datetime]  # the edit id and time of a record's last comparison


class Touched:
    """Which records have history, their own or their child rows', since their last comparison,
    written by another edit than that comparison's.

    Each history table is read once per run for each edit that did the last comparisons, by
    time (the ``history_date`` index) rather than by id: one statement a table, not one per
    batch with a thousand ids, and in a no-op it finds nothing. What it read stays valid while
    the data version (core.dataversion: every write moves it, this run's own included) stays
    put; a write in between (a region moved, paths rewritten below it) makes it read again.
    """

    def __init__(self) -> None:
        self._version: int | None = None
        # (history table, column, edit) -> (since, [(column value, history_date)])
        self._rows: dict[tuple[str, str, uuid.UUID], tuple[datetime.datetime, list[tuple[Any, Any]]]] = {}

    def __call__(self, model: type[models.Model], checked: Mapping[Any, Check]) -> set[Any]:
        """The ids in ``checked`` (id -> the edit and time of the import's last comparison) that
        have history since, the record's own or its child rows', written by another edit."""
        version = runs.data_version()
        if version != self._version:
            self._rows, self._version = {}, version
        found: set[Any] = set()
        by_edit: dict[uuid.UUID, dict[Any, datetime.datetime]] = defaultdict(dict)
        for pk, (edit_id, at) in checked.items():
            by_edit[edit_id][pk] = at - MARGIN
        for edit_id, since in by_edit.items():
            earliest = min(since.values())
            found.update(self._after(model, model._meta.pk.attname, edit_id, earliest, since))
            for relation in relations_of(model):
                child = relation.child_model
                found.update(self._after(child, relation.parent_attname, edit_id, earliest, since))
                # Rows below the child rows (a role's citations) count for the record above.
                for below in relations_of(child):
                    rows = self._rows_since(below.child_model, below.parent_attname, edit_id, earliest)
                    ids = {value for value, _ in rows}
                    if not ids:
                        continue
                    parents = dict(
                        child._base_manager.filter(pk__in=ids).values_list("pk", relation.parent_attname)
                    )
                    for value, at in rows:
                        parent = parents.get(value)
                        if parent in since and at > since[parent]:
                            found.add(parent)
        return found

    def _after(
        self,
        model: type[models.Model],
        column: str,
        edit_id: uuid.UUID,
        earliest: datetime.datetime,
        since: Mapping[Any, datetime.datetime],
    ) -> set[Any]:
        rows = self._rows_since(model, column, edit_id, earliest)
        return {value for value, at in rows if value in since and at > since[value]}

    def _rows_since(
        self, model: type[models.Model], column: str, edit_id: uuid.UUID, since: datetime.datetime
    ) -> list[tuple[Any, Any]]:
        """(``column``, history_date) of ``model``'s history rows written after ``since`` by an
        edit other than ``edit_id`` (rows outside any edit included), read once per table."""
        history = historical_model(model)
        key = (history._meta.db_table, column, edit_id)
        cached = self._rows.get(key)
        if cached is None or since < cached[0]:
            rows = (
                history._base_manager.filter(history_date__gt=since)
                .exclude(history_edit=edit_id)
                .values_list(column, "history_date")
            )
            cached = (since, list(rows))
            self._rows[key] = cached
        return cached[1]
