"""Fixtures for the GraphQL API tests: the seeded database, a client, editors."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from events.models import Event

TREATY = "russia-north-korea-comprehensive-strategic-partnership-treaty"


@pytest.fixture
def seeded(db: None) -> None:
    """The seeded database (tests/conftest.py runs ``import_seeds`` once per session)."""
    assert Event.objects.filter(slug="chervona-zirka-capture-claim").exists(), "seeds are not loaded"


GraphQL = Callable[..., dict[str, Any]]


def post_graphql(client: Client, query: str, variables: dict[str, Any] | None = None, **extra: Any) -> Any:
    """POST a GraphQL document as JSON; return the response."""
    body = {"query": query, "variables": variables or {}}
    return client.post("/graphql/", json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def gql(client: Client, seeded: None) -> GraphQL:
    """Run a query over HTTP against the seeded database and return its JSON body."""

    def run(query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = post_graphql(client, query, variables)
        assert response.status_code == 200, response.content
        return response.json()

    return run


def make_user(username: str, *perms: str) -> User:
    """Create a user holding the given ``app.codename`` permissions."""
    user = User.objects.create_user(username=username, password="not-used-in-tests")
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


@pytest.fixture
def editor(seeded: None) -> User:
    """An editor: may add, change and delete events, visits, treaties, people and their rows."""
    return make_user(
        "editor",
        *(
            f"events.{verb}_{model}"
            for verb in ("add", "change", "delete")
            for model in ("event", "visit", "treaty")
        ),
        *(f"people.{verb}_person" for verb in ("add", "change", "delete")),
        # The rows of their lists too: the admin shows an inline only with these (issue 8).
        *(
            f"events.{verb}_{model}"
            for verb in ("add", "change", "delete")
            for model in (
                "participation",
                "eventcountry",
                "eventregion",
                "citation",
                "visitdestination",
                "treatyparty",
                "treatyprovision",
            )
        ),
        *(f"people.{verb}_role" for verb in ("add", "change", "delete")),
    )
