"""Records made from model instances a list read itself: an as-of timeline's events (issue 24).

A ``core.graphql.pagination.SelfPaged`` list (events.asof_connection) reads its own rows, from
history, and gives its page as model instances whose lists and related records already sit in
Django's caches (core.asof). The compiled path serves it by turning each instance into the plan's
Record (columns by attribute, to-one relations and lists from those caches), so the JSON is built
by the same getters as a live page from exactly what graphql-core would read on the same
instances, without graphql-core resolving each field. A relation the list did not fill is
Unsupported: reading it would cost a query per record, and could read today's rows where the list
meant the past; the executor answers such a query.
"""

from __future__ import annotations

from typing import Any

from core.graphql.compiled.plan import ObjectPlan, Record
from core.graphql.compiled.selection import Unsupported


def relations_of(plan: ObjectPlan) -> frozenset[str]:
    """The names of the relations the plan reads on its own instances (not on their records')."""
    return frozenset([join.lookup for join in plan.joins] + [many.cache_name for many in plan.lists])


def record_of(plan: ObjectPlan, instance: Any) -> Record:
    """``instance`` as the plan's Record, its joined Records and lists included."""
    if plan.connections:
        raise Unsupported(f"{plan.type_name}: a connection under a list's own records")
    record = Record({column: getattr(instance, column) for column in plan.columns})
    meta = plan.model._meta
    for join in plan.joins:
        field = meta.get_field(join.lookup)
        if field.is_cached(instance):
            target = field.get_cached_value(instance)
        elif field.concrete and getattr(instance, field.attname) is None:
            target = None  # a key that is not set: Django reads nothing either
        else:
            raise Unsupported(f"{plan.type_name}.{join.lookup}: not read with the list")
        record[join.slot] = None if target is None else record_of(join.child, target)
    cache = getattr(instance, "_prefetched_objects_cache", {})
    for many in plan.lists:
        if many.cache_name not in cache:
            raise Unsupported(f"{plan.type_name}.{many.cache_name}: not read with the list")
        record[many.slot] = [record_of(many.child, item) for item in cache[many.cache_name]]
    return record
