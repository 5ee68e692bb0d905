"""hsg-pocom: nominations not served are kept as such, and shared record ids lose no term (issue 21).

Excerpts in tests/datasets/hsg/data/pocom-outcomes: Thailand 1886-1892 (Alexander C. Moore
"Declined appointment." under <other-nominees>), Belize (Malcolm R. Barnebey's chargé and
ambassador terms under one id), Turkey (John R. Bass's term written twice, once without its end).
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from people.models import Role, RoleOutcome
from seeds.datasets import base
from seeds.datasets.hsg.outcomes import LISTED_BUT_SERVED, outcome
from seeds.datasets.hsg.pocom import Kind, Pocom

EXCERPTS = Path(__file__).parent / "data" / "pocom-outcomes" / "hsg-pocom"


@pytest.fixture
def excerpts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "_REGISTRY", {})
    base.register(Pocom(folder=EXCERPTS))


def gql(query: str) -> dict:
    response = Client().post("/graphql/", json.dumps({"query": query}), content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def holders(country: str, on: str) -> list[str]:
    query = (
        f'{{ officeHolders(post: {{country: "{country}", of: "US"}}, on: "{on}") {{ person {{ slug }} }} }}'
    )
    return [h["person"]["slug"] for h in gql(query)["officeHolders"]]


@pytest.mark.parametrize(
    ("listed_in", "note", "started", "ended", "expected"),
    [
        ("other-nominees", "Declined appointment.", "", "", RoleOutcome.DECLINED),
        (
            "other-nominees",
            "Not commissioned; nomination withdrawn before the Senate acted upon it.",
            "",
            "",
            RoleOutcome.WITHDRAWN,
        ),
        (
            "other-nominees",
            "Nomination of July 12, 1990, not acted upon.",
            "",
            "",
            "NOT_CONFIRMED",
        ),
        ("other-nominees", "Took oath of office, but did not proceed to post.", "", "", "NOT_AT_POST"),
        (
            "other-nominees",
            "Took oath of office, but died in the United States before proceeding to post.",
            "",
            "",
            RoleOutcome.DIED,
        ),
        ("other-appointees", "", "", "", RoleOutcome.NOT_SERVED),
        # Under the served terms, only a record with no date at all is read from its note.
        (
            "principals",
            "Commissioned during a recess; declined appointment.",
            "",
            "",
            "DECLINED",
        ),
        ("chiefs", "Did not present credentials during his assignment.", "", "2010-07-19", "SERVED"),
        # Designation without a commission is how a representative to UNESCO was appointed
        # (William Bowdoin Jones, unes-1973-jone, served until 1977), not a failure to serve.
        ("chiefs", "Appointed: Designated, not commissioned, on 1973-09-01", "", "1977-08-03", "SERVED"),
        ("principals", "Designated, not commissioned.", "", "", "SERVED"),
        ("principals", "Not commissioned; nomination withdrawn.", "", "", "WITHDRAWN"),
        (
            "chiefs",
            "Died in Venice on way home.",
            "1889-11-23",
            "",
            "SERVED",
        ),
    ],
)
def test_the_outcome_is_read_from_the_list_and_the_note(
    listed_in: str, note: str, started: str, ended: str, expected: str
) -> None:
    assert outcome(listed_in=listed_in, note=note, started=started, ended=ended) == (expected, "")


def test_a_nominee_listed_with_credentials_presented_is_served_and_the_note_says_why() -> None:
    served = outcome(
        listed_in="other-nominees",
        note="Commissioned during a recess of the Senate; recommissioned on November 16, 1903.",
        started="1904-05-09",
        ended="1905-07-13",
    )
    assert served == (RoleOutcome.SERVED, LISTED_BUT_SERVED)


@pytest.mark.django_db
def test_only_served_terms_are_held_and_nominations_stay_listed(excerpts: None) -> None:
    out = io.StringIO()
    call_command("import_seeds", "-v2", stdout=out)
    output = out.getvalue()
    # Moore declined in July 1890; Child held the post until Boyd arrived in January 1891.
    assert holders("TH", "1890-08-01") == ["child-jacob-t"]
    assert holders("TH", "1891-06-01") == ["boyd-sempronius-hamilton"]
    moore = gql('{ person(slug: "moore-alexander-c") { roles { title outcome note start { edtf } } } }')[
        "person"
    ]["roles"]
    assert moore == [
        {
            "title": "Minister Resident/Consul General",
            "outcome": "DECLINED",
            "note": "Declined appointment.",
            "start": {"edtf": "[1890-07-09..]"},
        }
    ]
    # Both of Barnebey's Belize terms, though the source gives them one id; the collision is
    # reported as such, not as a duplicate.
    barnebey = Role.objects.filter(person__slug="barnebey-malcolm-r").order_by("start")
    assert [(r.title, r.start, r.end) for r in barnebey] == [
        ("Chargé d’Affaires ad interim", "1981-10-29", "1983-06-23"),
        ("Ambassador Extraordinary and Plenipotentiary", "1983-06-23", "1985-07-10"),
    ]
    assert holders("BZ", "1984-06-01") == ["barnebey-malcolm-r"]
    assert f"belize.xml: #bz-1983-barn-01: id: {Kind.ID_COLLISION}" in output
    assert f"belize.xml: #bz-1983-barn-01: {Kind.DUPLICATE}" not in output
    # Bass's second record only adds the end the first left out: one term, with its end.
    bass = Role.objects.get(person__slug="bass-john-r")
    assert (bass.start, bass.end, bass.outcome) == ("2014-10-20", "2017-10-15", RoleOutcome.SERVED)
    assert "merged: the fuller record kept" in output
    # The person's page lists the nomination as not served; the admin filters by outcome.
    page = Client().get("/people/moore-alexander-c/")
    assert "(not served: declined the appointment)" in page.content.decode()
    out = io.StringIO()
    call_command("import_seeds", stdout=out)
    assert "Up to date" in out.getvalue()
