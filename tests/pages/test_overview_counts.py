"""A record's year counts (its overview) are kept per data version and agree with the selector."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from events import overview as overview_module
from events import selectors
from events.overview import overview
from places.models import Country
from tests.pages.conftest import add_events

pytestmark = pytest.mark.django_db


def _count_statements(events) -> tuple[int, list[tuple[int, int]]]:
    with CaptureQueriesContext(connection) as queries:
        periods = overview(events, explorer_query={"country": "UA"})
    return len(queries), [(p.first, p.count) for p in periods]


def test_counts_are_kept_per_data_version_and_recounted_after_a_write(monkeypatch) -> None:
    # The suite runs each test in a transaction, where nothing is kept: act as a request outside one.
    monkeypatch.setattr(overview_module, "connection", type("C", (), {"in_atomic_block": False})())
    cache.clear()
    ua = Country.objects.get(code="UA")
    first_statements, first = _count_statements(selectors.event_timeline(country=ua))
    again_statements, again = _count_statements(selectors.event_timeline(country=ua))
    assert again == first and again_statements == first_statements - 1  # the version read alone
    add_events(3, prefix="overview")  # a write moves the data version
    _, after = _count_statements(selectors.event_timeline(country=ua))
    assert sum(n for _, n in after) == sum(n for _, n in first) + 3


def test_inside_a_transaction_nothing_is_kept() -> None:
    cache.clear()
    ua = Country.objects.get(code="UA")
    statements, _ = _count_statements(selectors.event_timeline(country=ua))
    assert _count_statements(selectors.event_timeline(country=ua))[0] == statements
    assert not any(key.startswith(":1:overview:") for key in cache._cache)  # type: ignore[attr-defined]


def test_the_gathering_form_counts_what_the_walking_form_counts(monkeypatch) -> None:
    add_events(5, prefix="busy")
    # Every country "busy": the page takes the EXISTS walk; the whole-record form gathers instead.
    monkeypatch.setattr(selectors, "BUSY_COUNTRY_EVENTS", 1)
    ua = Country.objects.get(code="UA")
    walking = selectors.event_timeline(country=ua)
    whole = selectors.event_timeline(country=ua, whole=True)
    assert "EXISTS" in str(walking.query) and "EXISTS" not in str(whole.query)
    assert selectors.year_counts(whole) == selectors.year_counts(walking)
    assert list(whole.values_list("pk", flat=True)) == list(walking.values_list("pk", flat=True))


def test_a_busy_countrys_walk_probes_its_four_links_in_one_exists(monkeypatch) -> None:
    """One EXISTS over a UNION ALL of the four kinds of link: an OR of four EXISTS became hashed
    subplans that read every link of the country before walking one event (issue 25)."""
    monkeypatch.setattr(selectors, "BUSY_COUNTRY_EVENTS", 1)
    ua = Country.objects.get(code="UA")
    sql = str(selectors.event_timeline(country=ua).query)
    assert sql.count("EXISTS") == 1 and sql.count("UNION ALL") == 3
    gathered = selectors.event_timeline(country=ua, whole=True)
    assert list(selectors.event_timeline(country=ua).values_list("pk", flat=True)) == list(
        gathered.values_list("pk", flat=True)
    )
    assert gathered.exists()
