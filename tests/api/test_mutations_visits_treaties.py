"""Visit and treaty mutations: create, update and delete, validation of their fields and entries."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from events.models import Event, Treaty, Visit
from tests.api.editing import EVENT_CREATE, NEW_EVENT, as_user, messages, run

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
