"""The large-file validation bench section, at a tiny size: it refuses the file, naming the bad record."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import sections
from bench.sections import validate_large


def test_the_section_is_registered() -> None:
    assert sections.load("validate_large") is validate_large


@pytest.mark.django_db
def test_a_generated_file_is_refused_for_its_last_date_only(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    slug = validate_large.generate(path, 30)
    result = validate_large.measure(path)
    assert validate_large.refuses_only(result, slug), result["problems"]
    assert result["rss_peak_kib"] >= result["rss_before_kib"] > 0


def test_the_subprocess_measures_on_a_database_of_its_own(tmp_path: Path) -> None:
    path = tmp_path / "large.yaml"
    slug = validate_large.generate(path, 20)
    result = validate_large.measure_in_subprocess(path)
    assert validate_large.refuses_only(result, slug), result["problems"]
