"""A cache of GraphQL query answers, keyed by the query, its variables and the data version.

An anonymous reader's query that succeeded is kept (per worker process, in the ``graphql``
cache); the same query with the same variables is answered from it until any write moves the
data version (core/dataversion.py: database triggers, so every write path counts). The version
is read before the data, so an answer can only ever be filed under a version no newer than
the data it was computed from.

Not cached: mutations; signed-in users (editors want what they just wrote, and their
permissions may one day show more); answers with errors; anything run inside a transaction
(``atomic``), whose writes may still roll back and take their version number with them.
``GRAPHQL_RESPONSE_CACHE=0`` switches it off.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from collections.abc import Iterator

from django.conf import settings
from django.core.cache import caches
from django.db import connection, router
from graphql import ExecutionResult
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from core import dataversion
from core.models import DataVersion

CACHE = "graphql"


def _in_transaction() -> bool:
    return connection.in_atomic_block


def applies() -> bool:
    """Whether answers may be kept and served now (the switch, and not inside ``atomic``)."""
    return bool(settings.GRAPHQL_RESPONSE_CACHE and ResponseCache.enabled.get()) and not _in_transaction()


def key_of(query: str | None, variables: dict | None, operation_name: str | None) -> str | None:
    """The cache key of an anonymous query under the data version now; None without a version.

    The version is read from the database this request reads its data from (a replica, when
    there are: config/replicas.py), so a replica that is behind files under its own version.
    """
    try:
        version = dataversion.current(using=router.db_for_read(DataVersion))
    except Exception:
        # Only an optimisation: without a readable version the query runs uncached (and reports
        # a database that is really down itself). Outside atomic() (see applies), a failed read
        # leaves no broken transaction behind.
        return None
    if version is None:
        return None
    text = json.dumps([query, variables, operation_name], sort_keys=True, default=str)
    return f"{version}:{hashlib.sha256(text.encode()).hexdigest()}"


def lookup(key: str) -> dict | None:
    return caches[CACHE].get(key)


def store(key: str, data: dict) -> None:
    caches[CACHE].set(key, data)


class ResponseCache(SchemaExtension):
    enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("response_cache_enabled", default=True)

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        key = None
        if self._applies():
            key = key_of(context.query, context.variables, context.operation_name)
            if key is not None and (data := lookup(key)) is not None:
                # Set before execution: strawberry then runs nothing else for this operation.
                context.result = ExecutionResult(data=data, errors=None)
                key = None
        yield
        result = context.result
        if key is not None and result is not None and not result.errors and result.data is not None:
            store(key, result.data)

    def _applies(self) -> bool:
        context = self.execution_context
        if not applies() or context.result is not None or context.graphql_document is None:
            return False
        try:
            if context.operation_type != OperationType.QUERY:
                return False
        except RuntimeError:  # no such operation: the executor reports it
            return False
        request = getattr(context.context, "request", None)
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)
