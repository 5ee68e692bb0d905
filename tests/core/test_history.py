import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.history import tag_revision
from events.models import Event
from places.models import Region
from tests.events.factories import make_event
from tests.places.factories import make_region

pytestmark = pytest.mark.django_db


def test_tag_revision_records_the_actor_and_reason():
    editor = get_user_model().objects.create_user("test-editor", password="x")
    event = Event(slug="test-tagged", title="Tagged", kind="MEETING", date="2024")
    tag_revision(event, actor=editor, reason="from the communiqué")
    event.save()
    row = event.revisions.get()
    assert (row.history_user, row.history_change_reason, row.history_type) == (
        editor,
        "from the communiqué",
        "+",
    )


def test_tag_revision_ignores_anonymous_actors_and_empty_reasons():
    event = Event(slug="test-untagged", title="Untagged", kind="MEETING", date="2024")
    tag_revision(event, actor=AnonymousUser(), reason="")
    event.save()
    row = event.revisions.get()
    assert (row.history_user, row.history_change_reason) == (None, None)


def test_a_long_reason_is_kept_whole():
    # The default CharField(100) would truncate on PostgreSQL only.
    event = make_event("long-reason")
    reason = "Corrected after comparing the ministry's communiqué with two agency reports. " * 5
    event.title = "Corrected"
    tag_revision(event, actor=None, reason=reason)
    event.save()
    assert event.revisions.latest("history_date").history_change_reason == reason


def test_every_save_change_and_delete_writes_a_row():
    event = make_event("rows")
    event.title = "Renamed"
    event.save()
    pk = event.pk
    event.delete()
    rows = Event.history.filter(id=pk).order_by("history_date", "history_id")
    assert [(r.history_type, r.title) for r in rows] == [("+", "Rows"), ("~", "Renamed"), ("-", "Renamed")]


def test_revisions_can_be_prefetched():
    for i in range(3):
        make_event(f"prefetch-{i}")
    with CaptureQueriesContext(connection) as queries:
        events = list(Event.objects.filter(slug__startswith="test-prefetch-").prefetch_related("revisions"))
        counts = [len(e.revisions.all()) for e in events]
    assert (counts, len(queries)) == ([1, 1, 1], 2)


def test_region_history_leaves_out_the_derived_path():
    parent = make_region("history-parent")
    child = make_region("history-child", parent=parent)
    assert "path" not in {f.name for f in Region.history.model._meta.fields}
    assert child.revisions.get().parent_id == parent.pk


def _spans(model, pk):
    """Each historical row of one record: (type, written, valid until), oldest first."""
    rows = model.history.filter(id=pk).order_by("history_id")
    return [(r.history_type, r.history_date, r.history_valid_until) for r in rows]


def _closed_by_their_successors(spans):
    """Each row stays current until the next row of its record was written; the last is open."""
    return (
        all(until == spans[n + 1][1] for n, (_, _, until) in enumerate(spans[:-1])) and spans[-1][2] is None
    )


def test_an_edit_closes_the_rows_its_rows_supersede():
    from events.models import Participation
    from events.services import event_delete, event_update
    from people.models import Person

    editor = get_user_model().objects.create_user("closing-editor", password=None)
    event = make_event("closing")
    person = Person.objects.create(slug="closing-person", name="Closing Person")
    event_update(
        actor=editor,
        event=event,
        fields={"title": "Second"},
        participants=[{"role": "HOST", "person": person}],
    )
    event_update(actor=editor, event=event, fields={"title": "Third"}, participants=[])
    (participation,) = set(Participation.history.filter(event_id=event.pk).values_list("id", flat=True))
    pk = event.pk
    event_delete(actor=editor, event=event)
    events = _spans(Event, pk)
    assert [kind for kind, _, _ in events] == ["+", "~", "~", "-"]
    assert _closed_by_their_successors(events)
    # The participant removed by a bulk write (core.services) is closed by that edit too.
    participations = _spans(Participation, participation)
    assert [kind for kind, _, _ in participations] == ["+", "-"] and _closed_by_their_successors(
        participations
    )


def test_a_save_outside_any_edit_closes_the_row_it_supersedes():
    event = make_event("closing-outside")
    event.title = "Saved directly"
    event.save()
    event.title = "Saved again"
    event.save()
    spans = _spans(Event, event.pk)
    assert len(spans) == 3 and _closed_by_their_successors(spans)


def test_filling_a_table_gives_what_the_writes_gave():
    from core.history import fill_valid_until

    first, second = make_event("fill-one"), make_event("fill-two")
    for event in (first, first, second):
        event.title += "!"
        event.save()
    written = {pk: _spans(Event, pk) for pk in (first.pk, second.pk)}
    Event.history.update(history_valid_until=None)
    assert fill_valid_until(Event.history.model) == 3
    assert {pk: _spans(Event, pk) for pk in (first.pk, second.pk)} == written
    assert fill_valid_until(Event.history.model) in (0, 3)  # PostgreSQL skips rows already right


@pytest.mark.parametrize(
    "module",
    [
        "events.migrations.0013_history_valid_until",
        "people.migrations.0009_history_valid_until",
        "places.migrations.0005_history_valid_until",
    ],
)
def test_each_valid_until_migration_fills_every_table_it_adds_the_column_to(module: str) -> None:
    """A migration that adds the column to a history table it then leaves unfilled would make every
    row written before it look current for ever (its HISTORIES list was once empty)."""
    import importlib

    from django.db import migrations

    migration = importlib.import_module(module)
    added = {
        operation.model_name
        for operation in migration.Migration.operations
        if isinstance(operation, migrations.AddField) and operation.name == "history_valid_until"
    }
    assert added and set(migration.HISTORIES) == added
