"""What the admin hides from an editor, the API refuses too: child lists need the rows' permissions."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from events.models import Event, Participation
from tests.api.conftest import make_user
from tests.api.editing import as_user, messages, run

EVENT = "duda-zelenskyy-meeting"
UPDATE = """mutation ($input: EventPatch!) {
  eventUpdate(slug: "duda-zelenskyy-meeting", input: $input) {
    __typename ... on Event { title } ... on OperationInfo { messages { kind code message } } } }"""
CREATE = """mutation ($input: EventInput!) {
  eventCreate(input: $input) { __typename ... on OperationInfo { messages { kind code message } } } }"""


def _staff(username: str, *perms: str) -> User:
    user = make_user(username, *perms)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


def _stored() -> tuple[str, list[tuple[str, int | None, int | None]], list[int]]:
    event = Event.objects.get(slug=EVENT)
    participants = sorted(event.participants.values_list("role", "person_id", "country_id"))
    return event.title, participants, sorted(event.country_links.values_list("country_id", flat=True))


def test_the_admin_hides_the_participant_inline_without_its_permissions(client: Client, seeded: None) -> None:
    as_user(client, _staff("events-only", "events.change_event"))
    event = Event.objects.get(slug=EVENT)
    response = client.get(reverse("admin:events_event_change", args=[event.pk]))
    assert response.status_code == 200
    shown = {inline.formset.model for inline in response.context["inline_admin_formsets"]}
    assert Participation not in shown


def test_event_update_with_lists_but_only_change_event_is_refused_and_writes_nothing(
    client: Client, seeded: None
) -> None:
    as_user(client, _staff("events-only", "events.change_event"))
    before = _stored()
    result = run(
        client,
        UPDATE,
        input={"title": "Renamed", "participants": [{"role": "HOST", "country": "UA"}], "countries": ["PL"]},
    )["eventUpdate"]
    [message] = messages(result)
    assert (message["kind"], message["code"]) == ("PERMISSION", "PERMISSION_DENIED")
    assert "'events.add_participation' (to add participants rows)" in message["message"]
    assert "'events.delete_participation' (to remove participants rows)" in message["message"]
    assert "'events.add_eventcountry' (to add countries rows)" in message["message"]
    assert _stored() == before
    # The event's own fields are theirs to change.
    assert run(client, UPDATE, input={"title": "Renamed"})["eventUpdate"] == {
        "__typename": "Event",
        "title": "Renamed",
    }


def test_a_list_is_checked_row_by_row_as_the_inline_would(client: Client, seeded: None) -> None:
    # May add participant rows, not remove or change them: as the inline shows it.
    as_user(client, _staff("adder", "events.change_event", "events.add_participation"))
    event = Event.objects.get(slug=EVENT)
    response = client.get(reverse("admin:events_event_change", args=[event.pk]))
    [inline] = [i for i in response.context["inline_admin_formsets"] if i.formset.model is Participation]
    assert inline.has_add_permission and not inline.has_delete_permission and not inline.has_change_permission
    current = [
        {
            "role": p.role,
            "person": p.person.slug if p.person else None,
            "country": p.country.code if p.country else None,
        }
        for p in event.participants.select_related("person", "country")
    ]
    result = run(client, UPDATE, input={"participants": [*current, {"role": "HOST", "country": "PL"}]})
    assert result["eventUpdate"]["__typename"] == "Event"
    assert event.participants.filter(role="HOST", country__code="PL").exists()
    before = _stored()
    result = run(client, UPDATE, input={"participants": current[:1]})["eventUpdate"]
    [message] = messages(result)
    assert "'events.delete_participation'" in message["message"]
    assert _stored() == before


def test_creating_with_lists_needs_the_rows_add_permission(client: Client, seeded: None) -> None:
    as_user(client, _staff("creator", "events.add_event"))
    result = run(
        client,
        CREATE,
        input={"slug": "perm-test", "kind": "MEETING", "title": "T", "date": "2025", "countries": ["PL"]},
    )["eventCreate"]
    [message] = messages(result)
    assert "'events.add_eventcountry'" in message["message"]
    assert not Event.objects.filter(slug="perm-test").exists()
    result = run(client, CREATE, input={"slug": "perm-test", "kind": "MEETING", "title": "T", "date": "2025"})
    assert result["eventCreate"]["__typename"] == "Event"
