"""Treaty types, amendments and each party's own steps: stored through the services, read over GraphQL."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from events.models import Treaty, TreatyParty
from events.services import treaty_create
from places.models import Country
from tests.api.conftest import TREATY, GraphQL


def _country(code: str) -> Country:
    return Country.objects.get(code=code)


@pytest.fixture
def conventions(seeded: None) -> None:
    actor = User.objects.create(username="curator")
    convention = treaty_create(
        actor=actor,
        fields={
            "slug": "test-plant-protection",
            "name": "International Plant Protection Convention",
            "treaty_type": "AGREEMENT",
            "domain": "Environment",
            "subject": "Plant Protection",
            "ambit": "Multilateral",
            "signed": "1951-12-06",
            "in_force": "1952-04-03",
            "open_ended": True,
        },
        parties=[
            {
                "country": _country("PL"),
                "signed": "1951-12-06",
                "ratified": "1997-06-03?",
                "open_ended": True,
            },
            {"country": _country("RU"), "signed": "1951-12-06", "ratified": "1956~", "in_force": "1956"},
            {"country": _country("KP"), "ratified": "[1981-09..1981-10]", "ended": "2001-05-04"},
        ],
    )
    treaty_create(
        actor=actor,
        fields={
            "slug": "test-plant-protection-amendment",
            "name": "Amendment To The International Plant Protection Convention",
            "treaty_type": "AMENDMENT",
            "domain": "Environment",
            "parent": convention,
            "signed": "1979-11-28",
            "in_force": "1991-04-04",
        },
        parties=[{"country": _country("PL"), "ratified": "1990"}],
    )


PARTIES = """
query ($filters: TreatyFilter) {
  treaties(filters: $filters) {
    totalCount
    edges { node { slug type domain openEnded parent { slug } amendments { slug }
      parties { country { code } ratified { edtf uncertain approximate kind } inForce { edtf }
                ended { edtf } openEnded } } }
  }
}
"""


def _slugs(body: dict) -> list[str]:
    assert "errors" not in body, body
    return [e["node"]["slug"] for e in body["data"]["treaties"]["edges"]]


@pytest.mark.usefixtures("conventions")
def test_parties_filter_takes_every_listed_party_in_any_case_and_alpha3(gql: GraphQL) -> None:
    both = _slugs(gql(PARTIES, {"filters": {"parties": ["ru", "KP"]}}))
    assert both == ["test-plant-protection", TREATY]
    assert _slugs(gql(PARTIES, {"filters": {"parties": ["RUS", "prk"]}})) == both
    assert _slugs(gql(PARTIES, {"filters": {"parties": ["PL", "KP"]}})) == ["test-plant-protection"]


@pytest.mark.usefixtures("conventions")
def test_each_party_keeps_its_own_steps_and_doubts(gql: GraphQL) -> None:
    body = gql(PARTIES, {"filters": {"search": "plant convention", "types": ["AGREEMENT"]}})
    (node,) = [e["node"] for e in body["data"]["treaties"]["edges"]]
    assert node["type"] == "AGREEMENT" and node["domain"] == "Environment" and node["openEnded"] is True
    assert node["amendments"] == [{"slug": "test-plant-protection-amendment"}]
    steps = {p["country"]["code"]: p for p in node["parties"]}
    assert steps["PL"]["ratified"] == {
        "edtf": "1997-06-03?",
        "uncertain": True,
        "approximate": False,
        "kind": "POINT",
    }
    assert steps["PL"]["openEnded"] is True and steps["PL"]["ended"] is None
    assert steps["RU"]["ratified"]["approximate"] is True
    assert steps["RU"]["inForce"] == {"edtf": "1956"}
    assert steps["KP"]["ratified"]["kind"] == "WITHIN"
    assert steps["KP"]["ended"] == {"edtf": "2001-05-04"} and steps["KP"]["openEnded"] is False


@pytest.mark.usefixtures("conventions")
def test_treaty_filters_by_type_domain_amends_and_in_force(gql: GraphQL) -> None:
    assert _slugs(gql(PARTIES, {"filters": {"amends": "test-plant-protection"}})) == [
        "test-plant-protection-amendment"
    ]
    assert _slugs(gql(PARTIES, {"filters": {"types": ["AMENDMENT"], "domain": "environment"}})) == [
        "test-plant-protection-amendment"
    ]
    assert _slugs(gql(PARTIES, {"filters": {"inForceOn": "1960-01-01", "domain": "Environment"}})) == [
        "test-plant-protection"
    ]
    # Month precision: in force from some day in April 1952, so certainly by the end of April.
    assert _slugs(gql(PARTIES, {"filters": {"inForceOn": "1952-03", "domain": "Environment"}})) == []
    body = gql(PARTIES, {"filters": {"amends": "no-such-treaty"}})
    assert body["errors"][0]["message"] == "Unknown treaty slug 'no-such-treaty' in 'amends'."


COUNTRY = """
query ($code: String!, $filters: PartyStepFilter) {
  country(code: $code) {
    treaties(filters: $filters, first: 10) {
      totalCount
      edges { node { treaty { slug } signed { edtf } ratified { edtf } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


@pytest.mark.usefixtures("conventions")
def test_a_countrys_treaties_with_its_own_steps(gql: GraphQL) -> None:
    def steps(code: str, **filters: object) -> list[tuple[str, str | None]]:
        body = gql(COUNTRY, {"code": code, "filters": filters or None})
        assert "errors" not in body, body
        edges = body["data"]["country"]["treaties"]["edges"]
        return [(e["node"]["treaty"]["slug"], (e["node"]["ratified"] or {}).get("edtf")) for e in edges]

    assert steps("PL") == [
        ("test-plant-protection", "1997-06-03?"),
        ("test-plant-protection-amendment", "1990"),
    ]
    assert steps("PL", ratifiedFrom="1997", ratifiedTo="1997") == [("test-plant-protection", "1997-06-03?")]
    assert steps("KP", ratifiedFrom="1981-10-01") == [("test-plant-protection", "[1981-09..1981-10]")]
    assert steps("KP", parties=["RU"]) == [("test-plant-protection", "[1981-09..1981-10]"), (TREATY, None)]
    assert steps("KP", inForceOn="2020-01-01") == []
    assert steps("PL", search="amendment") == [("test-plant-protection-amendment", "1990")]


@pytest.mark.usefixtures("conventions")
def test_country_treaty_list_pages_by_keyset(gql: GraphQL) -> None:
    query = COUNTRY.replace("first: 10", "first: 1, after: $after").replace(
        "$filters: PartyStepFilter", "$filters: PartyStepFilter, $after: String"
    )
    seen, after = [], None
    while True:
        page = gql(query, {"code": "PL", "after": after})["data"]["country"]["treaties"]
        seen += [e["node"]["treaty"]["slug"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == ["test-plant-protection", "test-plant-protection-amendment"]


@pytest.mark.django_db
def test_an_end_date_and_no_end_are_refused_together(seeded: None) -> None:
    actor = User.objects.create(username="curator")
    with pytest.raises(ValidationError) as caught:
        treaty_create(
            actor=actor,
            fields={"slug": "both-ends", "name": "Both", "ended": "2001", "open_ended": True},
            parties=[{"country": _country("PL"), "ended": "2001", "open_ended": True}],
        )
    assert (
        set(caught.value.message_dict) >= {"open_ended"}
        or "parties.0.open_ended" in caught.value.message_dict
    )
    assert not Treaty.objects.filter(slug="both-ends").exists()
    assert not TreatyParty.objects.filter(treaty__slug="both-ends").exists()


@pytest.mark.usefixtures("conventions")
def test_an_organisation_party_is_listed_apart_with_its_steps(gql: GraphQL) -> None:
    from people.models import Organization

    treaty = Treaty.objects.get(slug="test-plant-protection")
    euratom = Organization.objects.get(slug="euratom")
    TreatyParty.objects.create(treaty=treaty, organization=euratom, ratified="1985~", open_ended=True)
    body = gql(
        '{ treaty(slug: "test-plant-protection") { parties { country { code } } '
        "organizationParties { organization { slug } ratified { edtf approximate } openEnded } } }"
    )
    assert "errors" not in body, body
    treaty_data = body["data"]["treaty"]
    assert sorted(p["country"]["code"] for p in treaty_data["parties"]) == ["KP", "PL", "RU"]
    assert treaty_data["organizationParties"] == [
        {
            "organization": {"slug": "euratom"},
            "ratified": {"edtf": "1985~", "approximate": True},
            "openEnded": True,
        }
    ]
