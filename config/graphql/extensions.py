"""The schema's extensions, in the order they run: parse and validation guards and caches,
the optimizer, the response cache, the compiled read path and error codes."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)
from strawberry_django.optimizer import DjangoOptimizerExtension

from config.graphql.errors import ErrorCodes
from config.graphql.rules import VALIDATION_RULES
from config.replicas import WritesReadPrimary, replica_aliases
from core.graphql.compiled.extension import CompiledReads
from core.responsecache import ResponseCache

MAX_TOKENS = 2000
# Distinct documents kept parsed and validated, per worker process.
DOCUMENT_CACHE_SIZE = 256


class QueryOptimizer(DjangoOptimizerExtension):
    """strawberry-django's optimizer without its per-field ``resolve`` hook.

    Every field here is a strawberry-django field, whose ``get_queryset`` already optimizes
    the querysets it returns (through the optimizer this extension's ``on_execute`` sets);
    the inherited hook would only wrap each of the ~1,600 fields of a 50-event page in one
    more call that finds nothing to do.
    """

    resolve = SchemaExtension.resolve  # type: ignore[assignment]


def schema_extensions() -> list[Callable[[], SchemaExtension]]:
    """Return extension factories: strawberry builds fresh instances for every request."""
    extensions: list[Callable[[], SchemaExtension]] = [
        # Before the parser cache: the token cap is a parse option, part of the cache key.
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: ParserCache(maxsize=DOCUMENT_CACHE_SIZE),
        lambda: AddValidationRules(VALIDATION_RULES),
        _introspection_guard,
        # Keyed on the document and the rules every extension added in on_operation.
        lambda: ValidationCache(maxsize=DOCUMENT_CACHE_SIZE),
        QueryOptimizer,
        # Before the compiled read path: a cached answer skips it too.
        ResponseCache,
        # Queries it can plan answered from value rows (core/graphql/compiled/).
        CompiledReads,
        ErrorCodes,
    ]
    if replica_aliases():
        # A mutation reads from the primary database (config/replicas.py); before the response
        # cache reads the data version. Without replicas there is nothing to route.
        extensions.insert(extensions.index(ResponseCache), WritesReadPrimary)
    return extensions


def _introspection_guard() -> SchemaExtension:
    """Refuse introspection when ``settings.GRAPHQL_INTROSPECTION`` is off, read per request."""
    return SchemaExtension() if settings.GRAPHQL_INTROSPECTION else DisableIntrospection()
