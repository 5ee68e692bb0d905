"""What a FuzzyDate's interval means, over GraphQL (core.graphql.types.FuzzyDateType)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from events.models import Event
from tests.api.conftest import GraphQL, post_graphql

DATE = """date { edtf earliest latest kind precision uncertain approximate display startState endState
               start { edtf earliest latest kind precision uncertain approximate display }
               end { edtf earliest latest kind precision display } }"""


def _date(gql: GraphQL, slug: str) -> dict:
    body = gql(f'{{ event(slug: "{slug}") {{ {DATE} }} }}')
    assert "errors" not in body, body
    return body["data"]["event"]["date"]


def test_the_duda_kyiv_visit_is_one_day_within_the_window_not_a_span(gql: GraphQL) -> None:
    date = _date(gql, "duda-first-visit-kyiv")
    assert date["kind"] == "WITHIN"
    assert (date["start"], date["end"], date["startState"], date["endState"]) == (None, None, None, None)
    assert date["earliest"] < date["latest"]


def test_a_span_still_going_has_a_known_start_and_an_open_end(gql: GraphQL) -> None:
    date = _date(gql, "poland-takes-in-ukrainians")
    assert date | {"start": None} == {
        "edtf": "2022-02-24/..",
        "earliest": "2022-02-24",
        "latest": None,
        "kind": "SPAN",
        "precision": "DAY",
        "uncertain": False,
        "approximate": False,
        "display": "from 24 February 2022",
        "startState": "KNOWN",
        "endState": "OPEN",
        "start": None,
        "end": None,
    }
    assert date["start"] == {
        "edtf": "2022-02-24",
        "earliest": "2022-02-24",
        "latest": "2022-02-24",
        "kind": "POINT",
        "precision": "DAY",
        "uncertain": False,
        "approximate": False,
        "display": "24 February 2022",
    }


def test_an_uncertain_month_is_within_with_its_qualifier(gql: GraphQL) -> None:
    date = _date(gql, "russia-north-korea-treaty-signing")
    assert (date["kind"], date["precision"], date["uncertain"], date["display"]) == (
        "WITHIN",
        "MONTH",
        True,
        "May 2025?",
    )


TIMELINE = """query ($filters: TimelineFilter) {
  timeline(filters: $filters, first: 100) { edges { node { slug } } } }"""


@pytest.fixture
def days(seeded: None) -> None:
    for slug, edtf in [
        ("april-30", "2025-04-30"),
        ("may-1", "2025-05-01"),
        ("may-31", "2025-05-31"),
        ("june-1", "2025-06-01"),
        ("dec-31-2024", "2024-12-31"),
    ]:
        Event.objects.create(slug=slug, kind="OTHER", title=slug, date=edtf)


def _slugs(gql: GraphQL, query: str = TIMELINE, **filters: Any) -> set[str]:
    body = gql(query, {"filters": filters})
    assert "errors" not in body, body
    return {edge["node"]["slug"] for edge in next(iter(body["data"].values()))["edges"]}


def test_a_month_as_a_window_runs_from_its_first_to_its_last_day(gql: GraphQL, days: None) -> None:
    found = _slugs(gql, **{"from": "2025-05", "to": "2025-05"})
    assert {"may-1", "may-31"} <= found
    assert not {"april-30", "june-1"} & found


def test_a_year_as_a_window_and_mixed_forms(gql: GraphQL, days: None) -> None:
    assert "dec-31-2024" in _slugs(gql, **{"from": "2024", "to": "2024"})
    assert "april-30" not in _slugs(gql, **{"from": "2024", "to": "2024"})
    # A day to a month: to "2025-05" is 31 May, not 1 May, so the window is not reversed.
    found = _slugs(gql, **{"from": "2025-05-20", "to": "2025-05"})
    assert "may-31" in found and "may-1" not in found


def test_visit_and_treaty_windows_take_months_too(gql: GraphQL) -> None:
    visits = """query ($filters: VisitFilter) { visits(filters: $filters) { edges { node { slug } } } }"""
    treaties = (
        """query ($filters: TreatyFilter) { treaties(filters: $filters) { edges { node { slug } } } }"""
    )
    assert _slugs(gql, visits, **{"from": "2025-06", "to": "2025-08"})
    treaty = "russia-north-korea-comprehensive-strategic-partnership-treaty"
    assert treaty in _slugs(gql, treaties, signedFrom="2025-05", signedTo="2025-05")


@pytest.mark.parametrize("bad", ["May 2025", "2025-13", "2025-5", "25", "0000", "2025-05-32"])
def test_other_forms_are_refused_naming_the_accepted_ones(client: Client, seeded: None, bad: str) -> None:
    response = post_graphql(client, TIMELINE, {"filters": {"from": bad}})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["message"].endswith(
        f'Value cannot represent a Date: "{bad}". '
        "Use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2025-05-20, 2025-05, 2025)."
    ), error
