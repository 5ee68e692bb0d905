"""Any form of a person's name over the API: people(search:) and timeline(filters: {search:}) (issue 20)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from people.services import person_create
from tests.api.conftest import GraphQL

pytestmark = pytest.mark.django_db

PEOPLE = "query ($s: String) { people(search: $s, first: 5) { edges { node { slug } } } }"
TIMELINE = "query ($s: String) { timeline(filters: {search: $s}, first: 50) { edges { node { slug } } } }"


@pytest.fixture
def named(seeded: None) -> None:
    editor = User.objects.create_user("api-search-editor")
    for slug, name in (("kerry-john-forbes", "John Forbes Kerry"), ("walesa-lech", "Lech Wałęsa")):
        person_create(actor=editor, fields={"slug": slug, "name": name})


def first_person(gql: GraphQL, text: str) -> str | None:
    edges = gql(PEOPLE, {"s": text})["data"]["people"]["edges"]
    return edges[0]["node"]["slug"] if edges else None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("john kerry", "kerry-john-forbes"),
        ("Walesa", "walesa-lech"),
        ("Wałęsa", "walesa-lech"),
        ("Zelensky", "volodymyr-zelenskyy"),
        ("Зеленський", "volodymyr-zelenskyy"),
        ("Zełenski", "volodymyr-zelenskyy"),
        ("Syrskyi", "oleksandr-syrskyi"),
        ("andrzej-duda", "andrzej-duda"),  # a slug still finds its person
    ],
)
def test_people_search_finds_any_form_of_a_name(gql: GraphQL, named: None, text: str, slug: str) -> None:
    assert first_person(gql, text) == slug


def test_people_search_refuses_oversized_text(gql: GraphQL, named: None) -> None:
    body = gql(PEOPLE, {"s": "x" * 201})
    assert body["data"] is None or body["data"]["people"] is None
    assert "the limit is 200" in body["errors"][0]["message"]


def test_a_timeline_search_naming_a_person_finds_their_events(gql: GraphQL, named: None) -> None:
    def events(text: str) -> set[str]:
        return {e["node"]["slug"] for e in gql(TIMELINE, {"s": text})["data"]["timeline"]["edges"]}

    # No event's text has the Cyrillic name; Zelenskyy takes part in the meeting.
    assert "duda-zelenskyy-meeting" in events("Зеленський")
    assert "duda-zelenskyy-meeting" in events("Zelensky")
    # A word in nobody's name is searched as text only.
    assert "duda-zelenskyy-meeting" not in events("Walesa")
