"""Building blocks for the sections: raw SQL, case constructors, keyset filters, timeline rows.

Plans come from ``EXPLAIN (ANALYZE, BUFFERS)`` (see :mod:`bench.explain`).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from strawberry_django.relay.cursor_connection import annotate_ordering_fields, build_tuple_compare

from bench.explain import Plan, explain_queryset, explain_sql
from bench.measure.timing import Case
from core import cursors
from events import selectors

PAGE = 50
COLUMNS = "id, slug, kind, title, date, date_earliest, date_latest, status"


def fetch(sql: str, params: Any = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def sql_case(name: str, sql: str, params: Any = None, note: str = "") -> Case:
    return Case(name, lambda: len(fetch(sql, params)), lambda: explain_sql(sql, params), note)


def page_case(name: str, queryset: QuerySet, note: str = "", size: int = PAGE + 1) -> Case:
    """A connection's page: ``first`` rows plus one to learn whether there is a next page."""
    # A fresh clone on every run: an evaluated QuerySet would answer from its result cache.
    return Case(
        name, lambda: len(list(queryset.all()[:size])), lambda: explain_queryset(queryset[:size]), note
    )


def count_case(name: str, queryset: QuerySet, note: str = "") -> Case:
    def explain() -> Plan:
        sql, params = queryset.query.get_compiler(queryset.db).compile(queryset.query)
        return explain_sql(f"SELECT COUNT(*) FROM ({sql}) AS counted", params)

    return Case(name, queryset.count, explain, note)


def library_keyset(queryset: QuerySet, cursor_row: tuple[Any, ...]) -> QuerySet:
    """Apply strawberry-django's own ``after`` cursor filter (DjangoCursorConnection) to a queryset."""
    annotated, descriptors, _ = annotate_ordering_fields(queryset)
    return annotated.filter(build_tuple_compare(descriptors, list(cursor_row), False))


def bounded_keyset(queryset: QuerySet, cursor_row: tuple[Any, ...]) -> QuerySet:
    """Return the library's cursor filter plus the bound it implies on the leading column.

    Every row after a cursor has ``date_earliest >= that day`` (bounds are never NULL; open
    ends are stored as extreme days): an index range condition, where the OR chain alone is
    only a filter on a walk from the start of the index.
    """
    keyset = library_keyset(queryset, cursor_row)
    return keyset.filter(date_earliest__gte=cursor_row[0]) if cursor_row[0] is not None else keyset


def graphql_cursor(cursor_row: tuple[Any, ...]) -> str:
    """Encode the API's compact cursor (core.cursors) for the row (earliest, latest, title, id)."""
    values = [None if v is None else str(v) for v in cursor_row]
    return cursors.encode_marked(values, (False, False, True, False))


def timeline_order_sql() -> str:
    """Return the ORDER BY clause of ``event_timeline()``: raw SQL cases follow the API's order."""
    sql, _ = selectors.event_timeline().query.sql_with_params()
    return sql[sql.rindex("ORDER BY") :].replace('"events_event".', "")


def row_at(position: int) -> tuple[Any, ...]:
    """Return the ordering values (earliest, latest, title, id) of the timeline row at ``position``."""
    keys = selectors.event_timeline().values_list("date_earliest", "date_latest", "title", "pk")
    return tuple(keys[position : position + 1][0])


def ids(sql: str, params: Any = None) -> list[int]:
    return [row[0] for row in fetch(sql, params)]
