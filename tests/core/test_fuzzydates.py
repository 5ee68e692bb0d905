from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.fuzzydates import OPEN_END, OPEN_START, FuzzyDate, Precision


@pytest.mark.parametrize(
    ("edtf", "earliest", "latest", "precision", "uncertain", "approximate", "display"),
    [
        ("2022-04-13", date(2022, 4, 13), date(2022, 4, 13), Precision.DAY, False, False, "13 April 2022"),
        ("2024-05", date(2024, 5, 1), date(2024, 5, 31), Precision.MONTH, False, False, "May 2024"),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29), Precision.MONTH, False, False, "February 2024"),
        ("2022-21", date(2022, 3, 1), date(2022, 5, 31), Precision.SEASON, False, False, "spring 2022"),
        (
            "2022-40",
            date(2022, 1, 1),
            date(2022, 6, 30),
            Precision.SEASON,
            False,
            False,
            "first half of 2022",
        ),
        ("2022", date(2022, 1, 1), date(2022, 12, 31), Precision.YEAR, False, False, "2022"),
        ("2022~", date(2022, 1, 1), date(2022, 12, 31), Precision.YEAR, False, True, "c. 2022"),
        ("2024-05?", date(2024, 5, 1), date(2024, 5, 31), Precision.MONTH, True, False, "May 2024?"),
        ("2024?-05", date(2024, 5, 1), date(2024, 5, 31), Precision.MONTH, True, False, "May 2024?"),
        ("2022%", date(2022, 1, 1), date(2022, 12, 31), Precision.YEAR, True, True, "c. 2022?"),
        ("199X", date(1990, 1, 1), date(1999, 12, 31), Precision.DECADE, False, False, "1990s"),
        ("19XX", date(1900, 1, 1), date(1999, 12, 31), Precision.CENTURY, False, False, "1900s"),
        ("2022-02-24/..", date(2022, 2, 24), None, Precision.DAY, False, False, "from 24 February 2022"),
        ("../2025-08-06", None, date(2025, 8, 6), Precision.DAY, False, False, "until 6 August 2025"),
        (
            "2022-01/2022-04",
            date(2022, 1, 1),
            date(2022, 4, 30),
            Precision.MONTH,
            False,
            False,
            "January 2022 – April 2022",
        ),
        (
            "2022/2023-06",
            date(2022, 1, 1),
            date(2023, 6, 30),
            Precision.YEAR,
            False,
            False,
            "2022 – June 2023",
        ),
        (
            "[2024-05,2025-05]",
            date(2024, 5, 1),
            date(2025, 5, 31),
            Precision.MONTH,
            False,
            False,
            "May 2024 or May 2025",
        ),
        # One day somewhere in a range: what "the first visit after the invasion" supports.
        (
            "[2022-02-24..2025-08-06]",
            date(2022, 2, 24),
            date(2025, 8, 6),
            Precision.DAY,
            False,
            False,
            "between 24 February 2022 and 6 August 2025",
        ),
        ("[..2025-08-06]", None, date(2025, 8, 6), Precision.DAY, False, False, "on or before 6 August 2025"),
        ("[2022..]", date(2022, 1, 1), None, Precision.YEAR, False, False, "on or after 2022"),
        ("{2022,2023}", date(2022, 1, 1), date(2023, 12, 31), Precision.YEAR, False, False, "2022 and 2023"),
    ],
)
def test_parse_bounds_and_display(edtf, earliest, latest, precision, uncertain, approximate, display):
    value = FuzzyDate.parse(edtf)
    assert (value.earliest, value.latest) == (earliest, latest)
    assert value.precision is precision
    assert (value.uncertain, value.approximate) == (uncertain, approximate)
    assert value.display == display


@pytest.mark.parametrize("bad", ["2022-13-45", "2022-02-30", "May 2024", "abc", "2023/2022", ""])
def test_invalid_values_are_refused_quoting_the_value(bad):
    with pytest.raises(ValidationError) as excinfo:
        FuzzyDate.parse(bad)
    message = excinfo.value.messages[0]
    assert repr(bad) in message


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("2023/2022", "ends before it starts"),
        ("0000", "is outside the supported years 1-9999"),
        ("2022-02-30", "is not a valid EDTF date"),
        ("", "is empty"),
    ],
)
def test_invalid_values_say_why(bad, why):
    with pytest.raises(ValidationError) as excinfo:
        FuzzyDate.parse(bad)
    assert excinfo.value.messages == [
        f"{bad!r} {why} (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
    ]


def test_stored_bounds_round_trip_open_ends():
    for edtf in ("2022-02-24/..", "../2022", "[..2025-08-06]", "[2022..]", "2024-05"):
        value = FuzzyDate.parse(edtf)
        earliest, latest = value.stored_bounds
        assert earliest == (value.earliest or OPEN_START) and latest == (value.latest or OPEN_END)
        assert FuzzyDate.from_stored(edtf, earliest, latest) == value


# Editors and importers type anything: whatever the text, the answer is a value or a
# ValidationError quoting it, never another exception (which would be a 500).
EDTF_ALPHABET = "0123456789-/.?~%XS[]{},.Y "


@given(st.text(alphabet=EDTF_ALPHABET, max_size=24) | st.text(max_size=12))
def test_any_text_parses_or_is_refused_cleanly(text):
    try:
        value = FuzzyDate.parse(text)
    except ValidationError as error:
        assert repr(text.strip()) in error.messages[0]
        return
    assert value.display
    assert value.precision in Precision
    if value.earliest and value.latest:
        assert value.earliest <= value.latest
