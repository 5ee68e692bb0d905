"""Rows added to and removed from a list without sending the whole list (issue 19, the API part).

``<list>Add`` / ``<list>Remove`` apply to the rows stored when the write holds the record's
lock, so two clients adding from the same read both keep theirs; a whole list stays "set it to
this". Each test asserts what the database holds afterwards.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from events.models import Event, Treaty, Visit
from people.models import Person
from tests.api.conftest import make_user
from tests.api.editing import as_user, messages, run

pytestmark = pytest.mark.django_db

EVENT = "duda-zelenskyy-meeting"
TREATY = "russia-north-korea-comprehensive-strategic-partnership-treaty"
EVENT_UPDATE = """mutation ($slug: String!, $input: EventPatch!, $v: Int) {
  eventUpdate(slug: $slug, input: $input, expectedVersion: $v) {
    __typename ... on Event { version }
    ... on OperationInfo { messages { kind field message code } } } }"""
TREATY_UPDATE = """mutation ($input: TreatyPatch!) {
  treatyUpdate(slug: "russia-north-korea-comprehensive-strategic-partnership-treaty", input: $input) {
    __typename ... on OperationInfo { messages { kind field message code } } } }"""


def _countries(slug: str = EVENT) -> list[str]:
    return sorted(Event.objects.get(slug=slug).countries.values_list("code", flat=True))


def _update(client: Client, **input: Any) -> dict[str, Any]:
    return run(client, EVENT_UPDATE, slug=EVENT, input=input)["eventUpdate"]


def test_two_clients_adding_from_the_same_read_both_keep_theirs(client: Client, editor: User) -> None:
    as_user(client, editor)
    read = _countries()
    assert "FR" not in read and "DE" not in read
    assert _update(client, countriesAdd=["FR"])["__typename"] == "Event"
    assert _update(client, countriesAdd=["de"])["__typename"] == "Event"  # the second client, same read
    assert _countries() == sorted([*read, "DE", "FR"])


def test_a_whole_list_from_a_stale_read_sets_the_list_to_it(client: Client, editor: User) -> None:
    # The reason for the add forms: a whole list means "set it to this", whatever was added since.
    as_user(client, editor)
    read = _countries()
    _update(client, countriesAdd=["FR"])
    _update(client, countries=[*read, "DE"])
    assert _countries() == sorted([*read, "DE"])


def test_remove_takes_out_only_the_rows_named(client: Client, editor: User) -> None:
    as_user(client, editor)
    read = _countries()
    _update(client, countriesAdd=["FR", "DE"])
    version = Event.objects.get(slug=EVENT).version
    assert _update(client, countriesRemove=["FR", "NO"])["__typename"] == "Event"  # NO: already gone
    assert _countries() == sorted([*read, "DE"])
    assert Event.objects.get(slug=EVENT).version == version + 1


def test_a_list_given_whole_and_by_rows_is_refused(client: Client, editor: User) -> None:
    as_user(client, editor)
    read = _countries()
    result = _update(client, countries=["FR"], countriesAdd=["DE"])
    assert [(m["field"], m["code"]) for m in messages(result)] == [("countries", "ambiguous")]
    assert _countries() == read


def test_an_unknown_code_to_add_is_named_and_nothing_written(client: Client, editor: User) -> None:
    as_user(client, editor)
    read = _countries()
    result = _update(client, countriesAdd=["FR", "QQ"])
    assert [(m["field"], m["code"]) for m in messages(result)] == [("countriesAdd.1", "not_found")]
    assert _countries() == read


def test_participants_and_citations_are_added_and_removed_by_identity(client: Client, editor: User) -> None:
    as_user(client, editor)
    event = Event.objects.get(slug=EVENT)
    participants = sorted(event.participants.values_list("role", "person__slug", "country__code"))
    citations = sorted(event.citations.values_list("pk", "quote", "locator"))
    host = {"role": "HOST", "country": "DE", "note": "as host"}
    result = _update(client, participantsAdd=[host])
    assert result["__typename"] == "Event", result
    assert event.participants.get(role="HOST", country__code="DE").note == "as host"
    _update(client, participantsRemove=[{"role": "HOST", "country": "DE"}])
    assert sorted(event.participants.values_list("role", "person__slug", "country__code")) == participants
    assert sorted(event.citations.values_list("pk", "quote", "locator")) == citations


def test_an_organisation_party_is_added_and_the_states_kept(client: Client, editor: User) -> None:
    as_user(client, editor)
    treaty = Treaty.objects.get(slug=TREATY)
    states = sorted(treaty.parties.values_list("pk", "country__code"))
    result = run(client, TREATY_UPDATE, input={"partiesAdd": [{"organization": "nato"}]})["treatyUpdate"]
    assert result["__typename"] == "Treaty", result
    assert sorted(treaty.parties.filter(country__isnull=False).values_list("pk", "country__code")) == states
    assert list(treaty.parties.filter(country__isnull=True).values_list("organization__slug", flat=True)) == [
        "nato"
    ]
    run(client, TREATY_UPDATE, input={"partiesRemove": [{"organization": "nato"}]})
    assert sorted(treaty.parties.values_list("pk", "country__code")) == states


def test_a_destination_and_a_role_are_added(client: Client, editor: User) -> None:
    as_user(client, editor)
    visit = Visit.objects.select_related("event").first()
    assert visit is not None
    destinations = set(visit.destinations.values_list("slug", flat=True))
    result = run(
        client,
        """mutation ($slug: String!) { visitUpdate(slug: $slug, input: {destinationsAdd: ["kyiv"]}) {
             __typename ... on OperationInfo { messages { field message } } } }""",
        slug=visit.slug,
    )["visitUpdate"]
    assert result["__typename"] == "Visit", result
    assert set(visit.destinations.values_list("slug", flat=True)) == destinations | {"kyiv"}
    person = Person.objects.get(slug="andrzej-duda")
    roles = sorted(person.roles.values_list("pk", "title"))
    result = run(
        client,
        """mutation { personUpdate(slug: "andrzej-duda",
             input: {rolesAdd: [{title: "Honorary Citizen", country: "UA", start: "2025"}]}) {
             __typename ... on OperationInfo { messages { field message } } } }""",
    )["personUpdate"]
    assert result["__typename"] == "Person", result
    assert set(roles) <= set(person.roles.values_list("pk", "title"))
    assert person.roles.filter(title="Honorary Citizen", country__code="UA").exists()


def test_adding_rows_needs_the_add_permission_on_them(client: Client, seeded: None) -> None:
    as_user(client, make_user("changer", "events.change_event"))
    read = _countries()
    result = _update(client, countriesAdd=["FR"])
    assert [m["code"] for m in messages(result)] == ["PERMISSION_DENIED"]
    assert "events.add_eventcountry" in messages(result)[0]["message"]
    assert _countries() == read


def test_identifiers_are_written_whole_or_by_rows(client: Client, editor: User) -> None:
    for verb in ("add", "delete"):
        editor.user_permissions.add(Permission.objects.get(codename=f"{verb}_identifier"))
    as_user(client, editor)
    person = Person.objects.get(slug="andrzej-duda")
    stored = sorted(person.identifiers.values_list("pk", "scheme", "value"))
    update = """mutation ($input: PersonPatch!) { personUpdate(slug: "andrzej-duda", input: $input) {
        __typename ... on OperationInfo { messages { field message code } } } }"""
    added = {"scheme": "test-scheme", "value": "duda-a"}
    assert run(client, update, input={"identifiersAdd": [added]})["personUpdate"]["__typename"] == "Person"
    assert sorted(person.identifiers.values_list("scheme", "value")) == sorted(
        [(s, v) for _, s, v in stored] + [("test-scheme", "duda-a")]
    )
    run(client, update, input={"identifiersRemove": [added]})
    assert sorted(person.identifiers.values_list("pk", "scheme", "value")) == stored
