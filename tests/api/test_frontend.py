"""What a frontend on another origin needs: CORS, editors' notes, regions by name, alias and ISO code."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from events.models import Event, Treaty, Visit
from people.models import Person, Role
from tests.api.conftest import TREATY, GraphQL

FRONTEND = "https://newsroom.example"


@pytest.mark.django_db
def test_no_origin_is_allowed_by_default(client: Client) -> None:
    response = client.options(
        "/graphql/", headers={"origin": FRONTEND, "access-control-request-method": "POST"}
    )
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.django_db
@override_settings(CORS_ALLOWED_ORIGINS=[FRONTEND])
def test_a_configured_origin_may_query_the_api_and_the_exports(client: Client, seeded: None) -> None:
    preflight = client.options(
        "/graphql/",
        headers={
            "origin": FRONTEND,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.headers["access-control-allow-origin"] == FRONTEND
    assert "content-type" in preflight.headers["access-control-allow-headers"]
    answer = client.post(
        "/graphql/",
        {"query": "{ countries(first: 1) { totalCount } }"},
        content_type="application/json",
        headers={"origin": FRONTEND},
    )
    assert answer.headers["access-control-allow-origin"] == FRONTEND and answer.json()["data"]
    export = client.get("/export/events.json", headers={"origin": FRONTEND})
    assert export.headers["access-control-allow-origin"] == FRONTEND
    # Other origins, and the pages themselves, get no CORS headers.
    assert "access-control-allow-origin" not in client.get(
        "/graphql/", headers={"origin": "https://evil.example"}
    )
    assert "access-control-allow-origin" not in client.get("/", headers={"origin": FRONTEND}).headers


def test_editors_notes_are_readable(gql: GraphQL) -> None:
    duda_role = Role.objects.get(person__slug="andrzej-duda")
    Person.objects.filter(slug="andrzej-duda").update(note="Name as in the Polish press.")
    Visit.objects.filter(event__slug="duda-first-visit-kyiv").update(note="Date from the article's wording.")
    Treaty.objects.filter(slug=TREATY).update(note="")
    data = gql(
        """query ($treaty: String!) {
          event(slug: "duda-first-visit-kyiv") { note visit { note visitor { note roles { title note } } } }
          treaty(slug: $treaty) { note }
        }""",
        {"treaty": TREATY},
    )["data"]
    event = data["event"]
    assert event["note"] == Event.objects.get(slug="duda-first-visit-kyiv").note != ""
    assert event["visit"]["note"] == "Date from the article's wording."
    assert event["visit"]["visitor"]["note"] == "Name as in the Polish press."
    assert event["visit"]["visitor"]["roles"] == [{"title": "President", "note": duda_role.note or None}]
    assert data["treaty"]["note"] is None  # empty is null, as for every optional text


def test_regions_are_found_by_name_alias_and_iso_code(gql: GraphQL) -> None:
    def search(text: str) -> list[str]:
        found = gql(
            "query ($s: String) { regions(search: $s, first: 20) { edges { node { slug } } } }", {"s": text}
        )
        return [edge["node"]["slug"] for edge in found["data"]["regions"]["edges"]]

    assert "donetsk-oblast" in search("donetsk")
    assert search("Donetska oblast") == ["donetsk-oblast"]  # an alias
    assert search("ua-14") == ["donetsk-oblast"]  # the ISO 3166-2 code, any case
    assert search("no such place anywhere") == []
    region = gql('{ regionByIsoCode(code: "ua-14") { slug name isoCode aliases } }')["data"][
        "regionByIsoCode"
    ]
    assert region["slug"] == "donetsk-oblast" and region["isoCode"] == "UA-14"
    assert {"Donetsk region", "Donetska oblast"} <= set(region["aliases"])
    assert gql('{ regionByIsoCode(code: "XX-99") { slug } }')["data"]["regionByIsoCode"] is None
