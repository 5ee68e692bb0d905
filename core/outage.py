"""The database is down: say so in one line (commands), a 503 with Retry-After (web), /healthz.

A traceback of 90 lines for "connection refused" hides the one fact an operator needs, and a
GraphQL `200 Unexpected error.` is invisible to status-code monitoring.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, JsonResponse

logger = logging.getLogger("chancery.outage")

RETRY_AFTER_SECONDS = 30


def describe_database(alias: str = "default") -> str:
    """Name a database for an operator without its password: "PostgreSQL 'chancery' at 127.0.0.1:5432"."""
    settings = connections[alias].settings_dict
    vendor = connections[alias].display_name
    if connections[alias].vendor == "sqlite":
        return f"{vendor} '{settings['NAME']}'"
    where = f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 'default port'}"
    return f"{vendor} '{settings['NAME']}' at {where}"


def cause(error: BaseException) -> str:
    """The first line of the driver's own message, which names the cause (refused, timeout, auth)."""
    text = str(error.__cause__ or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def is_unreachable(error: BaseException, alias: str = "default") -> bool:
    """Whether ``error`` means the database cannot be reached (not a bad query or a lock).

    Asks the database: if a trivial query fails too, it is unreachable. Only called on the
    error path, so a healthy request pays nothing.
    """
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return True
    return False


def unavailable_response(error: BaseException | None = None) -> JsonResponse:
    """503 in the GraphQL error shape, with Retry-After, for load balancers and frontends alike."""
    message = f"The database is unavailable; try again in {RETRY_AFTER_SECONDS} seconds."
    if error is not None:
        logger.error("Database unreachable: %s: %s", describe_database(), cause(error))
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": "SERVICE_UNAVAILABLE"}}]}
    return JsonResponse(body, status=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers a query, else 503 with Retry-After."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        logger.error("Health check: %s unreachable: %s", describe_database(), cause(error))
        response = JsonResponse(
            {"status": "unavailable", "database": f"unreachable: {cause(error)}"},
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    else:
        response = JsonResponse({"status": "ok", "database": "ok"})
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    """handler500: a 503 with Retry-After when the database is unreachable, else Django's 500 page.

    Django calls it from inside its exception handling, so ``sys.exc_info()`` holds the error,
    wherever it was raised (a view or a middleware such as the session's).
    """
    from django.views.defaults import server_error as default_server_error

    error = sys.exc_info()[1]
    if error is not None and is_unreachable(error):
        return unavailable_response(error)
    return default_server_error(request)


def run_command(argv: list[str]) -> None:
    """Run a management command; if the database is unreachable, one line to stderr and exit 1."""
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except (OperationalError, InterfaceError) as error:
        if not is_unreachable(error):
            raise
        command = argv[1] if len(argv) > 1 else "manage.py"
        sys.stderr.write(f"{command}: cannot reach the database {describe_database()}: {cause(error)}\n")
        sys.exit(1)
