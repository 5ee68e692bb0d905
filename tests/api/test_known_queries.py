"""An anonymous query the compiled path answered before is answered again by the view itself,
without strawberry's request set-up (config.view, issue 25): same bytes, same headers, same
errors as the full path; editors, refused variables and unknown documents take the full path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client

from config.view import ChanceryGraphQLView
from core import responsecache
from core.graphql.compiled import extension
from core.graphql.compiled.extension import HEADER, CompiledReads
from tests.api.conftest import make_user, post_graphql
from tests.api.editing import as_user

PAGE = """query Page($first: Int!, $person: String) {
  timeline(first: $first, filters: {person: $person}) {
    edges { cursor node { slug title date { edtf display } participants { role person { slug } } } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.fixture
def full_path_runs() -> Iterator[list[int]]:
    """Count the requests strawberry's full path (``run``) answered."""
    calls: list[int] = []
    original = ChanceryGraphQLView.run

    def counted(self: ChanceryGraphQLView, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(self, *args, **kwargs)

    with mock.patch.object(ChanceryGraphQLView, "run", counted):
        yield calls


def _headers(response: HttpResponse) -> dict[str, str]:
    # The CSRF cookie is a fresh random token on each answer; the header itself must be there.
    return {name: value for name, value in response.items() if name != "Set-Cookie"}


def _same(one: HttpResponse, other: HttpResponse) -> None:
    assert (one.status_code, one.content) == (other.status_code, other.content)
    assert _headers(one).keys() == _headers(other).keys()
    for name in ("Content-Type", HEADER, "Vary", "X-Frame-Options", "Content-Length"):
        assert one.get(name) == other.get(name), name
    assert "csrftoken" in one.cookies and "csrftoken" in other.cookies


def test_a_known_query_is_answered_by_the_view_with_the_same_bytes_and_headers(
    client: Client, seeded: None, full_path_runs: list[int]
) -> None:
    extension.VALIDATED.clear()
    variables = {"first": 5, "person": None}
    first = post_graphql(client, PAGE, variables)
    assert first.status_code == 200 and first[HEADER] == "compiled"
    assert len(full_path_runs) == 1
    again = post_graphql(client, PAGE, variables)
    assert len(full_path_runs) == 1, "the second request went the full path"
    _same(again, first)
    # Other variables for the same document: still the view's answer, equal to the full path's.
    other = post_graphql(client, PAGE, {"first": 2, "person": "andrzej-duda"})
    assert len(full_path_runs) == 1
    extension.VALIDATED.clear()
    full = post_graphql(client, PAGE, {"first": 2, "person": "andrzej-duda"})
    assert len(full_path_runs) == 2
    _same(other, full)


def test_refused_variables_and_editors_take_the_full_path(
    client: Client, seeded: None, full_path_runs: list[int]
) -> None:
    post_graphql(client, PAGE, {"first": 3})
    runs = len(full_path_runs)
    refused = post_graphql(client, PAGE, {"first": "many"})
    assert refused.status_code in (200, 400)
    assert refused.json()["errors"] and len(full_path_runs) == runs + 1
    too_big = post_graphql(client, PAGE, {"first": 1000})
    assert too_big.json()["errors"] and len(full_path_runs) == runs + 2
    unknown_person = post_graphql(client, PAGE, {"first": 3, "person": "nobody-at-all"})
    assert unknown_person.json()["errors"] and len(full_path_runs) == runs + 3
    as_user(client, make_user("reader-editor"))
    assert post_graphql(client, PAGE, {"first": 3}).json()["data"]
    assert len(full_path_runs) == runs + 4


def test_the_view_keeps_the_compiled_switch_and_the_response_cache(
    client: Client, seeded: None, full_path_runs: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    post_graphql(client, PAGE, {"first": 4})
    token = CompiledReads.enabled.set(False)
    try:
        executor = post_graphql(client, PAGE, {"first": 4})
    finally:
        CompiledReads.enabled.reset(token)
    assert executor[HEADER].startswith("executor")
    monkeypatch.setattr(responsecache, "_in_transaction", lambda: False)
    caches[responsecache.CACHE].clear()
    try:
        runs = len(full_path_runs)
        filled = post_graphql(client, PAGE, {"first": 4})
        cached = post_graphql(client, PAGE, {"first": 4})
        assert (filled[HEADER], cached[HEADER]) == ("compiled", "cache")
        assert filled.content == cached.content == executor.content
        assert len(full_path_runs) == runs
    finally:
        caches[responsecache.CACHE].clear()
