"""The SQL statements each main service and mutation runs, counted exactly (issue 8).

The counts are the same on SQLite and PostgreSQL: the row lock is ``SELECT … FOR UPDATE`` on
PostgreSQL and a plain ``SELECT`` on SQLite (whose writer holds the database lock), and nested
atomic blocks are savepoints on both. A change that adds a statement to a write shows here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Event, ParticipantRole, Treaty, Visit
from events.services import (
    event_create,
    event_delete,
    event_update,
    treaty_update,
    visit_update,
)
from people.models import Person
from people.services import person_update
from places.models import Country, Region

pytestmark = pytest.mark.django_db


def statements(action: Any) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        action()
    return [q["sql"] for q in captured.captured_queries]


def _writes(sql: list[str]) -> int:
    return sum(1 for s in sql if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")))


@pytest.fixture
def actor() -> User:
    return User.objects.create_user("counter", password=None, is_staff=True)


@pytest.fixture
def places() -> tuple[Country, Country, Region]:
    return Country.objects.get(code="UA"), Country.objects.get(code="PL"), Region.objects.get(slug="kyiv")


def _new_event(actor: User, ua: Country, pl: Country, kyiv: Region) -> Event:
    return event_create(
        actor=actor,
        fields={"slug": "count-event", "kind": "MEETING", "title": "Counted", "date": "2025-05"},
        countries=[ua, pl],
        regions=[kyiv],
        participants=[
            {"role": ParticipantRole.HOST, "country": ua},
            {"role": ParticipantRole.PARTICIPANT, "person": Person.objects.get(slug="andrzej-duda")},
        ],
    )


# Counted inside the test's transaction, where an edit's atomic block is a savepoint: each count
# includes one SAVEPOINT and one RELEASE per edit (and per nested atomic block) that a
# request's own transaction would not log. The first SELECT of an update or delete is the lock.
# Every edit ends with its changes-log row (core.changelog): the commit-order lock and one INSERT,
# plus one SELECT per history table it changed rows of (their state before) and per kind of
# record its changes name (participants' people, say).
# Before it, one UPDATE per history table in which the edit changed or deleted rows closes the
# rows they superseded (history_valid_until, core.history.close_superseded); creations close none.
# PostgreSQL: the changes log takes the commit-order lock with one more SELECT (core.changelog).
LOG_LOCK = 1 if connection.vendor == "postgresql" else 0
# An edit that writes an event or any of its links ends with four statements that rebuild the
# touched events' memberships (events.memberships: two DELETEs, two INSERT … SELECTs), one more
# when it changed a link row in place (a visit here): which events that row named before.
EXPECTED = {
    # Each new participant's identity is checked against its partial unique constraints
    # (events.Participation: one per way an actor may be missing), three statements each.
    # A new event has no stored child rows or visit to read (issue 25): none are read.
    # The changes log does not read the name of a child row's parent (issue 25, item 3).
    "event_create": 45,
    "event_update_field": 16,
    "event_update_unchanged": 6,
    "event_update_list": 20,
    "event_delete": 31,
    "visit_update": 28,
    "treaty_update": 11,
    "person_update": 13,
    "event_update_mutation": 19,
}


def test_event_create(actor, places) -> None:
    sql = statements(lambda: _new_event(actor, *places))
    assert len(sql) == EXPECTED["event_create"] + LOG_LOCK, sql


def test_event_update_of_one_field(actor, places) -> None:
    event = _new_event(actor, *places)
    sql = statements(
        lambda: event_update(actor=actor, event=event, fields={"summary": "S."}, expected_version=1)
    )
    assert len(sql) == EXPECTED["event_update_field"] + LOG_LOCK, sql
    assert _writes(sql) == 8  # the row (its changed column and version), its history row, the row it
    # superseded closed, its change; its memberships rebuilt (four: an event's change may move its year)


def test_event_update_that_changes_nothing(actor, places) -> None:
    event = _new_event(actor, *places)
    sql = statements(lambda: event_update(actor=actor, event=event, fields={"title": "Counted"}))
    assert len(sql) == EXPECTED["event_update_unchanged"], sql  # nothing written, nothing logged
    assert _writes(sql) == 0


def test_event_update_of_a_list(actor, places) -> None:
    ua = places[0]
    event = _new_event(actor, *places)
    sql = statements(lambda: event_update(actor=actor, event=event, fields={}, countries=[ua]))
    assert len(sql) == EXPECTED["event_update_list"] + LOG_LOCK, sql


def test_event_delete(actor, places) -> None:
    event = _new_event(actor, *places)
    sql = statements(lambda: event_delete(actor=actor, event=event, reason="counted", expected_version=1))
    assert len(sql) == EXPECTED["event_delete"] + LOG_LOCK, sql


def test_visit_update(actor) -> None:
    visit = Visit.objects.get(slug="duda-first-visit-kyiv")
    sql = statements(lambda: visit_update(actor=actor, visit=visit, fields={"purpose": "Counted."}))
    assert len(sql) == EXPECTED["visit_update"] + LOG_LOCK, sql


def test_treaty_update(actor) -> None:
    treaty = Treaty.objects.get(slug="russia-north-korea-comprehensive-strategic-partnership-treaty")
    sql = statements(lambda: treaty_update(actor=actor, treaty=treaty, fields={"note": "Counted."}))
    assert len(sql) == EXPECTED["treaty_update"] + LOG_LOCK, sql


def test_person_update(actor) -> None:
    person = Person.objects.get(slug="andrzej-duda")
    sql = statements(lambda: person_update(actor=actor, person=person, fields={"note": "Counted."}))
    assert len(sql) == EXPECTED["person_update"] + LOG_LOCK, sql


MUTATION = """mutation ($v: Int) {
  eventUpdate(slug: "duda-zelenskyy-meeting", input: {summary: "Counted."}, expectedVersion: $v) {
    __typename ... on Event { version } } }"""


def test_event_update_mutation(client: Client) -> None:
    editor = User.objects.create_superuser("mutation-counter", password=None)
    client.force_login(editor)
    version = Event.objects.get(slug="duda-zelenskyy-meeting").version
    body = json.dumps({"query": MUTATION, "variables": {"v": version}})
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/graphql/", body, content_type="application/json")
    assert response.json()["data"]["eventUpdate"] == {"__typename": "Event", "version": version + 1}
    # Session and user (2), the record by slug (1), then the service as above.
    assert len(captured.captured_queries) == EXPECTED["event_update_mutation"] + LOG_LOCK, [
        q["sql"][:120] for q in captured.captured_queries
    ]
