"""Which GraphQL errors are the client's (shown as they are) and which are bugs (masked, logged),
and the stable ``code`` Chancery's own errors carry.

Masking happens once, in the view (``config.view``), over every error of a response, those
raised before execution included; logging happens once, in ``ChancerySchema.process_errors``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.relay.types import GlobalIDValueError

from core.errors import ChanceryError

logger = logging.getLogger("chancery.graphql")

MASKED_MESSAGE = "Unexpected error."

# ValueErrors and TypeErrors the GraphQL libraries raise on purpose about arguments (page
# size, relay cursors). Any other ValueError is not safe to show: UnicodeEncodeError and
# Django's "Field 'id' expected a number but got 'abc'." are ValueErrors too.
_LIBRARY_MESSAGES = ("Argument 'first' ", "Argument 'last' ", "Argument 'after' ", "Argument 'before' ")


def is_unexpected(error: GraphQLError) -> bool:
    """Whether ``error`` is a bug whose text must not reach clients (the log keeps it).

    Expected: parse, validation and variable errors (no original error, or a GraphQLError),
    Chancery's own errors, permission refusals, bad global ids and the libraries' argument
    errors above.
    """
    original = error.original_error
    if original is None or isinstance(original, GraphQLError | ChanceryError | PermissionDenied):
        return False
    if isinstance(original, GlobalIDValueError):
        return False
    return not (type(original) in (ValueError, TypeError) and str(original).startswith(_LIBRARY_MESSAGES))


def masked(error: GraphQLError) -> GraphQLError:
    """``error`` as a client may see it: unchanged if expected, else only 'Unexpected error.'."""
    if not is_unexpected(error):
        return error
    return GraphQLError(
        MASKED_MESSAGE, nodes=error.nodes, source=error.source, positions=error.positions, path=error.path
    )


def log_errors(errors: list[GraphQLError]) -> None:
    """Log each error once: a bug with its traceback, a client's mistake as one line without."""
    for error in errors:
        if is_unexpected(error):
            original = error.original_error
            logger.error(
                "GraphQL error at %s: %s",
                ".".join(map(str, error.path or [])) or "(operation)",
                original,
                exc_info=(type(original), original, original.__traceback__) if original else None,
            )
        else:
            logger.info("GraphQL client error: %s", error.message)


class ErrorCodes(SchemaExtension):
    """Give errors Chancery raises on purpose their stable ``code`` in ``extensions``."""

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in (result.errors or []) if result else []:
            if isinstance(error.original_error, ChanceryError):
                error.extensions = {**(error.extensions or {}), "code": error.original_error.code}
