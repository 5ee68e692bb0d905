"""The dates bench section measures what it says: its common values take the fast path."""

import random

from bench import sections
from bench.sections import dates
from core.fuzzydates.fast import read_fast


def test_the_section_is_registered() -> None:
    assert sections.load("dates") is dates


def test_the_common_values_are_distinct_and_all_read_by_the_fast_path() -> None:
    values = dates.common_values(2000, random.Random(dates.SEED))
    assert len(set(values)) == 2000
    assert all(read_fast(value) is not None for value in values)


def test_the_package_only_values_are_valid_and_left_to_the_package() -> None:
    from core.fuzzydates import FuzzyDate

    values = dates.package_only_values(random.Random(dates.SEED))[:20]
    assert all(read_fast(value) is None for value in values)
    for value in values:
        FuzzyDate.parse(value)
