"""A visit's copy of its event's dates, kept by the database on every write.

A person's or a country's visits are listed by their events' dates. With the dates on the event
alone, PostgreSQL read every visit of the visitor and probed each one's event before it could
sort them (the busiest person's 1,426 visits at the million-event bench: 19-36 ms, 0.2 ms at
20,000 events), and a country's list walked the whole timeline index probing each event for a
visit to it (issue 25). ``Visit.event_date_earliest`` / ``event_date_latest`` copy the event's
bounds, so ``visit_visitor_date_idx`` and ``visit_host_date_idx`` hand out a page of visits in
date order, however many there are.

Triggers keep the copy, not the services, because visits and events' dates are written by
more than the services: the importer's bulk inserts and updates, the bench's ``COPY``, a
``QuerySet.update()``. A trigger keeps the copy right whatever writes, and adds no statement to
any write (tests/crosssurface counts them):

- a visit inserted or written takes its event's dates (PostgreSQL: ``BEFORE`` the row is
  stored; SQLite, whose triggers cannot change the row being written: an ``UPDATE`` of it
  right ``AFTER``, hence the columns are nullable);
- an event whose dates change passes them to its visit.

Like the data version's (core.dataversion), they are (re)installed after every ``migrate``:
SQLite drops a table's triggers when a migration rebuilds the table. The copy is derived data,
so visits' history leaves it out (events.models.visits).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

VISIT_TRIGGER = "events_visit_event_dates"
EVENT_TRIGGER = "events_event_visit_dates"

# What the copy should be, as one statement on both databases (the migration that adds it).
FILL = (
    "UPDATE events_visit SET "
    "event_date_earliest = (SELECT e.date_earliest FROM events_event e WHERE e.id = events_visit.event_id), "
    "event_date_latest = (SELECT e.date_latest FROM events_event e WHERE e.id = events_visit.event_id)"
)

_POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION {VISIT_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        SELECT e.date_earliest, e.date_latest INTO NEW.event_date_earliest, NEW.event_date_latest
        FROM events_event e WHERE e.id = NEW.event_id;
        RETURN NEW;
    END $$
    """,
    f"""
    CREATE OR REPLACE TRIGGER {VISIT_TRIGGER}_insert BEFORE INSERT ON events_visit
    FOR EACH ROW EXECUTE FUNCTION {VISIT_TRIGGER}()
    """,
    # An update that changes neither the event nor the copy keeps a copy that was right: only
    # a write that moves the visit or writes the copy (Django writes every column) probes.
    f"""
    CREATE OR REPLACE TRIGGER {VISIT_TRIGGER}_update BEFORE UPDATE ON events_visit
    FOR EACH ROW WHEN (
        OLD.event_id IS DISTINCT FROM NEW.event_id
        OR OLD.event_date_earliest IS DISTINCT FROM NEW.event_date_earliest
        OR OLD.event_date_latest IS DISTINCT FROM NEW.event_date_latest
    ) EXECUTE FUNCTION {VISIT_TRIGGER}()
    """,
    f"""
    CREATE OR REPLACE FUNCTION {EVENT_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE events_visit
        SET event_date_earliest = NEW.date_earliest, event_date_latest = NEW.date_latest
        WHERE event_id = NEW.id;
        RETURN NULL;
    END $$
    """,
    # Django's save() sets every column: only a real change of the dates reaches the visit.
    f"""
    CREATE OR REPLACE TRIGGER {EVENT_TRIGGER} AFTER UPDATE OF date_earliest, date_latest ON events_event
    FOR EACH ROW WHEN (
        OLD.date_earliest IS DISTINCT FROM NEW.date_earliest
        OR OLD.date_latest IS DISTINCT FROM NEW.date_latest
    ) EXECUTE FUNCTION {EVENT_TRIGGER}()
    """,
]

_EVENT_DATES = (
    "event_date_earliest = (SELECT date_earliest FROM events_event WHERE id = NEW.event_id), "
    "event_date_latest = (SELECT date_latest FROM events_event WHERE id = NEW.event_id)"
)
_SQLITE = [
    f"""
    CREATE TRIGGER IF NOT EXISTS {VISIT_TRIGGER}_insert AFTER INSERT ON events_visit
    BEGIN UPDATE events_visit SET {_EVENT_DATES} WHERE id = NEW.id; END
    """,
    # Only when the row's copy differs from its event's: the trigger's own UPDATE stops here.
    f"""
    CREATE TRIGGER IF NOT EXISTS {VISIT_TRIGGER}_update AFTER UPDATE ON events_visit
    WHEN NEW.event_date_earliest IS NOT (SELECT date_earliest FROM events_event WHERE id = NEW.event_id)
      OR NEW.event_date_latest IS NOT (SELECT date_latest FROM events_event WHERE id = NEW.event_id)
    BEGIN UPDATE events_visit SET {_EVENT_DATES} WHERE id = NEW.id; END
    """,
    f"""
    CREATE TRIGGER IF NOT EXISTS {EVENT_TRIGGER} AFTER UPDATE OF date_earliest, date_latest ON events_event
    WHEN OLD.date_earliest IS NOT NEW.date_earliest OR OLD.date_latest IS NOT NEW.date_latest
    BEGIN
        UPDATE events_visit
        SET event_date_earliest = NEW.date_earliest, event_date_latest = NEW.date_latest
        WHERE event_id = NEW.id;
    END
    """,
]
_DROP = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {VISIT_TRIGGER}_insert ON events_visit",
        f"DROP TRIGGER IF EXISTS {VISIT_TRIGGER}_update ON events_visit",
        f"DROP TRIGGER IF EXISTS {EVENT_TRIGGER} ON events_event",
        f"DROP FUNCTION IF EXISTS {VISIT_TRIGGER}()",
        f"DROP FUNCTION IF EXISTS {EVENT_TRIGGER}()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {VISIT_TRIGGER}_insert",
        f"DROP TRIGGER IF EXISTS {VISIT_TRIGGER}_update",
        f"DROP TRIGGER IF EXISTS {EVENT_TRIGGER}",
    ],
}


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers that keep the copy (idempotent); nothing before the column exists."""
    if connection.vendor not in _DROP or "events_visit" not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "events_visit")}
        if "event_date_earliest" not in columns:
            return
        for statement in _POSTGRESQL if connection.vendor == "postgresql" else _SQLITE:
            cursor.execute(statement)


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    """Remove them (the migration that adds the copy, unapplied)."""
    with connection.cursor() as cursor:
        for statement in _DROP.get(connection.vendor, []):
            cursor.execute(statement)


def on_post_migrate(sender: Any, using: str = "default", **_: Any) -> None:
    """After ``migrate``: the triggers are there, also on a table a migration rebuilt."""
    from django.db import connections

    if sender.label == "events":
        install_triggers(connections[using])
