"""Every connection pages on with the cursors it hands out, whatever the records' text (issue 19).

Cursors used to carry titles and names, so a treaty with a long name gave a cursor the API
then refused ("it is 308 characters long"). Here every record's text is made as long as its
column allows, in a script that JSON escapes six-fold, and every list is walked both ways.
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.db.models import Value
from django.db.models.functions import Concat, Left

from core import limits
from events.models import Event, Treaty, TreatyParty
from people.models import Organization, Person
from places.models import Country, Region
from tests.api.conftest import GraphQL
from tests.events.factories import make_treaty

LONG = "Ж" * 600


@pytest.fixture
def long_text(seeded: None) -> None:
    """Every ordering text at its column's length: titles, names, in Cyrillic."""
    russia = Country.objects.get(code="RU")
    for number, signed in enumerate(["1969-05-01", "1969-05-01", "2001-07", None, "1815", "2024-06-19"]):
        # Several on one day, and one undated, so ties and NULLs are paged across too.
        treaty = make_treaty(f"walk-{number}", name=f"Treaty {number}", signed=signed or "")
        TreatyParty.objects.create(treaty=treaty, country=russia)
    for model, field in [
        (Event, "title"),
        (Treaty, "name"),
        (Person, "name"),
        (Region, "name"),
        (Country, "name"),
        (Organization, "name"),
    ]:
        size = model._meta.get_field(field).max_length
        # The record's own text first, so their order stays theirs and ties stay rare.
        model.objects.update(**{field: Left(Concat(field, Value(" " + LONG)), size)})


# (query field, node key, how to read the list back in order without paging)
LISTS = {
    "timeline": "slug",
    "visits": "slug",
    "treaties": "slug",
    "people": "slug",
    "countries": "code",
    "regions": "slug",
    "organizations": "slug",
}
NESTED = {
    'country(code: "UA") { timeline': "slug",
    'country(code: "UA") { regions': "slug",
    'country(code: "RU") { treaties': "treaty { slug }",
    'region(slug: "donetsk-oblast") { timeline': "slug",
    'person(slug: "andrzej-duda") { timeline': "slug",
}


def _connection(body: dict[str, Any]) -> dict[str, Any]:
    assert "errors" not in body, body["errors"]
    data = body["data"]
    while "edges" not in data:
        (data,) = data.values()
    return data


def _read(node: dict[str, Any], selection: str) -> str:
    """The value a selection such as ``slug`` or ``treaty { slug }`` picks from a node."""
    for name in selection.replace("{", " ").replace("}", " ").split():
        node = node[name]
    return node  # type: ignore[return-value]


def _walk(gql: GraphQL, field: str, key: str, *, forward: bool, size: int = 3) -> tuple[list[str], int]:
    """The whole list read page by page in one direction; and the longest cursor seen."""
    closing = "}" * field.count("{")
    query = (
        "query ($first: Int, $after: String, $last: Int, $before: String) {"
        f" {field}(first: $first, after: $after, last: $last, before: $before) {{"
        f" edges {{ cursor node {{ {key} }} }}"
        " pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }"
        f" {closing} }}"
    )
    seen: list[str] = []
    cursor: str | None = None
    longest = 0
    for _ in range(500):
        arguments = {"first": size, "after": cursor} if forward else {"last": size, "before": cursor}
        page = _connection(gql(query, arguments))
        keys = [_read(edge["node"], key) for edge in page["edges"]]
        seen = seen + keys if forward else keys + seen
        longest = max([longest, *(len(edge["cursor"]) for edge in page["edges"])])
        more = page["pageInfo"]["hasNextPage" if forward else "hasPreviousPage"]
        if not more:
            return seen, longest
        cursor = page["pageInfo"]["endCursor" if forward else "startCursor"]
    raise AssertionError(f"{field} did not end after 500 pages")


def _total(gql: GraphQL, field: str) -> int:
    closing = "}" * field.count("{")
    return _connection_count(gql(f"{{ {field}(first: 1) {{ totalCount edges {{ cursor }} }} {closing} }}"))


def _connection_count(body: dict[str, Any]) -> int:
    return _connection(body)["totalCount"]


@pytest.mark.parametrize("field", [*LISTS, *NESTED])
def test_every_list_walks_forward_and_backward_with_the_cursors_it_hands_out(
    gql: GraphQL, long_text: None, field: str
) -> None:
    key = LISTS.get(field) or NESTED[field]
    total = _total(gql, field)
    assert total >= 2, f"{field} needs records to walk"
    whole, _ = _walk(gql, field, key, forward=True, size=100)
    assert len(whole) == len(set(whole)) == total
    size = min(100, max(2, total // 12))  # a dozen pages or so each way, up to the cap
    forward, longest_forward = _walk(gql, field, key, forward=True, size=size)
    backward, longest_backward = _walk(gql, field, key, forward=False, size=size)
    assert forward == whole
    assert backward == whole
    # A cursor's size does not follow the text: a wide margin under what the API accepts.
    assert max(longest_forward, longest_backward) < limits.CURSOR_CHARACTERS / 5


TIMELINE = """query ($after: String, $before: String, $first: Int, $last: Int) {
  timeline(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { slug } } pageInfo { endCursor startCursor } } }"""


def test_a_record_renamed_or_deleted_between_pages_keeps_its_place(gql: GraphQL, long_text: None) -> None:
    whole = [edge["node"]["slug"] for edge in _connection(gql(TIMELINE, {"first": 100}))["edges"]]
    first = _connection(gql(TIMELINE, {"first": 3}))
    anchor = Event.objects.get(slug=first["edges"][-1]["node"]["slug"])
    # Renamed so it would sort last: the next page still starts right after where it was.
    anchor.title = "ZZZ renamed"
    anchor.save()
    after_rename = _connection(gql(TIMELINE, {"first": 3, "after": first["pageInfo"]["endCursor"]}))
    assert [edge["node"]["slug"] for edge in after_rename["edges"]] == whole[3:6]
    # Deleted: its last version in history still places the cursor.
    anchor.delete()
    after_delete = _connection(gql(TIMELINE, {"first": 3, "after": first["pageInfo"]["endCursor"]}))
    assert [edge["node"]["slug"] for edge in after_delete["edges"]] == whole[3:6]
    before = _connection(gql(TIMELINE, {"last": 2, "before": first["pageInfo"]["endCursor"]}))
    assert [edge["node"]["slug"] for edge in before["edges"]] == whole[:2]


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


CRAFTED = [
    "not-a-cursor",
    "",
    "Q" * 50,
    _b64("orderedcursor:notjson"),
    _b64("orderedcursor:[]"),
    _b64('orderedcursor:["2020-01-01","2020-01-01","t","1"]'),
    _b64("k1:notjson"),
    _b64("k1:[]"),
    _b64("k1:{}"),
    _b64("k1:[[]]"),
    _b64('k1:[["2020-01-01","2020-01-01",0,"1"]]'),  # a text slot without its digest
    _b64('k1:[["not a date","2020-01-01",0,"1"],"000000000000"]'),
    _b64('k1:[["2020-01-01","2020-01-01","title","1"],"000000000000"]'),  # text where a digest goes
    _b64('k1:[["2020-01-01","2020-01-01",0,"999999999"],"000000000000"]'),  # no such record
    _b64('k1:[["2020-01-01","2020-01-01",0,"x"],"000000000000"]'),
    _b64('k1:[["2020-01-01","2020-01-01",0,"1",5],"000000000000"]'),
    _b64('k1:[[1.5,true,0,null],"000000000000"]'),
    _b64('k1:[["2020-01-01","2020-01-01",false,"1"],"000000000000"]'),
    base64.b64encode(b"\xff\xfe\x00k1:").decode(),
    _b64("Event:1"),
]


@pytest.mark.parametrize("cursor", CRAFTED)
@pytest.mark.parametrize("argument", ["after", "before"])
def test_a_crafted_cursor_is_an_invalid_cursor_error_never_a_masked_one(
    gql: GraphQL, cursor: str, argument: str
) -> None:
    size = "first" if argument == "after" else "last"
    for field in ("timeline", "treaties", "people"):
        body = gql(
            f"query ($c: String) {{ {field}({size}: 2, {argument}: $c) {{ edges {{ cursor }} }} }}",
            {"c": cursor},
        )
        assert body["data"] is None, (field, body)
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "INVALID_CURSOR"}, (field, cursor, error)
        assert error["message"].startswith(f"Invalid cursor for '{argument}': ")


def test_a_cursor_carries_no_text_of_the_record(gql: GraphQL, long_text: None) -> None:
    page = _connection(gql("{ treaties(first: 5) { edges { cursor node { name } } } }"))
    for edge in page["edges"]:
        decoded = base64.b64decode(edge["cursor"]).decode()
        kind, payload = decoded.split(":", 1)
        assert kind == "k1"
        assert "Ж" not in json.loads(payload).__repr__()
        assert edge["node"]["name"][:10] not in decoded
