"""Run an :class:`~core.graphql.compiled.plan.ObjectPlan`'s statements: one ``values()`` statement
for its rows (to-one relations joined in), then one per to-many relation by the parents' ids,
level by level, so the statement count never grows with the number of rows (no N+1).

To-many rows come in the related model's default order (its ``Meta.ordering``), as the
optimizer's prefetches read them, and are grouped by parent keeping that order.

Statements are compiled by Django (the SQL and converters of the ``values()`` queryset) and run
on the cursor, each row cut into the plan's Records by position. A to-many statement depends
only on the plan, the parent ids being one parameter (:class:`InIds`), so it is compiled once
per plan and database and reused with the request's ids: building and compiling the queryset
was most of the compiled path's own cost on a timeline page (docs/performance.md). On
PostgreSQL the to-many statements of one level are sent in one ``execute`` (a result set
each): on a loaded machine every round trip is a wait for the scheduler, twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import NotSupportedError, connections, models, router
from django.db.models import F

from core.graphql.compiled.plan import ObjectPlan, Planner, Record, ToMany
from core.lookups import VENDORS, InOneParameter, one_parameter

Row = Sequence[Any]


@dataclass(frozen=True)
class Compiled:
    """A values() statement as Django compiles it: SQL, parameters, column names, converters."""

    sql: str
    params: tuple[Any, ...]
    names: tuple[str, ...]
    converters: tuple[tuple[int, tuple[Any, ...], Any], ...]
    width: int | None  # the columns to keep, where the compiler selected extra ones to order by
    slots: tuple[int, ...] = ()  # where a to-many statement's parent ids go in ``params``


def compile_values(queryset: models.QuerySet) -> Compiled | None:
    """Compile a values() queryset as its own iterable would; None when it can match nothing."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    if not sql:
        return None
    if query.selected:
        names = tuple(query.selected)
    else:
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
    fields = [s[0] for s in compiler.select[: compiler.col_count]]
    converters = compiler.get_converters(fields)
    return Compiled(
        sql=sql,
        params=tuple(params),
        names=names,
        converters=tuple((pos, tuple(convs), expr) for pos, (convs, expr) in converters.items()),
        width=compiler.col_count if compiler.has_extra_select else None,
    )


def fetch(compiled: Compiled, alias: str, params: Sequence[Any]) -> list[Row]:
    """The statement's rows, converted as Django's results_iter converts them."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        found: list[Any] = cursor.fetchall()
    return _converted(compiled, found, connection)


def fetch_together(statements: Sequence[tuple[Compiled, Sequence[Any]]], alias: str) -> list[list[Row]]:
    """Several statements' rows in one round trip (PostgreSQL: one ``execute``, a result set each)."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(
            ";\n".join(compiled.sql for compiled, _ in statements),
            [param for _, params in statements for param in params],
        )
        results = [cursor.fetchall()]
        while cursor.nextset():
            results.append(cursor.fetchall())
    return [
        _converted(compiled, found, connection)
        for (compiled, _), found in zip(statements, results, strict=True)
    ]


def _converted(compiled: Compiled, found: list[Any], connection: Any) -> list[Row]:
    if compiled.width is not None:
        found = [row[: compiled.width] for row in found]
    if compiled.converters:
        converted = []
        for row in found:
            row = list(row)
            for pos, convs, expression in compiled.converters:
                value = row[pos]
                for converter in convs:
                    value = converter(value, expression, connection)
                row[pos] = value
            converted.append(row)
        found = converted
    return found


def _paths(plan: ObjectPlan) -> list[str]:
    paths = plan.reading.get("paths")
    if paths is None:
        paths = plan.reading["paths"] = _all_paths(plan)
    return paths


def _all_paths(plan: ObjectPlan, prefix: str = "") -> list[str]:
    paths = [prefix + column for column in plan.columns]
    for join in plan.joins:
        paths += _all_paths(join.child, f"{prefix}{join.lookup}__")
    return paths


def _reader(plan: ObjectPlan, names: tuple[str, ...]) -> Callable[[Row], Record]:
    """Cut one row of a statement with these columns into the plan's Record (joined Records
    in their slots, other columns kept by name); made once per plan and column list."""
    key = ("reader", names)
    reader = plan.reading.get(key)
    if reader is None:
        index = {name: i for i, name in enumerate(names)}
        split = _splitter(plan, index)
        own = set(_paths(plan))
        kept = [(name, i) for i, name in enumerate(names) if name not in own]
        if kept:

            def reader(row: Row) -> Record:
                record = split(row)
                for name, i in kept:
                    record[name] = row[i]
                return record

        else:
            reader = split
        plan.reading[key] = reader
    return reader


def _splitter(plan: ObjectPlan, index: dict[str, int], prefix: str = "") -> Callable[[Row], Record]:
    pairs = [(column, index[prefix + column]) for column in plan.columns]
    joins = [
        (
            join.slot,
            index[f"{prefix}{join.lookup}__{join.child.pk}"],
            _splitter(join.child, index, f"{prefix}{join.lookup}__"),
        )
        for join in plan.joins
    ]
    if not joins:
        return lambda row: Record({column: row[i] for column, i in pairs})

    def split(row: Row) -> Record:
        record = Record({column: row[i] for column, i in pairs})
        for slot, pk_at, child in joins:
            record[slot] = None if row[pk_at] is None else child(row)
        return record

    return split


def rows(
    plan: ObjectPlan,
    queryset: models.QuerySet,
    *,
    extra: Sequence[str] = (),
    expressions: dict[str, Any] | None = None,
) -> list[Record]:
    """The plan's Records for ``queryset`` (joins included, to-many lists not yet loaded).

    ``extra`` columns (a connection's ordering values) and ``expressions`` are kept on the
    Records beside the plan's own columns.
    """
    paths = _paths(plan)
    wanted = [p for p in extra if p not in paths]
    queryset = queryset.values(*paths, *wanted, **(expressions or {}))
    compiled = compile_values(queryset)
    if compiled is None:
        return []
    read = _reader(plan, compiled.names)
    return [read(row) for row in fetch(compiled, queryset.db, compiled.params)]


class InIds(InOneParameter):
    """``lhs IN (the ids)`` with the ids as one parameter (``core.lookups``), bound when the
    statement runs: the statement is compiled once with a stand-in (``_Ids``) in their place,
    and psycopg's parse cache (statements of at most 50 parameters) keeps hitting.
    """

    lookup_name = "compiled_in_ids"
    VENDORS = VENDORS

    def parameter(self, vendor: str) -> Any:
        return self.rhs  # the stand-in: children() puts the ids in its slot

    def values_elsewhere(self, vendor: str) -> list[Any]:
        raise NotSupportedError(f"no one-parameter IN on {vendor}")


class _Ids:
    """The stand-in for the ids while a to-many statement is compiled (found again by identity)."""


def children(lists: Sequence[ToMany], ids: list[Any]) -> list[list[Record]]:
    """Each to-many list's rows for these parent ids, by its statement compiled once per
    database; on PostgreSQL the lists of one level go in one round trip."""
    found: list[list[Record] | None] = [None] * len(lists)
    pending: dict[str, list[tuple[int, Compiled, list[Any]]]] = {}
    for position, many in enumerate(lists):
        alias = router.db_for_read(many.child.model)
        vendor = connections[alias].vendor
        if vendor not in InIds.VENDORS:
            queryset = many.rows_of.filter(**{f"{many.parent_path}__in": ids})
            found[position] = rows(many.child, queryset, expressions=many.expressions)
            continue
        compiled = many.statements.get(alias)
        if compiled is None:
            compiled = many.statements[alias] = _compile_children(many, alias)
        if compiled is None:  # the list can hold nothing
            found[position] = []
            continue
        params = list(compiled.params)
        params[compiled.slots[0]] = one_parameter(ids, vendor)
        pending.setdefault(alias, []).append((position, compiled, params))
    for alias, statements in pending.items():
        if len(statements) > 1 and connections[alias].vendor == "postgresql":
            results = fetch_together([(compiled, params) for _, compiled, params in statements], alias)
        else:
            results = [fetch(compiled, alias, params) for _, compiled, params in statements]
        for (position, compiled, _), result in zip(statements, results, strict=True):
            read = _reader(lists[position].child, compiled.names)
            found[position] = [read(row) for row in result]
    return found  # type: ignore[return-value]


def _compile_children(many: ToMany, alias: str) -> Compiled | None:
    """The list's statement for any number of parent ids, and where the ids go in its parameters."""
    mark = _Ids()
    queryset = (
        many.rows_of.using(alias)
        .filter(InIds(F(many.parent_path), mark))
        .values(*_paths(many.child), **many.expressions)
    )
    compiled = compile_values(queryset)
    if compiled is None:
        return None
    (slot,) = (i for i, param in enumerate(compiled.params) if param is mark)
    return Compiled(
        compiled.sql, compiled.params, compiled.names, compiled.converters, compiled.width, (slot,)
    )


def load(plan: ObjectPlan, records: Iterable[Record], run: Planner) -> None:
    """Fill in the to-many lists (and nested connections) of ``records`` and of their joined rows;
    ``run`` carries this request's variables."""
    records = list(records)
    if not records:
        return
    if plan.lists:
        ids = list(dict.fromkeys(record[plan.pk] for record in records))
        for many, found in zip(plan.lists, children(plan.lists, ids), strict=True):
            grouped: dict[Any, list[Record]] = {}
            for child in found:
                grouped.setdefault(child[many.parent_key], []).append(child)
            for record in records:
                record[many.slot] = grouped.get(record[plan.pk], [])
            load(many.child, found, run)
    for join in plan.joins:
        load(join.child, [record[join.slot] for record in records if record[join.slot] is not None], run)
    for nested in plan.connections:
        for record in records:
            nested.load(record, run)
