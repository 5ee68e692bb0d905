"""The ``changes`` feed (issue 24): every edit of a public record once, in commit order."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client

from core.changes import encode_cursor
from core.models import Change
from events.models import Event
from events.services import event_create, event_delete, event_update
from people.models import Person
from tests.api.conftest import GraphQL, post_graphql

pytestmark = pytest.mark.django_db

FEED = """
query Feed($after: String, $first: Int, $filters: ChangesFilter) {
  changes(after: $after, first: $first, filters: $filters) {
    edges { cursor node { editId at kind model slug previousSlug author reason
                          changes { field old new } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


def _last_cursor() -> str | None:
    last = Change.objects.order_by("-id").first()
    return encode_cursor(last.id) if last else None


def _page(gql: GraphQL, **variables: Any) -> dict[str, Any]:
    body = gql(FEED, variables)
    assert "errors" not in body, body
    return body["data"]["changes"]


@pytest.fixture
def named_editor(editor: User) -> User:
    editor.first_name, editor.last_name = "Ada", "Lovelace"
    editor.save()
    return editor


def test_a_title_edit_is_listed_with_old_and_new_and_a_stored_cursor_gets_exactly_it(
    gql: GraphQL, named_editor: User
) -> None:
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    old_title = event.title
    cursor = _last_cursor()
    event_update(actor=named_editor, reason="typo in the title", event=event, fields={"title": "Corrected"})
    page = _page(gql, after=cursor)
    assert len(page["edges"]) == 1
    node = page["edges"][0]["node"]
    assert (node["kind"], node["model"], node["slug"], node["previousSlug"]) == (
        "CHANGED",
        "EVENT",
        "chervona-zirka-capture-claim",
        None,
    )
    assert node["changes"] == [{"field": "title", "old": old_title, "new": "Corrected"}]
    # The public name, never the login name.
    assert (node["author"], node["reason"]) == ("Ada Lovelace", "typo in the title")
    # Polling again with the returned cursor: nothing new, and the cursor is kept.
    again = _page(gql, after=page["pageInfo"]["endCursor"])
    assert again["edges"] == [] and again["pageInfo"]["endCursor"] == page["pageInfo"]["endCursor"]


def test_create_rename_list_change_and_delete_each_appear_once(gql: GraphQL, editor: User) -> None:
    cursor = _last_cursor()
    duda = Person.objects.get(slug="andrzej-duda")
    event = event_create(
        actor=editor,
        reason="new",
        fields={"slug": "feed-test", "title": "Feed test", "kind": "MEETING", "date": "2024-05"},
    )
    event_update(actor=editor, reason="rename", event=event, fields={"slug": "feed-test-renamed"})
    event_update(
        actor=editor, reason="who", event=event, fields={}, participants=[{"role": "HOST", "person": duda}]
    )
    event_delete(actor=editor, reason="duplicate", event=event)
    nodes = [edge["node"] for edge in _page(gql, after=cursor)["edges"]]
    assert [(n["kind"], n["slug"], n["previousSlug"], n["reason"]) for n in nodes] == [
        ("CREATED", "feed-test", None, "new"),
        ("CHANGED", "feed-test-renamed", "feed-test", "rename"),
        ("CHANGED", "feed-test-renamed", None, "who"),
        ("DELETED", "feed-test-renamed", None, "duplicate"),
    ]
    assert {"field": "title", "old": None, "new": "Feed test"} in nodes[0]["changes"]
    assert nodes[2]["changes"][0]["field"] == "participants"
    assert "Andrzej Duda" in nodes[2]["changes"][0]["new"]
    # Filters: by the old slug too, by model, by moment.
    by_old = _page(gql, filters={"slug": "feed-test"})["edges"]
    assert len(by_old) == 4
    assert _page(gql, after=cursor, filters={"models": ["PERSON"]})["edges"] == []
    since = nodes[3]["at"]
    assert [e["node"]["kind"] for e in _page(gql, after=cursor, filters={"since": since})["edges"]] == [
        "DELETED"
    ]


def test_pages_walk_the_feed_without_gaps_or_repeats(gql: GraphQL, editor: User) -> None:
    start = _last_cursor()
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    for n in range(5):
        event_update(actor=editor, reason=f"edit {n}", event=event, fields={"summary": f"Summary {n}"})
    seen, cursor = [], start
    while True:
        page = _page(gql, after=cursor, first=2)
        seen += [e["node"]["reason"] for e in page["edges"]]
        cursor = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert seen == [f"edit {n}" for n in range(5)]


@pytest.mark.parametrize(
    ("variables", "code", "words"),
    [
        ({"after": "not a cursor"}, "INVALID_CURSOR", "cursors of other lists"),
        # A keyset cursor of another connection (the timeline's).
        ({"after": "azE6WyIyMDI0LTAxLTAxIiwxXQ=="}, "INVALID_CURSOR", "cursors of other lists"),
        ({"filters": {"slug": "no-such-record-anywhere"}}, "INVALID_FILTER", "names nothing"),
        ({"filters": {"slug": " "}}, "INVALID_FILTER", "empty"),
        ({"first": -1}, None, "non-negative"),
    ],
)
def test_bad_input_gets_a_typed_error(gql: GraphQL, variables: dict, code: str | None, words: str) -> None:
    body = gql(FEED, variables)
    assert body["data"] is None or body["data"]["changes"] is None
    (error,) = body["errors"]
    assert words in error["message"]
    if code:
        assert error["extensions"]["code"] == code


def test_a_malformed_since_is_refused_as_invalid_filter(client: Client, seeded: None) -> None:
    response = post_graphql(client, FEED, {"filters": {"since": "yesterday"}})
    assert response.status_code == 400  # nothing ran: the variable cannot be read
    (error,) = response.json()["errors"]
    assert error["extensions"]["code"] == "INVALID_FILTER"
    assert "'yesterday' is not a moment" in error["message"] and "ISO 8601" in error["message"]


def test_a_since_after_every_change_is_an_empty_page(gql: GraphQL) -> None:
    page = _page(gql, filters={"since": "2999-01-01T00:00:00+00:00"})
    assert page["edges"] == [] and page["pageInfo"]["hasNextPage"] is False


def test_staff_see_usernames_anonymous_clients_never(client: Client, named_editor: User) -> None:
    cursor = _last_cursor()
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    event_update(actor=named_editor, reason="r", event=event, fields={"summary": "x"})
    body = post_graphql(client, FEED, {"after": cursor}).json()
    assert body["data"]["changes"]["edges"][0]["node"]["author"] == "Ada Lovelace"
    assert named_editor.username not in str(body)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_polling_reader_racing_writers_gets_every_change_once_in_commit_order() -> None:
    """Writers commit out of the order they start in; the reader polls all the while."""
    from core.changes import changes_after
    from core.edits import edit

    event_create(
        actor=None,
        reason="race",
        fields={"slug": "race", "title": "Race", "kind": "MEETING", "date": "2024-05"},
    )
    start = Change.objects.order_by("-id").first().id
    writers, per_writer = 4, 6
    done = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []
    gate = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            gate.wait(10)
            for i in range(per_writer):
                with edit(actor=None, reason=f"w{n}-{i}"):
                    event = Event.objects.get(slug="race")
                    event_update(actor=None, event=event, fields={"summary": f"{n}-{i}"})
                    # Hold the transaction open a moment: others start and queue behind it.
                    threading.Event().wait(0.002 * ((n + i) % 3))
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    def read() -> None:
        cursor = start
        try:
            while True:
                finished = done.is_set()
                rows = changes_after(after=cursor, first=3)
                seen.extend(row.id for row in rows)
                if rows:
                    cursor = rows[-1].id
                elif finished:
                    return
        finally:
            connection.close()

    reader = threading.Thread(target=read)
    reader.start()
    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    done.set()
    reader.join(60)
    assert not errors
    logged = list(Change.objects.filter(id__gt=start).order_by("id").values_list("id", flat=True))
    assert len(logged) == writers * per_writer
    assert seen == logged  # each once, in order, none skipped


def test_a_sources_text_and_note_never_reach_the_feed(gql: GraphQL, editor: User) -> None:
    from events.models import Source
    from events.services.sources import source_update

    cursor = _last_cursor()
    source = Source.objects.filter(text="").first() or Source.objects.first()
    source_update(actor=editor, source=source, fields={"note": "private remark", "title": "Retitled source"})
    nodes = [e["node"] for e in _page(gql, after=cursor)["edges"]]
    assert [c["field"] for n in nodes for c in n["changes"]] == ["title"]
    assert "private remark" not in str(nodes)
