"""The compiled read path (core/graphql/compiled/) gives exactly the normal executor's JSON, says
which path answered, and leaves every query it cannot plan to that executor."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from core.graphql.compiled.extension import HEADER, CompiledReads
from tests.api.conftest import TREATY, post_graphql

BENCH = Path(__file__).resolve().parents[2] / "bench" / "graphql"

EVERYTHING = """
query Everything($first: Int!, $after: String, $filters: TimelineFilter) {
  __typename
  page: timeline(first: $first, after: $after, filters: $filters) {
    __typename
    totalCount
    edges {
      __typename
      cursor
      node {
        __typename id slug kind title summary status version note
        date { edtf display earliest latest precision uncertain approximate kind startState endState
               start { edtf } end { edtf display } }
        participants { role note person { id slug name wikidataId aliases } country { id code name historical } }
        countries { id code name founded { edtf } }
        regions { id slug name kind isoCode latitude longitude aliases parent { id slug name parent { name } } }
        citations { quote locator source { id slug title publisher url licence } }
        visit { id slug kind delegationSize purpose visitor { name } hostCountry { code }
                destinations { name } event { slug } }
        treaty { id slug name shortName type openEnded signed { edtf } provisions { kind summary article } }
      }
    }
    pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def both(client: Client, query: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any, str]:
    """The response (status and JSON) by the compiled path, by the executor, and the path header."""
    answers = []
    path = ""
    for enabled in (True, False):
        token = CompiledReads.enabled.set(enabled)
        try:
            response = post_graphql(client, query, variables)
        finally:
            CompiledReads.enabled.reset(token)
        if enabled:
            path = response.headers.get(HEADER, "")
        answers.append((response.status_code, response.content))
    return answers[0], answers[1], path


def same(client: Client, query: str, variables: dict[str, Any] | None = None) -> str:
    """Assert byte-identical responses; return which path answered the first."""
    compiled, executor, path = both(client, query, variables)
    assert compiled == executor, (path, compiled[1][:3000], executor[1][:3000])
    return path


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 100},
        {"first": 3},
        {"first": 0},
        {"first": 20, "filters": {"country": "UA"}},
        {"first": 20, "filters": {"region": "donetsk-oblast"}},
        {"first": 20, "filters": {"person": "andrzej-duda"}},
        {"first": 20, "filters": {"kinds": ["VISIT", "TREATY"], "status": ["REPORTED", "CONFIRMED"]}},
        {"first": 20, "filters": {"from": "2024-01-01", "to": "2024-12-31"}},
        {"first": 20, "filters": {"search": "treaty"}},
        {"first": 20, "filters": {"kinds": "VISIT"}},
    ],
)
def test_same_json_as_the_executor(client: Client, seeded: None, variables: dict) -> None:
    assert same(client, EVERYTHING, variables) == "compiled"
