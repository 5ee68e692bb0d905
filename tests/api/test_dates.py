"""What a FuzzyDate's interval means, over GraphQL (core.types.FuzzyDateType)."""

from __future__ import annotations

from tests.api.conftest import GraphQL

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
