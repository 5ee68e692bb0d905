"""The GGO checker's reading of parties by era: matched by sourceCode, predecessors by the day."""

from __future__ import annotations

from typing import Any

from audit.base import ErrorKind, Record
from audit.ggo import GGO, era_day, era_name

YUGOSLAVIA = {"code": "YUCS", "name": "Yugoslavia", "aliases": ["Socialist Federal Republic of Yugoslavia"]}
CZECHOSLOVAKIA = {"code": "CSHH", "name": "Czechoslovakia", "aliases": []}
CZECHIA = {"code": "CZ", "name": "Czechia", "aliases": ["Czech Republic"]}


def row(code: str, signed: str = "1972-04-10", force: str = "1975-03-26", end: str = "") -> dict[str, str]:
    return {
        "stateID": code,
        "Signature": "1972-04-10",
        "Begin": "1972-04-10",
        "StateSignature": signed,
        "StateRatification": "",
        "StateForce": force,
        "StateEnd": end,
    }


def party(code: str, country: dict[str, Any], signed: str = "1972-04-10", force: str = "1975-03-26") -> dict:
    return {
        "sourceCode": code,
        "country": country,
        "signed": {"edtf": signed},
        "ratified": None,
        "inForce": {"edtf": force},
        "ended": None,
        "openEnded": False,
    }


def check(rows: list[dict[str, str]], parties: list[dict[str, Any]]) -> list[ErrorKind]:
    fields = {"Title": "A convention", "Signature": "1972-04-10", "End": "", "Term": "", "parties": rows}
    treaty = {"name": "A convention", "signed": {"edtf": "1972-04-10"}, "ended": None, "openEnded": False}
    return GGO().compare(Record("test", fields), [{**treaty, "parties": parties}])


def test_the_era_of_a_code_follows_its_states_dates() -> None:
    assert era_name("SRB", "1999-11-08") == "Yugoslavia"
    assert era_name("SRB", "2004-01-01") == "Serbia and Montenegro"
    assert era_name("SRB", "2007-01-01") is None
    assert era_name("BIH", "1972-04-10") == "Yugoslavia"
    assert era_name("TZA", "1962-01-01") == "Tanganyika"
    # A year straddling the change is read at its last day: left as GGO wrote it.
    assert era_day([row("BIH", signed="1992")]) == "1992-12-31"
    assert era_name("BIH", era_day([row("BIH", signed="1992")])) is None


def test_a_successor_code_served_as_its_predecessor_by_source_code_is_right() -> None:
    assert check([row("BIH")], [party("BIH", YUGOSLAVIA)]) == []
    assert check([row("SRB", signed="1999-11-08")], [party("SRB", YUGOSLAVIA, signed="1999-11-08")]) == []


def test_a_code_served_under_a_state_of_another_era_is_reported() -> None:
    errors = check([row("SRB", signed="2010-01-01")], [party("SRB", YUGOSLAVIA, signed="2010-01-01")])
    assert [e.kind for e in errors] == ["party under another state"]


def test_a_code_folded_into_another_codes_party_of_its_era_is_not_compared() -> None:
    # CSK and CZE (two rows: 1975 and 2001) on a 1972 treaty are one party, CSK's row kept.
    rows = [row("CSK"), row("CZE", end="9999-12-31"), row("CZE", force="2001-06-13")]
    assert check(rows, [party("CSK", CZECHOSLOVAKIA)]) == []


def test_a_wrong_step_of_the_codes_own_party_is_still_reported() -> None:
    errors = check([row("CZE")], [party("CZE", CZECHOSLOVAKIA, force="1976-01-01")])
    assert [e.kind for e in errors] == ["party inForce"]
    assert [e.kind for e in check([row("CZE")], [party("SVK", CZECHIA)])] == [
        "party missing or under another state"
    ]


def test_a_malformed_end_is_expected_unknown_not_open() -> None:
    assert check([row("CZE", end="2020-99-99")], [party("CZE", CZECHOSLOVAKIA)]) == []
    errors = check([row("CZE", end="9999-12-31")], [party("CZE", CZECHOSLOVAKIA)])
    assert [e.kind for e in errors] == ["party ended: 9999 sentinel not read as no end"]
