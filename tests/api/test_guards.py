"""Guards of the endpoint: depth, aliases, tokens, malformed requests, GET mutations, introspection."""

from __future__ import annotations

import json

import pytest
from django.test import Client, override_settings

from config.graphql.cost import MAX_DEPTH
from config.graphql.extensions import MAX_TOKENS
from config.graphql.rules import MAX_ALIASES
from tests.api.conftest import post_graphql


def nested_query(levels: int) -> str:
    """A query `levels` deep: region → children → children → ..."""
    return (
        '{ region(slug: "donetsk-oblast") ' + "{ children " * (levels - 1) + "{ slug" + " }" * levels + " }"
    )


def errors_of(response: object) -> list[str]:
    return [error["message"] for error in response.json()["errors"]]  # type: ignore[attr-defined]


def test_a_20_level_query_is_refused_with_a_clear_message(client: Client, seeded: None) -> None:
    response = post_graphql(client, nested_query(20))
    assert response.status_code == 400
    assert errors_of(response) == [f"'anonymous' exceeds maximum operation depth of {MAX_DEPTH}"]
    assert response.json()["data"] is None


def test_a_query_within_the_depth_limit_runs(client: Client, seeded: None) -> None:
    response = post_graphql(client, nested_query(MAX_DEPTH - 1))
    assert response.status_code == 200
    assert "errors" not in response.json()
    assert len(response.json()["data"]["region"]["children"]) >= 2


def test_too_many_aliases_are_refused(client: Client, seeded: None) -> None:
    query = "{ " + " ".join(f'a{i}: country(code: "UA") {{ code }}' for i in range(MAX_ALIASES + 1)) + " }"
    response = post_graphql(client, query)
    assert response.status_code == 400
    assert errors_of(response) == [f"{MAX_ALIASES + 1} aliases found. Allowed: {MAX_ALIASES}"]


def test_too_many_tokens_are_refused(client: Client, seeded: None) -> None:
    query = "{ " + " ".join("__typename" for _ in range(MAX_TOKENS)) + " }"
    response = post_graphql(client, query)
    assert response.status_code == 400
    assert errors_of(response) == [
        f"Syntax Error: Document contains more than {MAX_TOKENS} tokens. Parsing aborted."
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "Unable to parse request body as JSON"),
        ("{}", "No GraphQL query found in the request"),
        ('{"query": 5}', "The GraphQL operation's `query` must be a string or null, if provided."),
        ("[]", "Batching is not enabled"),
    ],
)
def test_malformed_json_is_a_400_with_a_message(client: Client, body: str, message: str) -> None:
    response = client.post("/graphql/", body, content_type="application/json")
    assert response.status_code == 400
    assert errors_of(response) == [message]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("{ timeline(first: 2) { totalCount ", "Syntax Error: Expected Name, found <EOF>."),
        ("{ nope }", "Cannot query field 'nope' on type 'Query'. Did you mean 'node'?"),
        ('{ timeline(first: "two") { totalCount } }', 'Int cannot represent non-integer value: "two"'),
    ],
)
def test_malformed_graphql_is_a_400_with_a_message(client: Client, query: str, message: str) -> None:
    response = post_graphql(client, query)
    assert response.status_code == 400
    assert errors_of(response) == [message]


def test_unsupported_content_type_is_a_400(client: Client) -> None:
    response = client.post("/graphql/", "query=x", content_type="text/plain")
    assert response.status_code == 400
    assert errors_of(response) == ["Unsupported content type"]


def test_queries_work_over_get(client: Client, seeded: None) -> None:
    response = client.get("/graphql/", {"query": '{ country(code: "pl") { code } }'})
    assert response.status_code == 200
    assert response.json() == {"data": {"country": {"code": "PL"}}}


def test_mutations_are_refused_over_get(client: Client, seeded: None) -> None:
    response = client.get(
        "/graphql/", {"query": 'mutation { personDelete(slug: "andrzej-duda") { __typename } }'}
    )
    assert response.status_code == 400
    assert errors_of(response) == ["mutations are not allowed when using GET"]


def test_graphiql_is_served_to_a_browser(client: Client) -> None:
    response = client.get("/graphql/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"GraphiQL" in response.content


INTROSPECTION = "{ __schema { queryType { name } } }"


def test_introspection_is_on_by_default(client: Client) -> None:
    response = post_graphql(client, INTROSPECTION)
    assert response.json() == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


def test_introspection_can_be_switched_off(client: Client) -> None:
    with override_settings(GRAPHQL_INTROSPECTION=False):
        response = post_graphql(client, INTROSPECTION)
    assert response.status_code == 400
    assert errors_of(response)[0] == (
        "GraphQL introspection has been disabled, but the requested query contained the field '__schema'."
    )
    body = json.loads(post_graphql(client, INTROSPECTION).content)
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_unexpected_errors_are_masked(client: Client, seeded: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**kwargs: object) -> None:
        raise RuntimeError("password=hunter2 in a stack trace")

    monkeypatch.setattr("places.selectors.country_by_code", broken)
    response = post_graphql(client, '{ country(code: "PL") { code } }')
    assert response.status_code == 200
    assert errors_of(response) == ["Unexpected error."]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("{ countries(first: 5) { edges { node { timeline { totalCount } } } } }", "Country.timeline"),
        ("{ timeline(first: 5) { edges { node { history { kind } } } } }", "Event.history"),
        ('{ region(slug: "donetsk-oblast") { children { timeline { totalCount } } } }', "Region.timeline"),
        (
            '{ event(slug: "duda-zelenskyy-meeting") { participants { person { history { kind } } } } }',
            "Person.history",
        ),
    ],
)
def test_per_record_fields_are_refused_inside_lists(
    client: Client, seeded: None, query: str, field: str
) -> None:
    response = post_graphql(client, query)
    assert response.status_code == 400
    assert errors_of(response) == [
        f"'{field}' runs its own queries for each record, so it can be asked for on a single record only, "
        "not inside a list or connection."
    ]


def test_per_record_fields_in_fragments_are_refused_inside_lists(client: Client, seeded: None) -> None:
    response = post_graphql(
        client,
        """query { timeline(first: 5) { edges { node { ...Detail } } } }
           fragment Detail on Event { slug ...More }
           fragment More on Event { visit { ... on Visit { history { kind } } } }""",
    )
    assert response.status_code == 400
    assert errors_of(response) == [
        "'history' (in fragment 'More') runs its own queries for each record, so it can be asked for on a "
        "single record only, not inside a list or connection."
    ]
    fine = post_graphql(
        client,
        'query { event(slug: "duda-zelenskyy-meeting") { ...Detail } } '
        "fragment Detail on Event { history { kind } }",
    )
    assert "errors" not in fine.json()


def test_per_record_fields_are_fine_on_one_record(client: Client, seeded: None) -> None:
    response = post_graphql(
        client,
        """{ region(slug: "donetsk-oblast") { timeline(first: 2) { totalCount } }
             event(slug: "duda-zelenskyy-meeting") { history { kind } visit { history { kind } } } }""",
    )
    assert response.status_code == 200
    assert "errors" not in response.json()
