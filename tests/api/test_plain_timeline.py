"""The plain timeline path (events/plain_timeline.py) gives exactly the normal executor's JSON, and
leaves every query it does not fully understand to that executor."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from events import plain_timeline
from events.plain_timeline import PlainTimeline
from tests.api.conftest import post_graphql

EVERYTHING = """
query Everything($first: Int!, $after: String, $filters: TimelineFilter) {
  __typename
  page: timeline(first: $first, after: $after, filters: $filters) {
    __typename
    edges {
      cursor
      node {
        __typename id slug kind title summary status
        date { edtf display earliest latest precision uncertain approximate }
        participants { role note person { id slug name wikidataId } country { id code name } }
        countries { id code name }
        regions { id slug name kind isoCode latitude longitude parent { id slug name } }
        citations { quote source { id title publisher url } }
        visit { id slug kind delegationSize purpose visitor { name } hostCountry { code } }
        treaty { id slug name }
      }
    }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

BENCH_PAGE = (plain_timeline.__file__.rsplit("/events/", 1)[0]) + "/bench/graphql/timeline_page.graphql"


@pytest.fixture
def used(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Records, per query, whether the plain path answered it."""
    calls: list[bool] = []
    real = plain_timeline.answer

    def spy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        try:
            data = real(*args, **kwargs)
        except plain_timeline.Unsupported:
            calls.append(False)
            raise
        calls.append(True)
        return data

    monkeypatch.setattr(plain_timeline, "answer", spy)
    yield calls


def both(client: Client, query: str, variables: dict[str, Any] | None = None) -> tuple[Any, Any]:
    """The response (status and JSON) with the plain path on, then with it off."""
    answers = []
    for enabled in (True, False):
        token = PlainTimeline.enabled.set(enabled)
        try:
            response = post_graphql(client, query, variables)
        finally:
            PlainTimeline.enabled.reset(token)
        answers.append((response.status_code, response.json()))
    return answers[0], answers[1]


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
def test_same_json_as_the_normal_executor(
    client: Client, seeded: None, used: list[bool], variables: dict
) -> None:
    plain, normal = both(client, EVERYTHING, variables)
    assert plain == normal
    assert plain[0] == 200 and "errors" not in plain[1]
    assert used == [True]


def test_the_seeds_exercise_every_relation(client: Client, seeded: None) -> None:
    edges = both(client, EVERYTHING, {"first": 100})[0][1]["data"]["page"]["edges"]
    nodes = [edge["node"] for edge in edges]
    for relation in ("participants", "countries", "regions", "citations"):
        assert any(node[relation] for node in nodes), relation
    assert any(node["visit"] for node in nodes) and any(node["treaty"] for node in nodes)
    assert any(region["parent"] for node in nodes for region in node["regions"])


def test_paging_by_cursor_gives_the_same_pages(client: Client, seeded: None, used: list[bool]) -> None:
    after = None
    for _ in range(4):
        plain, normal = both(client, EVERYTHING, {"first": 2, "after": after})
        assert plain == normal
        after = plain[1]["data"]["page"]["pageInfo"]["endCursor"]
    assert used == [True] * 4


def test_the_benchmark_page_and_literal_arguments(client: Client, seeded: None, used: list[bool]) -> None:
    with open(BENCH_PAGE) as page:
        plain, normal = both(client, page.read(), {"first": 50})
    assert plain == normal
    literal = (
        "{ timeline(first: 5, filters: {kinds: [VISIT]}, ordering: TIMELINE) { edges { node { slug } } } }"
    )
    plain, normal = both(client, literal)
    assert plain == normal
    defaults = "query($n: Int = 4) { timeline(first: $n) { edges { node { slug title } } } }"
    plain, normal = both(client, defaults)
    assert plain == normal and len(plain[1]["data"]["timeline"]["edges"]) == 4
    assert used == [True, True, True]


@pytest.mark.parametrize(
    "query",
    [
        "{ timeline(first: 2) { totalCount edges { node { slug } } } }",
        "{ timeline(first: 2, ordering: RELEVANCE) { edges { node { slug } } } }",
        "{ timeline(first: 2) { edges { node { ...E } } } } fragment E on Event { slug }",
        "{ timeline(first: 2) { edges { node { ... on Event { slug } } } } }",
        "query($x: Boolean!) { timeline(first: 2) { edges { node { slug @include(if: $x) } } } }",
        "{ timeline(first: 2) { edges { node { participants { person { roles { title } } } } } } }",
        "{ timeline(first: 2) { edges { node { regions { parent { parent { name } } } } } } }",
        "{ timeline(last: 2) { edges { node { slug } } } }",
        '{ event(slug: "kostiantynivka-offensive") { slug } timeline(first: 1) { edges { node { slug } } } }',
    ],
)
def test_what_it_does_not_build_goes_to_the_normal_executor(
    client: Client, seeded: None, used: list[bool], query: str
) -> None:
    plain, normal = both(client, query, {"x": True})
    assert plain == normal
    assert plain[0] == 200 and "errors" not in plain[1], plain
    assert True not in used


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 101},
        {"first": -1},
        {"first": 2, "after": "not-a-cursor"},
        {"first": 2, "filters": {"region": "no-such-region"}},
        {"first": 2, "filters": {"from": "2024-02-01", "to": "2024-01-01"}},
        {"first": "two"},
    ],
)
def test_errors_are_the_normal_executors(client: Client, seeded: None, variables: dict) -> None:
    plain, normal = both(client, EVERYTHING, variables)
    assert plain == normal
    assert plain[1].get("errors"), plain
