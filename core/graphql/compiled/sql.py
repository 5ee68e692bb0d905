"""Run an :class:`~core.graphql.compiled.plan.ObjectPlan`'s statements: one ``values()`` statement
for its rows (to-one relations joined in), then one per to-many relation by the parents' ids,
level by level, so the statement count never grows with the number of rows (no N+1).

To-many rows come in the related model's default order (its ``Meta.ordering``), as the
optimizer's prefetches read them, and are grouped by parent keeping that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models

from core.graphql.compiled.plan import ObjectPlan, Planner, Record


def _paths(plan: ObjectPlan, prefix: str = "") -> list[str]:
    paths = [prefix + column for column in plan.columns]
    for join in plan.joins:
        paths += _paths(join.child, f"{prefix}{join.lookup}__")
    return paths


def _splitter(plan: ObjectPlan, prefix: str = "") -> Any:
    """A function cutting one flat values() row into the plan's Record and its joined Records."""
    pairs = [(column, prefix + column) for column in plan.columns]
    joins = [
        (
            join.slot,
            f"{prefix}{join.lookup}__{join.child.pk}",
            _splitter(join.child, f"{prefix}{join.lookup}__"),
        )
        for join in plan.joins
    ]

    def split(row: dict[str, Any]) -> Record:
        record = Record({column: row[path] for column, path in pairs})
        for slot, pk_path, child in joins:
            record[slot] = None if row[pk_path] is None else child(row)
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
    split = _splitter(plan)
    kept = [*wanted, *(expressions or {})]
    out = []
    for row in queryset.values(*paths, *wanted, **(expressions or {})):
        record = split(row)
        for name in kept:
            record[name] = row[name]
        out.append(record)
    return out


def load(plan: ObjectPlan, records: Iterable[Record], run: Planner) -> None:
    """Fill in the to-many lists (and nested connections) of ``records`` and of their joined rows;
    ``run`` carries this request's variables."""
    records = list(records)
    if not records:
        return
    for many in plan.lists:
        ids = list(dict.fromkeys(record[plan.pk] for record in records))
        grouped: dict[Any, list[Record]] = {}
        children = rows(many.child, many.queryset(ids), expressions=many.expressions)
        for child in children:
            grouped.setdefault(child[many.parent_key], []).append(child)
        for record in records:
            record[many.slot] = grouped.get(record[plan.pk], [])
        load(many.child, children, run)
    for join in plan.joins:
        load(join.child, [record[join.slot] for record in records if record[join.slot] is not None], run)
    for nested in plan.connections:
        for record in records:
            nested.load(record, run)
