"""The admin writes through the services: the visit mirror holds, bulk deletes ask why (issue 8)."""

from __future__ import annotations

from django.urls import reverse

from events.models import Event, ParticipantRole, Participation
from tests.admin.formdata import change_form_data


def test_deleting_the_visitor_row_in_the_admin_keeps_the_visit_mirror(editor_client, records):
    visit = records[next(m for m in records if m.__name__ == "Visit")]
    event = visit.event
    Participation.objects.create(event=event, role=ParticipantRole.VISITOR, person=visit.visitor)
    url = reverse("admin:events_event_change", args=[event.pk])
    data = change_form_data(editor_client.get(url))
    data["participants-0-DELETE"] = "on"
    assert editor_client.post(url, data).status_code == 302
    assert list(event.participants.values_list("role", "person_id")) == [
        (ParticipantRole.VISITOR, visit.visitor_id)
    ]


def test_bulk_delete_asks_for_a_reason_and_records_it(editor_client, records):
    event = records[Event]
    url = reverse("admin:events_event_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    response = editor_client.post(url, chosen)
    assert response.status_code == 200
    assert "Say why these records are deleted" in response.content.decode()
    assert Event.objects.filter(pk=event.pk).exists()

    response = editor_client.post(url, {**chosen, "change_reason": "Test records, not real events"})
    assert response.status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()
    rows = [
        *Event.history.filter(id=event.pk, history_type="-"),
        *Participation.history.filter(event_id=event.pk, history_type="-"),
    ]
    assert len(rows) == 2
    assert {(r.history_user.username, r.history_change_reason) for r in rows} == {
        ("test-editor", "Test records, not real events")
    }
    assert len({r.history_edit for r in rows}) == 1
