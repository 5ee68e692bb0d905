"""GGO parsing: agreements keyed by treatyID, reconciled parties, messydates as EDTF, all reported."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from seeds.datasets import ggo
from seeds.datasets.ggo.agreements import agreement_from
from seeds.datasets.ggo.eras import era_of
from seeds.datasets.ggo.messydates import OPEN, OPEN_UNUSUAL, Why, one_of, to_edtf
from seeds.datasets.ggo.parties import parse_parties
from seeds.datasets.ggo.rows import MissingColumns, Row, read_rows, text_handle
from seeds.datasets.ggo.states import place

EXCERPT = Path(__file__).parent / "ggo"


@pytest.fixture(scope="module")
def data() -> ggo.GGO:
    return ggo.read(EXCERPT)


@pytest.mark.parametrize(
    ("value", "edtf"),
    [
        ("1951-12-06", "1951-12-06"),
        ("1802-04-18?", "1802-04-18?"),
        ("1961-01-26~", "1961-01-26~"),
        ("1964-XX-16", "1964-XX-16"),
        ("1981-09..1981-10", "[1981-09..1981-10]"),
        ("2018-10", "2018-10"),
        ("1967", "1967"),
        ("", ""),
    ],
)
def test_messydates_map_to_edtf_faithfully(value: str, edtf: str) -> None:
    converted = to_edtf(value)
    assert (converted.edtf, converted.problem, converted.open) == (edtf, "", False)


def test_the_sentinel_is_an_open_end_not_a_day_in_9999() -> None:
    assert to_edtf("9999-12-31", end=True) == OPEN
    assert to_edtf("9999-12-31").problem == Why.OPEN_NOT_AN_END


def test_every_day_of_9999_is_no_end_and_an_unusual_one_is_flagged() -> None:
    assert to_edtf("9999-12-01", end=True) == OPEN_UNUSUAL
    assert (OPEN_UNUSUAL.open, OPEN_UNUSUAL.edtf, OPEN.unusual_sentinel) == (True, "", False)
    assert to_edtf("9999-12-01").problem == Why.OPEN_NOT_AN_END


@pytest.mark.parametrize(
    ("code", "day", "expected"),
    [
        ("RUS", "1969-01-31", "SUN"),
        ("RUS", "1991-12-26", "RUS"),  # the day the Soviet Union ended
        ("RUS", "[1991-12-20,1992-01-10]", "RUS"),  # straddles the change: as GGO wrote it
        ("CZE", "1992-12-31", "CSK"),
        ("SRB", "1980-05-01", "YUG"),
        ("SRB", "2004-05-01", "SCG"),
        ("SRB", "2007-05-01", "SRB"),
        ("YEM", "1975", "XYAR"),
        ("TZA", "1962-01-01", "XTAN"),
        ("UKR", "1950-01-01", "UKR"),  # a Soviet republic that signed in its own name
        ("USA", "1969-01-31", "USA"),
        ("RUS", "", "RUS"),
    ],
)
def test_a_modern_code_on_an_earlier_step_names_the_state_of_its_era(
    code: str, day: str, expected: str
) -> None:
    ref, note = era_of(place(code), code, day)
    assert ref.key == expected
    assert ("era inferred" in note) == (expected != code)


@pytest.mark.parametrize("value", ["2010-XX-XX-", "0014-022005", "1999-13-01", "12/05/1999", "2001-02-30"])
def test_malformed_messydates_are_reported_and_left_unknown(value: str) -> None:
    converted = to_edtf(value)
    assert (converted.edtf, converted.problem) == ("", Why.MALFORMED)


def test_disagreeing_days_become_one_of_them() -> None:
    assert one_of(["1985-10-21", "1985-09-10"]) == "[1985-09-10,1985-10-21]"
    assert one_of(["1985-09-10", "1985-09-10"]) == "1985-09-10"


def test_state_ids_are_placed_or_refused() -> None:
    assert place("PRK").key == "PRK"
    assert place("ROM").key == "ROU"
    assert place("EC").kind == "organisation"
    assert place("IO-IAEA") == place("IAEA International Atomic Energy Agency")
    assert place("CSK").kind == "historical"
    assert place("Bayern").kind == "unknown"
    assert place("Member countries not listed").kind == "unknown"
    assert place("Somewhere").kind == "unknown"


def test_one_agreement_per_treaty_id_exact_repeats_merged(data: ggo.GGO) -> None:
    keys = [a.key for a in data.agreements]
    assert keys.count("GTM-MEX_1987A") == 1
    assert len(keys) == len(set(keys))
    assert data.agreement_rows == 18


def test_different_agreements_under_one_id_are_both_kept_and_reported(data: ggo.GGO) -> None:
    by_key = {a.key: a for a in data.agreements}
    assert by_key["BAD-CHE_1884P"].agreement_type == "Agreement"
    assert by_key["BAD-CHE_1884P#2"].agreement_type == "Protocol"
    (problem,) = [p for p in data.problems if p.kind == "treatyID names different agreements"]
    assert "line 3 and line 4" in problem.message and "Title" in problem.message
    # Each party row follows the agreement whose title it repeats.
    protocol = [p for p in data.parties if p.agreement == "BAD-CHE_1884P#2"]
    assert sorted(p.state_id for p in protocol) == ["CHE", "DEU"]


def test_agreement_fields_and_parent(data: ggo.GGO) -> None:
    by_key = {a.key: a for a in data.agreements}
    amendment = by_key["CHE-FRA_1891P:CHE-FRA_1880A"]
    assert amendment.parent_key == "CHE-FRA_1880A"
    assert amendment.ended == "1980-09-01?"
    iceland = by_key["ISL_1972O"]
    assert (iceland.ended, iceland.open_ended, iceland.domain, iceland.ambit) == (
        "",
        True,
        "Trade",
        "External",
    )
    assert by_key["WM04CP_1981R"].signed == "[1981-09..1981-10]"
    assert by_key["TR06RB_1961A"].in_force == "1964-XX-16"
    assert by_key["ESP-PRT_1897A"].signed == "1897-05-15?"


def test_malformed_dates_reported_with_file_line_and_column(data: ggo.GGO) -> None:
    by_key = {a.key: a for a in data.agreements}
    assert by_key["GRC-LBN_2004P"].in_force == ""
    assert by_key["MOZ-SWZ_2002A"].ended == ""
    malformed = {(p.record, p.field, p.line) for p in data.problems if p.kind == "malformed date"}
    assert ("GRC-LBN_2004P", "Force", 17) in malformed
    assert ("MOZ-SWZ_2002A", "End", 16) in malformed


def test_parties_reconciled_with_their_own_steps(data: ggo.GGO) -> None:
    parties = {(p.agreement, p.state_id): p for p in data.parties}
    philippines = parties[("INTRPP_1951S", "PHL")]
    assert (philippines.signed, philippines.ratified, philippines.in_force) == (
        "1951-12-06",
        "1953-12-03",
        "1953-12-03",
    )
    poland = parties[("INTRPP_1951S", "POL")]
    assert (poland.ratified, poland.ended, poland.open_ended) == ("1996-05-29", "", True)
    # Two rows, two ratification days: one of them, and the disagreement reported.
    bahrain = parties[("IPPSOE_1954A", "BHR")]
    assert bahrain.ratified == "[1985-09-10,1985-10-21]"
    conflicts = [
        p for p in data.problems if p.kind == "party rows disagree" and p.record == "IPPSOE_1954A BHR"
    ]
    assert [p.field for p in conflicts] == ["StateRatification"]
    # Repeated identical rows are one party.
    assert Counter((p.agreement, p.state_id) for p in data.parties).most_common(1)[0][1] == 1


def test_unknown_parties_reported_not_invented(data: ggo.GGO) -> None:
    lake = {p.state_id for p in data.parties if p.agreement == "PRTLCP_1960A"}
    assert "Bayern" not in lake and "AUT" in lake
    unplaced = {p.message.split(" ", 1)[0] for p in data.problems if p.kind == "unknown party"}
    assert unplaced == {"'Bayern'", "'Baden-Württemberg'"}
    assert [p.ref.key for p in data.parties if p.state_id == "EC"] == ["ec"]


def test_agreement_only_in_parties_file_is_built_from_its_rows(data: ggo.GGO) -> None:
    by_key = {a.key: a for a in data.agreements}
    treaty = by_key["PR10RS_1839R9"]
    assert treaty.file == "ggo_parties.csv" and treaty.title
    assert any(p.kind == "agreement only in the parties file" for p in data.problems)


def test_a_file_without_its_columns_is_refused_with_its_name() -> None:
    with pytest.raises(MissingColumns, match=r"ggo_parties.csv:1: missing column\(s\) stateID"):
        list(read_rows(text_handle(b"treatyID,Title\nA,B\n"), name="ggo_parties.csv", required=("stateID",)))


def test_a_party_row_follows_the_agreement_whose_title_it_repeats_over_its_dates() -> None:
    # ARG-PRY_1996A: the Convention's party rows leave End and Force empty like the Agreement's
    # row, so the dates alone would give them to the Agreement.
    columns = {"treatyID": "ARG-PRY_1996A", "Begin": "1996-10-25", "Signature": "1996-10-25"}
    agreement = Row(2, {**columns, "Title": "Agreement For Cooperation"})
    convention = Row(
        3, {**columns, "Title": "Convention On Fishery", "End": "9999-12-31", "Force": "1999-03-24"}
    )
    variants = [
        agreement_from(agreement, "ARG-PRY_1996A", "ggo_agreements.csv", []),
        agreement_from(convention, "ARG-PRY_1996A#2", "ggo_agreements.csv", []),
    ]
    rows = [
        Row(10, {**columns, "Title": title, "stateID": code, "StateSignature": "1996-10-25"})
        for title in ("Agreement For Cooperation", "Convention On Fishery")
        for code in ("ARG", "PRY")
    ]
    result, _added = parse_parties(rows, {"ARG-PRY_1996A": variants})
    assert sorted((p.agreement, p.state_id) for p in result.parties) == [
        ("ARG-PRY_1996A", "ARG"),
        ("ARG-PRY_1996A", "PRY"),
        ("ARG-PRY_1996A#2", "ARG"),
        ("ARG-PRY_1996A#2", "PRY"),
    ]
    assert not [p for p in result.problems if "equally" in p.message]
