"""The write services behind the mutations, called directly."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from events.models import Event, EventCountry
from events.services import event_create, event_update
from people.models import Person
from people.services import person_update
from places.models import Country
from tests.api.conftest import make_user


@pytest.mark.usefixtures("seeded")
def test_update_reports_whether_anything_changed_and_keeps_unchanged_rows() -> None:
    editor = make_user("service-editor")
    event = Event.objects.get(slug="chervona-zirka-capture-claim")
    link_ids = set(EventCountry.objects.filter(event=event).values_list("pk", flat=True))
    rows = event.revisions.count()
    _, changed = event_update(
        actor=editor, event=event, fields={"title": event.title}, countries=list(event.countries.all())
    )
    assert changed is False
    assert event.revisions.count() == rows
    assert set(EventCountry.objects.filter(event=event).values_list("pk", flat=True)) == link_ids
    _, changed = event_update(actor=editor, reason="typo", event=event, fields={"title": "Corrected"})
    assert changed is True
    latest = event.revisions.latest("history_date")
    assert (latest.history_user, latest.history_change_reason) == (editor, "typo")


@pytest.mark.usefixtures("seeded")
def test_create_is_atomic() -> None:
    ua = Country.objects.get(code="UA")
    with pytest.raises(ValidationError) as raised:
        event_create(
            actor=None,
            fields={"slug": "half-made", "kind": "OTHER", "title": "Half made", "date": "2025"},
            countries=[ua, ua],
        )
    assert raised.value.message_dict == {"countries.1": ["This entry repeats an earlier one."]}
    assert not Event.objects.filter(slug="half-made").exists()


@pytest.mark.usefixtures("seeded")
def test_fields_outside_the_service_are_refused() -> None:
    person = Person.objects.get(slug="olga-lyubimova")
    with pytest.raises(ValidationError) as raised:
        person_update(actor=None, person=person, fields={"id": 5})
    assert raised.value.messages == ["These fields cannot be set here: id."]
