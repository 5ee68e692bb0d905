"""Timeline filters over the API: overlap windows, places, people, kinds, status, search, errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from events.models import Citation, Event, EventRegion, Source
from events.services import event_create, visit_create
from people.models import Person
from places.models import Country, Region
from tests.api.conftest import GraphQL

TIMELINE = """query ($filters: TimelineFilter, $ordering: TimelineOrdering! = TIMELINE) {
  timeline(filters: $filters, ordering: $ordering, first: 100) { totalCount edges { node { slug } } } }"""


def slugs(gql: GraphQL, **filters: Any) -> list[str]:
    body = gql(TIMELINE, {"filters": filters})
    assert "errors" not in body, body
    found = [edge["node"]["slug"] for edge in body["data"]["timeline"]["edges"]]
    assert body["data"]["timeline"]["totalCount"] == len(found)
    return found


def error_of(gql: GraphQL, **filters: Any) -> dict[str, Any]:
    body = gql(TIMELINE, {"filters": filters})
    assert body["data"] is None
    [error] = body["errors"]
    return error


@pytest.fixture
def dated(seeded: None) -> None:
    Event.objects.create(slug="may-2024", kind="OTHER", title="Some day in May 2024", date="2024-05")
    Event.objects.create(slug="open-end", kind="MILITARY", title="Full-scale invasion", date="2022-02-24/..")
    Event.objects.create(slug="open-start", kind="OTHER", title="Before 2000", date="../1999-12")
    Event.objects.create(slug="june-2024-day", kind="OTHER", title="A June day", date="2024-06-11")


def test_a_month_overlaps_a_window_inside_and_across_it(gql: GraphQL, dated: None) -> None:
    found = slugs(gql, **{"from": "2024-05-20", "to": "2024-06-10"})
    assert "may-2024" in found
    assert "june-2024-day" not in found  # the day after the window
    assert "open-end" in found  # begun in 2022, not ended
    assert "open-start" not in found


def test_window_open_at_the_end(gql: GraphQL, dated: None) -> None:
    found = slugs(gql, **{"from": "2024-06-01"})
    assert {"june-2024-day", "open-end", "chervona-zirka-capture-claim"} <= set(found)
    assert "may-2024" not in found
    assert "open-start" not in found


def test_window_open_at_the_start(gql: GraphQL, dated: None) -> None:
    found = slugs(gql, to="2000-01-01")
    assert "open-start" in found  # ended before 2000, start unknown
    assert "open-end" not in found
    assert "may-2024" not in found


def test_window_bounds_are_inclusive(gql: GraphQL, dated: None) -> None:
    assert "june-2024-day" in slugs(gql, **{"from": "2024-06-11", "to": "2024-06-11"})
    assert "may-2024" in slugs(gql, **{"from": "2024-05-31", "to": "2024-05-31"})


def test_a_window_ending_before_it_starts_is_an_error(gql: GraphQL) -> None:
    error = error_of(gql, **{"from": "2024-06-10", "to": "2024-05-20"})
    assert error["message"] == "The window ends before it starts: from 2024-06-10 is after to 2024-05-20."
    assert error["extensions"] == {"code": "INVALID_FILTER"}


def test_region_includes_regions_at_any_depth_below(gql: GraphQL) -> None:
    found = slugs(gql, region="donetsk-oblast")
    assert {"chervona-zirka-capture-claim", "syrskyi-kostiantynivka-statement"} <= set(found)
    assert "duda-zelenskyy-meeting" not in found
    assert slugs(gql, region="chervona-zirka") == ["chervona-zirka-capture-claim"]


def test_region_includes_visits_to_it(gql: GraphQL) -> None:
    assert "duda-first-visit-kyiv" in slugs(gql, region="kyiv")


@pytest.mark.usefixtures("country_plan")
def test_region_includes_visits_whose_event_was_written_without_the_region(gql: GraphQL) -> None:
    # The visit services put the destination on the event (the visit mirror, issue 8).
    event = event_create(
        actor=None,
        fields={"slug": "village-visit", "kind": "VISIT", "title": "A village visit", "date": "2025-03"},
    )
    visit_create(
        actor=None,
        fields={
            "slug": "village-visit",
            "event": event,
            "visitor": Person.objects.get(slug="oleksandr-syrskyi"),
            "host_country": Country.objects.get(code="UA"),
        },
        destinations=[Region.objects.get(slug="chervona-zirka")],
    )
    assert "village-visit" in slugs(gql, region="donetsk-oblast")
    assert "village-visit" in slugs(gql, region="chervona-zirka")
    assert "village-visit" in slugs(gql, country="UA")
    assert "village-visit" not in slugs(gql, region="kyiv")


def test_region_filter_needs_no_distinct(gql: GraphQL) -> None:
    # An event in two regions of one oblast appears once.
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    EventRegion.objects.create(event=event, region=Region.objects.get(slug="donetsk-oblast"))
    found = slugs(gql, region="donetsk-oblast")
    assert found.count("chervona-zirka-capture-claim") == 1


@pytest.fixture(params=["few events", "busy"])
def country_plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a country test through both query plans of the country filter."""
    if request.param == "busy":
        monkeypatch.setattr("events.selectors.BUSY_COUNTRY_EVENTS", 1)


@pytest.mark.usefixtures("country_plan")
def test_country_takes_its_regions_its_participants_and_its_visits(gql: GraphQL) -> None:
    found = set(slugs(gql, country="ua"))
    assert "chervona-zirka-capture-claim" in found  # in a Ukrainian village
    assert "duda-zelenskyy-meeting" in found  # Ukraine takes part
    assert "duda-first-visit-kyiv" in found  # hosted by Ukraine
    assert "lyubimova-north-korea-visit" not in found
    assert "lyubimova-north-korea-visit" in set(slugs(gql, country="KP"))


def test_country_code_in_filters_is_case_insensitive(gql: GraphQL) -> None:
    assert slugs(gql, country="pl") == slugs(gql, country="PL")
    assert slugs(gql, country="pl")


def test_person_in_any_role_including_visitor(gql: GraphQL) -> None:
    found = set(slugs(gql, person="andrzej-duda"))
    assert {"duda-first-visit-kyiv", "duda-zelenskyy-meeting"} <= found  # visitor; participant
    assert "duda-zelenskyy-meeting" in slugs(gql, person="volodymyr-zelenskyy")  # speaker
    assert "syrskyi-kostiantynivka-statement" in slugs(gql, person="oleksandr-syrskyi")  # speaker


@pytest.mark.usefixtures("country_plan")
def test_person_as_visitor_of_an_event_written_without_participants(gql: GraphQL) -> None:
    event = event_create(
        actor=None,
        fields={"slug": "quiet-visit", "kind": "VISIT", "title": "An unannounced visit", "date": "2025-02"},
    )
    visit_create(
        actor=None,
        fields={
            "slug": "quiet-visit",
            "event": event,
            "visitor": Person.objects.get(slug="olga-lyubimova"),
            "host_country": Country.objects.get(code="KP"),
        },
    )
    assert "quiet-visit" in slugs(gql, person="olga-lyubimova")
    assert "quiet-visit" in slugs(gql, country="kp")  # hosted by it


def test_kinds_and_status(gql: GraphQL) -> None:
    claimed = slugs(gql, status=["CLAIMED"])
    assert "chervona-zirka-capture-claim" in claimed
    assert "syrskyi-kostiantynivka-statement" not in claimed
    visits = slugs(gql, kinds=["VISIT"])
    assert {"duda-first-visit-kyiv", "lyubimova-north-korea-visit"} <= set(visits)
    assert "duda-zelenskyy-meeting" not in visits
    assert set(slugs(gql, kinds=["VISIT", "MEETING"])) >= {"duda-zelenskyy-meeting", "duda-first-visit-kyiv"}
    assert slugs(gql, kinds=[]) == []


def test_filters_combine(gql: GraphQL) -> None:
    assert slugs(gql, person="andrzej-duda", kinds=["MEETING"]) == ["duda-zelenskyy-meeting"]
    claimed = slugs(gql, region="donetsk-oblast", status=["CLAIMED"], **{"from": "2025-01-01"})
    assert "chervona-zirka-capture-claim" in claimed
    assert slugs(gql, region="donetsk-oblast", status=["CLAIMED"], to="2024-12-31") == []


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"region": "nowhere"}, "Unknown region slug 'nowhere'."),
        ({"person": "nobody"}, "Unknown person slug 'nobody'."),
        ({"country": "zz"}, "Unknown country code 'zz': use ISO 3166-1 alpha-2, e.g. 'UA'."),
    ],
)
def test_unknown_slug_or_code_in_a_filter_is_a_clear_error(
    gql: GraphQL, filters: dict[str, str], message: str
) -> None:
    error = error_of(gql, **filters)
    assert error["message"] == message
    assert error["extensions"] == {"code": "INVALID_FILTER"}
    assert error["path"] == ["timeline"]


def test_unknown_codes_in_treaty_and_visit_filters(gql: GraphQL) -> None:
    body = gql('{ treaties(filters: {parties: ["RU", "xx"]}) { totalCount } }')
    assert body["errors"][0]["message"] == (
        "Unknown country code 'xx': use ISO 3166-1, alpha-2 (PL) or alpha-3 (POL)."
    )
    body = gql('{ visits(filters: {visitor: "nobody"}) { totalCount } }')
    assert body["errors"][0]["message"] == "Unknown person slug 'nobody'."


@pytest.fixture
def searchable(seeded: None) -> None:
    source = Source.objects.create(slug="quote-source", title="Agency", text="He praised the xylograph.")
    quoted = Event.objects.create(slug="quoted", kind="OTHER", title="A plain title", date="2019-01")
    Citation.objects.create(event=quoted, source=source, quote="praised the xylograph")
    Event.objects.create(slug="in-title", kind="OTHER", title="Xylograph xylograph show", date="2021-01")
    Event.objects.create(
        slug="in-summary", kind="OTHER", title="Another show", summary="With a xylograph.", date="2020-01"
    )


@pytest.fixture(params=["rare words", "common words"])
def search_plan(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a search test through both PostgreSQL query plans of the search filter."""
    if request.param == "common words":
        monkeypatch.setattr("events.search.BUSY_SEARCH_EVENTS", 1)


@pytest.mark.usefixtures("search_plan")
def test_search_over_titles_summaries_and_quotes(gql: GraphQL, searchable: None) -> None:
    assert slugs(gql, search="xylograph") == ["quoted", "in-summary", "in-title"]  # timeline order
    # Every word, within the event's own text or within one quote.
    assert slugs(gql, search="plain xylograph") == []
    assert slugs(gql, search="praised xylograph") == ["quoted"]
    assert slugs(gql, search="XYLOGRAPH show") == ["in-summary", "in-title"]
    assert "duda-zelenskyy-meeting" in slugs(gql, search="Zelenskyy")
    assert slugs(gql, search="zzyzx") == []


def test_search_by_relevance(gql: GraphQL, searchable: None) -> None:
    body = gql(TIMELINE, {"filters": {"search": "xylograph"}, "ordering": "RELEVANCE"})
    ranked = [edge["node"]["slug"] for edge in body["data"]["timeline"]["edges"]]
    if connection.vendor == "postgresql":
        assert ranked[0] == "in-title"  # twice, in the title
    else:
        assert ranked == ["quoted", "in-summary", "in-title"]  # no ranking on SQLite: timeline order


@pytest.mark.usefixtures("search_plan")
def test_search_matches_word_forms_on_postgresql(gql: GraphQL) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("stemming is PostgreSQL full-text search; SQLite matches substrings")
    assert "chervona-zirka-capture-claim" in slugs(gql, search="claiming captures")


def test_nested_timeline_takes_filters_too(gql: GraphQL) -> None:
    body = gql(
        """{ region(slug: "donetsk-oblast") {
               timeline(filters: {kinds: [STATEMENT]}) { edges { node { slug } } } }
             person(slug: "andrzej-duda") { timeline(filters: {person: "volodymyr-zelenskyy"}) {
               edges { node { slug } } } } }"""
    )
    region = [e["node"]["slug"] for e in body["data"]["region"]["timeline"]["edges"]]
    assert "syrskyi-kostiantynivka-statement" in region
    assert "chervona-zirka-capture-claim" not in region
    both = {e["node"]["slug"] for e in body["data"]["person"]["timeline"]["edges"]}
    assert both == {"duda-zelenskyy-meeting"}


def test_relevance_order_pages_with_stable_cursors(gql: GraphQL, searchable: None) -> None:
    for i in range(4):
        Event.objects.create(slug=f"more-{i}", kind="OTHER", title="Xylograph " * (i + 1), date=f"200{i}")
    query = """query ($after: String) {
      timeline(first: 2, after: $after, ordering: RELEVANCE, filters: {search: "xylograph"}) {
        edges { node { slug } } pageInfo { hasNextPage endCursor } } }"""
    seen: list[str] = []
    after = None
    while True:
        page = gql(query, {"after": after})["data"]["timeline"]
        seen += [edge["node"]["slug"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    everything = gql(TIMELINE, {"filters": {"search": "xylograph"}, "ordering": "RELEVANCE"})
    assert seen == [edge["node"]["slug"] for edge in everything["data"]["timeline"]["edges"]]
    assert len(seen) == len(set(seen)) == 7
