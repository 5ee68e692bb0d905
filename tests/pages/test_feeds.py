"""Atom feeds of explorer queries: valid Atom read back by feedparser, corrections as updates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import feedparser
import pytest
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.test import Client

from events import feeds
from events.models import Event, EventKind, ParticipantRole, Participation
from events.services.events import event_update
from people.models import Person
from tests.events.factories import make_event
from tests.pages.conftest import DUDA_KYIV, add_events

pytestmark = pytest.mark.django_db


def parsed(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception  # well-formed XML, Atom as feedparser knows it
    assert feed.version == "atom10"
    return feed


@pytest.fixture
def editor() -> Any:
    return get_user_model().objects.create_user("feed-editor-private-name", password="x", is_staff=True)


def test_a_persons_feed_lists_their_events_and_a_correction_as_an_update(client: Client, editor: Any) -> None:
    before = parsed(client, "/feed.atom?person=andrzej-duda")
    assert before.feed.title == "Chancery — Timeline: Andrzej Duda"
    assert before.feed.link.endswith("/?person=andrzej-duda")
    links = {e.link.rsplit("/", 2)[-2] for e in before.entries}
    duda = Person.objects.get(slug="andrzej-duda")
    assert links == set(Event.objects.filter(participants__person=duda).values_list("slug", flat=True))
    assert DUDA_KYIV in links

    event = Event.objects.get(slug=DUDA_KYIV)
    event_update(
        actor=editor,
        reason="Title shortened",
        event=event,
        fields={"title": "Duda visits Kyiv", "summary": "The first head of state to come."},
    )
    after = parsed(client, "/feed.atom?person=andrzej-duda")
    first = after.entries[0]  # the corrected event is now the newest entry
    assert first.title == "Duda visits Kyiv"
    assert first.link.endswith(f"/events/{DUDA_KYIV}/")
    assert first.id == f"tag:chancery,2024:event/{event.pk}"  # the same entry as before, updated
    assert first.id in {e.id for e in before.entries}
    assert first.updated_parsed > first.published_parsed
    assert "corrected title, summary (reason: Title shortened)" in first.summary
    assert "added" in first.summary
    # Editors' usernames stay private.
    assert "feed-editor-private-name" not in after.entries[0].summary
    assert b"feed-editor-private-name" not in client.get("/feed.atom?person=andrzej-duda").content


def test_feeds_for_country_region_and_kind_filters(client: Client) -> None:
    country = parsed(client, "/feed.atom?country=UA")
    region = parsed(client, "/feed.atom?region=donetsk-oblast")
    kind = parsed(client, "/feed.atom?kind=MILITARY")
    assert country.entries and region.entries and kind.entries
    military = set(Event.objects.filter(kind=EventKind.MILITARY).values_list("slug", flat=True))
    assert {e.link.rsplit("/", 2)[-2] for e in kind.entries} == military
    assert {t.term for e in kind.entries for t in e.tags} >= {"Military"}
    assert len({e.id for e in country.entries}) == len(country.entries)


def test_a_feed_holds_the_newest_edited_events_only(client: Client) -> None:
    add_events(feeds.FEED_SIZE + 5)
    entries = parsed(client, "/feed.atom?region=donetsk-oblast").entries
    assert len(entries) == feeds.FEED_SIZE
    updated = [e.updated_parsed for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_the_feed_statements_do_not_grow_with_its_entries(
    client: Client, count_statements: Callable[[Client, str], tuple[int, Any]]
) -> None:
    add_events(3, prefix="few")
    few, _ = count_statements(client, "/feed.atom?region=donetsk-oblast")
    add_events(40, prefix="many")
    many, _ = count_statements(client, "/feed.atom?region=donetsk-oblast")
    assert many == few


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("person=nobody-at-all", "No person is called 'nobody-at-all'"),
        ("country=XX", "XX"),
        ("region=atlantis", "atlantis"),
        ("kind=PICNIC", "PICNIC"),
        ("from=2025&to=2024", "The window ends before it starts"),
        ("from=yesterday", "'yesterday' is not a date"),
    ],
)
def test_a_bad_filter_is_refused_with_the_explorers_message(client: Client, query: str, message: str) -> None:
    count = Event.objects.count()
    response = client.get(f"/feed.atom?{query}")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert any(message in e for e in errors), errors
    assert response.json()["code"] == "INVALID_FILTER"
    explorer = client.get(f"/?{query}")
    assert explorer.status_code == 400
    assert all(e in explorer.content.decode().replace("&#x27;", "'") for e in errors)
    assert Event.objects.count() == count  # a read: nothing written


def test_a_name_matching_several_people_asks_for_one(client: Client) -> None:
    Person.objects.create(slug="andrzej-duda-2", name="Andrzej Duda")
    response = client.get("/feed.atom?person=Andrzej Duda")
    assert response.status_code == 400
    assert "several people match" in response.json()["errors"][0]
    assert "andrzej-duda-2" in response.json()["errors"][0]


def test_an_unchanged_feed_answers_304_until_the_data_changes(client: Client) -> None:
    response = client.get("/feed.atom?kind=VISIT")
    etag = response["ETag"]
    assert client.get("/feed.atom?kind=VISIT", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/feed.atom?kind=MEETING", HTTP_IF_NONE_MATCH=etag).status_code == 200
    event = make_event("new-visit", kind=EventKind.VISIT)
    Participation.objects.create(event=event, role=ParticipantRole.VISITOR, person=Person.objects.first())
    fresh = client.get("/feed.atom?kind=VISIT", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200
    assert "New visit" in fresh.content.decode()


ALTERNATE = '<link rel="alternate" type="application/atom+xml"'


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/?person=andrzej-duda&kind=VISIT", "/feed.atom?person=andrzej-duda&amp;kind=VISIT"),
        ("/", "/feed.atom"),
        ("/people/andrzej-duda/", "/feed.atom?person=andrzej-duda"),
        ("/countries/UA/", "/feed.atom?country=UA"),
        ("/regions/donetsk-oblast/", "/feed.atom?region=donetsk-oblast"),
        (f"/events/{DUDA_KYIV}/", "/feed.atom?person=andrzej-duda"),
        (f"/events/{DUDA_KYIV}/", "/feed.atom?country=UA"),
        (
            "/treaties/russia-north-korea-comprehensive-strategic-partnership-treaty/",
            "/feed.atom?kind=TREATY&amp;country=KP",
        ),
    ],
)
def test_pages_link_their_feed(client: Client, page: str, feed: str) -> None:
    html = client.get(page).content.decode()
    heads = [line for line in html.splitlines() if ALTERNATE in line]
    assert any(f'href="{feed}"' in line for line in heads), heads
    # The linked feed is a feed.
    parsed(client, feed.replace("&amp;", "&"))


@pytest.mark.parametrize("recent_rows", [1, 10, 100_000])
def test_the_newest_history_first_and_the_whole_query_give_the_same_entries(
    client: Client, monkeypatch: pytest.MonkeyPatch, recent_rows: int
) -> None:
    add_events(12)
    Event.objects.get(slug="test-extra-003").save()  # an edit: newest now
    expected = [
        e.pk for e in feeds._latest(Event.objects.filter(region_links__region__slug="donetsk-oblast"), 5)
    ]
    monkeypatch.setattr(feeds, "RECENT_ROWS", recent_rows)
    timeline = feeds.timeline_from(QueryDict("region=donetsk-oblast"))
    assert [e.pk for e in feeds.feed_events(timeline.events(), size=5)] == expected
    assert expected[0] == Event.objects.get(slug="test-extra-003").pk


def test_a_feed_selecting_nothing_is_empty_and_says_why(client: Client) -> None:
    feed = parsed(client, "/feed.atom?kind=CULTURAL&country=KP")
    assert feed.entries == []
    assert feed.feed.subtitle.startswith("No event matches these filters yet")


def test_an_entry_lists_its_latest_edits_and_counts_the_older(client: Client, editor: Any) -> None:
    event = Event.objects.get(slug=DUDA_KYIV)
    for n in range(feeds.EDITS_SHOWN + 2):
        event_update(actor=editor, reason=f"edit {n}", event=event, fields={"summary": f"Summary {n}"})
    entry = next(e for e in parsed(client, "/feed.atom?person=andrzej-duda").entries if DUDA_KYIV in e.link)
    assert entry.summary.count("<li>") == feeds.EDITS_SHOWN + 1
    assert f"reason: edit {feeds.EDITS_SHOWN + 1}" in entry.summary and "reason: edit 0)" not in entry.summary
    assert "and 3 earlier edits" in entry.summary  # the import's "added" and edits 0 and 1


def test_the_walk_breaks_ties_of_one_moment_as_the_feed_orders_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """Events last edited at one moment (one import) are listed highest id first, and the walk of
    the newest rows agrees with the whole query even when its cut falls among them."""
    add_events(6)
    extra = Event.objects.filter(slug__startswith="test-extra-")
    moment = Event.history.order_by("-history_date").values_list("history_date", flat=True)[0]
    Event.history.filter(id__in=extra.values("pk")).update(history_date=moment)
    # Lowest id written last: the history's own order (history_id) is the feed's reversed.
    for event in extra.order_by("-pk"):
        Event.history.filter(id=event.pk).update(
            history_id=Event.history.order_by("-history_id")[0].history_id + 1
        )
    expected = [
        e.pk for e in feeds._latest(Event.objects.filter(region_links__region__slug="donetsk-oblast"), 2)
    ]
    assert expected == sorted(extra.values_list("pk", flat=True), reverse=True)[:2]
    monkeypatch.setattr(feeds, "RECENT_ROWS", 2)
    timeline = feeds.timeline_from(QueryDict("region=donetsk-oblast"))
    assert [e.pk for e in feeds.feed_events(timeline.events(), size=2)] == expected


def test_deletions_newer_than_every_edit_leave_the_walk_its_answer(
    monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    """A clean-up's deletions are the newest rows: the walk steps over them (none is in its index)
    and answers from the newest edits, without aggregating the whole query's history."""
    add_events(5, prefix="doomed")
    add_events(8)
    Event.objects.filter(slug__startswith="test-doomed-").delete()  # one "-" row each, newest of all
    assert Event.history.order_by("-history_date", "-history_id")[0].history_type == "-"
    expected = [
        e.pk for e in feeds._latest(Event.objects.filter(region_links__region__slug="donetsk-oblast"), 3)
    ]
    monkeypatch.setattr(feeds, "RECENT_ROWS", 5)
    selected = feeds.timeline_from(QueryDict("region=donetsk-oblast")).events()
    # The walk and the entries it found: two statements, no third reading every event's history.
    with django_assert_num_queries(2):
        found = [e.pk for e in feeds.feed_events(selected, size=3)]
    assert found == expected
    assert not Event.objects.filter(slug__startswith="test-doomed-").exists()
