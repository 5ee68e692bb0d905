"""Reads on PostgreSQL streaming replicas, writes on the primary (docs/deploy.md, "Scaling out").

``DATABASE_REPLICA_URLS`` (comma-separated) adds one database alias per replica
(``replica_1``, ...). Then:

- Writes, and every read inside a transaction on the primary (a service reading what it is
  about to change, under its lock), go to the primary (``default``).
- Reads of a request go to ONE replica chosen when the request starts, so the data version
  (core/responsecache.py reads it before the data) and the data come from the same server: a
  replica that is behind files its answers under its own older version, never a newer one.
- Requests that write (any unsafe method but GraphQL's POST, and GraphQL mutations) read from
  the primary throughout.
- Read-your-writes: after such a request the client gets a signed cookie holding the primary's
  WAL position (LSN) and an expiry (``REPLICA_PIN_SECONDS``). Until it expires, its requests
  read from the replica only once that replica has replayed past the LSN, else from the
  primary: the editor who just saved sees the save; anonymous readers never pay for it.
- A replica that cannot be reached is left out for ``REPLICA_RETRY_SECONDS`` and the request
  reads from the primary; both are logged (logger ``chancery.replicas``).

Without replicas none of this is installed (config/settings.py): one database, as before.
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

logger = logging.getLogger("chancery.replicas")

PRIMARY = "default"
PIN_COOKIE = "chancery_read_primary"
PIN_SALT = "chancery.replicas.pin"
READ_FROM_HEADER = "X-Chancery-Read-From"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class Route:
    """Where the current request reads: chosen at its first read, kept for the whole request."""

    reading: str | None = None
    writes: bool = False  # it writes: it reads from the primary and pins its client afterwards
    must_see: str | None = None  # the primary's WAL position this client must see (its cookie)


# Mutable and set once per request, so a change made deeper down (a GraphQL extension) is seen
# by the middleware whatever contexts the view runs in. Outside a request (commands, shells)
# every read is chosen afresh.
_route: contextvars.ContextVar[Route | None] = contextvars.ContextVar("replica_route", default=None)
# Replicas found unreachable: alias -> monotonic time until which they are left out.
_down: dict[str, float] = {}
_turn = itertools.count()


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica_")]


# What a replica's URL sets; everything else (engine, options, timeouts) is the primary's.
_SERVER_KEYS = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


def replica_databases(
    default: dict[str, Any], urls: str, parse: Callable[[str], dict[str, Any]]
) -> dict[str, Any]:
    """The database settings of each replica in ``urls``: the primary's options, its own server."""
    databases: dict[str, Any] = {}
    for number, url in enumerate(filter(None, (part.strip() for part in urls.split(","))), start=1):
        replica = {**default, **{key: value for key, value in parse(url).items() if key in _SERVER_KEYS}}
        # The test runner must not create (or flush) a database on a read-only standby.
        replica["TEST"] = {"MIRROR": PRIMARY}
        databases[f"replica_{number}"] = replica
    return databases


def read_from_primary() -> None:
    """This request writes: it reads from the primary from now on."""
    if (route := _route.get()) is not None:
        route.reading, route.writes = PRIMARY, True


def _choose(must_see: str | None) -> str:
    aliases = [alias for alias in replica_aliases() if _down.get(alias, 0.0) <= time.monotonic()]
    if not aliases:
        return PRIMARY
    first = next(_turn) % len(aliases)
    for alias in aliases[first:] + aliases[:first]:
        try:
            # A persistent connection to a replica that died since: Django's health check
            # (CONN_HEALTH_CHECKS, once a request) drops it, and connecting again fails here.
            connections[alias].close_if_health_check_failed()
            connections[alias].ensure_connection()
            if must_see is not None and not _has_replayed(alias, must_see):
                return PRIMARY
            return alias
        except DatabaseError as error:
            _down[alias] = time.monotonic() + settings.REPLICA_RETRY_SECONDS
            logger.warning("replica %s unreachable, reading from the primary: %s", alias, error)
            connections[alias].close()
    return PRIMARY


def _has_replayed(alias: str, lsn: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
        return bool(cursor.fetchone()[0])


class PrimaryReplicaRouter:
    """Django's database router for the rules above."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        route = _route.get()
        if route is None:
            return _choose(None)
        if route.reading is None:
            route.reading = _choose(route.must_see)
        return route.reading

    def db_for_write(self, model: type, **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Replicas are copies of the primary: a row read on one relates to rows on any.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReplicaRoutingMiddleware:
    """Chooses where each request reads and pins a writer's next reads (read-your-writes)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = Route(must_see=self._pinned_lsn(request))
        token = _route.set(route)
        try:
            # GraphQL reads come as POST too: its mutations pin themselves (WritesReadPrimary).
            if request.method not in SAFE_METHODS and request.path != "/graphql/":
                read_from_primary()
            response = self.get_response(request)
            if route.writes:
                self._pin(response)
            # Which server answered (operators and the routing tests read it); "none" when the
            # answer needed no read (a cached page, a static file).
            response[READ_FROM_HEADER] = route.reading or "none"
            return response
        finally:
            _route.reset(token)

    @staticmethod
    def _pinned_lsn(request: HttpRequest) -> str | None:
        value = request.COOKIES.get(PIN_COOKIE)
        if not value:
            return None
        try:
            return str(signing.loads(value, salt=PIN_SALT, max_age=settings.REPLICA_PIN_SECONDS))
        except signing.BadSignature:  # expired or forged: no pin
            return None

    @staticmethod
    def _pin(response: HttpResponse) -> None:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            lsn = cursor.fetchone()[0]
        response.set_cookie(
            PIN_COOKIE,
            signing.dumps(lsn, salt=PIN_SALT),
            max_age=settings.REPLICA_PIN_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=not settings.DEBUG,
        )


class WritesReadPrimary(SchemaExtension):
    """A GraphQL mutation reads from the primary, and its client is pinned afterwards."""

    def on_execute(self) -> Iterator[None]:
        try:
            mutation = self.execution_context.operation_type == OperationType.MUTATION
        except RuntimeError:  # no such operation: the executor reports it
            mutation = False
        if mutation:
            read_from_primary()
        yield
