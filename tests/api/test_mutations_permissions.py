"""Mutations and permissions: anonymous and unprivileged users are refused, CSRF is enforced."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events.models import Event, Treaty, Visit
from people.models import Person
from tests.api.conftest import TREATY, make_user, post_graphql
from tests.api.editing import EVENT_CREATE, NEW_EVENT, as_user, messages, run


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
