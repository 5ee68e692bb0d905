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


class ResponseCache(SchemaExtension):
    enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("response_cache_enabled", default=True)

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        key = None
        if self._applies():
            try:
                # From the database this request reads its data from (a replica, when there
                # are: config/replicas.py), so a replica that is behind files under its own version.
                version = dataversion.current(using=router.db_for_read(DataVersion))
            except Exception:
                # Only an optimisation: without a readable version the query runs uncached (and
                # reports a database that is really down itself). Outside atomic() (see
                # _applies), a failed read leaves no broken transaction behind.
                version = None
            if version is not None:
                text = json.dumps(
                    [context.query, context.variables, context.operation_name], sort_keys=True, default=str
                )
                key = f"{version}:{hashlib.sha256(text.encode()).hexdigest()}"
                if (data := caches[CACHE].get(key)) is not None:
                    # Set before execution: strawberry then runs nothing else for this operation.
                    context.result = ExecutionResult(data=data, errors=None)
                    key = None
        yield
        result = context.result
        if key is not None and result is not None and not result.errors and result.data is not None:
            caches[CACHE].set(key, result.data)

    def _applies(self) -> bool:
        context = self.execution_context
        if not (settings.GRAPHQL_RESPONSE_CACHE and self.enabled.get()) or context.result is not None:
            return False
        if context.graphql_document is None or _in_transaction():
            return False
        try:
            if context.operation_type != OperationType.QUERY:
                return False
        except RuntimeError:  # no such operation: the executor reports it
            return False
        request = getattr(context.context, "request", None)
        user = getattr(request, "user", None)
        return not (user is not None and user.is_authenticated)
