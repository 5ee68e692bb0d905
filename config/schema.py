"""The root GraphQL schema: every app's queries and mutations, the optimizer and the guards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import strawberry
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    InlineFragmentNode,
    SelectionSetNode,
    ValidationRule,
    get_nullable_type,
)
from strawberry import relay
from strawberry.django.views import GraphQLView
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema.config import StrawberryConfig
from strawberry_django.optimizer import DjangoOptimizerExtension

from core.errors import ChanceryError
from core.responsecache import ResponseCache
from core.types import DateScalar
from events.plain_timeline import PlainTimeline
from events.schema import Mutation as EventMutation
from events.schema import Query as EventQuery
from people.schema import Mutation as PeopleMutation
from people.schema import Query as PeopleQuery
from places.schema import Query as PlacesQuery

# Page cap for every connection: a larger `first`/`last` is refused with an error naming it.
MAX_PAGE_SIZE = 100
# The contract's deepest useful query (timeline → edges → node → treaty → parties →
# country → timeline → ...) stays well inside these; a hostile one does not.
MAX_DEPTH = 12
MAX_ALIASES = 30
MAX_TOKENS = 2000


# Fields that cost queries of their own for every record: fine on one record, a flood
# under a list of a hundred (a timeline per region of a page of regions, say).
PER_RECORD_FIELDS = {"timeline", "history"}


class OneRecordOnly(ValidationRule):
    """Refuse per-record-costly fields (nested timelines, history) inside lists and connections."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.listed: list[bool] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        field_type = self.context.get_type()
        nullable = get_nullable_type(field_type) if field_type is not None else None
        many = isinstance(nullable, GraphQLList) or getattr(nullable, "name", "").endswith("Connection")
        parent = self.context.get_parent_type()
        if (
            node.name.value in PER_RECORD_FIELDS
            and parent is not None
            and parent.name != "Query"
            and any(self.listed)
        ):
            self.report_error(
                GraphQLError(
                    f"'{parent.name}.{node.name.value}' runs its own queries for each record, so it can be "
                    "asked for on a single record only, not inside a list or connection.",
                    node,
                )
            )
        self.listed.append(many)

    def leave_field(self, *_: Any) -> None:
        self.listed.pop()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        # A named fragment is validated on its own, outside the list it is spread into.
        if not any(self.listed):
            return
        pending, seen = [node.name.value], set()
        while pending:
            name = pending.pop()
            fragment = self.context.get_fragment(name)
            if name in seen or fragment is None:
                continue
            seen.add(name)
            for spread in self.context.get_fragment_spreads(fragment.selection_set):
                pending.append(spread.name.value)
            for field in _fields_in(fragment.selection_set):
                if field.name.value in PER_RECORD_FIELDS:
                    self.report_error(
                        GraphQLError(
                            f"'{field.name.value}' (in fragment '{name}') runs its own queries for each "
                            "record, so it can be asked for on a single record only, not inside a list "
                            "or connection.",
                            field,
                        )
                    )


def _fields_in(selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
    """Every field of a selection set, inline fragments and sub-selections included."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
            yield from _fields_in(selection.selection_set)
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields_in(selection.selection_set)


class ErrorCodes(SchemaExtension):
    """Give errors Chancery raises on purpose their stable ``code`` in ``extensions``."""

    def on_execute(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in (result.errors or []) if result else []:
            if isinstance(error.original_error, ChanceryError):
                error.extensions = {**(error.extensions or {}), "code": error.original_error.code}


@strawberry.type
class Query(EventQuery, PeopleQuery, PlacesQuery):
    node: relay.Node | None = relay.node(description="Any record by its global id.")


@strawberry.type
class Mutation(EventMutation, PeopleMutation):
    """Editors' writes: each needs a signed-in user with the model's Django permission."""


class QueryOptimizer(DjangoOptimizerExtension):
    """strawberry-django's optimizer without its per-field ``resolve`` hook.

    Every field here is a strawberry-django field, whose ``get_queryset`` already optimizes
    the querysets it returns (through the optimizer this extension's ``on_execute`` sets);
    the inherited hook would only wrap each of the ~1,600 fields of a 50-event page in one
    more call that finds nothing to do.
    """

    resolve = SchemaExtension.resolve  # type: ignore[assignment]


# Distinct documents kept parsed and validated, per worker process.
DOCUMENT_CACHE_SIZE = 256
# The limiters' rule classes, built once: the validation cache keys on the rule classes, so
# limiters built per request (each making new classes) would make every lookup a miss.
VALIDATION_RULES = [
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    OneRecordOnly,
]


def _extensions() -> list[Callable[[], SchemaExtension]]:
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
        # Before the plain timeline path: a cached answer skips it too.
        ResponseCache,
        # Timeline-only queries from value rows into plain dicts (events/plain_timeline.py).
        PlainTimeline,
        ErrorCodes,
        lambda: MaskErrors(should_mask_error=_is_unexpected),
    ]
    return extensions


def _is_unexpected(error: GraphQLError) -> bool:
    """Whether an error is a bug whose text must not reach clients (logs keep it).

    Kept: parse and validation errors, Chancery's own errors, and the ValueErrors and
    permission errors the libraries raise on purpose (page cap, cursors, bad IDs).
    """
    original = error.original_error
    return original is not None and not isinstance(
        original, ChanceryError | ValueError | PermissionDenied | GraphQLError
    )


def _introspection_guard() -> SchemaExtension:
    """Refuse introspection when ``settings.GRAPHQL_INTROSPECTION`` is off, read per request."""
    return SchemaExtension() if settings.GRAPHQL_INTROSPECTION else DisableIntrospection()


schema = strawberry.Schema(
    query=Query,
    mutation=Mutation,
    config=StrawberryConfig(relay_max_results=MAX_PAGE_SIZE),
    extensions=_extensions(),
    scalar_overrides={date: DateScalar},
)


class ChanceryGraphQLView(GraphQLView):
    """The GraphQL endpoint; a document that cannot run (bad syntax, unknown field, over a limit) is a 400.

    CSRF protects what a session cookie authorizes, so it is checked for signed-in users
    only: anonymous frontends POST queries without a token, and may not mutate anyway.
    The URL wraps this view in ``csrf_exempt`` for that reason.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method == "POST" and request.user.is_authenticated:
            refused = CsrfViewMiddleware(lambda _: HttpResponse()).process_view(
                request, _csrf_checked, (), {}
            )
            if refused is not None:
                return refused
        return super().dispatch(request, *args, **kwargs)

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: HttpResponse
    ) -> HttpResponseBase:
        # Parse and validation errors carry no path: nothing was executed. Errors from
        # resolvers (an unknown filter slug) keep the usual 200 with `errors`.
        if (
            isinstance(response_data, dict)
            and response_data.get("data") is None
            and response_data.get("errors")
            and not any(error.get("path") for error in response_data["errors"])
        ):
            sub_response.status_code = 400
        return super().create_response(response_data, sub_response)


def _csrf_checked(request: HttpRequest) -> None:
    """Stand-in view for the CSRF check: not exempt, so the check runs."""
