"""RDCR days: the day the prose gives for the head's event, or honest imprecision (issue 21).

tests/datasets/rdcr/expected_days.yaml lists every entry of the bundled articles whose head
gives only a year and whose prose names several days of it; 73 were read by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core.fuzzydates import FuzzyDate
from seeds.datasets.rdcr import articles
from seeds.datasets.rdcr.days import day_for
from seeds.datasets.rdcr.entries import date_of, sentence_around

EXPECTED = yaml.safe_load((Path(__file__).parent / "rdcr" / "expected_days.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def entries() -> dict[tuple[str, int], object]:
    return {(a.slug, e.index): e for a in articles() for e in a.entries}


def test_every_entry_with_several_days_in_its_year_is_listed_and_most_checked_by_hand() -> None:
    assert len(EXPECTED) == 175
    assert sum(item["checked"] for item in EXPECTED) >= 40


@pytest.mark.parametrize("item", EXPECTED, ids=lambda item: f"{item['article']}-{item['entry']}")
def test_the_entry_is_dated_as_expected(item: dict, entries: dict) -> None:
    entry = entries[(item["article"], item["entry"])]
    dated = date_of(entry)
    assert dated is not None
    assert dated.edtf == item["expected"]
    FuzzyDate.parse(dated.edtf)  # a valid EDTF value, whatever its precision
    if dated.edtf.startswith("["):
        assert "One of" in dated.note and dated.more_sentences
    elif len(dated.edtf) == 4:
        assert dated.origin == "head year" and "the year is kept" in dated.note
    else:
        assert dated.sentence and dated.edtf[5:] != "" and "sentence" in dated.note


def test_mexico_severed_relations_on_march_28_not_the_day_tyler_signed(entries: dict) -> None:
    dated = date_of(entries[("mexico", 4)])
    assert dated is not None and dated.edtf == "1845-03-28"
    assert "severing diplomatic relations" in dated.sentence


def test_this_date_marks_points_back_to_the_day_before_it() -> None:
    prose = [
        "Dickinson held the position until June 30, 1903. Jackson presented his credentials on "
        "September 19, 1903. This date marks the establishment of diplomatic relations."
    ]
    found = day_for("Establishment of Diplomatic Relations, 1903.", prose, "1903", sentence_around)
    assert found is not None and found.edtf == "1903-09-19"


def test_a_day_without_its_year_counts_within_the_heads_year() -> None:
    prose = [
        "Erhardt was appointed on January 21, 1946. He was appointed Minister on August 3, and "
        "relations were "
        "re-established on September 7."
    ]
    found = day_for("Re-establishment of Diplomatic Relations, 1946.", prose, "1946", sentence_around)
    assert found is not None and found.edtf == "1946-09-07"


def test_no_sentence_stating_the_event_keeps_the_year() -> None:
    prose = [
        "Muhlenberg was appointed on February 8, 1838. He presented his credentials on November 7, 1838."
    ]
    found = day_for("Severance of Relations, 1838.", prose, "1838", sentence_around)
    assert found is not None and (found.edtf, found.sentences) == ("1838", ())
