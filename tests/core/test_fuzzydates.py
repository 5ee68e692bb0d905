from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from core.fuzzydates import MAX_EDTF_LENGTH, OPEN_END, OPEN_START, DateKind, EndState, FuzzyDate, Precision


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
        # EDTF level 2: a qualifier right of the year covers the year only.
        (
            "2024?-05",
            date(2024, 5, 1),
            date(2024, 5, 31),
            Precision.MONTH,
            True,
            False,
            "May 2024 (year uncertain)",
        ),
        ("2022%", date(2022, 1, 1), date(2022, 12, 31), Precision.YEAR, True, True, "c. 2022?"),
        ("199X", date(1990, 1, 1), date(1999, 12, 31), Precision.DECADE, False, False, "1990s"),
        ("19XX", date(1900, 1, 1), date(1999, 12, 31), Precision.CENTURY, False, False, "1900s"),
        ("1XXX", date(1000, 1, 1), date(1999, 12, 31), Precision.MILLENNIUM, False, False, "1000–1999"),
        ("2022-05-XX", date(2022, 5, 1), date(2022, 5, 31), Precision.MONTH, False, False, "May 2022"),
        (
            "2004-06-~11",
            date(2004, 6, 11),
            date(2004, 6, 11),
            Precision.DAY,
            False,
            True,
            "11 June 2004 (day approximate)",
        ),
        (
            "2004-06?-11",
            date(2004, 6, 11),
            date(2004, 6, 11),
            Precision.DAY,
            True,
            False,
            "11 June 2004 (year and month uncertain)",
        ),
        (
            "2022-XX-15",
            date(2022, 1, 15),
            date(2022, 12, 15),
            Precision.YEAR,
            False,
            False,
            "a day between 15 January 2022 and 15 December 2022",
        ),
        ("2022-02-24/..", date(2022, 2, 24), None, Precision.DAY, False, False, "from 24 February 2022"),
        (
            "2022-02-24/",
            date(2022, 2, 24),
            None,
            Precision.DAY,
            False,
            False,
            "from 24 February 2022 (end unknown)",
        ),
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
        (
            "2022~/2023-05?",
            date(2022, 1, 1),
            date(2023, 5, 31),
            Precision.YEAR,
            True,
            True,
            "c. 2022 – May 2023?",
        ),
    ],
)
def test_parse_bounds_and_display(edtf, earliest, latest, precision, uncertain, approximate, display):
    value = FuzzyDate.parse(edtf)
    assert (value.earliest, value.latest) == (earliest, latest)
    assert value.precision is precision
    assert (value.uncertain, value.approximate) == (uncertain, approximate)
    assert value.display == display


@pytest.mark.parametrize(
    "bad",
    ["2022-13-45", "2022-02-30", "May 2024", "abc", "2023/2022", "", "../..", "2022-1X", "[2023..2022]"],
)
def test_invalid_values_are_refused_quoting_the_value(bad):
    with pytest.raises(ValidationError) as excinfo:
        FuzzyDate.parse(bad)
    message = excinfo.value.messages[0]
    assert repr(bad) in message


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("2023/2022", "ends before it starts"),
        ("[2023..2022]", "ends before it starts"),
        # A member's problem is reported on the value as typed.
        ("[0000,2022]", "is outside the supported years 1-9999"),
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


# EDTF is written in ASCII digits; Python's ``\d`` and ``int()`` take any script's (issue 19).
OTHER_DIGITS = {
    "full-width": "２０２２",
    "arabic-indic": "٢٠٢٢",
    "devanagari": "१९९९",
}


@pytest.mark.parametrize(
    "bad",
    [
        *OTHER_DIGITS.values(),
        "2022-０５",
        "2022-05-٠١",
        "２０２２?",
        "१९९९/2000",
        "[２０２２,2023]",
        "{2020..२०२२}",
        "१९९X",
    ],
    ids=lambda v: v.encode("unicode_escape").decode(),
)
def test_digits_of_other_scripts_are_not_edtf(bad):
    with pytest.raises(ValidationError) as excinfo:
        FuzzyDate.parse(bad)
    assert excinfo.value.messages == [
        f"{bad!r} is not a valid EDTF date (examples: 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/..)."
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


@settings(max_examples=300, derandomize=True, deadline=None)
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


@pytest.mark.parametrize(
    ("edtf", "kind"),
    [
        ("2022-04-13", DateKind.POINT),
        ("2022-04-13?", DateKind.POINT),
        ("2004-06-~11", DateKind.POINT),
        ("2024-05", DateKind.WITHIN),
        ("2022-21", DateKind.WITHIN),
        ("2022~", DateKind.WITHIN),
        ("199X", DateKind.WITHIN),
        # The Duda Kyiv visit: one day in the window, not three years of visiting.
        ("[2022-02-24..2025-08-06]", DateKind.WITHIN),
        ("[2024-05,2025-05]", DateKind.WITHIN),
        ("2022-01/2022-04", DateKind.SPAN),
        ("2022-02-24/..", DateKind.SPAN),
        ("2022-04-13/2022-04-13", DateKind.SPAN),
        ("{2022,2023}", DateKind.MULTIPLE),
    ],
)
def test_kind_says_what_the_interval_means(edtf, kind):
    value = FuzzyDate.parse(edtf)
    assert value.kind is kind
    if kind is not DateKind.SPAN:
        assert (value.start, value.end, value.start_state, value.end_state) == (None, None, None, None)


def test_a_span_has_its_own_ends_each_with_its_precision_and_qualifiers():
    value = FuzzyDate.parse("2022~/2023-05-04?")
    assert (value.start_state, value.end_state) == (EndState.KNOWN, EndState.KNOWN)
    assert value.start == FuzzyDate.parse("2022~")
    assert value.end == FuzzyDate.parse("2023-05-04?")
    assert (value.start.precision, value.start.approximate, value.start.uncertain) == (
        Precision.YEAR,
        True,
        False,
    )
    assert (value.end.precision, value.end.kind, value.end.uncertain) == (Precision.DAY, DateKind.POINT, True)
    assert (value.earliest, value.latest) == (date(2022, 1, 1), date(2023, 5, 4))


@pytest.mark.parametrize(
    ("edtf", "start_state", "end_state"),
    [
        ("2022-02-24/..", EndState.KNOWN, EndState.OPEN),
        ("2022-02-24/", EndState.KNOWN, EndState.UNKNOWN),
        ("../2025-08-06", EndState.OPEN, EndState.KNOWN),
        ("/2025-08-06", EndState.UNKNOWN, EndState.KNOWN),
    ],
)
def test_open_ends_are_told_apart_from_unknown_ends(edtf, start_state, end_state):
    value = FuzzyDate.parse(edtf)
    assert (value.start_state, value.end_state) == (start_state, end_state)
    known = value.start if start_state is EndState.KNOWN else value.end
    missing = value.end if start_state is EndState.KNOWN else value.start
    assert known is not None and missing is None
    # Both kinds of missing end are stored as the extreme day, so filters treat them alike.
    assert value.stored_bounds[0 if start_state is not EndState.KNOWN else 1] in (OPEN_START, OPEN_END)


def test_too_long_text_is_refused_before_any_parsing_saying_the_limit(monkeypatch):
    from core.fuzzydates import package

    def fail(*args, **kwargs):
        raise AssertionError("parsed a value over the limit")

    monkeypatch.setattr(package, "parse_edtf", fail)
    for text in ("2" * (MAX_EDTF_LENGTH + 1), "[" + "2022-01-01," * 400 + "]", " " * 5000):
        with pytest.raises(ValidationError) as excinfo:
            FuzzyDate.parse(text)
        assert excinfo.value.code == "edtf_too_long"
        assert f"at most {MAX_EDTF_LENGTH} characters" in excinfo.value.messages[0]
        assert f"is {len(text)} characters long" in excinfo.value.messages[0]


def test_text_at_the_limit_is_still_read():
    value = "{" + ",".join(["2022-01-01"] * 5) + "}"
    padded = value + " " * (MAX_EDTF_LENGTH - len(value))
    assert len(padded) == MAX_EDTF_LENGTH
    assert FuzzyDate.parse(padded).edtf == value


def test_stored_text_that_no_longer_parses_is_shown_as_stored():
    value = FuzzyDate.from_stored("2022-13", date(2022, 1, 1), date(2022, 12, 31))
    assert value is not None
    assert (value.display, value.earliest, value.latest, value.kind) == (
        "2022-13",
        date(2022, 1, 1),
        date(2022, 12, 31),
        DateKind.WITHIN,
    )


def test_repeated_values_are_parsed_once(monkeypatch):
    from core import fuzzydates
    from core.fuzzydates import package

    fuzzydates.clear_parse_cache()
    calls = []
    real = package.parse_edtf
    monkeypatch.setattr(package, "parse_edtf", lambda text: calls.append(text) or real(text))
    for _ in range(3):
        FuzzyDate.parse("2022-21")
        FuzzyDate.parse("2022-05")  # the fast path: never the package
    assert calls == ["2022-21"]


@pytest.mark.django_db
def test_a_validated_save_parses_its_date_once_even_when_the_cache_forgot_it(monkeypatch):
    from core import fuzzydates
    from core.fuzzydates import package
    from events.models import Event, EventKind

    calls = []
    real = package.parse_edtf
    monkeypatch.setattr(package, "parse_edtf", lambda text: calls.append(text) or real(text))
    fuzzydates.clear_parse_cache()
    event = Event(slug="test-parse-once", title="Parse once", kind=EventKind.MEETING, date="2021-21")
    event.full_clean()
    # An importer validates every record before writing any: by then the cache may have
    # moved on, but the instance keeps what validation read.
    fuzzydates.clear_parse_cache()
    event.save()
    assert calls == ["2021-21"]
    assert (event.date_earliest, event.date_latest) == (date(2021, 3, 1), date(2021, 5, 31))
    # Changing the text after validation is read afresh, never saved with stale bounds.
    event.date = "2019-22"
    event.save()
    assert (event.date_earliest, event.date_latest) == (date(2019, 6, 1), date(2019, 8, 31))


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2025-05-20", date(2025, 5, 20), date(2025, 5, 20)),
        ("2025-05", date(2025, 5, 1), date(2025, 5, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_a_date_bound_may_be_a_day_a_month_or_a_year(text, first, last):
    from core.fuzzydates import parse_day, period_end

    day = parse_day(text)
    assert (day, period_end(day)) == (first, last)


@pytest.mark.parametrize(
    "bad",
    ["May 2025", "2025-13", "2025-00", "0000", "2025-5", "2025-05-32", "", "２０２２", "٢٠٢٢-05", "१९९९"],
)
def test_other_date_bounds_are_refused_naming_the_forms(bad):
    from core.fuzzydates import parse_day

    forms = r"Use YYYY-MM-DD, YYYY-MM or YYYY \(e.g. 2025-05-20, 2025-05, 2025\)"
    with pytest.raises(ValueError, match=forms):
        parse_day(bad)
