"""Editors' mutations: permissions, CSRF, typed validation errors, revisions with user and reason."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events.models import Event, Participation, Treaty, Visit
from people.models import Person
from tests.api.conftest import TREATY, make_user, post_graphql

EVENT_CREATE = """mutation ($input: EventInput!, $reason: String) {
  eventCreate(input: $input, reason: $reason) {
    __typename
    ... on Event { slug title date { edtf display } status
                   participants { role person { slug } country { code } note }
                   countries { code } regions { slug } citations { quote source { title } }
                   history { user reason kind changes { field old new } } }
    ... on OperationInfo { messages { kind field message code } }
  } }"""

NEW_EVENT: dict[str, Any] = {
    "slug": "duda-zelenskyy-call",
    "kind": "MEETING",
    "title": "Duda and Zelenskyy speak by phone",
    "date": "2025-07~",
    "countries": ["pl", "UA"],
    "regions": ["kyiv"],
    "participants": [
        {"role": "PARTICIPANT", "person": "andrzej-duda", "country": "PL"},
        {"role": "PARTICIPANT", "person": "volodymyr-zelenskyy", "country": "ua", "note": "by phone"},
    ],
}


def as_user(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def run(client: Client, query: str, **variables: Any) -> dict[str, Any]:
    response = post_graphql(client, query, variables)
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def messages(result: dict[str, Any]) -> list[dict[str, Any]]:
    assert result["__typename"] == "OperationInfo", result
    return result["messages"]


@pytest.fixture
def editor(seeded: None) -> User:
    return make_user(
        "editor",
        *(
            f"events.{verb}_{model}"
            for verb in ("add", "change", "delete")
            for model in ("event", "visit", "treaty")
        ),
        *(f"people.{verb}_person" for verb in ("add", "change", "delete")),
    )


# Permissions


def test_anonymous_mutation_is_refused_and_writes_nothing(client: Client, seeded: None) -> None:
    result = run(client, EVENT_CREATE, input=NEW_EVENT)["eventCreate"]
    assert messages(result) == [
        {
            "kind": "PERMISSION",
            "field": None,
            "message": "Sign in first: changes need an editor account (a session cookie and its CSRF token).",
            "code": "PERMISSION_DENIED",
        }
    ]
    assert not Event.objects.filter(slug="duda-zelenskyy-call").exists()


def test_mutation_without_the_model_permission_is_refused_and_writes_nothing(
    client: Client, seeded: None
) -> None:
    reader = make_user("reader", "events.change_event")  # may change events, not add them
    result = run(as_user(client, reader), EVENT_CREATE, input=NEW_EVENT)["eventCreate"]
    assert messages(result) == [
        {
            "kind": "PERMISSION",
            "field": None,
            "message": "Your account lacks the permission 'events.add_event' this change needs.",
            "code": "PERMISSION_DENIED",
        }
    ]
    assert not Event.objects.filter(slug="duda-zelenskyy-call").exists()


@pytest.mark.parametrize(
    ("query", "permission"),
    [
        ('mutation { eventDelete(slug: "duda-zelenskyy-meeting") { __typename } }', "events.delete_event"),
        ('mutation { visitDelete(slug: "duda-first-visit-kyiv") { __typename } }', "events.delete_visit"),
        (f'mutation {{ treatyDelete(slug: "{TREATY}") {{ __typename }} }}', "events.delete_treaty"),
        ('mutation { personDelete(slug: "olga-lyubimova") { __typename } }', "people.delete_person"),
        (
            'mutation { personUpdate(slug: "olga-lyubimova", input: {name: "X"}) { __typename } }',
            "people.change_person",
        ),
    ],
)
def test_every_mutation_checks_its_permission(
    client: Client, seeded: None, query: str, permission: str
) -> None:
    counts = (Event.objects.count(), Visit.objects.count(), Treaty.objects.count(), Person.objects.count())
    result = next(iter(run(as_user(client, make_user("nobody")), query).values()))
    assert result == {"__typename": "OperationInfo"}
    full = post_graphql(
        client, query.replace("{ __typename }", "{ ... on OperationInfo { messages { message } } }")
    )
    [message] = next(iter(full.json()["data"].values()))["messages"]
    assert message["message"] == f"Your account lacks the permission {permission!r} this change needs."
    assert counts == (
        Event.objects.count(),
        Visit.objects.count(),
        Treaty.objects.count(),
        Person.objects.count(),
    )
    assert Person.objects.get(slug="olga-lyubimova").name == "Olga Lyubimova"


def test_csrf_is_enforced_for_session_users(seeded: None, editor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = post_graphql(client, EVENT_CREATE, {"input": NEW_EVENT})
    assert response.status_code == 403
    assert not Event.objects.filter(slug="duda-zelenskyy-call").exists()
    client.get("/graphql/", HTTP_ACCEPT="text/html")  # GraphiQL sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = post_graphql(client, EVENT_CREATE, {"input": NEW_EVENT}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200
    assert response.json()["data"]["eventCreate"]["__typename"] == "Event"


def test_anonymous_queries_need_no_csrf_token(seeded: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = post_graphql(client, '{ country(code: "pl") { code } }')
    assert response.status_code == 200
    assert response.json() == {"data": {"country": {"code": "PL"}}}


# Events


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
    assert message["message"].startswith("The quote does not occur verbatim in ")
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


# Visits


VISIT_MUTATIONS = """
mutation ($input: VisitInput!) { visitCreate(input: $input, reason: "Filed") {
  __typename ... on Visit { slug kind visitor { slug } hostCountry { code } destinations { slug }
                            history { user reason kind } }
  ... on OperationInfo { messages { field message code } } } }"""


def test_visit_create_update_delete(client: Client, editor: User) -> None:
    client = as_user(client, editor)
    run(client, EVENT_CREATE, input={**NEW_EVENT, "kind": "VISIT", "participants": [], "regions": []})
    visit = run(
        client,
        VISIT_MUTATIONS,
        input={
            "slug": "zelenskyy-warsaw",
            "event": "duda-zelenskyy-call",
            "visitor": "volodymyr-zelenskyy",
            "hostCountry": "pl",
            "kind": "WORKING",
            "destinations": [],
        },
    )["visitCreate"]
    assert visit["hostCountry"] == {"code": "PL"}
    assert visit["history"][0] == {"user": "editor", "reason": "Filed", "kind": "CREATED"}
    updated = run(
        client,
        'mutation { visitUpdate(slug: "zelenskyy-warsaw", '
        'input: {destinations: ["kyiv"], delegationSize: 3}) '
        "{ ... on Visit { destinations { slug } delegationSize } } }",
    )["visitUpdate"]
    assert updated == {"destinations": [{"slug": "kyiv"}], "delegationSize": 3}
    # The visitor and destinations are mirrored on the event, where timelines look for them.
    event = Event.objects.get(slug="duda-zelenskyy-call")
    assert event.participants.filter(role="VISITOR", person__slug="volodymyr-zelenskyy").exists()
    assert event.regions.filter(slug="kyiv").exists()
    run(client, 'mutation { visitDelete(slug: "zelenskyy-warsaw") { ... on Deletion { slug } } }')
    assert not Visit.objects.filter(slug="zelenskyy-warsaw").exists()
    assert Event.objects.filter(slug="duda-zelenskyy-call").exists()


def test_visit_validation(client: Client, editor: User) -> None:
    result = run(
        as_user(client, editor),
        VISIT_MUTATIONS,
        input={
            "slug": "second-visit",
            "event": "lyubimova-north-korea-visit",
            "visitor": "olga-lyubimova",
            "hostCountry": "KP",
            "delegationSize": 0,
        },
    )["visitCreate"]
    assert sorted((m["field"], m["code"]) for m in messages(result)) == [
        ("delegationSize", "min_value"),
        ("event", "unique"),
    ]


# Treaties


TREATY_CREATE = """mutation ($input: TreatyInput!) { treatyCreate(input: $input) {
  __typename ... on Treaty { slug signed { edtf } parties { country { code } signatory { slug } }
                             provisions { kind article } history { user kind changes { field } } }
  ... on OperationInfo { messages { field message code } } } }"""


def test_treaty_create_update_delete(client: Client, editor: User) -> None:
    client = as_user(client, editor)
    treaty = run(
        client,
        TREATY_CREATE,
        input={
            "slug": "poland-ukraine-accord",
            "name": "Poland–Ukraine accord",
            "signed": "2024-07-08",
            "parties": [{"country": "pl", "signatory": "andrzej-duda"}, {"country": "UA"}],
            "provisions": [{"kind": "CONSULTATION", "summary": "Regular talks.", "article": "Art. 2"}],
        },
    )["treatyCreate"]
    assert [p["country"]["code"] for p in treaty["parties"]] == ["PL", "UA"]
    assert treaty["provisions"] == [{"kind": "CONSULTATION", "article": "Art. 2"}]
    assert {"parties", "provisions"} <= {c["field"] for c in treaty["history"][0]["changes"]}
    updated = run(
        client,
        'mutation { treatyUpdate(slug: "poland-ukraine-accord", input: {parties: [{country: "PL"}]}) '
        "{ ... on Treaty { parties { country { code } } history { changes { field old new } } } } }",
    )["treatyUpdate"]
    assert updated["parties"] == [{"country": {"code": "PL"}}]
    assert {"field": "parties", "old": "country: Ukraine (UA)", "new": None} in updated["history"][-1][
        "changes"
    ]
    run(client, 'mutation { treatyDelete(slug: "poland-ukraine-accord") { ... on Deletion { slug } } }')
    assert not Treaty.objects.filter(slug="poland-ukraine-accord").exists()


def test_treaty_validation(client: Client, editor: User) -> None:
    result = run(
        as_user(client, editor),
        TREATY_CREATE,
        input={
            "slug": "bad-treaty",
            "name": "Bad",
            "signed": "19 June",
            "parties": [{"country": "PL"}, {"country": "pl"}],
        },
    )["treatyCreate"]
    assert sorted((m["field"], m["code"]) for m in messages(result)) == [("signed", "invalid_edtf")]
    result = run(
        as_user(client, editor),
        TREATY_CREATE,
        input={"slug": "bad-treaty", "name": "Bad", "parties": [{"country": "PL"}, {"country": "pl"}]},
    )["treatyCreate"]
    assert [(m["field"], m["message"]) for m in messages(result)] == [
        ("parties.1", "This entry repeats an earlier one.")
    ]
    assert not Treaty.objects.filter(slug="bad-treaty").exists()


# People


PERSON_CREATE = """mutation ($input: PersonInput!) { personCreate(input: $input, reason: "New minister") {
  __typename ... on Person { slug name aliases wikidataId roles { title country { code } start { edtf } }
                             history { user reason changes { field new } } }
  ... on OperationInfo { messages { field message code } } } }"""


def test_person_create_update_and_protected_delete(client: Client, editor: User) -> None:
    client = as_user(client, editor)
    person = run(
        client,
        PERSON_CREATE,
        input={
            "slug": "radoslaw-sikorski",
            "name": "Radosław Sikorski",
            "aliases": ["Radek Sikorski"],
            "nationality": "pl",
            "wikidataId": "Q380900",
            "roles": [{"title": "Minister of Foreign Affairs", "country": "PL", "start": "2023-12-13"}],
        },
    )["personCreate"]
    assert person["roles"] == [
        {"title": "Minister of Foreign Affairs", "country": {"code": "PL"}, "start": {"edtf": "2023-12-13"}}
    ]
    assert person["history"][0]["user"] == "editor"
    assert "roles" in {c["field"] for c in person["history"][0]["changes"]}
    updated = run(
        client,
        'mutation { personUpdate(slug: "radoslaw-sikorski", input: {aliases: []}) '
        "{ ... on Person { aliases } } }",
    )["personUpdate"]
    assert updated == {"aliases": []}
    run(client, 'mutation { personDelete(slug: "radoslaw-sikorski") { ... on Deletion { slug } } }')
    assert not Person.objects.filter(slug="radoslaw-sikorski").exists()

    refused = run(
        client,
        'mutation { personDelete(slug: "andrzej-duda") '
        "{ ... on OperationInfo { messages { kind message code } } } }",
    )["personDelete"]
    [message] = refused["messages"]
    assert (message["kind"], message["code"]) == ("VALIDATION", "protected")
    assert message["message"].startswith("Andrzej Duda is still referred to by ")
    assert Person.objects.filter(slug="andrzej-duda").exists()


def test_person_validation(client: Client, editor: User) -> None:
    result = run(
        as_user(client, editor),
        PERSON_CREATE,
        input={"slug": "Not A Slug", "name": "X", "wikidataId": "11734", "aliases": ["A", "a"]},
    )["personCreate"]
    assert sorted((m["field"], m["code"]) for m in messages(result)) == [
        ("aliases", None),
        ("slug", "invalid"),
        ("wikidataId", "invalid"),
    ]
