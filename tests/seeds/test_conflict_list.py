"""Import conflicts listed for editors, decided through the services, stale decisions refused (issue 23)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from events.models import Event
from events.services import event_update
from seeds.models import ConflictStatus, ImportConflict
from seeds.services import conflict_accept, conflict_keep
from tests.seeds.conftest import run

pytestmark = pytest.mark.django_db

SLUG = "chervona-zirka-capture-claim"
TITLE = "Russia claims the capture of Chervona Zirka"
EDITED = "Russia says it took the village"


@pytest.fixture
def editor():
    return get_user_model().objects.create_superuser("conflict-editor", password="x")


@pytest.fixture
def conflict(editor) -> ImportConflict:
    run()
    event_update(actor=editor, reason="sharper", event=Event.objects.get(slug=SLUG), fields={"title": EDITED})
    run()
    return ImportConflict.objects.get(key=SLUG, field="title")


def test_a_reported_conflict_is_stored_with_who_which_record_both_values_and_run(conflict, editor):
    assert (conflict.model, conflict.editor_value, conflict.file_value) == ("events.event", EDITED, TITLE)
    assert conflict.editor == editor
    assert conflict.status == ConflictStatus.OPEN and conflict.runs == 1
    assert conflict.run_by == "import_seeds" and conflict.file.endswith(".yaml")


def test_a_re_import_updates_the_row_instead_of_repeating_it(conflict):
    run("--full")
    [again] = ImportConflict.objects.filter(key=SLUG, field="title")
    assert again.pk == conflict.pk and again.runs == 2 and again.last_seen > conflict.last_seen


def test_accepting_writes_the_files_value_through_the_service_with_the_reason(conflict, editor):
    conflict_accept(actor=editor, reason="the file is right", conflict=conflict)
    event = Event.objects.get(slug=SLUG)
    assert event.title == TITLE
    last = event.history.order_by("-history_date").first()
    assert (last.history_user, last.history_change_reason) == (editor, "the file is right")
    conflict.refresh_from_db()
    assert (conflict.status, conflict.decided_by, conflict.reason) == (
        ConflictStatus.ACCEPTED,
        editor,
        "the file is right",
    )
    run("--full")  # the record now holds the file's value: nothing left to report, nothing reopened
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.ACCEPTED and conflict.runs == 1


def test_keeping_stays_kept_while_the_import_says_the_same(conflict, editor):
    conflict_keep(actor=editor, reason="mine is sharper", conflict=conflict)
    run("--full")
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.KEPT and conflict.runs == 2
    assert Event.objects.get(slug=SLUG).title == EDITED


def test_a_stale_accept_is_refused_with_a_clear_message_and_writes_nothing(conflict, editor, client):
    event_update(actor=editor, reason="again", event=Event.objects.get(slug=SLUG), fields={"title": "Third"})
    version = Event.objects.get(slug=SLUG).version
    client.force_login(editor)
    url = reverse("admin:seeds_importconflict_change", args=[conflict.pk])
    response = client.post(url, {"reason": "file wins", "_accept": "1"})
    assert response.status_code == 200
    assert "changed since the import reported this conflict" in response.content.decode()
    event = Event.objects.get(slug=SLUG)
    assert (event.title, event.version) == ("Third", version)
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN and conflict.decided_by is None


def test_the_list_the_decision_page_and_the_index_count(conflict, editor, client):
    client.force_login(editor)
    listed = client.get(reverse("admin:seeds_importconflict_changelist")).content.decode()
    assert SLUG in listed and EDITED in listed and TITLE in listed
    index = client.get(reverse("admin:index")).content.decode()
    assert "Import conflicts to decide</a></th><td>1</td>" in index
    assert "Possible duplicate people" in index
    response = client.post(
        reverse("admin:seeds_importconflict_change", args=[conflict.pk]), {"reason": "", "_keep": "1"}
    )
    assert response.status_code == 200  # a reason is required
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN
    response = client.post(
        reverse("admin:seeds_importconflict_change", args=[conflict.pk]), {"reason": "mine", "_keep": "1"}
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.KEPT
