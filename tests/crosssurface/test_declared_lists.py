"""What the declarations fixed (issue 22), on every surface, asserted on what the database holds.

a. A citation's locator is part of its identity: every surface writes it and sending back the
   citations a surface shows keeps the rows (the API could not send it: the row was replaced).
b. A treaty's parties are states and organisations: every surface writes both, and sending back
   what a surface shows keeps them (the API deleted every organisation party).
c. One amendment-cycle rule (``core.trees.parent_cycle``): A → B → A is refused by
   the admin, the API, the services and the importer alike (only the importer refused it).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from core.errors import SeedError
from events.models import Citation, Event, Treaty, TreatyParty
from events.services import treaty_create, treaty_update
from people.models import Organization
from seeds.importer.problems import Msg
from tests.crosssurface.conftest import Surfaces

pytestmark = pytest.mark.django_db

ARTICLE = "article-000-90c99206324603d7"
TREATY = "russia-north-korea-comprehensive-strategic-partnership-treaty"
EVENT = "duda-zelenskyy-meeting"
SURFACES = ["admin", "api", "importer"]

TREATY_PATCH = """mutation ($slug: String!, $input: TreatyPatch!) { treatyUpdate(slug: $slug, input: $input) {
    __typename ... on OperationInfo { messages { field message code } } } }"""
EVENT_PATCH = """mutation ($slug: String!, $input: EventPatch!) { eventUpdate(slug: $slug, input: $input) {
    __typename ... on OperationInfo { messages { field message code } } } }"""


# -- a. citation locators ---------------------------------------------------------------------

CITED = f"      - source: {ARTICLE}\n        quote: >-\n"
CITED_AT = f"      - source: {ARTICLE}\n        locator: p. 4\n        quote: >-\n"


def _citations(event: Event) -> list[tuple[Any, ...]]:
    return sorted(event.citations.values_list("pk", "source__slug", "quote", "locator"))


def _api_citations(surfaces: Surfaces) -> list[dict[str, Any]]:
    query = f'{{ event(slug: "{EVENT}") {{ citations {{ source {{ slug }} quote locator }} }} }}'
    return [
        {"source": c["source"]["slug"], "quote": c["quote"] or "", "locator": c["locator"] or ""}
        for c in surfaces.graphql(query)["event"]["citations"]
    ]


@pytest.mark.parametrize("surface", SURFACES)
def test_citations_sent_back_as_shown_keep_their_locator(surfaces: Surfaces, surface: str) -> None:
    surfaces.import_edited(CITED, CITED_AT, after=f"- slug: {EVENT}")
    event = Event.objects.get(slug=EVENT)
    stored = _citations(event)
    assert sorted(row[3] for row in stored) == ["", "p. 4"]
    history = Citation.history.count()
    if surface == "admin":
        data, _ = surfaces.admin_form(event)
        data["note"] = "Checked against the text."
        assert surfaces.admin_post(event, data).status_code == 302
    elif surface == "api":
        citations = _api_citations(surfaces)
        assert sorted(c["locator"] for c in citations) == ["", "p. 4"]
        result = surfaces.graphql(
            EVENT_PATCH, slug=EVENT, input={"note": "Checked against the text.", "citations": citations}
        )
        assert result["eventUpdate"]["__typename"] == "Event", result
    else:
        stats = surfaces.import_edited(CITED, CITED_AT, after=f"- slug: {EVENT}")
        assert set(stats.counts["events.Citation"]) == {"unchanged"}
    assert _citations(event) == stored
    assert Citation.history.count() == history


@pytest.mark.parametrize("surface", SURFACES)
def test_every_surface_writes_a_locator(surfaces: Surfaces, surface: str) -> None:
    event = Event.objects.get(slug=EVENT)
    cited = sorted(event.citations.values_list("source__slug", "quote"))
    if surface == "admin":
        data, _ = surfaces.admin_form(event)
        data["citations-0-locator"] = "p. 4"
        assert surfaces.admin_post(event, data).status_code == 302
    elif surface == "api":
        first, *others = _api_citations(surfaces)
        result = surfaces.graphql(
            EVENT_PATCH, slug=EVENT, input={"citations": [{**first, "locator": "p. 4"}, *others]}
        )
        assert result["eventUpdate"]["__typename"] == "Event", result
        assert sorted(c["locator"] for c in _api_citations(surfaces)) == ["", "p. 4"]
    else:
        surfaces.import_edited(CITED, CITED_AT, after=f"- slug: {EVENT}")
    assert sorted(event.citations.values_list("source__slug", "quote")) == cited
    assert sorted(event.citations.values_list("locator", flat=True)) == ["", "p. 4"]


# -- b. organisation parties ------------------------------------------------------------------

STATES = "    parties:\n      - country: RU\n      - country: KP\n"
STATES_AND_NATO = STATES + "      - organization: nato\n        signed: 2025-05?\n"
STEPS = "signatory { slug } signed { edtf } ratified { edtf } inForce { edtf } ended { edtf } openEnded"


def _parties(treaty: Treaty) -> list[tuple[Any, ...]]:
    rows = treaty.parties.values_list("pk", "country__code", "organization__slug", "signed")
    return sorted(rows, key=lambda row: row[0])


def _party_input(party: dict[str, Any], **who: str) -> dict[str, Any]:
    steps = {name: (party[name] or {}).get("edtf", "") for name in ("signed", "ratified", "inForce", "ended")}
    signatory = party["signatory"]["slug"] if party["signatory"] else None
    return {**who, **steps, "signatory": signatory, "openEnded": party["openEnded"]}


def _api_parties(surfaces: Surfaces) -> list[dict[str, Any]]:
    """The parties the API shows, states and organisations, as the input that writes them."""
    query = (
        f'{{ treaty(slug: "{TREATY}") {{ parties {{ country {{ code }} {STEPS} }} '
        f"organizationParties {{ organization {{ slug }} {STEPS} }} }} }}"
    )
    shown = surfaces.graphql(query)["treaty"]
    return [_party_input(p, country=p["country"]["code"]) for p in shown["parties"]] + [
        _party_input(p, organization=p["organization"]["slug"]) for p in shown["organizationParties"]
    ]


@pytest.mark.parametrize("surface", SURFACES)
def test_parties_sent_back_as_shown_keep_the_organisation_parties(surfaces: Surfaces, surface: str) -> None:
    surfaces.import_edited(STATES, STATES_AND_NATO)
    treaty = Treaty.objects.get(slug=TREATY)
    stored = _parties(treaty)
    assert [row[1:] for row in stored if row[2]] == [(None, "nato", "2025-05?")]
    history = TreatyParty.history.count()
    if surface == "admin":
        data, _ = surfaces.admin_form(treaty)
        data["note"] = "Checked against the text."
        assert surfaces.admin_post(treaty, data).status_code == 302
    elif surface == "api":
        result = surfaces.graphql(
            TREATY_PATCH,
            slug=TREATY,
            input={"note": "Checked against the text.", "parties": _api_parties(surfaces)},
        )
        assert result["treatyUpdate"]["__typename"] == "Treaty", result
    else:
        stats = surfaces.import_edited(STATES, STATES_AND_NATO)
        assert dict(stats.counts["events.TreatyParty"]) == {"unchanged": 3}
    assert _parties(treaty) == stored
    assert TreatyParty.history.count() == history


@pytest.mark.parametrize("surface", SURFACES)
def test_every_surface_adds_an_organisation_party(surfaces: Surfaces, surface: str) -> None:
    treaty = Treaty.objects.get(slug=TREATY)
    states = sorted((row[1:] for row in _parties(treaty)), key=repr)
    if surface == "admin":
        data, _ = surfaces.admin_form(treaty)
        index = int(data["parties-TOTAL_FORMS"])
        data["parties-TOTAL_FORMS"] = index + 1
        data[f"parties-{index}-organization"] = Organization.objects.get(slug="nato").pk
        data[f"parties-{index}-signed"] = "2025-05?"
        assert surfaces.admin_post(treaty, data).status_code == 302
    elif surface == "api":
        parties = [*_api_parties(surfaces), {"organization": "nato", "signed": "2025-05?"}]
        result = surfaces.graphql(TREATY_PATCH, slug=TREATY, input={"parties": parties})
        assert result["treatyUpdate"]["__typename"] == "Treaty", result
    else:
        surfaces.import_edited(STATES, STATES_AND_NATO)
    wanted = sorted([*states, (None, "nato", "2025-05?")], key=repr)
    assert sorted((row[1:] for row in _parties(treaty)), key=repr) == wanted


@pytest.mark.parametrize(
    "party",
    [{"country": "RU", "organization": "nato"}, {"signed": "2025-05"}],
    ids=["both", "neither"],
)
def test_the_api_refuses_a_party_that_is_not_exactly_one_of_a_country_or_an_organisation(
    surfaces: Surfaces, party: dict[str, str]
) -> None:
    treaty = Treaty.objects.get(slug=TREATY)
    stored = _parties(treaty)
    result = surfaces.graphql(TREATY_PATCH, slug=TREATY, input={"parties": [*_api_parties(surfaces), party]})
    messages = result["treatyUpdate"]["messages"]
    assert [(m["field"], m["message"]) for m in messages] == [
        ("parties.2.country", "A party is a country or an organisation: give exactly one of them.")
    ]
    assert _parties(treaty) == stored


# -- c. amendment cycles ----------------------------------------------------------------------

PROTOCOL = "protocol-to-the-partnership-treaty"


@pytest.mark.parametrize("surface", [*SURFACES, "services"])
def test_an_amendment_cycle_is_refused_on_every_surface(surfaces: Surfaces, surface: str) -> None:
    treaty = Treaty.objects.get(slug=TREATY)
    protocol = treaty_create(
        actor=None, reason="setup", fields={"slug": PROTOCOL, "name": "Protocol", "parent": treaty}
    )
    history = Treaty.history.count()
    if surface == "admin":
        data, _ = surfaces.admin_form(treaty)
        data["parent"] = protocol.pk
        response = surfaces.admin_post(treaty, data)
        assert response.status_code == 200
        assert f"A treaty cannot amend itself through others: {TREATY} → {PROTOCOL} → {TREATY}." in (
            response.content.decode()
        )
    elif surface == "api":
        result = surfaces.graphql(TREATY_PATCH, slug=TREATY, input={"parent": PROTOCOL})
        assert [(m["field"], m["code"]) for m in result["treatyUpdate"]["messages"]] == [("parent", "cycle")]
    elif surface == "services":
        with pytest.raises(ValidationError) as refused:
            treaty_update(actor=None, reason="cycle", treaty=treaty, fields={"parent": protocol})
        assert list(refused.value.message_dict) == ["parent"]
    else:
        short = "    short_name: Russia–North Korea mutual-defence treaty\n"
        with pytest.raises(SeedError) as refused:
            surfaces.import_edited(short, f"{short}    parent: {PROTOCOL}\n")
        assert Msg.TREATY_CYCLE.format(value=TREATY) in "\n".join(refused.value.problems)
    assert Treaty.objects.get(pk=treaty.pk).parent_id is None
    assert Treaty.objects.get(pk=protocol.pk).parent_id == treaty.pk
    assert Treaty.history.count() == history


def test_a_longer_cycle_is_refused_and_a_chain_is_not(surfaces: Surfaces) -> None:
    a = Treaty.objects.get(slug=TREATY)
    b = treaty_create(actor=None, fields={"slug": "b-protocol", "name": "B", "parent": a})
    c = treaty_create(actor=None, fields={"slug": "c-protocol", "name": "C", "parent": b})
    with pytest.raises(ValidationError, match=f"{TREATY} → c-protocol → b-protocol → {TREATY}"):
        treaty_update(actor=None, treaty=a, fields={"parent": c})
    a.refresh_from_db()
    assert a.parent_id is None
    d = treaty_create(actor=None, fields={"slug": "d-treaty", "name": "D"})
    treaty_update(actor=None, treaty=a, fields={"parent": d})  # a chain, no cycle
    assert Treaty.objects.get(pk=a.pk).parent_id == d.pk
