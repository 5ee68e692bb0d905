"""Write generated batches into a database: PostgreSQL COPY for scale, plain INSERTs anywhere.

Bulk rows bypass the ORM, so django-simple-history writes no historical rows for them: the
benchmark dataset has empty history tables, which is what a fresh bulk import would leave.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.apps import apps
from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

from bench.dataset import TABLES, Batch

APP_LABELS = ("places", "people", "events")


class Writer(Protocol):
    """Where batches go; :func:`load` calls ``begin``, then ``write`` per batch, then ``finish``."""

    def begin(self) -> None: ...

    def write(self, batch: Batch) -> None: ...

    def finish(self) -> None: ...


def app_models() -> list[type[models.Model]]:
    """Return every model the dataset may fill, historical models included."""
    return [model for label in APP_LABELS for model in apps.get_app_config(label).get_models()]


def model_for_table(table: str) -> type[models.Model]:
    return next(model for model in app_models() if model._meta.db_table == table)


@dataclass
class InsertWriter:
    """Plain ``executemany`` INSERTs through a Django connection: SQLite, PostgreSQL, tests."""

    connection: BaseDatabaseWrapper

    def begin(self) -> None:
        pass

    def write(self, batch: Batch) -> None:
        if not batch.rows:
            return
        quote = self.connection.ops.quote_name
        columns = ", ".join(quote(c) for c in batch.columns)
        marks = ", ".join(["%s"] * len(batch.columns))
        with self.connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {quote(batch.table)} ({columns}) VALUES ({marks})", batch.rows)

    def finish(self) -> None:
        reset_sequences(self.connection)


@dataclass
class CopyWriter:
    """PostgreSQL ``COPY ... FROM STDIN`` via psycopg 3, with indexes built once at the end.

    With ``defer_indexes`` the secondary indexes, unique and foreign-key constraints of the
    loaded tables are read from the catalogue, dropped before the load and recreated from
    their own definitions afterwards (one sort per index instead of a million inserts into
    it). Run it inside a transaction: PostgreSQL DDL is transactional, so a failed load
    leaves the schema as it was.
    """

    connection: BaseDatabaseWrapper
    defer_indexes: bool = True
    timings: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    _constraints: list[tuple[str, str, str, str]] = field(default_factory=list)
    _indexes: list[tuple[str, str]] = field(default_factory=list)

    def _execute(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def begin(self) -> None:
        if not self.defer_indexes:
            return
        started = time.perf_counter()
        tables = list(TABLES)
        self._constraints = [
            tuple(row)
            for row in self._execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype
                FROM pg_constraint c
                WHERE c.conrelid = ANY(%s::regclass[]) AND c.contype IN ('f', 'u')
                ORDER BY c.contype, c.conname
                """,
                [tables],
            )
        ]
        self._indexes = [
            tuple(row)
            for row in self._execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                FROM pg_index i
                WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_constraint c
                    WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid
                  )
                ORDER BY 1
                """,
                [tables],
            )
        ]
        # Foreign keys first ('f' sorts before 'u'), so unique constraints are free to go.
        for table, name, _, _ in self._constraints:
            self._execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for name, _ in self._indexes:
            self._execute(f'DROP INDEX "{name}"')
        self.timings["drop indexes"] += time.perf_counter() - started

    def write(self, batch: Batch) -> None:
        if not batch.rows:
            return
        started = time.perf_counter()
        columns = ", ".join(f'"{c}"' for c in batch.columns)
        with self.connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(f'COPY "{batch.table}" ({columns}) FROM STDIN') as copy:
                for row in batch.rows:
                    copy.write_row(row)
        self.timings[f"copy {batch.table}"] += time.perf_counter() - started

    def finish(self) -> None:
        started = time.perf_counter()
        self._execute("SET LOCAL maintenance_work_mem = '1GB'")
        for _, definition in self._indexes:
            self._execute(definition)
        self.timings["create indexes"] += time.perf_counter() - started
        started = time.perf_counter()
        # Unique constraints ('u') before the foreign keys that may rely on them.
        for table, name, definition, _ in sorted(self._constraints, key=lambda c: c[3] != "u"):
            self._execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
        self.timings["add constraints"] += time.perf_counter() - started
        reset_sequences(self.connection)


def reset_sequences(connection: BaseDatabaseWrapper) -> None:
    """Point id sequences past the explicit ids just loaded (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), app_models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def truncate(connection: BaseDatabaseWrapper) -> None:
    """Empty every places/people/events table, history included (PostgreSQL only)."""
    tables = ", ".join(f'"{model._meta.db_table}"' for model in app_models())
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")


def clear(connection: BaseDatabaseWrapper) -> None:
    """Empty every places/people/events table on any backend (inside a transaction on SQLite)."""
    if connection.vendor == "postgresql":
        truncate(connection)
        return
    # SQLite foreign keys are DEFERRABLE INITIALLY DEFERRED in Django: the order does not matter.
    with connection.cursor() as cursor:
        for model in app_models():
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def load(batches: Iterable[Batch], writer: Writer) -> dict[str, int]:
    """Stream batches into the writer; return rows written per table."""
    counts: dict[str, int] = defaultdict(int)
    writer.begin()
    for batch in batches:
        writer.write(batch)
        counts[batch.table] += len(batch.rows)
    writer.finish()
    return dict(counts)
