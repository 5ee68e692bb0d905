"""Two editors, one event: the first save stays, the second sees the conflict (issue 8)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from events.models import Event, Participation
from people.models import Person
from tests.admin.conftest import EDITED_APPS
from tests.admin.formdata import add_inline_row, change_form_data


@pytest.fixture
def second_client(db: Any) -> Client:
    other = get_user_model().objects.create_user("second-editor", password="x", is_staff=True)
    other.user_permissions.set(Permission.objects.filter(content_type__app_label__in=EDITED_APPS))
    client = Client()
    client.force_login(other)
    return client


def _form(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    return change_form_data(response)


def test_the_change_form_carries_the_version_it_was_rendered_from(editor_client, records):
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    response = editor_client.get(url)
    assert f'name="expected_version" value="{event.version}"' in response.content.decode()


def test_a_stale_form_is_refused_names_the_first_editor_and_keeps_the_input(
    editor_client, second_client, records
):
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _form(editor_client, url), _form(second_client, url)
    participants_before = sorted(Participation.objects.filter(event=event).values_list("pk", flat=True))

    first["title"] = "Summit, renamed by the first editor"
    first["change_reason"] = "first"
    assert editor_client.post(url, first).status_code == 302

    # The second editor changed the summary and added a participant from the old form.
    second["summary"] = "Written by the second editor"
    add_inline_row(second, "participants", role="PARTICIPANT", person=Person.objects.first().pk)
    history_before = Event.history.filter(id=event.pk).count()
    response = second_client.post(url, second)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed after you read it" in page
    assert "test-editor" in page  # who changed it
    assert "title: “Summit of Testland 0” → “Summit, renamed by the first editor”" in page
    form = response.context["adminform"].form
    assert form["summary"].value() == "Written by the second editor"  # the input is kept
    assert form["expected_version"].value() == event.version + 1  # shown at the current version
    participants = response.context["inline_admin_formsets"][0].formset
    assert participants.forms[-1]["role"].value() == "PARTICIPANT"

    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.summary, stored.version) == (
        "Summit, renamed by the first editor",
        "",
        event.version + 1,
    )
    assert (
        sorted(Participation.objects.filter(event=event).values_list("pk", flat=True)) == participants_before
    )
    assert Event.history.filter(id=event.pk).count() == history_before
    [last] = Event.history.filter(id=event.pk).order_by("-history_id")[:1]
    assert (last.history_user.username, last.history_change_reason) == ("test-editor", "first")

    # Saving the kept input again is the second editor's deliberate choice: it applies.
    again = {**second, "expected_version": event.version + 1}
    assert second_client.post(url, again).status_code == 302
    stored = Event.objects.get(pk=event.pk)
    assert stored.summary == "Written by the second editor"
    assert stored.version == event.version + 2
    assert Participation.objects.filter(event=event).count() == len(participants_before) + 1


def test_a_stale_form_changing_only_an_inline_is_refused_too(editor_client, second_client, records):
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _form(editor_client, url), _form(second_client, url)
    first["summary"] = "First"
    assert editor_client.post(url, first).status_code == 302
    second["participants-0-DELETE"] = "on"
    count = Participation.objects.filter(event=event).count()
    response = second_client.post(url, second)
    assert response.status_code == 200
    assert "changed after you read it" in response.content.decode()
    assert Participation.objects.filter(event=event).count() == count


@pytest.mark.parametrize("name", ["Visit", "Treaty", "Person"])
def test_stale_forms_of_visits_treaties_and_people_are_refused(editor_client, second_client, records, name):
    record = records[next(m for m in records if m.__name__ == name)]
    meta = record._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
    first, second = _form(editor_client, url), _form(second_client, url)
    first["note"] = "First editor's note"
    assert editor_client.post(url, first).status_code == 302
    second["note"] = "Second editor's note"
    response = second_client.post(url, second)
    assert response.status_code == 200
    assert "changed after you read it" in response.content.decode()
    stored = type(record).objects.get(pk=record.pk)
    assert (stored.note, stored.version) == ("First editor's note", record.version + 1)


def test_a_delete_confirmed_on_a_stale_page_is_refused(editor_client, second_client, records):
    event = records[Event]
    url = reverse("admin:events_event_delete", args=[event.pk])
    page = second_client.get(url).content.decode()
    assert f'name="expected_version" value="{event.version}"' in page
    first = _form(editor_client, reverse("admin:events_event_change", args=[event.pk]))
    first["title"] = "Renamed before the delete"
    assert editor_client.post(reverse("admin:events_event_change", args=[event.pk]), first).status_code == 302
    response = second_client.post(
        url, {"post": "yes", "change_reason": "dup", "expected_version": event.version}, follow=True
    )
    assert "changed after you read it" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()
    assert not Event.history.filter(id=event.pk, history_type="-").exists()
    response = second_client.post(
        url, {"post": "yes", "change_reason": "dup", "expected_version": event.version + 1}
    )
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_revert_shown_before_another_save_is_refused(editor_client, second_client, records):
    from events.services import event_update
    from tests.admin.formdata import form_values

    event = records[Event]
    first = Event.history.filter(id=event.pk).earliest("history_id")
    event_update(actor=None, event=Event.objects.get(pk=event.pk), fields={"title": "Renamed by mistake"})
    url = reverse("admin:events_event_simple_history", args=[event.pk, first.history_id])
    page = second_client.get(url)
    data = form_values(page.context["adminform"].form)
    assert data["expected_version"] == event.version + 1  # the version stored now, not the old one's
    assert 'name="expected_version"' in page.content.decode()
    event_update(actor=None, event=Event.objects.get(pk=event.pk), fields={"summary": "Meanwhile."})
    response = second_client.post(url, {**data, "change_reason": "undo"}, follow=True)
    assert "changed after you read it" in response.content.decode()
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.summary, stored.version) == (
        "Renamed by mistake",
        "Meanwhile.",
        event.version + 2,
    )
    data = form_values(second_client.get(url).context["adminform"].form)
    assert second_client.post(url, {**data, "change_reason": "undo"}).status_code == 302
    assert Event.objects.get(pk=event.pk).title == first.title


# -- "save again" after a refusal applies the editor's own changes only (issue 19) --------------


def test_saving_the_refused_form_again_keeps_the_other_editors_title(editor_client, second_client, records):
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _form(editor_client, url), _form(second_client, url)
    first["title"] = "Title by the first editor"
    assert editor_client.post(url, first).status_code == 302

    second["summary"] = "Summary by the second editor"
    refused = second_client.post(url, second)
    assert refused.status_code == 200
    form = refused.context["adminform"].form
    # The three-way view: what is stored now where the editor changed nothing, their input where they did.
    assert form["title"].value() == "Title by the first editor"
    assert form["summary"].value() == "Summary by the second editor"
    assert "Now as test-editor saved it" in refused.content.decode()

    # The editor presses save again on the page as shown: only the summary is theirs.
    assert second_client.post(url, change_form_data(refused)).status_code == 302
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.summary) == ("Title by the first editor", "Summary by the second editor")
    assert stored.version == event.version + 2


def test_the_stale_post_sent_again_as_it_was_keeps_the_other_editors_title(
    editor_client, second_client, records
):
    # A client that re-sends its first POST with only the version bumped (a script, a double submit).
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _form(editor_client, url), _form(second_client, url)
    first["title"] = "Title by the first editor"
    assert editor_client.post(url, first).status_code == 302
    second["summary"] = "Summary by the second editor"
    assert second_client.post(url, second).status_code == 200
    assert second_client.post(url, {**second, "expected_version": event.version + 1}).status_code == 302
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.summary) == ("Title by the first editor", "Summary by the second editor")


def test_a_field_both_editors_changed_shows_all_three_values_and_the_second_save_is_deliberate(
    editor_client, second_client, records
):
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _form(editor_client, url), _form(second_client, url)
    first["title"] = "Theirs"
    assert editor_client.post(url, first).status_code == 302
    second["title"] = "Mine"
    refused = second_client.post(url, second)
    page = refused.content.decode()
    assert f"you read “{event.title}”, it is now “Theirs”" in page
    assert refused.context["adminform"].form["title"].value() == "Mine"
    assert Event.objects.get(pk=event.pk).title == "Theirs"
    assert second_client.post(url, change_form_data(refused)).status_code == 302
    assert Event.objects.get(pk=event.pk).title == "Mine"


def test_saving_again_keeps_the_other_editors_change_to_an_inline_row(editor_client, second_client, records):
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    first, second = _form(editor_client, url), _form(second_client, url)
    first["participants-0-note"] = "Note by the first editor"
    assert editor_client.post(url, first).status_code == 302
    row = Participation.objects.filter(event=event).order_by("pk").first()
    assert row.note == "Note by the first editor"

    second["summary"] = "Summary by the second editor"
    refused = second_client.post(url, second)
    assert refused.status_code == 200
    assert second_client.post(url, {**second, "expected_version": event.version + 1}).status_code == 302
    row.refresh_from_db()
    assert row.note == "Note by the first editor"
    assert Event.objects.get(pk=event.pk).summary == "Summary by the second editor"


def test_a_change_form_posted_without_its_version_is_refused(editor_client, records):
    event = records[Event]
    url = reverse("admin:events_event_change", args=[event.pk])
    data = _form(editor_client, url)
    data["title"] = "Unchecked"
    for missing in (
        {k: v for k, v in data.items() if k != "expected_version"},
        {**data, "expected_version": ""},
    ):
        response = editor_client.post(url, missing)
        assert response.status_code == 200
        assert "This form carries no version" in response.content.decode()
    stored = Event.objects.get(pk=event.pk)
    assert (stored.title, stored.version) == (event.title, event.version)
