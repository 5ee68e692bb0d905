"""The bench section for the public pages runs on whatever the database holds."""

import pytest

from bench import sections

pytestmark = pytest.mark.django_db


def test_the_pages_section_renders_every_page_and_reports_it() -> None:
    module = sections.load("pages")
    # bench.run loads the million-event dataset first (its growth is measured against it);
    # called directly, the section measures whatever the database holds.
    assert module.NEEDS_DATASET is True
    report = module.run(repeat=1)
    # Eight: the cite block reads the data version (issue 24).
    assert "| explorer, first page | `/` | 200 | 8 | " in report
    assert "rounds in a shuffled order (seed " in report
    assert (
        "| treaty | `/treaties/russia-north-korea-comprehensive-strategic-partnership-treaty/` | 200 |"
        in report
    )
    assert report.count("| 200 |") == 13  # ten pages (the most active person too), two feeds, PLOVER


def test_a_first_view_after_a_write_counts_afresh_and_leaves_the_warm_counts() -> None:
    from bench.sections.pages import _counted_afresh
    from events import overview

    warm = overview.cache
    warm.set("overview:kept", [(2020, 1)])
    with _counted_afresh():
        assert overview.cache is not warm
        assert overview.cache.get("overview:kept") is None
        overview.cache.set("overview:kept", [(2020, 2)])
    with _counted_afresh():
        assert overview.cache.get("overview:kept") is None  # afresh each time
    assert overview.cache is warm and warm.get("overview:kept") == [(2020, 1)]
