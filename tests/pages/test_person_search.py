"""The explorer's person field: suggestions as one types, and any form of a name in the URL (issue 20)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from core import limits
from events.models import ParticipantRole, Participation
from people.models import Person
from people.services import person_create
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def kerry() -> Person:
    """John Forbes Kerry as hsg-pocom writes him, with one event, beside a John Kerr."""
    editor = User.objects.create_user("suggest-editor")
    kerry = person_create(
        actor=editor, fields={"slug": "kerry-john-forbes", "name": "John Forbes Kerry", "born": "1943-12-11"}
    )
    person_create(actor=editor, fields={"slug": "test-john-kerr", "name": "John Kerr"})
    event = make_event("kerry-in-kyiv", title="Secretary Kerry in Kyiv", date="2014-05-01")
    Participation.objects.create(event=event, role=ParticipantRole.PARTICIPANT, person=kerry)
    return kerry


def suggest(client: Client, text: str) -> list[dict[str, str]]:
    response = client.get("/people/suggest", {"q": text})
    assert response.status_code == 200, response.content
    assert response.json()["query"] == text
    return response.json()["people"]


def test_suggestions_match_any_form_of_the_name_best_first(client: Client, kerry: Person) -> None:
    found = suggest(client, "kerr")
    assert [p["slug"] for p in found[:2]] == ["test-john-kerr", "kerry-john-forbes"]
    assert found[1] == {
        "slug": "kerry-john-forbes",
        "name": "John Forbes Kerry",
        "years": "1943–",
        "url": "/people/kerry-john-forbes/",
    }
    assert suggest(client, "John Kerry")[0]["slug"] == "kerry-john-forbes"
    assert suggest(client, "Зеленський")[0]["slug"] == "volodymyr-zelenskyy"
    assert suggest(client, "zelenskiy")[0]["slug"] == "volodymyr-zelenskyy"


def test_suggestions_wait_for_two_letters_and_refuse_oversized_text(client: Client, kerry: Person) -> None:
    assert suggest(client, "") == []
    assert suggest(client, "k") == []
    assert suggest(client, " - ") == []
    response = client.get("/people/suggest", {"q": "k" * (limits.SEARCH_CHARACTERS + 1)})
    assert response.status_code == 400
    assert "the limit is 200" in response.json()["error"]


def test_suggestions_cost_three_statements(
    client: Client, kerry: Person, django_assert_max_num_queries
) -> None:
    # Whether the matches are few, the near-miss candidates, the ranked matches: whatever the
    # number of people.
    with django_assert_max_num_queries(3):
        suggest(client, "kerr")


def test_a_name_without_its_middle_name_shows_the_timeline(client: Client, kerry: Person) -> None:
    response = client.get("/", {"person": "John Kerry"})
    assert response.status_code == 200
    assert response.context["timeline"].person == kerry
    assert [e.slug for e in response.context["events"]] == ["test-kerry-in-kyiv"]
    assert "<title>Timeline: John Forbes Kerry" in response.content.decode()


def test_a_name_matching_several_people_offers_them(client: Client, kerry: Person) -> None:
    response = client.get("/", {"person": "John", "kind": "MEETING"})
    assert response.status_code == 200  # the name matches: the reader picks, nothing is wrong
    assert response.context["events"] == []
    html = response.content.decode()
    assert "Which person do you mean by “John”?" in html
    assert 'href="/?person=kerry-john-forbes&amp;kind=MEETING"' in html
    assert 'href="/?person=test-john-kerr&amp;kind=MEETING"' in html
    # A near miss only is offered, not taken.
    response = client.get("/", {"person": "Jon Kery"})
    assert response.status_code == 200
    assert [p.slug for p in response.context["timeline"].person_candidates] == ["kerry-john-forbes"]


def test_a_name_nobody_has_is_still_a_clear_error(client: Client, kerry: Person) -> None:
    response = client.get("/", {"person": "Nobody Atall"})
    assert response.status_code == 400
    assert "No person is called &#x27;Nobody Atall&#x27;" in response.content.decode()
