"""The GraphQL endpoint: transport checks, CSRF for signed-in users, masking, status codes.

Every refusal here is GraphQL-shaped JSON (``{"data": null, "errors": [...]}``), never an
HTML page: a frontend reads one error format whatever went wrong.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.middleware.csrf import CsrfViewMiddleware
from strawberry.django.views import GraphQLView
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from config.graphql.errors import masked
from core import limits, responsecache
from core.graphql.compiled import extension as compiled
from core.outage import is_unreachable, unavailable_response
from core.validators import text_problem


def error_response(status: int, message: str, code: str, **headers: str) -> JsonResponse:
    """A GraphQL-shaped error answer outside execution (transport, size, outage)."""
    body = {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
    return JsonResponse(body, status=status, headers=headers)


class TransportError(HTTPException):
    """A request refused before execution, with the ``extensions.code`` to send."""

    def __init__(self, status_code: int, reason: str, code: str = "BAD_REQUEST") -> None:
        super().__init__(status_code, reason)
        self.code = code


def check_variables(value: Any) -> None:
    """Refuse JSON nested deeper than ``limits.JSON_DEPTH`` and text the database cannot hold.

    Iterative, so hostile nesting costs a loop, not the stack. Names the variable's path.
    """
    pending: list[tuple[str, Any, int]] = [("variables", value, 0)]
    while pending:
        path, item, depth = pending.pop()
        if depth > limits.JSON_DEPTH:
            raise TransportError(400, f"JSON is nested more than {limits.JSON_DEPTH} levels deep at {path}.")
        if isinstance(item, str):
            if problem := text_problem(item):
                raise TransportError(400, f"{path}: {problem}", "INVALID_TEXT")
        elif isinstance(item, dict):
            for key, child in item.items():
                if problem := text_problem(key):
                    raise TransportError(400, f"{path}: a key is refused: {problem}", "INVALID_TEXT")
                pending.append((f"{path}.{key}", child, depth + 1))
        elif isinstance(item, list):
            pending.extend((f"{path}.{index}", child, depth + 1) for index, child in enumerate(item))


class ChanceryGraphQLView(GraphQLView):
    """The GraphQL endpoint; a document that cannot run (bad syntax, unknown field, over a limit) is a 400.

    CSRF protects what a session cookie authorizes, so it is checked for signed-in users
    only: anonymous frontends POST queries without a token, and may not mutate anyway.
    The URL wraps this view in ``csrf_exempt`` for that reason.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return self._dispatch(request)
        except (OperationalError, InterfaceError) as error:
            # Raised here by the session lookup, or re-raised by process_result from a resolver.
            if not is_unreachable(error):
                raise
            return unavailable_response(error)

    def _dispatch(self, request: HttpRequest) -> HttpResponseBase:
        if request.method == "POST":
            # Checked before the body is read: a 10 MB body costs nothing but this answer.
            length = request.META.get("CONTENT_LENGTH") or "0"
            if not length.isdigit() or int(length) > limits.REQUEST_BYTES:
                return _too_large()
            if request.user.is_authenticated:
                refused = CsrfViewMiddleware(lambda _: HttpResponse()).process_view(
                    request, _csrf_checked, (), {}
                )
                if refused is not None:
                    return refused
        try:
            if request.method == "POST" and not request.user.is_authenticated:
                known = self._known_query(request)
                if known is not None:
                    return known
            return self.run(request=request)
        except RequestDataTooBig:
            return _too_large()
        except UnicodeDecodeError as error:
            # The request adapter decodes the body before strawberry sees it.
            message = f"The request body is not valid UTF-8 (byte {error.start}); send JSON in UTF-8."
            return error_response(400, message, "BAD_REQUEST")
        except TransportError as error:
            return error_response(error.status_code, error.reason, error.code)
        except HTTPException as error:
            return error_response(error.status_code, error.reason, "BAD_REQUEST")

    def _known_query(self, request: HttpRequest) -> HttpResponse | None:
        """Answer an anonymous query the compiled path answered before, without strawberry's
        request set-up and extensions (about a fifth of a timeline page's CPU; issue 25), or None.

        Only a plain JSON POST of one query whose text (and operation name) passed parsing, the
        limits and validation before: those depend on the text alone. The transport checks, the
        response cache and the compiled answer are the ones the full path runs; anything else,
        and anything the compiled path cannot answer now (variables it refuses, a bug), goes the
        full path, which gives its usual answer or error. Same bytes and headers either way
        (tests/api/test_known_queries.py).
        """
        accept = request.headers.get("Accept", "")
        if (
            "application/json" not in request.content_type
            or "event-stream" in accept
            or "multipart" in accept
        ):
            return None
        try:
            data = json.loads(request.body)
        except (ValueError, RecursionError):  # the full path words the refusal
            return None
        if not isinstance(data, dict) or data.get("extensions") is not None:
            return None
        query, variables, name = data.get("query"), data.get("variables"), data.get("operationName")
        if (
            not isinstance(query, str)
            or not isinstance(variables, dict | None)
            or not isinstance(name, str | None)
        ):
            return None
        known = compiled.validated(query, name)
        if known is None or not compiled.CompiledReads.enabled.get():
            return None
        # The operation's name as strawberry takes it (the document's own, when none is given).
        document, name = known
        try:
            check_variables(variables)
        except TransportError:
            return None
        key = responsecache.key_of(query, variables, name) if responsecache.applies() else None
        if key is not None and (answer := responsecache.lookup(key)) is not None:
            return self._known_answer(answer, "cache")
        try:
            answer = compiled.answer(self.schema, document, query, variables, name)
        except Exception:  # Unsupported, or a bug the full path logs and answers
            return None
        if key is not None:
            responsecache.store(key, answer)
        return self._known_answer(answer, "compiled")

    def _known_answer(self, data: dict[str, Any], path: str) -> HttpResponse:
        compiled.count(path)
        response = HttpResponse(self.encode_json({"data": data}), content_type="application/json")
        response[compiled.HEADER] = path
        return response

    def decode_json(self, data: str | bytes) -> object:
        try:
            value = json.loads(data)
        except RecursionError:
            raise TransportError(400, f"JSON is nested more than {limits.JSON_DEPTH} levels deep.") from None
        if not isinstance(value, dict | list):
            raise TransportError(
                400,
                f'Expected a JSON object such as {{"query": "{{ __typename }}"}}, '
                f"got {type(value).__name__}: {json.dumps(value)[:40]}.",
            )
        return value

    def parse_http_body(self, request: Any) -> GraphQLRequestData | list[GraphQLRequestData]:
        parsed = super().parse_http_body(request)
        for item in parsed if isinstance(parsed, list) else [parsed]:
            check_variables(item.variables)
        return parsed

    def process_result(self, request: HttpRequest, result: ExecutionResult) -> GraphQLHTTPResponse:
        for error in result.errors or ():
            # An outage is not a GraphQL error: re-raise it so dispatch answers 503 for monitoring.
            if isinstance(error.original_error, OperationalError | InterfaceError) and is_unreachable(
                error.original_error
            ):
                raise error.original_error
        if result.errors:
            result.errors = [masked(error) for error in result.errors]
        return super().process_result(request, result)

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


def _too_large() -> JsonResponse:
    return error_response(
        413, f"The request body is over the limit of {limits.REQUEST_BYTES:,} bytes.", "REQUEST_TOO_LARGE"
    )


def _csrf_checked(request: HttpRequest) -> None:
    """Stand-in view for the CSRF check: not exempt, so the check runs."""
