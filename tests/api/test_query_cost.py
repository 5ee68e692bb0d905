"""The cost limit (config/graphql/cost.py): estimated fields × page sizes, aliases included (issue 19)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from config.graphql.cost import MAX_COST
from tests.api.conftest import post_graphql

# Every field of a timeline event, as a fragment: thirty aliases of it stay under the token cap.
EVERY_FIELD = """fragment Every on Event { slug title kind status summary
  date { edtf display earliest latest precision uncertain approximate }
  participants { role note person { slug name } country { code name } } countries { code name }
  regions { slug name isoCode } citations { quote source { title url publisher } }
  visit { slug kind delegationSize purpose visitor { name } hostCountry { code } } treaty { slug name } }"""
PAGE = "timeline(first: 100) { edges { cursor node { ...Every } } pageInfo { hasNextPage endCursor } }"


def aliases(count: int, page: str = PAGE, variables: str = "") -> str:
    fields = " ".join(f"a{i}: {page}" for i in range(count))
    return f"query Many{variables} {{ {fields} }} {EVERY_FIELD}"


def refusal(response: object) -> str:
    assert response.status_code == 400, response.content[:300]  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["data"] is None
    [error] = body["errors"]
    return error["message"]


def test_thirty_aliases_of_a_full_timeline_page_are_refused_naming_the_limit(
    client: Client, seeded: None
) -> None:
    """The probe's request: 3.5 MB and 7.1 s of one worker, answered in full (issue 19, item 5)."""
    message = refusal(post_graphql(client, aliases(30)))
    assert message.startswith("'Many' would build at least ")
    assert message.endswith(
        f" fields (page sizes × fields, aliases included); the limit is {MAX_COST:,}. Ask for fewer "
        "fields, smaller pages (first/last) or fewer aliases, and page on with the cursors."
    )


def test_three_full_pages_in_one_request_still_run(client: Client, seeded: None) -> None:
    body = post_graphql(client, aliases(3)).json()
    assert "errors" not in body, body["errors"]
    assert len(body["data"]["a2"]["edges"]) > 0


def test_the_frontends_timeline_page_runs_at_the_largest_page(client: Client, seeded: None) -> None:
    page = (Path(__file__).parents[2] / "bench" / "graphql" / "timeline_page.graphql").read_text()
    body = post_graphql(client, page, {"first": 100}).json()
    assert "errors" not in body, body["errors"]


@pytest.mark.parametrize(
    ("query", "variables"),
    [
        # A page size in a variable is unknown when the query is checked: it counts as 100.
        (aliases(4, PAGE.replace("100", "$n"), "($n: Int)"), {"n": 1}),
        # Fragments count where they are spread, as often as they are (EVERY_FIELD is one).
        (aliases(4), None),
    ],
    ids=["variable-page-size", "fragments"],
)
def test_variables_and_fragments_do_not_hide_the_cost(
    client: Client, seeded: None, query: str, variables: dict[str, int] | None
) -> None:
    assert refusal(post_graphql(client, query, variables)).startswith("'Many' would build at least ")


def test_small_pages_lower_the_cost(client: Client, seeded: None) -> None:
    body = post_graphql(client, aliases(30, PAGE.replace("first: 100", "first: 5"))).json()
    assert "errors" not in body, body["errors"]
