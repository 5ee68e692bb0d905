"""Fixtures for the public pages: many events to page through, and counting statements."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Citation, EventKind, ParticipantRole, Participation, Source, Treaty, TreatyParty
from people.models import Person, Role
from places.models import Country, Region
from tests.events.factories import make_event, make_treaty

DUDA_KYIV = "duda-first-visit-kyiv"


def add_events(n: int, *, prefix: str = "extra") -> None:
    """``n`` events in Donetsk oblast with Duda taking part, each with a country, a region and a quote."""
    ua = Country.objects.get(code="UA")
    donetsk = Region.objects.get(slug="donetsk-oblast")
    duda = Person.objects.get(slug="andrzej-duda")
    source = Source.objects.create(slug=f"{prefix}-source", title=f"{prefix} source", text="A quote.")
    for i in range(n):
        event = make_event(
            f"{prefix}-{i:03d}",
            title=f"Extra event {i:03d}",
            kind=EventKind.MEETING,
            date=f"2023-{1 + i % 12:02d}",
        )
        event.country_links.create(country=ua)
        event.region_links.create(region=donetsk)
        Participation.objects.create(event=event, role=ParticipantRole.PARTICIPANT, person=duda, country=ua)
        Citation.objects.create(source=source, event=event, quote="A quote.")


@pytest.fixture
def count_statements() -> Callable[[Client, str], tuple[int, Any]]:
    """GET ``url`` and return how many SQL statements it ran, with the response."""

    def count(client: Client, url: str) -> tuple[int, Any]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        return len(queries), response

    return count


MONTREAL = "test-montreal-protocol"
KERRY = "john-kerry"


def build_montreal_protocol(parties: int = 198) -> Treaty:
    """A treaty as large as the Montreal Protocol: ``parties`` countries (seeded ones, in code
    order), each with its own signature, ratification and entry into force, and two steps."""
    treaty = make_treaty(
        "montreal-protocol",
        name="Montreal Protocol on Substances that Deplete the Ozone Layer",
        signed="1987-09-16",
        in_force="1989-01-01",
    )
    countries = list(Country.objects.order_by("code")[:parties])
    assert len(countries) == parties, f"only {len(countries)} countries are seeded"
    TreatyParty.objects.bulk_create(
        TreatyParty(
            treaty=treaty,
            country=country,
            # Some signed in 1987, most only ratified later: the sort by date has gaps to place.
            signed="1987-09-16" if i % 4 == 0 else "",
            ratified=f"{1988 + i % 30}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            in_force=f"{1989 + i % 30}-{1 + i % 12:02d}",
        )
        for i, country in enumerate(countries)
    )
    make_event(
        "montreal-signed",
        title="Montreal Protocol signed",
        kind=EventKind.TREATY,
        date="1987-09-16",
        treaty=treaty,
    )
    make_event(
        "montreal-in-force",
        title="Montreal Protocol enters into force",
        kind=EventKind.TREATY,
        date="1989-01-01",
        treaty=treaty,
    )
    return treaty


def build_kerry(events: int = 120) -> Person:
    """A busy Secretary of State: ``events`` visits spread over 2013–2017, more than a page holds."""
    us = Country.objects.get(code="US")
    kerry = Person.objects.create(slug=KERRY, name="John Kerry", nationality=us)
    Role.objects.create(
        person=kerry, title="Secretary of State", country=us, start="2013-02-01", end="2017-01-20"
    )
    hosts = list(Country.objects.exclude(code="US").order_by("code")[:40])
    for i in range(events):
        # Four years from February 2013, evenly: the last ones fall in January 2017.
        day = date(2013, 2, 1) + timedelta(days=round(i * 1449 / (events - 1)))
        event = make_event(
            f"kerry-visit-{i:03d}",
            title=f"Kerry visits {hosts[i % 40].name}",
            kind=EventKind.VISIT,
            date=day.isoformat(),
        )
        Participation.objects.create(event=event, role=ParticipantRole.VISITOR, person=kerry, country=us)
        event.country_links.create(country=hosts[i % 40])
    return kerry
