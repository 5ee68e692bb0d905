"""The timeline explorer at /: filters from the URL, the axis items, keyset paging, wrong filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from events import views
from events.models import Event
from tests.pages.conftest import DUDA_KYIV, add_events

pytestmark = pytest.mark.django_db


def axis(response: Any) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in response.context["axis_items"]}


def slugs(response: Any) -> list[str]:
    return [e.slug for e in response.context["events"]]


def test_the_explorer_shows_every_seeded_event_oldest_first(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert len(slugs(response)) == min(Event.objects.count(), views.PAGE_SIZE) >= 14
    # "Oldest first" as a reader means it: an open start ("../…") follows every dated event,
    # its date saying "until …" (events.selectors.reading_page), never leads the list.
    assert slugs(response)[0] == "full-scale-invasion"
    assert slugs(response)[-1] == "eastern-ukraine-offensive-damage"
    html = response.content.decode()
    assert "Andrzej Duda, first head of state to visit Kyiv after the invasion" in html
    assert "between 24 February 2022 and 6 August 2025" in html
    assert 'id="axis-items"' in html and "<script src=" in html and "cdn" not in html.lower()


def test_the_duda_kyiv_visit_is_one_uncertain_day_not_a_three_year_span(client: Client) -> None:
    item = axis(client.get("/"))[DUDA_KYIV]
    assert (item["shape"], item["start"], item["end"]) == ("within", "2022-02-24", "2025-08-06")
    assert item["description"] == "one day, not known exactly: between 24 February 2022 and 6 August 2025"


def test_spans_keep_open_and_known_ends_apart(client: Client) -> None:
    items = axis(client.get("/"))
    hub = items["poland-logistics-hub"]
    assert (hub["shape"], hub["start"], hub["end"], hub["endState"]) == ("span", "2022-02-24", None, "open")
    damage = items["eastern-ukraine-offensive-damage"]
    assert (damage["start"], damage["startState"], damage["end"]) == (None, "open", "2025-08-06")
    assert items["full-scale-invasion"]["shape"] == "point"


def test_filter_by_person_accepts_a_slug_or_a_name(client: Client) -> None:
    expected = ["duda-first-visit-kyiv", "duda-zelenskyy-meeting"]
    assert slugs(client.get("/?person=andrzej-duda")) == expected
    by_name = client.get("/", {"person": "andrzej duda"})
    assert slugs(by_name) == expected
    assert by_name.context["title"] == "Timeline: Andrzej Duda"


def test_filter_by_region_includes_the_places_within_it(client: Client) -> None:
    found = slugs(client.get("/?region=donetsk-oblast"))
    # Chervona Zirka and Kostiantynivka lie inside Donetsk oblast.
    assert {
        "chervona-zirka-capture-claim",
        "syrskyi-kostiantynivka-statement",
        "kostiantynivka-offensive",
    } <= set(found)
    assert DUDA_KYIV not in found
    assert slugs(client.get("/?region=UA-14")) == found  # the ISO 3166-2 code names it too


def test_kind_status_window_and_search_combine(client: Client) -> None:
    visits = client.get("/?kind=VISIT").context["events"]
    assert {DUDA_KYIV, "lyubimova-north-korea-visit"} <= {e.slug for e in visits}
    assert {e.kind for e in visits} == {"VISIT"}
    claimed = client.get("/?status=CLAIMED").context["events"]
    assert "chervona-zirka-capture-claim" in {e.slug for e in claimed} and {e.status for e in claimed} == {
        "CLAIMED"
    }
    # A month means all its days: the invasion (24 February 2022) is in "to 2022-02", not in "from 2022-03".
    assert "full-scale-invasion" in slugs(client.get("/?to=2022-02"))
    assert "full-scale-invasion" not in slugs(client.get("/?from=2022-03"))
    assert "chervona-zirka-capture-claim" in slugs(client.get("/?q=Chervona"))
    assert slugs(client.get("/?q=Chervona&kind=VISIT")) == []


def test_filters_are_in_the_links_it_hands_out(client: Client) -> None:
    response = client.get("/?person=andrzej-duda&kind=VISIT")
    html = response.content.decode()
    assert 'href="/export/timelinejs.json?person=andrzej-duda&amp;kind=VISIT"' in html
    assert 'value="VISIT" checked' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?person=nobody-at-all", "No person is called &#x27;nobody-at-all&#x27;"),
        ("?country=ZZ", "Unknown country code &#x27;ZZ&#x27;"),
        ("?from=2025-13", "is not a date. Use YYYY-MM-DD, YYYY-MM or YYYY"),
        ("?from=2025&to=2024", "The window ends before it starts"),
        ("?kind=PARTY", "Select a valid choice"),
        ("?after=no-such-event", "Unknown event &#x27;no-such-event&#x27; to page after"),
    ],
)
def test_a_wrong_filter_is_explained_not_a_500(client: Client, query: str, message: str) -> None:
    response = client.get("/" + query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["events"] == []


def test_keyset_pages_walk_every_event_once(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    add_events(12)
    monkeypatch.setattr(views, "PAGE_SIZE", 10)
    seen: list[str] = []
    url = "/?region=donetsk-oblast"
    while url:
        response = client.get(url)
        assert len(slugs(response)) <= 10
        seen += slugs(response)
        next_url = response.context["next_url"]
        url = f"/{next_url}" if next_url else ""
    assert len(seen) == len(set(seen)) == 12 + 4
    assert seen == slugs(client.get("/?region=donetsk-oblast")) + seen[10:]
