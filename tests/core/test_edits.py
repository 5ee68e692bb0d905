"""One write, one edit id: revisions are grouped by the write that made them, not by a clock (issue 8)."""

from __future__ import annotations

import pytest

from core.edits import committed, edit
from core.revisions import CHANGED, DELETED, revisions_for
from events.models import Event, Participation
from events.services import event_delete, event_update
from tests.events.factories import make_event
from tests.people.factories import make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("edits-editor")


def test_two_edits_a_moment_apart_are_two_revisions(user):
    event = make_event("twice")
    event_update(actor=user, reason="first", event=event, fields={"title": "One"})
    event_update(actor=user, reason="first", event=event, fields={"summary": "Two"})
    revisions = revisions_for(event)
    assert [(r.kind, [c.field for c in r.changes]) for r in revisions[-2:]] == [
        (CHANGED, ["title"]),
        (CHANGED, ["summary"]),
    ]
    assert len({row.history_edit for row in event.revisions.all()}) == 3  # created, two edits


def test_an_edit_tags_its_record_and_child_rows_with_one_id_user_and_reason(user):
    event = make_event("tagged")
    person = make_person("tagged-person")
    event_update(
        actor=user,
        reason="from the communiqué",
        event=event,
        fields={"title": "Tagged"},
        participants=[{"role": "SPEAKER", "person": person}],
    )
    event_row = event.revisions.latest("history_id")
    participant_row = Participation.history.get(event_id=event.pk)
    assert event_row.history_edit is not None
    assert participant_row.history_edit == event_row.history_edit
    for row in (event_row, participant_row):
        assert (row.history_user, row.history_change_reason) == (user, "from the communiqué")
    assert event_row.version == 2


def test_a_delete_is_one_revision_with_its_reason_cascaded_rows_included(user):
    event = make_event("doomed")
    person = make_person("doomed-person")
    event_update(
        actor=user, reason="add", event=event, fields={}, participants=[{"role": "HOST", "person": person}]
    )
    pk = event.pk
    event_delete(actor=user, reason="duplicate of another event", event=event)
    assert not Event.objects.filter(slug="test-doomed").exists()
    deleted = Participation.history.filter(event_id=pk, history_type="-").get()
    assert (deleted.history_user, deleted.history_change_reason) == (user, "duplicate of another event")
    event.pk = pk
    revisions = revisions_for(event)
    assert (revisions[-1].kind, revisions[-1].user, revisions[-1].reason) == (
        DELETED,
        "edits-editor",
        "duplicate of another event",
    )
    assert len(revisions) == 3  # created, participant added, deleted


def test_nested_services_join_the_outer_edit_and_committed_fires_once(user):
    seen = []

    def on_commit(sender, edit, **kwargs):
        seen.append(edit.id)

    committed.connect(on_commit)
    try:
        a, b = make_event("a"), make_event("b")
        with edit(actor=user, reason="both at once") as outer:
            event_update(actor=user, event=a, fields={"title": "First"})
            event_update(actor=user, event=b, fields={"title": "Second"})
    finally:
        committed.disconnect(on_commit)
    assert {a.revisions.latest("history_id").history_edit, b.revisions.latest("history_id").history_edit} == {
        outer.id
    }
    # pytest-django's transaction never commits: on_commit hooks are captured, not run.
    assert seen in ([], [outer.id])
