"""The data version: a counter that every committed write to the data apps moves.

Triggers on every table of the data apps bump the one ``core_dataversion`` row inside the
writing statement's transaction: PostgreSQL once per statement (``COPY`` and ``TRUNCATE``
included), SQLite once per row. So the new version becomes visible atomically with the new
data, whatever wrote it, and a reader that reads the version *before* the data can never file
old data under a new version (core/responsecache.py relies on exactly that).

The triggers are (re)installed after every ``migrate`` (``post_migrate``), so tables added
by later migrations are covered without anyone remembering to. On PostgreSQL the bump holds
the row's lock until the writing transaction ends: writers commit one after another, as they
do on SQLite anyway.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

# Apps whose tables hold what the API serves.
DATA_APPS = ("places", "people", "events")
TABLE = "core_dataversion"
TRIGGER = "chancery_data_version"
BUMP = f"UPDATE {TABLE} SET version = version + 1 WHERE id = 1"
# Derived tables written only in the transaction of a write to the tables they derive from
# (events.memberships): that write moves the version already, and a bump per row of theirs was
# a trigger call per membership on SQLite. Their wholesale rebuild bumps it itself.
DERIVED = frozenset({"events_personmembership", "events_countrymembership"})


def data_tables() -> list[str]:
    """Every table of the data apps: models, history models and many-to-many tables."""
    tables: list[str] = []
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            table = model._meta.db_table
            if model._meta.managed and not model._meta.proxy and table not in tables and table not in DERIVED:
                tables.append(table)
    return tables


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create the bump triggers on every data table that exists (idempotent)."""
    existing = set(connection.introspection.table_names())
    if TABLE not in existing:
        return
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (id, version) SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM {TABLE})"
        )
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {BUMP}; RETURN NULL; END $$"
            )
        for table in data_tables():
            if table not in existing:
                continue
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                    f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}()"
                )
            elif connection.vendor == "sqlite":
                for event in ("INSERT", "UPDATE", "DELETE"):
                    name = quote(f"{TRIGGER}_{table}_{event.lower()}")
                    cursor.execute(
                        f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON {quote(table)} "
                        f"BEGIN {BUMP}; END"
                    )


def bump(using: str = "default") -> None:
    """Move the version by hand, after a write the triggers do not see (a derived table's rebuild)."""
    with connections[using].cursor() as cursor:
        cursor.execute(BUMP)


def current(using: str = "default") -> int | None:
    """The data version now, or None where it is not kept (then nothing may be cached)."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT version FROM {TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def on_post_migrate(sender: Any, using: str = "default", **_: Any) -> None:
    """After ``migrate``: cover every data table, new ones included."""
    if sender.label == "core":
        install_triggers(connections[using])
