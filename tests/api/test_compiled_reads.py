"""The compiled read path (core/graphql/compiled/) gives exactly the normal executor's JSON, says
which path answered, and leaves every query it cannot plan to that executor."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import graphql
import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import strategies as st

from config.schema import schema
from core.graphql.compiled.extension import HEADER, CompiledReads
from tests.api.conftest import TREATY, post_graphql

BENCH = Path(__file__).resolve().parents[2] / "bench" / "graphql"
# Date-like literals for generated queries (tests/api/test_compiled_property.py).
SCALARS = {
    "Date": st.dates(min_value=date(1900, 1, 1)).map(lambda d: graphql.StringValueNode(value=d.isoformat())),
    "DateTime": st.datetimes(min_value=datetime(1900, 1, 1)).map(
        lambda d: graphql.StringValueNode(value=d.isoformat())
    ),
}

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
        participants { role note person { id slug name wikidataId aliases }
                       country { id code name historical } }
        countries { id code name founded { edtf } }
        regions { id slug name kind isoCode latitude longitude aliases
                  parent { id slug name parent { name } } }
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
    # One "now" for both: an asOf still to come is refused with the time it is now, to the
    # second, and on a loaded machine the two requests may fall in different seconds.
    now = timezone.now()
    for enabled in (True, False):
        token = CompiledReads.enabled.set(enabled)
        try:
            with mock.patch("django.utils.timezone.now", return_value=now):
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


def _strip(value: Any) -> Any:
    """The answer without what Relay and Apollo add (``__typename``, ``id``)."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items() if k not in ("__typename", "id")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def test_the_bench_pages_plain_and_in_the_relay_form(client: Client, seeded: None) -> None:
    plain = (BENCH / "timeline_page.graphql").read_text()
    relay = (BENCH / "timeline_page_relay.graphql").read_text()
    for variables in ({"first": 50}, {"first": 5, "filters": {"country": "UA"}}):
        assert same(client, plain, variables) == "compiled"
        assert same(client, relay, variables) == "compiled"
        plain_data = post_graphql(client, plain, variables).json()
        relay_data = post_graphql(client, relay, variables).json()
        assert _strip(relay_data) == plain_data
        assert json.dumps(relay_data).count("__typename") > 50


PAGES = """
query($first: Int, $last: Int, $after: String, $before: String) {
  timeline(first: $first, last: $last, after: $after, before: $before) {
    edges { cursor node { slug } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def test_paging_by_cursor_gives_the_same_pages_both_ways(client: Client, seeded: None) -> None:
    after = None
    for _ in range(4):
        compiled, executor, path = both(client, EVERYTHING, {"first": 2, "after": after})
        assert compiled == executor and path == "compiled"
        after = json.loads(compiled[1])["data"]["page"]["pageInfo"]["endCursor"]
        assert after
    before = None
    for _ in range(3):
        compiled, executor, path = both(client, PAGES, {"last": 3, "before": before})
        assert compiled == executor and path == "compiled"
        before = json.loads(compiled[1])["data"]["timeline"]["pageInfo"]["startCursor"]
    for variables in (
        {"first": 4, "last": 2},
        {"first": 3, "last": 5, "after": after},
        {"last": 2, "after": after},
    ):
        assert same(client, PAGES, variables) == "compiled"


@pytest.mark.parametrize(
    "query",
    [
        "{ timeline(first: 5, filters: {kinds: [VISIT]}, ordering: TIMELINE) { edges { node { slug } } } }",
        "query($n: Int = 4) { timeline(first: $n) { edges { node { slug title } } } }",
        "{ timeline(first: 2, ordering: RELEVANCE) { edges { node { slug } } } }",
        "{ timeline(first: 2) { totalCount } }",
        "{ timeline { pageInfo { hasNextPage } } }",
        "{ timeline(first: 2) { edges { node { ...E } } } } fragment E on Event { slug ... on Node { id } }",
        "query($x: Boolean!) { timeline(first: 2) { edges { node { slug @include(if: $x) "
        "title @skip(if: $x) } } } }",
        "{ timeline(first: 2) { edges { node { participants { person { roles { title "
        "start { edtf } } } } } } } }",
        "{ timeline(first: 2) { edges { node { regions { parent { parent { name } } } } } } }",
        "{ timeline(first: 3) { edges { node { a: participants { role } b: participants { note } } } } }",
        '{ event(slug: "kostiantynivka-offensive") { slug title regions { name } } '
        "timeline(first: 1) { edges { node { slug } } } }",
        f'{{ treaty(slug: "{TREATY}") {{ slug name provisions {{ kind }} events {{ slug }} '
        "amendments { slug } } }",
        '{ person(slug: "andrzej-duda") { name aliases roles { title country { code } } '
        "identifiers { scheme } visits { slug } "
        "timeline(first: 3) { totalCount edges { cursor node { slug } } } } }",
        '{ country(code: "ua") { code name regions(first: 3) { edges { node { slug children { slug } } } } '
        "timeline(first: 2, filters: {kinds: [VISIT]}) { edges { node { slug } } "
        "pageInfo { endCursor } } } }",
        '{ region(slug: "donetsk-oblast") { name country { code } '
        "timeline(first: 2) { edges { node { slug } } } } }",
        '{ event(slug: "no-such-event") { slug } }',
        "{ visits(first: 3) { edges { node { slug visitor { name } destinations { name } "
        "event { title } } } } }",
        "{ treaties(first: 3) { totalCount edges { cursor node { slug signed { edtf } "
        "citations { quote } } } } }",
        '{ people(first: 3, search: "duda") { edges { node { slug name } } } }',
        "{ countries(first: 3) { edges { node { code } } } regions(first: 2) { edges { node { slug } } } }",
    ],
)
def test_root_fields_and_selections_are_compiled(client: Client, seeded: None, query: str) -> None:
    assert same(client, query, {"x": True}) == "compiled"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('{ event(slug: "kostiantynivka-offensive", asOf: "2020-01-01T00:00:00Z") { slug } }', "asOf"),
        ('{ event(slug: "kostiantynivka-offensive") { history { kind } } }', "Event.history"),
        ('{ event(slug: "kostiantynivka-offensive") { plover { event } } }', "Event.plover"),
        ("{ __schema { queryType { name } } }", "introspection"),
        ('{ node(id: "RXZlbnQ6MQ==") { id } }', "Query.node"),
        (
            "{ timeline(first: 2) { edges { node { slug } } } changes(first: 1) { edges { cursor } } }",
            "changes",
        ),
    ],
)
def test_what_it_cannot_plan_goes_to_the_executor_and_says_why(
    client: Client, seeded: None, query: str, reason: str
) -> None:
    path = same(client, query)
    assert path.startswith("executor; reason=") and reason in path, path


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
def test_errors_are_the_executors(client: Client, seeded: None, variables: dict) -> None:
    compiled, executor, path = both(client, EVERYTHING, variables)
    assert compiled == executor
    assert b'"errors"' in compiled[1] and path.startswith("executor"), path


# Fields the compiled path leaves to the executor, and why: each reads more than its row
# (history through info and simple-history, PLOVER's prefetches, parties split by a custom
# prefetch, the merges, the ancestors by path, a role's citations by prefetch).
LEFT_TO_THE_EXECUTOR = {
    "Event.history",
    "Event.plover",
    "Visit.history",
    "Treaty.history",
    "Treaty.parties",
    "Treaty.organizationParties",
    "Person.history",
    "Person.mergedSlugs",
    "Region.ancestors",
    "Role.citations",
}
# Where each type is reached from a root field (the record's own key filled in by the test).
REACHED = {
    "Event": "event(slug: $event) { %s }",
    "Participation": "event(slug: $event) { participants { %s } }",
    "Citation": "event(slug: $event) { citations { %s } }",
    "Source": "event(slug: $event) { citations { source { %s } } }",
    "Visit": "visit(slug: $visit) { %s }",
    "Treaty": "treaty(slug: $treaty) { %s }",
    "TreatyProvision": "treaty(slug: $treaty) { provisions { %s } }",
    "TreatyParty": "country(code: $country) { treaties(first: 3) { edges { node { %s } } } }",
    "Person": "person(slug: $person) { %s }",
    "Role": "person(slug: $person) { roles { %s } }",
    "Identifier": "person(slug: $person) { identifiers { %s } }",
    "Organization": "organization(slug: $organization) { %s }",
    "Country": "country(code: $country) { %s }",
    "Region": "region(slug: $region) { %s }",
}


def _selection(field: graphql.GraphQLField, name: str) -> str:
    """The field with the least sub-selection that asks for it."""
    named = graphql.get_named_type(field.type)
    if not isinstance(named, graphql.GraphQLObjectType):
        return name
    if "edges" in named.fields:
        return f"{name}(first: 2) {{ totalCount edges {{ cursor node {{ __typename }} }} }}"
    return f"{name} {{ __typename }}"


def test_every_field_of_the_planned_types_is_compiled(client: Client, seeded: None) -> None:
    """A field added to any of these types is served by the compiled path with no other edit."""
    from events.models import Visit
    from people.models import Organization

    variables = {
        "event": "kostiantynivka-offensive",
        "visit": Visit.objects.order_by("pk").values_list("slug", flat=True).first(),
        "treaty": TREATY,
        "person": "andrzej-duda",
        "organization": Organization.objects.order_by("pk").values_list("slug", flat=True).first(),
        "country": "UA",
        "region": "donetsk-oblast",
    }
    assert all(variables.values()), variables
    served, left = set(), set()
    for type_name, path in REACHED.items():
        gtype = schema._schema.get_type(type_name)
        key = path.split("$", 1)[1].split(")", 1)[0]
        for name, field in gtype.fields.items():
            query = f"query(${key}: String!) {{ {path % _selection(field, name)} }}"
            where = f"{type_name}.{name}"
            answered_by = same(client, query, {key: variables[key]})
            (served if answered_by == "compiled" else left).add(where)
            if where not in LEFT_TO_THE_EXECUTOR:
                assert answered_by == "compiled", (where, answered_by)
    assert left == LEFT_TO_THE_EXECUTOR
    assert len(served) > 100
