"""Helpers for the mutation tests: run a document as an editor, read its messages, a sample event.

The ``editor`` fixture (an account with every add, change and delete permission the mutations
check) lives in ``tests/api/conftest.py``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from tests.api.conftest import post_graphql

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
