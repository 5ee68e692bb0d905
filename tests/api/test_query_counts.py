"""The SQL behind a nested timeline page does not grow with the page size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events.models import (
    Citation,
    Event,
    EventRegion,
    Participation,
    Source,
    Treaty,
    TreatyParty,
    TreatyProvision,
    Visit,
    VisitDestination,
)
from people.models import Person, Role
from places.models import Country, Region
from tests.api.conftest import GraphQL

NESTED_PAGE = """query ($first: Int!) {
  timeline(first: $first, filters: {person: "count-visitor"}) {
    totalCount
    edges { cursor node {
      id slug kind title summary status date { edtf earliest latest precision display }
      participants { role note person { slug name roles { title country { code } start { edtf } } }
                     country { code name } }
      countries { code }
      regions { slug name parent { slug name parent { slug } } country { code } }
      citations { quote source { id title publishedOn { edtf } } }
      visit { slug kind delegationSize visitor { slug } hostCountry { code }
              destinations { slug parent { slug } } }
      treaty { slug name parties { country { code } signatory { slug } signed { edtf } }
               provisions { kind article summary } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}"""


@pytest.fixture
def many_events(seeded: None) -> None:
    """Fifty events with every relation the nested page reads."""
    ua, kp = Country.objects.get(code="UA"), Country.objects.get(code="KP")
    donetsk = Region.objects.get(slug="donetsk-oblast")
    visitor = Person.objects.create(slug="count-visitor", name="Count Visitor", nationality=ua)
    Role.objects.create(person=visitor, title="Envoy", country=ua, start="2020")
    source = Source.objects.create(slug="count-source", title="Count source", published_on="2024-05")
    for i in range(50):
        region = Region.objects.create(
            slug=f"count-town-{i}", name=f"Town {i}", kind="city", country=ua, parent=donetsk
        )
        treaty = Treaty.objects.create(slug=f"count-treaty-{i}", name=f"Treaty {i}", signed="2024-05")
        TreatyParty.objects.create(treaty=treaty, country=ua, signatory=visitor, signed="2024-05")
        TreatyParty.objects.create(treaty=treaty, country=kp)
        TreatyProvision.objects.create(treaty=treaty, kind="CONSULTATION", article="Art. 1", summary="Talks.")
        event = Event.objects.create(
            slug=f"count-event-{i}",
            kind="VISIT",
            title=f"Visit {i:02d}",
            date=f"1990-01-{i % 28 + 1:02d}",
            treaty=treaty,
        )
        event.countries.add(ua)
        EventRegion.objects.create(event=event, region=region)
        Participation.objects.create(event=event, role="VISITOR", person=visitor, country=ua)
        Participation.objects.create(event=event, role="HOST", country=kp, note="foreign ministry")
        Citation.objects.create(event=event, source=source, quote="")
        visit = Visit.objects.create(slug=f"count-visit-{i}", event=event, visitor=visitor, host_country=kp)
        VisitDestination.objects.create(visit=visit, region=region)


def statements_for(gql: GraphQL, first: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        body = gql(NESTED_PAGE, {"first": first})
    assert "errors" not in body, body
    return len(queries), len(body["data"]["timeline"]["edges"])


def test_a_page_of_50_costs_the_same_statements_as_a_page_of_2(gql: GraphQL, many_events: None) -> None:
    small, small_rows = statements_for(gql, 2)
    large, large_rows = statements_for(gql, 50)
    assert (small_rows, large_rows) == (2, 50)
    assert large == small, (small, large)
    # One per relation level (page, count, participants, roles, regions, citations, visits,
    # destinations, parties, provisions...), never one per event.
    assert small < 25
