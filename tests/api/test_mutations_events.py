"""Event mutations: create, update and delete, typed validation errors, revisions with user and reason."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from events.models import Event, Participation
from tests.api.editing import EVENT_CREATE, NEW_EVENT, as_user, messages, run


def test_event_create_writes_relations_and_a_revision_with_user_and_reason(
    client: Client, editor: User
) -> None:
    event = run(as_user(client, editor), EVENT_CREATE, input=NEW_EVENT, reason="From the evening news")[
        "eventCreate"
    ]
    assert event["slug"] == "duda-zelenskyy-call"
    assert event["date"] == {"edtf": "2025-07~", "display": "c. July 2025"}
    assert event["status"] == "REPORTED"
    assert [(p["person"]["slug"], p["country"]["code"], p["note"]) for p in event["participants"]] == [
        ("andrzej-duda", "PL", None),
        ("volodymyr-zelenskyy", "UA", "by phone"),
    ]
    assert {c["code"] for c in event["countries"]} == {"PL", "UA"}
    assert event["regions"] == [{"slug": "kyiv"}]
    [revision] = event["history"]
    assert (revision["user"], revision["reason"], revision["kind"]) == (
        "editor",
        "From the evening news",
        "CREATED",
    )
    assert {"title", "participants", "countries", "regions"} <= {c["field"] for c in revision["changes"]}


def test_event_create_validation_errors_name_field_and_problem(client: Client, editor: User) -> None:
    bad = {
        **NEW_EVENT,
        "slug": "duda-zelenskyy-meeting",  # taken
        "date": "sometime in May",
    }
    result = run(as_user(client, editor), EVENT_CREATE, input=bad)["eventCreate"]
    assert sorted((m["field"], m["message"], m["code"]) for m in messages(result)) == [
        (
            "date",
            "'sometime in May' is not a valid EDTF date (examples: 2024-05, 2022-04-13, 2022~, "
            "2024-05?, 2022-02-24/..).",
            "invalid_edtf",
        ),
        ("slug", "Event with this Slug already exists.", "unique"),
    ]
    assert {m["kind"] for m in messages(result)} == {"VALIDATION"}
    assert Event.objects.filter(slug="duda-zelenskyy-meeting").count() == 1


def test_unknown_references_are_all_reported_by_field(client: Client, editor: User) -> None:
    bad = {
        **NEW_EVENT,
        "countries": ["PL", "zz"],
        "regions": ["nowhere"],
        "participants": [{"role": "HOST", "person": "nobody"}],
        "citations": [{"source": "no-source"}],
    }
    result = run(as_user(client, editor), EVENT_CREATE, input=bad)["eventCreate"]
    assert sorted((m["field"], m["message"]) for m in messages(result)) == [
        ("citations.0.source", "Unknown source slug 'no-source'."),
        ("countries.1", "Unknown country code 'zz'."),
        ("participants.0.person", "Unknown person slug 'nobody'."),
        ("regions.0", "Unknown region slug 'nowhere'."),
    ]
    assert not Event.objects.filter(slug="duda-zelenskyy-call").exists()


def test_a_failing_child_row_rolls_back_the_whole_create(client: Client, editor: User) -> None:
    bad = {**NEW_EVENT, "participants": [{"role": "HOST", "note": "no one"}]}
    result = run(as_user(client, editor), EVENT_CREATE, input=bad)["eventCreate"]
    assert [(m["field"], m["message"]) for m in messages(result)] == [
        ("participants.0", "A participant is a person, a country, or both.")
    ]
    assert not Event.objects.filter(slug="duda-zelenskyy-call").exists()


def test_a_quote_must_occur_in_its_source(client: Client, editor: User) -> None:
    bad = {
        **NEW_EVENT,
        "citations": [{"source": "article-000-90c99206324603d7", "quote": "words never said"}],
    }
    result = run(as_user(client, editor), EVENT_CREATE, input=bad)["eventCreate"]
    [message] = messages(result)
    assert message["field"] == "citations.0.quote"
    assert message["message"].startswith("quote does not occur verbatim in the text of source ")
    assert not Event.objects.filter(slug="duda-zelenskyy-call").exists()


EVENT_UPDATE = """mutation ($slug: String!, $input: EventPatch!, $reason: String) {
  eventUpdate(slug: $slug, input: $input, reason: $reason) {
    __typename
    ... on Event { slug title status participants { role person { slug } country { code } }
                   history { user reason kind changes { field old new } } }
    ... on OperationInfo { messages { kind field message code } }
  } }"""


def test_event_update_changes_only_what_is_given_and_records_it(client: Client, editor: User) -> None:
    before = Event.objects.get(slug="chervona-zirka-capture-claim")
    event = run(
        as_user(client, editor),
        EVENT_UPDATE,
        slug="chervona-zirka-capture-claim",
        input={"status": "CONFIRMED", "participants": [{"role": "CLAIMANT", "country": "RU", "note": "MoD"}]},
        reason="Confirmed by a second source",
    )["eventUpdate"]
    assert event["status"] == "CONFIRMED"
    assert event["title"] == before.title
    last = event["history"][-1]
    assert (last["user"], last["reason"], last["kind"]) == (
        "editor",
        "Confirmed by a second source",
        "CHANGED",
    )
    assert {
        "field": "status",
        "old": before.get_status_display(),
        "new": "Confirmed (more than one independent source)",
    } in last["changes"]
    assert {"field": "participants.note", "old": "defence ministry", "new": "MoD"} in last["changes"]
    assert Participation.objects.get(event=before).note == "MoD"


def test_an_update_that_changes_nothing_records_nothing(client: Client, editor: User) -> None:
    event = Event.objects.get(slug="syrskyi-kostiantynivka-statement")
    rows = event.revisions.count()
    run(
        as_user(client, editor),
        EVENT_UPDATE,
        slug=event.slug,
        input={"title": event.title, "regions": ["kostiantynivka"]},
    )
    assert event.revisions.count() == rows


def test_event_update_of_an_unknown_slug(client: Client, editor: User) -> None:
    result = run(as_user(client, editor), EVENT_UPDATE, slug="nothing", input={"title": "X"})["eventUpdate"]
    assert messages(result) == [
        {
            "kind": "VALIDATION",
            "field": "slug",
            "message": "No event has the slug 'nothing'.",
            "code": "not_found",
        }
    ]


def test_event_update_validation(client: Client, editor: User) -> None:
    result = run(
        as_user(client, editor),
        EVENT_UPDATE,
        slug="duda-zelenskyy-meeting",
        input={"title": "", "date": "2025-13-45"},
    )["eventUpdate"]
    assert sorted((m["field"], m["code"]) for m in messages(result)) == [
        ("date", "invalid_edtf"),
        ("title", "blank"),
    ]
    assert Event.objects.get(slug="duda-zelenskyy-meeting").title.startswith("Zelenskyy and Duda meet")


def test_event_delete_records_a_deletion(client: Client, editor: User) -> None:
    data = run(
        as_user(client, editor),
        'mutation { eventDelete(slug: "duda-zelenskyy-meeting", reason: "Duplicate") { '
        "... on Deletion { slug id } } }",
    )
    assert data["eventDelete"]["slug"] == "duda-zelenskyy-meeting"
    assert not Event.objects.filter(slug="duda-zelenskyy-meeting").exists()
    row = Event.history.filter(slug="duda-zelenskyy-meeting").latest("history_date")
    assert (row.history_type, row.history_user.username, row.history_change_reason) == (
        "-",
        "editor",
        "Duplicate",
    )
