"""A logged-in staff editor and one linked record of every kind, for admin pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import models

from events.models import Citation, ParticipantRole, Participation, TreatyParty, Visit
from people.models import Organization, Role
from tests.events.factories import make_event, make_source, make_treaty
from tests.people.factories import make_person
from tests.places.factories import make_country, make_region

EDITED_APPS = ("places", "people", "events")


def populate(n: int) -> dict[type[models.Model], models.Model]:
    """Create set ``n``: one record of every edited model, linked as editors link them."""
    country = make_country(f"X{'ABCDEFGHIJ'[n]}", f"Testland {n}", aliases=[f"Alias of testland {n}"])
    region = make_region(f"region-{n}", country=country, aliases=[f"Region alias {n}"])
    person = make_person(f"person-{n}", nationality=country, aliases=[f"Person alias {n}"])
    organization = Organization.objects.create(
        slug=f"org-{n}", name=f"Organisation {n}", abbreviation=f"O{n}", aliases=[f"Org alias {n}"]
    )
    role = Role.objects.create(person=person, title="Minister", country=country, start=f"20{10 + n}")
    person.identifiers.create(scheme="test", value=f"person-{n}")
    source = make_source(f"source-{n}", published_on="2024-05-14", text="Leaders met in Kyiv.")
    treaty = make_treaty(f"treaty-{n}", signed="2024-06-19")
    party = TreatyParty.objects.create(treaty=treaty, country=country, signatory=person, signed="2024-06-19")
    event = make_event(f"event-{n}", title=f"Summit of Testland {n}", date="2024-05", treaty=treaty)
    event.country_links.create(country=country)
    event.region_links.create(region=region)
    Participation.objects.create(event=event, role=ParticipantRole.VISITOR, person=person, country=country)
    citation = Citation.objects.create(source=source, event=event, quote="met in Kyiv")
    visit_event = make_event(f"visit-{n}", kind="VISIT", date="2024-05-14")
    visit = Visit.objects.create(
        slug=f"test-visit-{n}", event=visit_event, visitor=person, host_country=country
    )
    visit.destination_links.create(region=region)
    return {
        type(o): o
        for o in (country, region, organization, person, role, source, treaty, party, event, citation, visit)
    }


@pytest.fixture
def editor(db: Any) -> Any:
    """A staff member with every permission on the edited apps, and no superuser powers."""
    user = get_user_model().objects.create_user("test-editor", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=EDITED_APPS))
    return user


@pytest.fixture
def editor_client(client: Any, editor: Any) -> Any:
    client.force_login(editor)
    return client


@pytest.fixture
def records(db: Any) -> dict[type[models.Model], models.Model]:
    return populate(0)
