"""The invariants every write path shares, held once in the services (issue 8)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from events.models import Event, ParticipantRole, Participation, ProvisionKind, Treaty
from events.services import event_create, event_update, treaty_create, treaty_update, visit_create
from people.models import Person
from places.models import Country, Region
from tests.events.factories import make_event, make_source

pytestmark = pytest.mark.django_db


def _visit() -> tuple[Event, Person]:
    event = make_event("trip", kind="VISIT")
    person = Person.objects.get(slug="andrzej-duda")
    visit_create(
        actor=None,
        fields={
            "slug": "test-trip",
            "event": event,
            "visitor": person,
            "host_country": Country.objects.get(code="UA"),
        },
        destinations=[Region.objects.get(slug="kyiv")],
    )
    return event, person


def test_a_participants_list_never_drops_the_visitor():
    event, person = _visit()
    ua = Country.objects.get(code="UA")
    event_update(actor=None, event=event, fields={}, participants=[{"role": "HOST", "country": ua}])
    assert sorted(
        Participation.objects.filter(event=event).values_list("role", "person_id", "country_id")
    ) == [
        (ParticipantRole.HOST, None, ua.pk),
        (ParticipantRole.VISITOR, person.pk, None),
    ]
    event_update(actor=None, event=event, fields={}, regions=[])
    assert list(event.region_links.values_list("region__slug", flat=True)) == ["kyiv"]


def test_a_treaty_takes_back_its_own_provision_list():
    provisions = [
        {"kind": ProvisionKind.ECONOMIC, "summary": "Trade in grain."},
        {"kind": ProvisionKind.ECONOMIC, "summary": "Joint ventures."},
    ]
    treaty = treaty_create(
        actor=None, fields={"slug": "test-two-economic", "name": "Two"}, provisions=provisions
    )
    same = [{"kind": p.kind, "article": p.article, "summary": p.summary} for p in treaty.provisions.all()]
    _, changed = treaty_update(actor=None, treaty=treaty, fields={}, provisions=same)
    assert not changed
    assert Treaty.objects.get(pk=treaty.pk).provisions.count() == 2


def test_the_quote_rule_refuses_an_empty_quote_of_a_source_with_text():
    source = make_source("texted", text="The minister arrived on Tuesday.")
    with pytest.raises(ValidationError) as excinfo:
        event_create(
            actor=None,
            fields={"slug": "test-unquoted", "kind": "MEETING", "title": "Unquoted", "date": "2024"},
            citations=[{"source": source, "quote": ""}],
        )
    assert list(excinfo.value.message_dict) == ["citations.0.quote"]
    assert not Event.objects.filter(slug="test-unquoted").exists()


def test_a_list_naming_a_row_twice_is_refused_and_writes_nothing():
    event = make_event("twice-listed")
    ua = Country.objects.get(code="UA")
    with pytest.raises(ValidationError) as excinfo:
        event_update(
            actor=None,
            event=event,
            fields={"title": "Changed"},
            participants=[{"role": "HOST", "country": ua}, {"role": "HOST", "country": ua}],
        )
    assert list(excinfo.value.message_dict) == ["participants.1"]
    event.refresh_from_db()
    assert (event.title, event.participants.count()) == ("Twice listed", 0)
