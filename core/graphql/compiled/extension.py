"""The schema extension that answers a query by its compiled plan, and the plan cache."""

from __future__ import annotations

import contextvars
import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, ExecutionResult
from strawberry.extensions import SchemaExtension

from core.graphql.compiled.connection import Nested
from core.graphql.compiled.plan import Planner
from core.graphql.compiled.root import Answer, root_answers
from core.graphql.compiled.selection import (
    Collector,
    Unsupported,
    condition_variables,
    fragments_of,
    operation_of,
    variables_of,
)

logger = logging.getLogger(__name__)

HEADER = "X-Chancery-Read-Path"
# Distinct (document, operation, @skip/@include values) plans kept per worker process.
PLAN_CACHE_SIZE = 256
# Which path answered, by reason: "compiled", "executor; reason=...". The bench reports it.
READ_PATHS: Counter[str] = Counter()


class PlanCache:
    """A small LRU of compiled plans (or of the reason a document cannot be compiled)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Any, list[tuple[str, Answer]] | str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> list[tuple[str, Answer]] | str | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Any, value: list[tuple[str, Answer]] | str) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


PLANS = PlanCache(PLAN_CACHE_SIZE)
_CONDITIONS: dict[str, tuple[str, ...]] = {}
# Documents (text, operation name given) that passed parsing, the limits and validation and were
# answered by the compiled path, with their parsed form and the operation's name as strawberry
# takes it (the document's own when none is given): the view answers them again without
# strawberry's request set-up (config.view), as every check they passed depends on the text
# alone (the cost rule counts a variable page size as the largest page).
VALIDATED: OrderedDict[tuple[str, str | None], tuple[DocumentNode, str | None]] = OrderedDict()
_VALIDATED_LOCK = threading.Lock()  # gunicorn's threads share it


def answer(
    strawberry_schema: Any,
    document: DocumentNode,
    text: str,
    variables: dict[str, Any] | None,
    operation_name: str | None,
) -> dict[str, Any]:
    """The ``data`` of a query the compiled path serves; Unsupported (with why) for any other."""
    schema = strawberry_schema._schema
    operation = operation_of(document, operation_name)
    collector = Collector(schema, fragments_of(document), variables_of(schema, operation, variables))
    conditions = _CONDITIONS.get(text)
    if conditions is None:
        conditions = _CONDITIONS[text] = condition_variables(document)
        if len(_CONDITIONS) > PLAN_CACHE_SIZE:
            _CONDITIONS.clear()
    key = (text, operation_name, tuple(repr(collector.variables.coerced.get(n)) for n in conditions))
    plan = PLANS.get(key)
    if plan is None:
        planner = Planner(schema, collector, strawberry_schema, Nested.plan)
        try:
            grouped = collector.fields("Query", [operation.selection_set])
            plan = root_answers(planner, grouped, strawberry_schema.query)
        except Unsupported as why:
            plan = str(why)
        PLANS.put(key, plan)
    if isinstance(plan, str):
        raise Unsupported(plan)
    run = Planner(schema, collector, strawberry_schema, Nested.plan)
    return {key: respond(run) for key, respond in plan}


def _validated(context: Any) -> None:
    # The name the client gave (strawberry's operation_name falls back to the document's own).
    given = getattr(context, "_provided_operation_name", context.operation_name)
    with _VALIDATED_LOCK:
        VALIDATED[context.query or "", given] = (context.graphql_document, context.operation_name)
        while len(VALIDATED) > PLAN_CACHE_SIZE:
            VALIDATED.popitem(last=False)


def validated(text: str, operation_name: str | None) -> tuple[DocumentNode, str | None] | None:
    """The parsed document and operation name of a query the compiled path answered before."""
    return VALIDATED.get((text, operation_name))


def count(path: str) -> None:
    READ_PATHS[path] += 1


def _header_text(reason: str) -> str:
    # Reasons name fields and types only, but a header must stay one printable line.
    return re.sub(r"[^ -~]", "?", reason)[:200]


class CompiledReads(SchemaExtension):
    """Answer a query by its compiled plan before graphql-core executes it; else leave it be."""

    enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("compiled_reads_enabled", default=True)

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        path = None
        if context.result is not None:
            path = "cache"  # the response cache answered
        elif not self.enabled.get():
            path = "executor; reason=compiled path off"
        elif context.graphql_document is not None:
            try:
                data = answer(
                    context.schema,
                    context.graphql_document,
                    context.query or "",
                    context.variables,
                    context.operation_name,
                )
            except Unsupported as why:
                path = f"executor; reason={_header_text(str(why))}"
            except Exception:
                # A bug here must not cost the client its answer: the executor gives it (or the
                # error it deserves), and the log keeps the trace.
                logger.exception("compiled read path failed; answered by the normal executor")
                path = "executor; reason=error"
            else:
                # Set before execution: strawberry then skips graphql-core for this operation.
                context.result = ExecutionResult(data=data, errors=None)
                path = "compiled"
                _validated(context)
        if path is not None:
            count(path)
            response = getattr(context.context, "response", None)
            if response is not None:
                response[HEADER] = path
        yield
