"""Person mutations: create, update, delete (refused while referred to), and validation."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client

from people.models import Person
from tests.api.editing import as_user, messages, run

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
