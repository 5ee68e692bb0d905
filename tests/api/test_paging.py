"""Keyset paging: both directions, stable cursors, totalCount and the page cap."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from strawberry.relay import to_base64

from config.graphql.cost import MAX_PAGE_SIZE
from core.fuzzydates import OPEN_START
from events.models import Event
from events.selectors import event_timeline
from tests.api.conftest import GraphQL

PAGE = """query ($first: Int, $after: String, $last: Int, $before: String) {
  timeline(first: $first, after: $after, last: $last, before: $before) {
    totalCount edges { cursor node { slug } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


def page(gql: GraphQL, **arguments: Any) -> dict[str, Any]:
    body = gql(PAGE, arguments)
    assert "errors" not in body, body
    return body["data"]["timeline"]


def timeline_slugs() -> list[str]:
    return list(event_timeline().values_list("slug", flat=True))


def test_forward_pages_walk_the_whole_timeline_in_order(gql: GraphQL) -> None:
    seen: list[str] = []
    after = None
    while True:
        current = page(gql, first=4, after=after)
        seen += [edge["node"]["slug"] for edge in current["edges"]]
        assert current["totalCount"] == Event.objects.count()
        if not current["pageInfo"]["hasNextPage"]:
            break
        after = current["pageInfo"]["endCursor"]
    assert seen == timeline_slugs()


def test_backward_pages_walk_the_whole_timeline_in_order(gql: GraphQL) -> None:
    seen: list[str] = []
    before = None
    while True:
        current = page(gql, last=4, before=before)
        seen = [edge["node"]["slug"] for edge in current["edges"]] + seen
        if not current["pageInfo"]["hasPreviousPage"]:
            break
        before = current["pageInfo"]["startCursor"]
    assert seen == timeline_slugs()


def test_cursors_are_stable_when_events_are_added_before_them(gql: GraphQL) -> None:
    first = page(gql, first=3)
    expected_next = timeline_slugs()[3:6]
    Event.objects.create(slug="much-earlier", kind="OTHER", title="Long ago", date="1900")
    following = page(gql, first=3, after=first["pageInfo"]["endCursor"])
    # An offset cursor would now repeat the third event; a keyset cursor continues after it.
    assert [edge["node"]["slug"] for edge in following["edges"]] == expected_next


def test_open_starts_come_first_and_open_ends_last_among_equals(gql: GraphQL) -> None:
    Event.objects.create(slug="a-open-start", kind="OTHER", title="Until 1901", date="../1901")
    Event.objects.create(slug="b-1901-open-end", kind="OTHER", title="From 1901", date="1901/..")
    Event.objects.create(slug="c-1901", kind="OTHER", title="In 1901", date="1901")
    slugs = [edge["node"]["slug"] for edge in page(gql, first=100)["edges"]]
    ours = [slug for slug in slugs if slug in {"a-open-start", "b-1901-open-end", "c-1901"}]
    assert ours == ["a-open-start", "c-1901", "b-1901-open-end"]
    open_starts = set(Event.objects.filter(date_earliest=OPEN_START).values_list("slug", flat=True))
    assert set(slugs[: len(open_starts)]) == open_starts


def test_page_info_at_both_ends(gql: GraphQL) -> None:
    start = page(gql, first=2)
    assert start["pageInfo"]["hasPreviousPage"] is False
    assert start["pageInfo"]["hasNextPage"] is True
    end = page(gql, last=2)
    assert end["pageInfo"]["hasNextPage"] is False
    assert [edge["node"]["slug"] for edge in end["edges"]] == timeline_slugs()[-2:]


@pytest.mark.parametrize("argument", ["first", "last"])
def test_a_page_larger_than_the_cap_is_refused_naming_the_cap(gql: GraphQL, argument: str) -> None:
    body = gql(PAGE, {argument: 100000})
    assert body["data"] is None
    assert body["errors"][0]["message"] == f"Argument '{argument}' cannot be higher than {MAX_PAGE_SIZE}."


def test_the_cap_holds_for_every_connection(gql: GraphQL) -> None:
    body = gql("{ countries(first: 100000) { totalCount } }")
    assert body["errors"][0]["message"] == f"Argument 'first' cannot be higher than {MAX_PAGE_SIZE}."
    body = gql('{ region(slug: "donetsk-oblast") { timeline(first: 101) { totalCount } } }')
    assert body["errors"][0]["message"] == f"Argument 'first' cannot be higher than {MAX_PAGE_SIZE}."
    assert page(gql, first=MAX_PAGE_SIZE)["edges"]


def test_without_a_page_size_one_full_page_comes_back(gql: GraphQL) -> None:
    Event.objects.bulk_create(
        Event(
            slug=f"filler-{i}",
            kind="OTHER",
            title=f"Filler {i:03d}",
            date="1800",
            date_earliest=date(1800, 1, 1),
            date_latest=date(1800, 12, 31),
        )
        for i in range(MAX_PAGE_SIZE + 1)
    )
    body = gql("{ timeline { totalCount edges { node { slug } } pageInfo { hasNextPage } } }")["data"][
        "timeline"
    ]
    assert len(body["edges"]) == MAX_PAGE_SIZE
    assert body["pageInfo"]["hasNextPage"] is True
    assert body["totalCount"] > MAX_PAGE_SIZE


def test_negative_page_size_and_bad_cursor_are_errors(gql: GraphQL) -> None:
    body = gql(PAGE, {"first": -1})
    assert body["errors"][0]["message"] == "Argument 'first' must be a non-negative integer."
    message = (
        "Invalid cursor for '{}': pass a startCursor, endCursor or edge cursor this connection returned."
    )
    for argument, cursor in [("after", "not-a-cursor"), ("before", to_base64("Event", "1"))]:
        body = gql(PAGE, {"first": 2, argument: cursor})
        assert body["errors"][0]["message"] == message.format(argument)
        assert body["errors"][0]["extensions"] == {"code": "INVALID_CURSOR"}


def test_an_after_cursor_bounds_the_leading_column_and_keeps_the_total(gql: GraphQL) -> None:
    first = page(gql, first=5)
    with CaptureQueriesContext(connection) as queries:
        following = page(gql, first=5, after=first["pageInfo"]["endCursor"])
    page_sql = next(
        q["sql"] for q in queries.captured_queries if "LIMIT 6" in q["sql"] and "COUNT" not in q["sql"]
    )
    # A plain range PostgreSQL can start its index walk at, beside the library's OR chain.
    assert '"events_event"."date_earliest" >=' in page_sql
    assert following["totalCount"] == first["totalCount"] == Event.objects.count()
    assert [edge["node"]["slug"] for edge in following["edges"]] == timeline_slugs()[5:10]


# Every connection the schema has, as a query whose page arguments come from variables
# (the fuzz test found a 500 on treaties(first: ..., last: -5), issue 13).
CONNECTIONS = {
    ("Query", "timeline"): "timeline(first: $first, last: $last) { totalCount edges { node { slug } } }",
    ("Query", "visits"): "visits(first: $first, last: $last) { totalCount edges { node { slug } } }",
    ("Query", "treaties"): "treaties(first: $first, last: $last) { totalCount edges { node { slug } } }",
    ("Query", "people"): "people(first: $first, last: $last) { totalCount edges { node { slug } } }",
    ("Query", "countries"): "countries(first: $first, last: $last) { totalCount edges { node { code } } }",
    ("Query", "regions"): "regions(first: $first, last: $last) { totalCount edges { node { slug } } }",
    ("Query", "organizations"): (
        "organizations(first: $first, last: $last) { totalCount edges { node { slug } } }"
    ),
    ("Country", "timeline"): 'country(code: "UA") { timeline(first: $first, last: $last) { totalCount } }',
    ("Country", "regions"): 'country(code: "UA") { regions(first: $first, last: $last) { totalCount } }',
    ("Country", "treaties"): 'country(code: "UA") { treaties(first: $first, last: $last) { totalCount } }',
    ("Region", "timeline"): (
        'region(slug: "donetsk-oblast") { timeline(first: $first, last: $last) { totalCount } }'
    ),
    (
        "Person",
        "timeline",
    ): 'person(slug: "andrzej-duda") { timeline(first: $first, last: $last) { totalCount } }',
}
# The same inside a list, where the optimizer pages a nested connection for every parent.
NESTED = "countries(first: 3) { edges { node { regions(first: $first, last: $last) { totalCount } } } }"


def test_the_connection_list_above_is_every_connection_in_the_schema() -> None:
    from config.schema import schema

    found = {
        (type_name, field_name)
        for type_name, graphql_type in schema._schema.type_map.items()
        for field_name, field in getattr(graphql_type, "fields", {}).items()
        if getattr(getattr(field.type, "of_type", field.type), "name", "").endswith("Connection")
        and not type_name.startswith("__")
    }
    # The changes feed pages forward only (after/first, a polling client's cursor): its own
    # paging and bad-input tests are in tests/api/test_changes.py.
    assert found - {("Query", "changes")} == set(CONNECTIONS)


BAD_PAGES = [
    ({"last": -1}, "Argument 'last' must be a non-negative integer."),
    ({"first": -1}, "Argument 'first' must be a non-negative integer."),
    ({"first": 2, "last": -5}, "Argument 'last' must be a non-negative integer."),
    ({"first": -2, "last": 5}, "Argument 'first' must be a non-negative integer."),
    ({"first": -(2**31), "last": -(2**31)}, "Argument 'first' must be a non-negative integer."),
    ({"first": MAX_PAGE_SIZE + 1, "last": 5}, f"Argument 'first' cannot be higher than {MAX_PAGE_SIZE}."),
    ({"first": 5, "last": 2**31 - 1}, f"Argument 'last' cannot be higher than {MAX_PAGE_SIZE}."),
]


@pytest.mark.parametrize(
    "field", [*CONNECTIONS.values(), NESTED], ids=[*map(".".join, CONNECTIONS), "nested"]
)
@pytest.mark.parametrize(
    ("arguments", "message"), BAD_PAGES, ids=lambda v: str(v) if isinstance(v, dict) else ""
)
def test_a_page_size_out_of_range_is_refused_naming_argument_and_bound(
    gql: GraphQL, field: str, arguments: dict[str, int], message: str
) -> None:
    body = gql(f"query ($first: Int, $last: Int) {{ {field} }}", arguments)
    assert [error["message"] for error in body["errors"]] == [message] * len(body["errors"])
    assert {error["extensions"]["code"] for error in body["errors"]} == {"INVALID_PAGE_SIZE"}


@pytest.mark.parametrize("field", CONNECTIONS.values(), ids=map(".".join, CONNECTIONS))
def test_first_and_last_together_within_the_cap_still_answer(gql: GraphQL, field: str) -> None:
    body = gql(f"query ($first: Int, $last: Int) {{ {field} }}", {"first": 3, "last": 2})
    assert "errors" not in body, body
