"""Timelines as they stood (``asOf``) answered by the compiled read path: byte-identical to the
normal executor, every page, filter and scope; what it cannot serve goes to the executor (issue 24)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from events.models import Event
from events.services import event_delete, event_update
from people.models import Person
from tests.api.test_compiled_reads import both

pytestmark = pytest.mark.django_db

NODE = """
  __typename id slug kind title summary status version note
  date { edtf display earliest latest precision }
  participants { role note person { id slug name } country { code name } }
  countries { id code name }
  regions { slug name }
  citations { quote locator source { slug title publisher } }
  visit { slug kind purpose visitor { name } hostCountry { code } destinations { name } event { slug } }
  treaty { slug name signed { edtf } }
"""
TIMELINE = f"""
query T($first: Int, $last: Int, $after: String, $before: String, $filters: TimelineFilter,
        $asOf: DateTime) {{
  timeline(first: $first, last: $last, after: $after, before: $before, filters: $filters, asOf: $asOf) {{
    totalCount
    edges {{ cursor node {{ {NODE} }} }}
    pageInfo {{ hasNextPage hasPreviousPage startCursor endCursor }}
  }}
}}
"""
SCOPED = f"""
query S($asOf: DateTime, $first: Int, $after: String) {{
  person(slug: "andrzej-duda") {{ slug timeline(asOf: $asOf, first: $first, after: $after) {{
    edges {{ cursor node {{ {NODE} }} }} pageInfo {{ hasNextPage endCursor }} }} }}
  country(code: "UA") {{ code timeline(asOf: $asOf, first: 5) {{ edges {{ node {{ slug title }} }} }} }}
}}
"""


def _same(client: Client, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Assert the compiled path answered, byte-identical to the executor; return the data."""
    compiled, executor, path = both(client, query, variables)
    assert compiled == executor, (path, compiled[1][:3000], executor[1][:3000])
    assert path == "compiled", path
    import json

    body = json.loads(compiled[1])
    assert "errors" not in body, body
    return body["data"]


@pytest.fixture
def before(seeded: None, editor: User) -> datetime:
    """A moment before a retitling, a deletion, a dropped participant and a visit's changed purpose."""
    moment = timezone.now()
    events = list(Event.objects.order_by("date_earliest", "date_latest", "title", "pk"))
    event_update(actor=editor, reason="retitled", event=events[0], fields={"title": "Retitled since"})
    event_delete(actor=editor, reason="gone", event=events[1])
    duda = Event.objects.filter(participants__person__slug="andrzej-duda", visit__isnull=True).first()
    other = Person.objects.exclude(slug="andrzej-duda").order_by("pk").first()
    event_update(
        actor=editor,
        reason="wrong person",
        event=duda,
        fields={},
        participants=[{"role": "HOST", "person": other}],
    )
    return moment


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 100},
        {"first": 3},
        {"first": 0},
        {"first": 20, "filters": {"country": "UA"}},
        {"first": 20, "filters": {"region": "donetsk-oblast"}},
        {"first": 20, "filters": {"person": "andrzej-duda"}},
        {"first": 20, "filters": {"kinds": ["VISIT", "TREATY"]}},
        {"first": 20, "filters": {"from": "2024-01-01", "to": "2024-12-31"}},
        {"first": 20, "filters": {"search": "treaty"}},
        {"last": 4},
    ],
)
def test_a_page_as_of_a_moment_is_the_executors(client: Client, before: datetime, variables: dict) -> None:
    data = _same(client, TIMELINE, {**variables, "asOf": before.isoformat()})
    if variables.get("first") == 100:
        titles = [edge["node"]["title"] for edge in data["timeline"]["edges"]]
        assert "Retitled since" not in titles and len(titles) == data["timeline"]["totalCount"]


def test_paging_forward_and_back_is_the_executors(client: Client, before: datetime) -> None:
    after, seen = None, []
    for _ in range(4):
        page = _same(client, TIMELINE, {"first": 3, "after": after, "asOf": before.isoformat()})["timeline"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        after = page["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == 12
    back = _same(client, TIMELINE, {"last": 2, "before": after, "asOf": before.isoformat()})["timeline"]
    assert [edge["node"]["slug"] for edge in back["edges"]] == seen[-3:-1]


def test_a_person_and_a_country_timeline_as_of_a_moment_are_the_executors(
    client: Client, before: datetime
) -> None:
    data = _same(client, SCOPED, {"asOf": before.isoformat(), "first": 3})
    after = data["person"]["timeline"]["pageInfo"]["endCursor"]
    _same(client, SCOPED, {"asOf": before.isoformat(), "first": 3, "after": after})


@pytest.mark.parametrize(
    "variables",
    [
        {"first": 2, "after": "not-a-cursor"},
        {"first": 2, "after": "YXJyYXljb25uZWN0aW9uOjE="},  # a live list's kind of cursor
        {"first": 2, "asOf": "2000-01-01T00:00:00Z"},  # before anything was recorded
        {"first": 2, "filters": {"region": "no-such-region"}},
        {"first": 101},
    ],
)
def test_what_the_list_refuses_gets_the_executors_error(
    client: Client, before: datetime, variables: dict
) -> None:
    variables = {"asOf": before.isoformat(), **variables}
    compiled, executor, path = both(client, TIMELINE, variables)
    assert compiled == executor
    assert b'"errors"' in compiled[1] and path.startswith("executor"), path


def test_a_moment_to_come_is_refused_as_the_executor_refuses_it(client: Client, before: datetime) -> None:
    later = (timezone.now() + timedelta(days=1)).isoformat()
    compiled, executor, path = both(client, TIMELINE, {"first": 2, "asOf": later})
    assert compiled == executor and b"in the future" in compiled[1] and path.startswith("executor")


def test_a_relation_the_list_did_not_read_goes_to_the_executor(client: Client, before: datetime) -> None:
    # A participant's person's roles are not rebuilt with an as-of page (core.asof reads a list's
    # targets as they are now, not their own lists): the executor answers.
    query = (
        "query($asOf: DateTime) { timeline(first: 5, asOf: $asOf) { edges { node { slug "
        "participants { person { slug roles { title } } } } } } }"
    )
    compiled, executor, path = both(client, query, {"asOf": before.isoformat()})
    assert compiled == executor
    assert path.startswith("executor; reason="), path
