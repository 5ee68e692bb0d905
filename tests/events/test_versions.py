"""No lost updates in the services: versions checked under a lock, one bump per write (issue 8)."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import User
from django.db import connection

from core.services import StaleVersion
from events.models import Event, ParticipantRole, Treaty, Visit
from events.services import (
    event_delete,
    event_update,
    treaty_delete,
    treaty_update,
    visit_create,
    visit_delete,
    visit_update,
)
from people.models import Person
from people.services import person_delete, person_update
from places.models import Country
from tests.events.factories import make_event, make_treaty

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return User.objects.create_user("alice", password=None, is_staff=True)


def _fresh(event: Event) -> Event:
    return Event.objects.get(pk=event.pk)


def test_a_write_bumps_the_version_once_fields_and_lists_together(alice: User) -> None:
    event = make_event("bump")
    assert event.version == 1
    ua = Country.objects.get(code="UA")
    event_update(actor=alice, event=event, fields={"title": "New"}, countries=[ua], expected_version=1)
    assert _fresh(event).version == 2
    assert event.version == 2  # the caller's instance says what is stored
    # A change of a list alone is an edit of the record too.
    event_update(actor=alice, event=_fresh(event), fields={}, countries=[], expected_version=2)
    assert _fresh(event).version == 3
    # Sending what is stored changes nothing and counts nothing.
    _, changed = event_update(actor=alice, event=_fresh(event), fields={"title": "New"}, expected_version=3)
    assert not changed
    assert _fresh(event).version == 3
    assert list(
        Event.history.filter(id=event.pk).values_list("version", flat=True).order_by("history_id")
    ) == [
        1,
        2,
        3,
    ]


def test_a_stale_expected_version_is_refused_and_writes_nothing(alice: User) -> None:
    event = make_event("stale", title="Before")
    read_by_bob = _fresh(event)
    event_update(actor=alice, event=event, fields={"title": "Alice's"}, expected_version=1)
    rows_before = Event.history.filter(id=event.pk).count()
    ua = Country.objects.get(code="UA")
    with pytest.raises(StaleVersion) as refused:
        event_update(
            actor=None,
            event=read_by_bob,
            fields={"summary": "Bob's"},
            countries=[ua],
            expected_version=read_by_bob.version,
        )
    error = refused.value
    assert error.code == "CONFLICT"
    assert (error.expected_version, error.current_version) == (1, 2)
    assert error.changed_by == "alice"
    assert error.fields_changed == ["title"]
    assert (
        "version 2" in error.messages[0] and "alice" in error.messages[0] and "(title)" in error.messages[0]
    )
    stored = _fresh(event)
    assert (stored.title, stored.summary, stored.version) == ("Alice's", "", 2)
    assert not stored.country_links.exists()
    assert Event.history.filter(id=event.pk).count() == rows_before


def test_a_patch_of_summary_never_reverts_a_title_committed_meanwhile(alice: User) -> None:
    # Issue 8: an eventUpdate setting only summary rewrote every column from its earlier read.
    event = make_event("patch", title="Before")
    stale_copy = _fresh(event)
    event_update(actor=alice, event=event, fields={"title": "After"})
    event_update(actor=None, event=stale_copy, fields={"summary": "Added."})
    stored = _fresh(event)
    assert (stored.title, stored.summary, stored.version) == ("After", "Added.", 3)
    last = Event.history.filter(id=event.pk).latest("history_id")
    assert (last.title, last.summary, last.version) == ("After", "Added.", 3)


def test_a_stale_delete_is_refused_and_the_record_stays(alice: User) -> None:
    event = make_event("doomed")
    event_update(actor=alice, event=_fresh(event), fields={"note": "Checked."})
    with pytest.raises(StaleVersion):
        event_delete(actor=None, event=event, reason="duplicate", expected_version=1)
    assert Event.objects.filter(pk=event.pk).exists()
    event_delete(actor=None, event=event, reason="duplicate", expected_version=2)
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_record_deleted_since_it_was_read_is_refused_clearly() -> None:
    event = make_event("gone")
    copy = _fresh(event)
    event_delete(actor=None, event=event)
    with pytest.raises(Exception, match="deleted after you read it"):
        event_update(actor=None, event=copy, fields={"title": "Late"})


def test_visits_treaties_and_people_check_their_versions(alice: User) -> None:
    event = make_event("trip", kind="VISIT")
    duda = Person.objects.get(slug="andrzej-duda")
    visit = visit_create(
        actor=None,
        fields={
            "slug": "test-trip",
            "event": event,
            "visitor": duda,
            "host_country": Country.objects.get(code="UA"),
        },
    )
    assert visit.version == 1
    visit_update(actor=alice, visit=visit, fields={"purpose": "Talks."}, expected_version=1)
    with pytest.raises(StaleVersion):
        visit_update(
            actor=None, visit=Visit.objects.get(pk=visit.pk), fields={"note": "x"}, expected_version=1
        )
    with pytest.raises(StaleVersion):
        visit_delete(actor=None, visit=Visit.objects.get(pk=visit.pk), expected_version=1)
    assert Visit.objects.get(pk=visit.pk).version == 2

    treaty = make_treaty("versioned")
    treaty_update(actor=alice, treaty=treaty, fields={"short_name": "TV"}, expected_version=1)
    with pytest.raises(StaleVersion):
        treaty_update(
            actor=None, treaty=Treaty.objects.get(pk=treaty.pk), fields={"note": "x"}, expected_version=1
        )
    with pytest.raises(StaleVersion):
        treaty_delete(actor=None, treaty=Treaty.objects.get(pk=treaty.pk), expected_version=1)
    assert Treaty.objects.get(pk=treaty.pk).version == 2

    person = Person.objects.create(slug="test-versioned", name="Versioned")
    person_update(actor=alice, person=person, fields={"note": "Checked."}, expected_version=1)
    with pytest.raises(StaleVersion):
        person_update(
            actor=None, person=Person.objects.get(pk=person.pk), fields={"name": "X"}, expected_version=1
        )
    with pytest.raises(StaleVersion):
        person_delete(actor=None, person=Person.objects.get(pk=person.pk), expected_version=1)
    assert Person.objects.get(pk=person.pk).name == "Versioned"


def test_a_visit_edit_that_changes_the_event_counts_on_the_event(alice: User) -> None:
    event = make_event("mirror", kind="VISIT")
    duda = Person.objects.get(slug="andrzej-duda")
    visit = visit_create(
        actor=None,
        fields={
            "slug": "test-mirror",
            "event": event,
            "visitor": duda,
            "host_country": Country.objects.get(code="UA"),
        },
    )
    before = _fresh(event).version
    zelensky = Person.objects.get(slug="volodymyr-zelenskyy")
    visit_update(actor=alice, visit=visit, fields={"visitor": zelensky}, expected_version=visit.version)
    stored = _fresh(event)
    assert stored.version == before + 1
    assert stored.participants.filter(role=ParticipantRole.VISITOR, person=zelensky).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks between connections: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_writers_of_one_version_cannot_both_pass() -> None:
    event = make_event("race", title="Before")
    started, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        from core.edits import edit
        from core.services import claim

        try:
            with edit(actor=None):
                held = _fresh(event)
                claim(held, expected_version=1)
                started.set()
                release.wait(10)
                event_update(actor=None, event=held, fields={"title": "First"}, expected_version=1)
            outcome["first"] = "ok"
        finally:
            connection.close()

    def second() -> None:
        try:
            started.wait(10)
            event_update(actor=None, event=_fresh(event), fields={"summary": "Second"}, expected_version=1)
            outcome["second"] = "ok"
        except StaleVersion as error:
            outcome["second"] = error.current_version
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    started.wait(10)
    time.sleep(0.5)  # let the second writer reach the lock (the outcome is the same if it has not)
    release.set()
    for thread in threads:
        thread.join(30)
    assert outcome == {"first": "ok", "second": 2}
    stored = _fresh(event)
    assert (stored.title, stored.summary, stored.version) == ("First", "", 2)
