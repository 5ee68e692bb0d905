"""`version` and `expectedVersion`: a stale mutation returns CONFLICT and writes nothing (issue 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from events.models import Event, Treaty, Visit
from people.models import Person
from tests.api.editing import as_user, messages, run

EVENT = "duda-zelenskyy-meeting"

UPDATE = """mutation ($slug: String!, $input: EventPatch!, $v: Int) {
  eventUpdate(slug: $slug, input: $input, expectedVersion: $v) {
    __typename
    ... on Event { title summary version }
    ... on OperationInfo { messages { kind field message code } }
  } }"""

DELETE = """mutation ($slug: String!, $v: Int) {
  %s(slug: $slug, reason: "test", expectedVersion: $v) {
    __typename
    ... on OperationInfo { messages { kind message code } }
  } }"""


def test_records_show_their_version(client: Client, editor: User) -> None:
    data = run(
        client,
        """{ event(slug: "duda-first-visit-kyiv") { version visit { version } }
             treaty(slug: "russia-north-korea-comprehensive-strategic-partnership-treaty") { version }
             person(slug: "andrzej-duda") { version } }""",
    )
    stored = Event.objects.get(slug="duda-first-visit-kyiv")
    assert data["event"]["version"] == stored.version
    assert data["event"]["visit"]["version"] == stored.visit.version
    assert data["treaty"]["version"] == Treaty.objects.get(slug__startswith="russia-north-korea").version
    assert data["person"]["version"] == Person.objects.get(slug="andrzej-duda").version


def test_an_update_with_the_current_version_writes_and_counts_one(client: Client, editor: User) -> None:
    version = Event.objects.get(slug=EVENT).version
    result = run(as_user(client, editor), UPDATE, slug=EVENT, input={"summary": "Met in Kyiv."}, v=version)
    assert result["eventUpdate"] == {
        "__typename": "Event",
        "title": Event.objects.get(slug=EVENT).title,
        "summary": "Met in Kyiv.",
        "version": version + 1,
    }


def test_a_stale_expected_version_returns_conflict_and_writes_nothing(client: Client, editor: User) -> None:
    event = Event.objects.get(slug=EVENT)
    read = event.version
    run(as_user(client, editor), UPDATE, slug=EVENT, input={"title": "A new title"}, v=read)
    history = Event.history.filter(id=event.pk).count()
    result = run(client, UPDATE, slug=EVENT, input={"summary": "Stale.", "countries": []}, v=read)[
        "eventUpdate"
    ]
    [message] = messages(result)
    assert message["code"] == "CONFLICT"
    assert message["kind"] == "VALIDATION"
    assert f"you read version {read}, it is now version {read + 1}" in message["message"]
    assert "by editor" in message["message"] and "(title)" in message["message"]
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.summary, stored.version) == ("A new title", event.summary, read + 1)
    assert stored.country_links.count() == event.country_links.count()
    assert Event.history.filter(id=event.pk).count() == history


def test_without_expected_version_a_patch_changes_only_what_it_names(client: Client, editor: User) -> None:
    event = Event.objects.get(slug=EVENT)
    Event.objects.filter(pk=event.pk).update(title="Committed meanwhile")
    run(as_user(client, editor), UPDATE, slug=EVENT, input={"summary": "Only this."})
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.summary) == ("Committed meanwhile", "Only this.")


@pytest.mark.parametrize(
    ("mutation", "model", "slug"),
    [
        ("eventDelete", Event, EVENT),
        ("visitDelete", Visit, "duda-first-visit-kyiv"),
        ("treatyDelete", Treaty, "russia-north-korea-comprehensive-strategic-partnership-treaty"),
        ("personDelete", Person, "test-lonely"),
    ],
)
def test_a_stale_delete_returns_conflict_and_the_record_stays(
    client: Client, editor: User, mutation: str, model: type, slug: str
) -> None:
    if slug == "test-lonely":
        Person.objects.create(slug=slug, name="Lonely")
    record = model.objects.filter(slug=slug).first()
    assert record is not None, slug
    result = run(as_user(client, editor), DELETE % mutation, slug=slug, v=record.version + 5)[mutation]
    [message] = messages(result)
    assert message["code"] == "CONFLICT"
    assert model.objects.filter(pk=record.pk).exists()
    result = run(client, DELETE % mutation, slug=slug, v=record.version)[mutation]
    assert result["__typename"] == "Deletion"
    assert not model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize(
    ("mutation", "patch", "model", "slug"),
    [
        ("visitUpdate", "VisitPatch", Visit, "duda-first-visit-kyiv"),
        (
            "treatyUpdate",
            "TreatyPatch",
            Treaty,
            "russia-north-korea-comprehensive-strategic-partnership-treaty",
        ),
        ("personUpdate", "PersonPatch", Person, "andrzej-duda"),
    ],
)
def test_stale_updates_of_visits_treaties_and_people_conflict(
    client: Client, editor: User, mutation: str, patch: str, model: type, slug: str
) -> None:
    record = model.objects.get(slug=slug)
    query = f"""mutation ($slug: String!, $input: {patch}!, $v: Int) {{
      {mutation}(slug: $slug, input: $input, expectedVersion: $v) {{
        __typename ... on OperationInfo {{ messages {{ code message }} }} }} }}"""
    result = run(as_user(client, editor), query, slug=slug, input={"note": "Stale."}, v=record.version - 1)
    [message] = messages(result[mutation])
    assert message["code"] == "CONFLICT"
    stored = model.objects.get(pk=record.pk)
    assert (stored.note, stored.version) == (record.note, record.version)
    result = run(client, query, slug=slug, input={"note": "Fresh."}, v=record.version)
    assert result[mutation]["__typename"] != "OperationInfo"
    assert model.objects.get(pk=record.pk).version == record.version + 1
