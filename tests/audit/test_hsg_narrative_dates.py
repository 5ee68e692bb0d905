"""The timeline and milestones checkers' own reading of a head's date."""

from __future__ import annotations

from xml.etree.ElementTree import Element

import pytest

from audit.hsg_milestones import Milestones, read_words
from audit.hsg_timeline import expected_date
from audit.tei import ends_a_sentence, first_sentence_is


@pytest.mark.parametrize(
    ("attrs", "edtf"),
    [
        ({"when": "1789-07-27"}, ("1789-07-27", "1789-07-27")),
        ({"from": "1790-02-10", "to": "1790-08-05"}, ("1790-02-10/1790-08-05", "1790-02-10")),
        ({"notBefore": "1818-01-01", "notAfter": "1818-12-31"}, ("1818", "1818-01-01")),
        ({"notBefore": "1870-06-01", "notAfter": "1870-06-30"}, ("1870-06", "1870-06-01")),
        ({"notBefore": "1900-01-01", "notAfter": "1902-12-31"}, ("1900/1902", "1900-01-01")),
        ({"notBefore": "1900-03-01", "notAfter": "1900-05-31"}, ("1900-03/1900-05", "1900-03-01")),
        ({"notBefore": "1900-03-05", "notAfter": "1900-03-20"}, ("[1900-03-05..1900-03-20]", "1900-03-05")),
        ({"when": "1900-02-29"}, None),
        ({"from": "1900-03-05", "to": "1900-03-01"}, None),
    ],
)
def test_a_timeline_head_date(attrs: dict[str, str], edtf: tuple[str, str] | None) -> None:
    assert expected_date(Element("date", attrs)) == edtf


def test_a_title_ends_at_a_sentence_not_after_an_abbreviation() -> None:
    text = "An act (1 Stat. 28) created the U.S. Department. It had a Chief Clerk."
    assert ends_a_sentence(text, "An act (1 Stat. 28) created the U.S. Department.")
    assert not ends_a_sentence(text, "An act (1 Stat.")
    assert not ends_a_sentence(text, "An act (1 Stat. 28) created the U.S.")
    assert ends_a_sentence(text, text)
    # A case name's "v." and "9 a.m. to" end no sentence; a later sentence end is not the first.
    case = "In Palmer v. Shultz, the court ruled. Hours were 9 a.m. to 5 p.m. Then more."
    assert not first_sentence_is(case, "In Palmer v.")
    assert first_sentence_is(case, "In Palmer v. Shultz, the court ruled.")
    assert not first_sentence_is(case, "In Palmer v. Shultz, the court ruled. Hours were 9 a.m. to 5 p.m.")
    assert first_sentence_is(case[38:], "Hours were 9 a.m. to 5 p.m.")


def test_a_milestone_head_date() -> None:
    assert [read_words(w) for w in ("1819", "1794–95", "1775–1795", "1930s", "1789,")] == [
        "1819",
        "1794/1795",
        "1775/1795",
        "1930/1939",
        None,
    ]
    fields = {"head": "The Cuban Missile Crisis, October 1962", "era": ["1961", "1968"], "attrs": {}}
    served = {"date": {"edtf": "1962-10", "earliest": "1962-10-01", "latest": "1962-10-31"}}
    assert Milestones().date_errors(fields, served) == []
    served = {"date": {"edtf": "1961/1968", "earliest": "1961-01-01", "latest": "1968-12-31"}}
    assert [e.kind for e in Milestones().date_errors(fields, served)] == [
        "date (head without a date element)"
    ]
    fields = {"head": "SALT", "era": ["1969", "1976"], "attrs": {}}
    assert Milestones().date_errors(fields, served) != []
    served = {"date": {"edtf": "1969/1976", "earliest": "1969-01-01", "latest": "1976-12-31"}}
    assert Milestones().date_errors(fields, served) == []
