"""Fixtures for the public pages: many events to page through, and counting statements."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from events.models import Citation, EventKind, ParticipantRole, Participation, Source
from people.models import Person
from places.models import Country, Region
from tests.events.factories import make_event

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
