"""A visit's copy of its event's dates (events.visit_dates) stays right whatever writes (issue 25).

The copy orders a visitor's and a host's visits from one index; the triggers that keep it must
follow every write: the admin, the API and the importer, creating a visit or changing its
event's date; a merge of people; and the writes that bypass the services (a bulk insert, a
``QuerySet.update()``, an instance saved with an old copy).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.urls import reverse

from events.models import Event, Visit
from events.visit_dates import install_triggers
from people.identity import person_merge
from people.models import Person
from places.models import Country
from tests.admin.formdata import change_form_data
from tests.crosssurface.conftest import Surfaces

pytestmark = pytest.mark.django_db

ALL = ["admin", "api", "importer"]
VISITED = "duda-first-visit-kyiv"
# An event of the seed article without a visit, given one on each surface.
MEETING = "duda-zelenskyy-meeting"


def wrong_copies() -> list[tuple[str, Any, Any]]:
    """Visits whose copy differs from their event's dates (none, when the triggers work)."""
    rows = Visit.objects.values_list(
        "slug", "event_date_earliest", "event_date_latest", "event__date_earliest", "event__date_latest"
    )
    return [(slug, (a, b), (c, d)) for slug, a, b, c, d in rows if (a, b) != (c, d)]


def test_every_imported_visit_has_its_events_dates() -> None:
    # The suite's database holds the seeds and datasets the importer inserted in bulk.
    assert Visit.objects.exists()
    assert wrong_copies() == []


@pytest.mark.parametrize("surface", ALL)
def test_an_events_new_date_reaches_its_visit(surfaces: Surfaces, surface: str) -> None:
    event = Event.objects.get(slug=VISITED)
    visit = event.visit
    if surface == "admin":
        data, _ = surfaces.admin_form(event)
        data.update(date="2022-04-13", change_reason="dated")
        assert surfaces.admin_post(event, data).status_code == 302
    elif surface == "api":
        result = surfaces.graphql(
            f'mutation {{ eventUpdate(slug: "{VISITED}", input: {{date: "2022-04-13"}}) {{ __typename }} }}'
        )
        assert result["eventUpdate"]["__typename"] == "Event"
    else:
        surfaces.import_edited(
            'date: "[2022-02-24..2025-08-06]"', "date: 2022-04-13", after=f"- slug: {VISITED}"
        )
    stored = Visit.objects.get(pk=visit.pk)
    assert (stored.event_date_earliest, stored.event_date_latest) == (date(2022, 4, 13), date(2022, 4, 13))
    # Derived, not edited: the visit's version and history stay as they were.
    assert stored.version == visit.version
    assert stored.revisions.count() == visit.revisions.count()
    assert wrong_copies() == []


@pytest.mark.parametrize("surface", ALL)
def test_a_new_visit_takes_its_events_dates(surfaces: Surfaces, surface: str) -> None:
    event = Event.objects.get(slug=MEETING)
    poland = Country.objects.get(code="PL")
    duda = Person.objects.get(slug="andrzej-duda")
    if surface == "admin":
        data = change_form_data(surfaces.client.get(reverse("admin:events_visit_add")))
        data.update(
            slug="duda-meeting-visit", event=event.pk, kind="WORKING", visitor=duda.pk, host_country=poland.pk
        )
        data["change_reason"] = "filed"
        response = surfaces.client.post(reverse("admin:events_visit_add"), data)
        assert response.status_code == 302, response.context and response.context["errors"]
    elif surface == "api":
        result = surfaces.graphql(
            """mutation ($input: VisitInput!) { visitCreate(input: $input) { __typename } }""",
            input={
                "slug": "duda-meeting-visit",
                "event": MEETING,
                "visitor": "andrzej-duda",
                "hostCountry": "PL",
            },
        )
        assert result["visitCreate"]["__typename"] == "Visit"
    else:
        visit = "    visit:\n      slug: duda-meeting-visit\n      visitor: andrzej-duda\n"
        visit += "      host_country: PL\n"
        surfaces.import_edited(
            "    kind: MEETING\n", "    kind: MEETING\n" + visit, after=f"- slug: {MEETING}"
        )
    stored = Visit.objects.get(slug="duda-meeting-visit")
    assert (stored.event_date_earliest, stored.event_date_latest) == (event.date_earliest, event.date_latest)


def test_a_merge_of_people_keeps_the_copies() -> None:
    actor = User.objects.create_user("merger", password=None, is_staff=True)
    merged = Person.objects.get(slug="andrzej-duda")
    moved = list(merged.visits.values_list("pk", flat=True))
    assert moved
    survivor = Person.objects.get(slug="volodymyr-zelenskyy")
    person_merge(actor=actor, reason="same", survivor=survivor, merged=merged)
    assert set(moved) <= set(survivor.visits.values_list("pk", flat=True))
    assert wrong_copies() == []


def test_writes_around_the_services_keep_the_copies() -> None:
    visit = Visit.objects.select_related("event").get(event__slug=VISITED)
    # A bulk UPDATE of events' dates, as an import's bulk path may send.
    Event.objects.filter(pk=visit.event_id).update(
        date_earliest=date(2023, 1, 2), date_latest=date(2023, 3, 4)
    )
    assert Visit.objects.values_list("event_date_earliest", "event_date_latest").get(pk=visit.pk) == (
        date(2023, 1, 2),
        date(2023, 3, 4),
    )
    # An instance read before that change writes its old copy back: the event's dates win.
    visit.note = "saved from an old read"
    visit.save()
    # A visit inserted in bulk with no copy at all, and one moved to another event.
    Visit.objects.filter(pk=visit.pk).delete()
    [inserted] = Visit.objects.bulk_create([Visit(**_fields(visit), event_date_earliest=None)])
    other = Event.objects.get(slug=MEETING)
    Visit.objects.filter(pk=inserted.pk).update(event=other)
    assert Visit.objects.values_list("event_date_earliest", "event_date_latest").get(pk=inserted.pk) == (
        other.date_earliest,
        other.date_latest,
    )
    assert wrong_copies() == []


def _fields(visit: Visit) -> dict[str, Any]:
    skip = {"id", "event_date_earliest", "event_date_latest"}
    return {
        f.attname: getattr(visit, f.attname) for f in Visit._meta.concrete_fields if f.attname not in skip
    }


def test_installing_the_triggers_again_changes_nothing() -> None:
    # After every migrate (events.apps): SQLite loses a table's triggers when a migration rebuilds it.
    install_triggers(connection)
    install_triggers(connection)
    Event.objects.filter(slug=VISITED).update(date_earliest=date(2024, 5, 6))
    assert wrong_copies() == []
