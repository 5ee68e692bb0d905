"""A query's root fields planned and answered: keyset connections (timeline, events' lists,
treaties, people, visits, countries, regions...) and single records by key (event, treaty,
person, visit by slug; country, region...).

Each root field's own resolver is called with its arguments coerced by graphql-core and
converted by strawberry (the executor's two steps), so filters, selectors and lookups by slug
are the API's own; only the reading of the rows and the JSON differ. A single record ``asOf``
(history) is left to the executor (``connection.converted``, which every field's arguments
pass); a timeline ``asOf`` pages itself (``connection.ConnectionPlan``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import FieldNode

from core.graphql.compiled import sql
from core.graphql.compiled import types as t
from core.graphql.compiled.connection import (
    ConnectionPlan,
    Page,
    call_resolver,
    connection_arguments,
    converted,
)
from core.graphql.compiled.plan import ObjectPlan, Planner
from core.graphql.compiled.selection import Unsupported

Answer = Callable[[Planner], Any]


def _connection(planner: Planner, declared: Any, nodes: list[FieldNode]) -> Answer:
    connection = ConnectionPlan.plan(planner, "Query", declared, nodes)

    def answer(run: Planner) -> Any:
        arguments, paging = connection_arguments(run, connection)
        queryset = call_resolver(declared, arguments, None)
        page: Page = connection.page(paging, queryset, t.page_cap(declared, run.max_results), run)
        return connection.build(page)

    return answer


def _record(planner: Planner, declared: Any, nodes: list[FieldNode]) -> Answer:
    shape = t.shape_of(declared.type)
    cls = shape.inner
    if shape.is_list or t.model_of(cls) is None:
        raise Unsupported(f"Query.{nodes[0].name.value}: not a record")
    grouped = planner.collector.subfields(t.graphql_name(cls), nodes)
    plan: ObjectPlan = planner.object_plan(cls, grouped, single=True)
    node = nodes[0]

    def answer(run: Planner) -> Any:
        arguments = converted(run, "Query", declared, node)
        found = call_resolver(declared, arguments, None)
        if hasattr(found, "first") and not hasattr(found, "pk"):  # a queryset: as strawberry-django takes it
            found = found.first()
        if found is None:
            if not shape.nullable:
                raise Unsupported("null for a non-null field")
            return None
        records = sql.rows(plan, plan.model._default_manager.filter(pk=found.pk))
        if len(records) != 1:
            raise Unsupported("the record the resolver gave is not readable again")
        sql.load(plan, records, run)
        return plan.build(records[0])

    return answer


def root_answers(
    planner: Planner, grouped: dict[str, list[FieldNode]], query_type: Any
) -> list[tuple[str, Answer]]:
    """Plan every root field of the operation; Unsupported for any the compiled path does not serve."""
    fields = t.fields_by_name(query_type)
    answers: list[tuple[str, Answer]] = []
    for key, nodes in grouped.items():
        name = nodes[0].name.value
        if name == "__typename":
            answers.append((key, lambda _run: "Query"))
            continue
        if name.startswith("__"):
            raise Unsupported("introspection")
        declared = fields[name]
        if getattr(declared, "django_name", None) is None and not hasattr(declared, "store"):
            raise Unsupported(f"Query.{name}: not a Django field")
        extensions = [
            e for e in declared.extensions if type(e).__name__ != "StrawberryDjangoConnectionExtension"
        ]
        if extensions:
            raise Unsupported(f"Query.{name}: field extensions")
        if t.is_connection(t.shape_of(declared.type).inner):
            answers.append((key, _connection(planner, declared, nodes)))
        else:
            answers.append((key, _record(planner, declared, nodes)))
    return answers
