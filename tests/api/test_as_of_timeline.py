"""Timelines as they stood (issue 24, items 2 and 5): ``asOf`` on timeline, country, region and person
timelines answers what the same query answered then, and bad input gets typed errors."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from core.changes import encode_cursor as changes_cursor
from events.asof_connection import encode_cursor
from events.models import Event, EventRegion, Participation
from events.services import event_create, event_delete, event_update
from people.models import Person
from tests.api.conftest import GraphQL, post_graphql

pytestmark = pytest.mark.django_db

NODE = """
    slug title summary kind status version
    date { edtf }
    participants { role person { slug } country { code } }
    countries { code } regions { slug } citations { quote source { slug } }
    visit { slug kind hostCountry { code } destinations { slug } }
    treaty { slug name parties { country { code } } }
"""
TIMELINE = f"""
query T($filters: TimelineFilter, $asOf: DateTime, $first: Int, $after: String, $last: Int,
         $before: String) {{
  timeline(filters: $filters, asOf: $asOf, first: $first, after: $after, last: $last, before: $before) {{
    totalCount
    edges {{ cursor node {{ {NODE} }} }}
    pageInfo {{ hasNextPage hasPreviousPage endCursor startCursor }}
  }}
}}
"""
PERSON = "andrzej-duda"


def _timeline(gql: GraphQL, **variables: Any) -> dict[str, Any]:
    body = gql(TIMELINE, variables)
    assert "errors" not in body, body
    return body["data"]["timeline"]


def _nodes(page: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in page["edges"]]


def _error(body: dict[str, Any]) -> dict[str, Any]:
    (error,) = body["errors"]
    return error


def _walk(gql: GraphQL, size: int, **variables: Any) -> list[str]:
    """Every slug of a timeline, page by page."""
    slugs: list[str] = []
    after = None
    while True:
        page = _timeline(gql, first=size, after=after, **variables)
        slugs += [node["slug"] for node in _nodes(page)]
        if not page["pageInfo"]["hasNextPage"]:
            return slugs
        after = page["pageInfo"]["endCursor"]


def test_as_of_before_edits_gives_the_old_page_deleted_events_and_the_old_matches(
    gql: GraphQL, editor: User
) -> None:
    every = _timeline(gql, first=100)
    with_person = _timeline(gql, filters={"person": PERSON}, first=100)
    theirs = [node["slug"] for node in _nodes(with_person)]
    others = [Event.objects.get(slug=node["slug"]) for node in _nodes(every) if node["slug"] not in theirs]
    assert theirs and len(others) >= 2, "the seeds give the person events, and others"
    before = timezone.now()
    retitled, deleted = others[0], others[1]
    old_title = retitled.title
    event_update(actor=editor, reason="retitled", event=retitled, fields={"title": "Retitled"})
    event_delete(actor=editor, reason="gone", event=deleted)
    # The person no longer takes part: the live filter drops the event, the old one matched it.
    # (Not a visit: the services keep a visit's visitor among its participants.)
    moved = Event.objects.filter(slug__in=theirs, visit__isnull=True).order_by("pk").first()
    someone_else = Person.objects.exclude(slug=PERSON).order_by("pk").first()
    event_update(
        actor=editor,
        reason="wrong person",
        event=moved,
        fields={},
        participants=[{"role": "HOST", "person": someone_else}],
    )
    event_create(
        actor=editor,
        fields={"slug": "later-meeting", "title": "Later", "kind": "MEETING", "date": "2001-01"},
        participants=[{"role": "VISITOR", "person": Person.objects.get(slug=PERSON)}],
    )
    now_every = [node["slug"] for node in _nodes(_timeline(gql, first=100))]
    now_theirs = [node["slug"] for node in _nodes(_timeline(gql, filters={"person": PERSON}, first=100))]
    assert deleted.slug not in now_every and "later-meeting" in now_every
    assert moved.slug not in now_theirs and "later-meeting" in now_theirs

    old_every = _timeline(gql, first=100, asOf=before.isoformat())
    assert _nodes(old_every) == _nodes(every)
    assert "Retitled" not in str(old_every) and old_title in str(old_every)
    assert old_every["totalCount"] == every["totalCount"]
    assert old_every["pageInfo"]["hasNextPage"] is every["pageInfo"]["hasNextPage"] is False
    old_theirs = _timeline(gql, filters={"person": PERSON}, first=100, asOf=before.isoformat())
    assert _nodes(old_theirs) == _nodes(with_person)
    # At a moment after the edits, the answer is today's.
    later = _timeline(gql, first=100, asOf=timezone.now().isoformat())
    assert _nodes(later) == _nodes(_timeline(gql, first=100))


def test_pages_of_an_as_of_timeline_walk_it_without_gaps_or_repeats(gql: GraphQL, editor: User) -> None:
    whole = [node["slug"] for node in _nodes(_timeline(gql, first=100))]
    before = timezone.now()
    event_delete(actor=editor, reason="gone", event=Event.objects.get(slug=whole[1]))
    event_update(
        actor=editor, reason="moved", event=Event.objects.get(slug=whole[0]), fields={"date": "2099"}
    )
    assert _walk(gql, 3, asOf=before.isoformat()) == whole
    last = _timeline(gql, last=2, asOf=before.isoformat())
    assert [node["slug"] for node in _nodes(last)] == whole[-2:]
    assert last["pageInfo"]["hasPreviousPage"] is True
    back = _timeline(gql, last=1, before=last["pageInfo"]["startCursor"], asOf=before.isoformat())
    assert [node["slug"] for node in _nodes(back)] == whole[-3:-2]


def test_the_kind_status_and_date_filters_read_the_old_row(gql: GraphQL, editor: User) -> None:
    event = Event.objects.filter(kind="MEETING").order_by("pk").first()
    filters = {
        "kinds": ["MEETING"],
        "from": event.date_earliest.isoformat(),
        "to": event.date_latest.isoformat(),
    }
    before = timezone.now()
    event_update(actor=editor, reason="re-kinded", event=event, fields={"kind": "STATEMENT"})
    assert event.slug not in [n["slug"] for n in _nodes(_timeline(gql, filters=filters))]
    assert event.slug in [n["slug"] for n in _nodes(_timeline(gql, filters=filters, asOf=before.isoformat()))]


def test_country_region_and_person_timelines_take_as_of(gql: GraphQL, editor: User) -> None:
    link = EventRegion.objects.select_related("region__country", "event").order_by("pk").first()
    region, country, event = link.region, link.region.country, link.event
    before = timezone.now()
    event_update(
        actor=editor, reason="unplaced", event=event, fields={}, regions=[], countries=[], participants=[]
    )
    query = """
    query Q($slug: String!, $code: String!, $asOf: DateTime) {
      region(slug: $slug) { timeline(asOf: $asOf, first: 100) { edges { node { slug } } } }
      country(code: $code) { timeline(asOf: $asOf, first: 100) { edges { node { slug } } } }
    }"""
    now = gql(query, {"slug": region.slug, "code": country.code})
    then = gql(query, {"slug": region.slug, "code": country.code, "asOf": before.isoformat()})
    assert "errors" not in then, then
    for field in ("region", "country"):
        assert event.slug in [e["node"]["slug"] for e in then["data"][field]["timeline"]["edges"]]
    assert event.slug not in [e["node"]["slug"] for e in now["data"]["region"]["timeline"]["edges"]]


def test_a_person_read_as_of_gives_their_timeline_as_of_the_same_moment(gql: GraphQL, editor: User) -> None:
    event = Participation.objects.filter(person__slug=PERSON).order_by("pk").first().event
    before = timezone.now()
    event_delete(actor=editor, reason="gone", event=event)
    query = """query($asOf: DateTime) { person(slug: "andrzej-duda", asOf: $asOf) {
      timeline(first: 100) { edges { node { slug } } } } }"""
    then = gql(query, {"asOf": before.isoformat()})
    assert event.slug in [e["node"]["slug"] for e in then["data"]["person"]["timeline"]["edges"]]


def test_as_of_before_the_record_began_or_in_the_future_is_a_typed_error(gql: GraphQL) -> None:
    first = Event.history.order_by("history_date").first().history_date
    early = _error(gql(TIMELINE, {"asOf": (first - timedelta(days=1)).isoformat()}))
    assert early["extensions"]["code"] == "INVALID_FILTER" and "before the first record" in early["message"]
    future = _error(gql(TIMELINE, {"asOf": (timezone.now() + timedelta(days=1)).isoformat()}))
    assert future["extensions"]["code"] == "INVALID_FILTER" and "in the future" in future["message"]
    event = _error(gql('query($a: DateTime) { event(slug: "x", asOf: $a) { slug } }', {"a": "2999-01-01"}))
    assert event["extensions"]["code"] == "INVALID_FILTER"


def test_an_unknown_slug_as_of_then_is_a_typed_error(gql: GraphQL) -> None:
    body = gql(TIMELINE, {"asOf": timezone.now().isoformat(), "filters": {"person": "nobody-at-all"}})
    error = _error(body)
    assert error["extensions"]["code"] == "INVALID_FILTER" and "nobody-at-all" in error["message"]


@pytest.mark.parametrize(
    ("document", "variables"),
    [
        (TIMELINE, {"asOf": "last tuesday"}),
        (TIMELINE, {"asOf": "2026-13-45T99:00:00"}),
        (TIMELINE, {"asOf": 20260101}),
        ('query($a: DateTime) { event(slug: "x", asOf: $a) { slug } }', {"a": "yesterday"}),
        ('query($a: DateTime) { person(slug: "x", asOf: $a) { slug } }', {"a": "2026-02-30"}),
        (
            'query($a: DateTime) { country(code: "UA") { timeline(asOf: $a) { edges { cursor } } } }',
            {"a": "soon"},
        ),
        (
            "query($f: ChangesFilter) { changes(filters: $f) { edges { cursor } } }",
            {"f": {"since": "yesterday"}},
        ),
        ('{ timeline(asOf: "not a moment") { edges { cursor } } }', {}),
        ('{ changes(filters: {since: "x"}) { edges { cursor } } }', {}),
    ],
)
def test_a_malformed_as_of_or_since_is_invalid_filter(
    client: Client, seeded: None, document: str, variables: dict
) -> None:
    response = post_graphql(client, document, variables)
    error = _error(response.json())
    assert error["extensions"]["code"] == "INVALID_FILTER", error
    assert "is not a moment" in error["message"] and "ISO 8601" in error["message"]


def test_a_cursor_from_another_list_or_moment_is_invalid_cursor(gql: GraphQL) -> None:
    moment = timezone.now()
    live = _timeline(gql, first=1)["pageInfo"]["endCursor"]
    other_moment = encode_cursor(moment - timedelta(seconds=1), Event.objects.order_by("pk").first().pk)
    cases = [
        (live, "same asOf"),
        (changes_cursor(1), "same asOf"),
        ("garbage", "same asOf"),
        (other_moment, "made for asOf"),
        (encode_cursor(moment, 10**12), "not in this answer"),
    ]
    for cursor, words in cases:
        error = _error(gql(TIMELINE, {"asOf": moment.isoformat(), "first": 1, "after": cursor}))
        assert error["extensions"]["code"] == "INVALID_CURSOR", (cursor, error)
        assert words in error["message"]
    # An as-of cursor is not one of the live timeline's either.
    as_of = _timeline(gql, first=1, asOf=moment.isoformat())["pageInfo"]["endCursor"]
    error = _error(gql(TIMELINE, {"first": 1, "after": as_of}))
    assert error["extensions"]["code"] == "INVALID_CURSOR"
