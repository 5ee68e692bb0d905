"""The fast path reads common EDTF forms exactly as the ``edtf`` package does."""

import calendar
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given, settings
from hypothesis import strategies as st

from core.fuzzydates import FuzzyDate
from core.fuzzydates.fast import read_fast
from core.fuzzydates.package import read_with_package

# Years, months and days around every edge the package judges: year 0, month 0 and 13,
# day 0, 29-31 in every month (leap years included), plus seasons the fast path leaves alone.
years = st.one_of(
    st.integers(min_value=0, max_value=9999),
    st.sampled_from([0, 1, 1900, 2000, 2023, 2024, 9999]),
)
months = st.one_of(st.none(), st.integers(min_value=0, max_value=13), st.just(21))
days = st.one_of(st.none(), st.integers(min_value=0, max_value=32), st.sampled_from([28, 29, 30, 31]))
qualifiers = st.sampled_from(["", "", "?", "~", "%"])


@st.composite
def plain_dates(draw: st.DrawFn) -> str:
    text = f"{draw(years):04d}"
    month = draw(months)
    if month is not None:
        text += f"-{month:02d}"
        day = draw(days)
        if day is not None:
            text += f"-{day:02d}"
    return text


@st.composite
def qualified_dates(draw: st.DrawFn) -> str:
    return draw(plain_dates()) + draw(qualifiers)


interval_ends = st.one_of(qualified_dates(), st.just(".."), st.just(""))
intervals = st.builds(lambda a, b: f"{a}/{b}", interval_ends, interval_ends)
ranges = st.builds(
    lambda a, b: f"[{a}..{b}]",
    st.one_of(plain_dates(), st.just(""), qualified_dates()),
    st.one_of(plain_dates(), st.just(""), qualified_dates()),
)
range_members = st.builds(
    lambda a, b: f"{a}..{b}", st.one_of(plain_dates(), st.just("")), st.one_of(plain_dates(), st.just(""))
)
sets = st.builds(
    lambda open_, members, close: open_ + ",".join(members) + close,
    st.sampled_from(["[", "{"]),
    st.lists(st.one_of(qualified_dates(), range_members), min_size=1, max_size=4),
    st.sampled_from(["]", "}"]),
)
common_forms = st.one_of(qualified_dates(), intervals, ranges, sets)


def package_reading(text: str):
    try:
        return read_with_package(text)
    except ValidationError:
        return None


@settings(max_examples=400, derandomize=True, deadline=None)
@given(common_forms)
@example("2024-02-29")
@example("2023-02-29")
@example("2022-04-31/..")
@example("../..")
@example("2023/2022")
@example("[2023..2022]")
@example("[2022..2023-05]")
@example("2022-02-24/")
@example("0000")
@example("[2022]")
@example("[2020,..2022]")
@example("[..2022,2023..]")
@example("{2022,2023-05..2023-06}")
def test_the_fast_path_reads_what_the_package_reads(text):
    fast = read_fast(text)
    if fast is None:
        return
    # Same bounds, kind, precision, qualifiers, display, ends and end states, nested too.
    assert package_reading(text) == fast, text


def _valid_day(y: int, m: int | None, d: int | None) -> bool:
    if y < 1 or (m is not None and not 1 <= m <= 12):
        return False
    return d is None or 1 <= d <= calendar.monthrange(y, m)[1]  # type: ignore[arg-type]


@settings(max_examples=150, derandomize=True, deadline=None)
@given(
    st.integers(min_value=1, max_value=9999),
    st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
    st.integers(min_value=1, max_value=31),
    qualifiers,
)
def test_the_fast_path_covers_every_valid_year_month_and_day(y, m, d, q):
    day = d if m is not None and _valid_day(y, m, d) else None
    text = f"{y:04d}" + (f"-{m:02d}" if m else "") + (f"-{day:02d}" if day else "") + q
    fast = read_fast(text)
    assert fast is not None, text
    assert fast == read_with_package(text)


@pytest.mark.parametrize(
    "text",
    [
        *("2022", "2022-05", "2022-05-04", "2022~", "2022-05?", "2022%"),
        *("2022-02-24/..", "2022-02-24/", "../2025", "2022~/2023-05?", "2022/2023"),
        *("[2025-06-01..2025-08-06]", "[..2025-08-06]", "[2022..]"),
        *("{2022,2023}", "[2024-05,2025-05]", "[2001-03-04,2001-03-05?]", "{2022-01..2022-03}"),
    ],
)
def test_the_common_forms_take_the_fast_path(text):
    assert read_fast(text) is not None
    assert FuzzyDate.parse(text) == FuzzyDate.parse_with_package(text)


@pytest.mark.parametrize(
    "text", ["2022-21", "1XXX", "2004-06-~11", "[2022-21,2023]", "[2022]", "2022-02-30", "0000"]
)
def test_everything_else_is_left_to_the_package(text):
    assert read_fast(text) is None


def test_a_fast_span_exposes_the_same_ends_as_the_package():
    fast = read_fast("2022-02-24~/..")
    assert fast is not None and fast.start is not None
    assert (fast.start.earliest, fast.start.approximate, fast.end) == (date(2022, 2, 24), True, None)
    assert fast == read_with_package("2022-02-24~/..")
