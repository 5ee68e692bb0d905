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
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from core.relations import relations_of
from core.services import Record

MARGIN = datetime.timedelta(minutes=5)


def digest(record: Record[Any]) -> str:
    """A hash of the record's fields and child rows as given (sorted keys; dates as text)."""
    text = json.dumps([record.fields, record.children], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


Check = tuple[uuid.UUID, datetime.datetime]  # the edit id and time of a record's last comparison


def touched(model: type[models.Model], checked: Mapping[Any, Check]) -> set[Any]:
    """The ids in ``checked`` (id → the edit and time of the import's last comparison) that
    have history since, the record's own or its child rows', written by another edit."""
    found: set[Any] = set()
    by_check: dict[Check, list[Any]] = defaultdict(list)
    for pk, check in checked.items():
        by_check[check].append(pk)
    for (edit_id, at), pks in by_check.items():
        since = at - MARGIN
        found.update(_changed(model, model._meta.pk.attname, pks, edit_id, since))
        for relation in relations_of(model):
            child = relation.child_model
            found.update(_changed(child, relation.parent_attname, pks, edit_id, since))
            # Rows below the child rows (a role's citations) count for the record above.
            for below in relations_of(child):
                parents = dict(
                    child._base_manager.filter(**{f"{relation.parent_attname}__in": pks}).values_list(
                        "pk", relation.parent_attname
                    )
                )
                if parents:
                    changed = _changed(below.child_model, below.parent_attname, parents, edit_id, since)
                    found.update(parents[pk] for pk in changed)
    return found


def _changed(
    model: type[models.Model], column: str, ids: Iterable[Any], edit_id: uuid.UUID, since: datetime.datetime
) -> set[Any]:
    """Values of ``column`` among ``ids`` in ``model``'s history rows written since ``since`` by
    an edit other than ``edit_id`` (rows outside any edit included)."""
    history = model.history.model  # type: ignore[attr-defined]
    rows = history._base_manager.filter(**{f"{column}__in": list(ids)}, history_date__gt=since).exclude(
        history_edit=edit_id
    )
    return set(rows.values_list(column, flat=True).distinct())
