"""The statements that put a batch of prepared rows into a table, the fastest way each database takes them.

``core.services.bulk`` prepares rows (values as a save stores them, historical rows beside them);
here they are sent (issue 25):

- PostgreSQL: a batch of ``COPY_FROM`` rows or more by ``COPY``, in binary format where every
  value has its column's exact type, ids drawn from the table's sequence first; a smaller one (an
  admin save, a mutation) as one multi-row ``INSERT … RETURNING``. Inside an import's write
  (``core.services.pipeline.overlapped``) the ``COPY`` is queued for the write's writer thread
  and its ids drawn on the write's second connection: nothing waits for the server.
- SQLite: multi-row ``INSERT … VALUES`` of ``ROWS_PER_STATEMENT`` rows (ids by ``RETURNING``,
  SQLite 3.35+).
"""

from __future__ import annotations

import datetime
import sqlite3
import time
import uuid
from collections.abc import Sequence
from itertools import chain
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from psycopg.types.json import Jsonb

from core.services import pipeline


def default_connection() -> Any:
    """The default connection's wrapper itself, not django.db.connection's proxy: a proxy attribute
    costs a context-local lookup, and preparing a value reads the connection every time."""
    return connections[DEFAULT_DB_ALIAS]


def _insert_sql(
    table: str, columns: Sequence[str], rows: int, returning: str | None, placeholder: str = "%s"
) -> str:
    qn = default_connection().ops.quote_name
    one = f"({', '.join([placeholder] * len(columns))})"
    sql = f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) VALUES {', '.join([one] * rows)}"
    return f"{sql} RETURNING {qn(returning)}" if returning else sql


def _batch_size(columns: int) -> int:
    # A backend may bound the parameters per statement (SQLite goes by _sqlite_insert).
    limit = default_connection().features.max_query_params or 65_535
    return max(1, min(1000, limit // max(1, columns)))


# Batches from this many rows go by COPY on PostgreSQL; a smaller one (an admin save, a
# mutation) stays one INSERT statement, as simple to read in a query log as it is to count.
COPY_FROM = 100


def insert_statements(
    table: str, fields: Sequence[models.Field], rows: list[list[Any]], returning: str | None
) -> list[Any]:
    db = default_connection()
    columns = [f.column for f in fields]
    if db.vendor == "postgresql" and len(rows) >= COPY_FROM:
        return _copy(table, fields, rows, returning)
    if db.vendor == "sqlite":
        return _sqlite_insert(table, columns, rows, returning)
    ids: list[Any] = []
    size = _batch_size(len(columns))
    with db.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            params = [value for row in chunk for value in row]
            cursor.execute(_insert_sql(table, columns, len(chunk), returning), params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


# SQLite keeps each distinct statement compiled (the driver's cache of 128): a 1,000-row
# statement's program is megabytes, and an import's tables and remainders filled the cache
# with them (~100 MB of the default import's peak). A hundred rows a statement already pay the
# statement journal once per hundred rows.
ROWS_PER_STATEMENT = 100


def _sqlite_insert(
    table: str, columns: Sequence[str], rows: list[list[Any]], returning: str | None
) -> list[Any]:
    """SQLite: multi-row ``INSERT … VALUES`` statements, ``ROWS_PER_STATEMENT`` rows each (issue 25).

    Every data table has a row trigger (core.dataversion), and a statement that fires triggers
    pays for a statement journal each time it runs: one prepared INSERT run once a row
    (``executemany``) spent 20 µs a row on that alone, three quarters of SQLite's share of an
    import. A statement of many rows pays it once; the triggers still fire once a row, so
    the data version moves exactly as before. The statements go to the driver in its own
    ``?`` style: Django's cursor would rewrite each long statement's ``%s`` by regex first.
    """
    db = default_connection()
    if not rows:
        return []
    head = _insert_sql(table, columns, 0, None)  # "INSERT INTO … VALUES ", for the query log
    size = max(1, min(ROWS_PER_STATEMENT, _sqlite_params(db) // max(1, len(columns))))
    ids: list[Any] = []
    statements: dict[int, str] = {}
    with db.cursor() as cursor:
        raw = cursor.cursor  # the driver's cursor: no "%s" rewrite, no Django query log
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            if len(chunk) not in statements:
                statements[len(chunk)] = _insert_sql(table, columns, len(chunk), returning, placeholder="?")
            sql = statements[len(chunk)]
            started = time.monotonic()
            with db.wrap_database_errors:  # an IntegrityError is Django's, as from its cursor
                # The rows' values in one list, flattened in C (a comprehension spent ~0.1 µs a value).
                sqlite3.Cursor.execute(raw, sql, list(chain.from_iterable(chunk)))
            if returning:
                ids.extend(r[0] for r in raw.fetchall())
            if db.queries_logged:  # as Django's cursor would log it
                db.queries_log.append(
                    {"sql": f"{head}… -- {len(chunk)} rows", "time": f"{time.monotonic() - started:.3f}"}
                )
    return ids


def _sqlite_params(db: Any) -> int:
    """How many parameters one SQLite statement may bind: the build's limit (32,766 since 3.32),
    not Django's 999 of old builds."""
    return db.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


def _copy(
    table: str, fields: Sequence[models.Field], rows: list[list[Any]], returning: str | None
) -> list[Any]:
    """PostgreSQL: ``COPY … FROM STDIN``, rows formatted by psycopg's C row writer (issue 25).

    Django's psycopg cursor binds parameters on the client: an ``unnest`` of arrays spent
    most of the import quoting every string of every array in Python. COPY sends rows as
    they are. COPY returns nothing, so new ids are drawn from the table's sequence first
    (one query for the batch) and copied with the rows, as ``RETURNING`` would give them.
    Rows go in PostgreSQL's binary format where every value has its column's exact Python
    type (``binary_types``), else as text.
    """
    db = default_connection()
    if (pipe := pipeline.active(db)) is not None:
        return _queue_copy(pipe, table, fields, rows, returning)
    with db.cursor() as cursor:
        ids, rows, columns, types = _prepared(cursor, table, fields, rows, returning)
        _send(cursor.cursor, db, _copy_sql(table, columns, types), types, rows)
    return ids


def _prepared(
    cursor: Any, table: str, fields: Sequence[models.Field], rows: list[list[Any]], returning: str | None
) -> tuple[list[Any], list[list[Any]], list[str], list[int] | None]:
    """A ``COPY``'s new ids (drawn when ``returning``), its rows with them, its columns and their
    binary types (``binary_types``), read by ``cursor``."""
    ids: list[Any] = []
    if returning is not None:
        ids = _draw_ids(cursor, table, returning, len(rows))
        rows = [[new_id, *row] for new_id, row in zip(ids, rows, strict=True)]
    columns = ([returning] if returning is not None else []) + [f.column for f in fields]
    return ids, rows, columns, binary_types(cursor, table, columns, rows)


def _queue_copy(
    pipe: pipeline.Pipeline,
    table: str,
    fields: Sequence[models.Field],
    rows: list[list[Any]],
    returning: str | None,
) -> list[Any]:
    """The same ``COPY``, handed to the write's writer thread (``core.services.pipeline``): ids and
    the catalog from its second connection, so nothing here waits for the statements queued."""
    db = default_connection()
    with pipe.ids_cursor() as cursor:
        ids, rows, columns, types = _prepared(cursor, table, fields, rows, returning)
    data = pipe.copy_data(types, rows)  # formatted here: the writer thread only sends it
    sql = _copy_sql(table, columns, types)
    pipe.submit(
        f"COPY {table} ({len(rows):,} rows)", lambda cursor: _send_data(cursor, db, sql, data, len(rows))
    )
    return ids


def _send_data(cursor: Any, db: Any, sql: str, data: bytes, count: int) -> None:
    """Send a ``COPY``'s data as formatted already (``Pipeline.copy_data``), by psycopg's ``cursor``."""
    started = time.monotonic()
    with cursor.copy(sql) as copy:
        copy.write(data)
    _logged(db, sql, count, started)


def _draw_ids(cursor: Any, table: str, column: str, count: int) -> list[Any]:
    """``count`` new ids of ``table.column`` from its sequence, in the order ``RETURNING`` gives them."""
    # The sequence named once per table: pg_get_serial_sequence in the select list is
    # evaluated for every id drawn, and made drawing them ten times slower (issue 25).
    cursor.execute(
        "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
        [_sequence(cursor, default_connection().ops.quote_name(table), column), count],
    )
    return sorted(r[0] for r in cursor.fetchall())


def _copy_sql(table: str, columns: Sequence[str], types: list[int] | None) -> str:
    qn = default_connection().ops.quote_name
    sql = f"COPY {qn(table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN"
    return sql if types is None else f"{sql} (FORMAT BINARY)"


def _send(cursor: Any, db: Any, sql: str, types: list[int] | None, rows: list[list[Any]]) -> None:
    """Send ``rows`` by ``sql`` on psycopg's ``cursor`` (logged as Django would, under DEBUG)."""
    started = time.monotonic()
    with cursor.copy(sql) as copy:
        if types is not None:
            copy.set_types(types)
        for row in rows:
            copy.write_row(row)
    _logged(db, sql, len(rows), started)


def _logged(db: Any, sql: str, count: int, started: float) -> None:
    if db.queries_logged:  # the raw cursor's COPY is not in Django's log otherwise
        elapsed = f"{time.monotonic() - started:.3f}"
        db.queries_log.append({"sql": f"{sql} -- {count} rows", "time": elapsed})


# The Python types a column of each PostgreSQL type (by oid) may take in a binary COPY, with
# their subclasses (a choices enum is a str) but the excluded ones: the binary dumpers take
# exactly these (a date column given a string, as text COPY would take it, is an error in
# binary; a bool would go in an integer column as 1, a datetime in a date column as its day,
# where text COPY refuses both). JSON comes as psycopg's wrapper, as Django's JSONField
# prepares it (its own encoder kept). None fits every column.
_INTEGER = ((int,), (bool,))
_BINARY: dict[int, tuple[tuple[type, ...], tuple[type, ...]]] = {
    16: ((bool,), ()),  # bool
    20: _INTEGER,  # int8
    21: _INTEGER,  # int2
    23: _INTEGER,  # int4
    25: ((str,), ()),  # text
    701: ((float,), ()),  # float8
    1043: ((str,), ()),  # varchar
    1082: ((datetime.date,), (datetime.datetime,)),  # date
    1184: ((datetime.datetime,), ()),  # timestamptz (aware values only: checked per value)
    2950: ((uuid.UUID,), ()),  # uuid
    3802: ((Jsonb,), ()),  # jsonb
}


def binary_types(cursor: Any, table: str, columns: Sequence[str], rows: list[list[Any]]) -> list[int] | None:
    """Each column's type oid when every value of ``rows`` can go in binary format, else None.

    Binary COPY spends about 40 % less of the client's CPU than text (no value is formatted as
    text and escaped; timestamps and ids are packed, not printed) and the server parses no text
    for them (issue 25). Which types each column holds is read from the rows themselves, in C
    (``map(type, …)``): a value of any other type (a date given as a string, a Decimal) sends the
    batch as text, as before, rather than fail.
    """
    oids = _column_types(cursor, table)
    types = [oids.get(c) for c in columns]
    for oid, values in zip(types, zip(*rows, strict=True), strict=True):
        if oid not in _BINARY:
            return None
        allowed, excluded = _BINARY[oid]  # type: ignore[index]
        kinds = set(map(type, values)) - {type(None)}
        if not all(issubclass(k, allowed) and not issubclass(k, excluded) for k in kinds):
            return None
        if oid == 1184 and any(v is not None and v.tzinfo is None for v in values):
            return None  # a naive datetime has no binary form as timestamptz
    return types  # type: ignore[return-value]


_COLUMN_TYPES: dict[tuple[str, str], dict[str, int]] = {}


def _column_types(cursor: Any, table: str) -> dict[str, int]:
    """``table``'s columns and their type oids (PostgreSQL), read once per database and table."""
    key = (default_connection().settings_dict["NAME"], table)
    if key not in _COLUMN_TYPES:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped",
            [default_connection().ops.quote_name(table)],
        )
        _COLUMN_TYPES[key] = dict(cursor.fetchall())
    return _COLUMN_TYPES[key]


_SEQUENCES: dict[tuple[str, str, str], str] = {}


def _sequence(cursor: Any, table: str, column: str) -> str:
    """The sequence that gives ``table.column`` its ids (PostgreSQL), looked up once per database."""
    key = (default_connection().settings_dict["NAME"], table, column)
    if key not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _SEQUENCES[key] = cursor.fetchone()[0]
    return _SEQUENCES[key]
