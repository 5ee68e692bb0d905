"""History for the benchmark dataset: what an import and a round of corrections would leave.

COPY writes no historical rows, but the changes feed and as-of reads need them at scale. After
the load, set-based SQL gives every loaded row its ``+`` historical row (at ``LOADED``), then at
``CORRECTED`` corrects the title of one event in ``CORRECT_EVERY`` and deletes one in
``DELETE_EVERY`` (visits and treaty steps left alone) with its places, participants and
citations, each with its historical rows (the rows they supersede closed, ``history_valid_until``,
by core.history.fill_valid_until as the migration that added it does), and writes the changes
log (core.models.Change) those writes would have written: a CREATED row per event, then the
corrections and deletions.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from core.history import HISTORY_COLUMNS, fill_valid_until

LOADED = datetime(2026, 1, 1, tzinfo=UTC)
CORRECTED = datetime(2026, 2, 1, tzinfo=UTC)
CORRECT_EVERY = 10
DELETE_EVERY = 100
# Columns of a historical table that are not the record's own.
_HISTORY_COLUMNS = HISTORY_COLUMNS | {"history_id"}
LOG_COLUMNS = "edit, at, kind, model, object_id, slug, previous_slug, reason, changes"
# Children removed with a deleted event: (table, key to the event).
_EVENT_CHILDREN = (
    ("events_eventcountry", "event_id"),
    ("events_eventregion", "event_id"),
    ("events_participation", "event_id"),
    ("events_citation", "event_id"),
)


def _tracked(model: type[models.Model]) -> list[str]:
    history = model.history.model  # type: ignore[attr-defined]
    return [f.column for f in history._meta.concrete_fields if f.column not in _HISTORY_COLUMNS]


def _copy_into_history(
    cursor: Any,
    model: type[models.Model],
    *,
    kind: str,
    at: datetime,
    edit: uuid.UUID,
    reason: str,
    where: str,
) -> None:
    history = model.history.model  # type: ignore[attr-defined]
    columns = ", ".join(f'"{c}"' for c in _tracked(model))
    # The link simple-history's related_name gives each row back to its record ("revisions").
    link = any(f.column == "history_relation_id" for f in history._meta.concrete_fields)
    into, values = (", history_relation_id", ", id") if link else ("", "")
    cursor.execute(
        f'INSERT INTO "{history._meta.db_table}" ({columns}, history_date, history_type, history_edit, '
        f"history_change_reason{into}) SELECT {columns}, %s, %s, %s, %s{values} "
        f'FROM "{model._meta.db_table}" WHERE {where}',
        [at, kind, edit, reason],
    )


def fill(connection: BaseDatabaseWrapper, models_loaded: list[type[models.Model]]) -> dict[str, int]:
    """Write the history and changes log of the loaded data; return rows written per kind."""
    from django.apps import apps

    event = apps.get_model("events", "Event")
    load, correction, deletion = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    corrected = f"mod(id, {CORRECT_EVERY}) = 0"
    doomed = (
        f"mod(id, {DELETE_EVERY}) = 7 AND treaty_id IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM events_visit v WHERE v.event_id = events_event.id)"
    )
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE core_change RESTART IDENTITY")
        for model in models_loaded:
            if hasattr(model, "history") and not hasattr(model, "instance_type"):  # not a history table
                _copy_into_history(
                    cursor, model, kind="+", at=LOADED, edit=load, reason="bench load", where="TRUE"
                )
        cursor.execute(
            f"INSERT INTO core_change ({LOG_COLUMNS}) "
            "SELECT %s, %s, 'CREATED', 'event', id, slug, '', 'bench load', "
            "jsonb_build_array(jsonb_build_array('title', NULL, title)) FROM events_event ORDER BY id",
            [load, LOADED],
        )
        counts["created"] = cursor.rowcount
        cursor.execute(
            f"INSERT INTO core_change ({LOG_COLUMNS}) "
            "SELECT %s, %s, 'CHANGED', 'event', id, slug, '', 'bench correction', "
            "jsonb_build_array(jsonb_build_array('title', title, title || ' (corrected)')) "
            f"FROM events_event WHERE {corrected} ORDER BY id",
            [correction, CORRECTED],
        )
        counts["corrected"] = cursor.rowcount
        cursor.execute(
            "UPDATE events_event SET title = title || ' (corrected)', version = version + 1 "
            f"WHERE {corrected}"
        )
        _copy_into_history(
            cursor, event, kind="~", at=CORRECTED, edit=correction, reason="bench correction", where=corrected
        )
        cursor.execute(
            f"INSERT INTO core_change ({LOG_COLUMNS}) "
            "SELECT %s, %s, 'DELETED', 'event', id, slug, '', 'bench deletion', '[]'::jsonb "
            f"FROM events_event WHERE {doomed} ORDER BY id",
            [deletion, CORRECTED],
        )
        counts["deleted"] = cursor.rowcount
        for table, key in _EVENT_CHILDREN:
            child = next(m for m in models_loaded if m._meta.db_table == table)
            where = f"{key} IN (SELECT id FROM events_event WHERE {doomed})"
            _copy_into_history(
                cursor, child, kind="-", at=CORRECTED, edit=deletion, reason="bench deletion", where=where
            )
            cursor.execute(f'DELETE FROM "{table}" WHERE {where}')
        _copy_into_history(
            cursor, event, kind="-", at=CORRECTED, edit=deletion, reason="bench deletion", where=doomed
        )
        cursor.execute(f"DELETE FROM events_event WHERE {doomed}")
    # Only these tables got rows superseding others (the corrections and the deletions).
    superseded = [event, *(m for m in models_loaded if m._meta.db_table in dict(_EVENT_CHILDREN))]
    counts["closed"] = sum(
        fill_valid_until(model.history.model, using=connection.alias)  # type: ignore[attr-defined]
        for model in superseded
    )
    return counts
