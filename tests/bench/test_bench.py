"""The benchmark generator writes a small, consistent dataset through either writer."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection

from bench.dataset import TABLES, Generator, Sizes
from bench.load import CopyWriter, InsertWriter, Writer, clear, load, model_for_table
from core.fuzzydates import FuzzyDate
from events.models import Event, EventRegion, Participation, Visit
from places.models import Region

EVENTS = 200


def test_columns_match_the_models() -> None:
    for table, columns in TABLES.items():
        model = model_for_table(table)
        assert set(columns) == {f.column for f in model._meta.concrete_fields}, table


def _writer(kind: str) -> Writer:
    if kind == "copy":
        if connection.vendor != "postgresql":
            pytest.skip("COPY is PostgreSQL-only; the insert writer covers SQLite.")
        # Inside the test transaction: keep the indexes (no DDL), the data path is the same.
        return CopyWriter(connection, defer_indexes=False)
    return InsertWriter(connection)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["insert", "copy"])
def test_generated_rows_are_consistent(kind: str) -> None:
    writer = _writer(kind)
    clear(connection)  # the session's seed data; the test transaction brings it back
    # Every stored date is re-parsed below; FuzzyDate.parse is slow (edtf), so once is enough.
    generator = Generator(Sizes.for_events(EVENTS), seed=7, verify_every=0)
    counts = load(generator.batches(), writer)

    assert Event.objects.count() == counts["events_event"] == EVENTS

    # Paths are exactly what Region.save computes: parent's path + "<parent id>/", top level "/".
    regions = {r.pk: r for r in Region.objects.all()}
    for region in regions.values():
        expected = "/" if region.parent_id is None else f"{regions[region.parent_id].path}{region.parent_id}/"
        assert region.path == expected, region.slug
        if region.parent_id:
            assert regions[region.parent_id].country_id == region.country_id
    hot = Region.objects.get(pk=generator.landmarks.hot_region)
    assert set(Region.objects.subtree(hot).values_list("pk", flat=True)) == set(
        generator.landmarks.hot_region_subtree
    )

    # Date bounds agree with the one fuzzy-date implementation, open ends included.
    for edtf, earliest, latest in Event.objects.values_list("date", "date_earliest", "date_latest"):
        assert FuzzyDate.parse(edtf).stored_bounds == (earliest, latest), edtf

    per_event = Counter(Participation.objects.values_list("event_id", flat=True))
    assert set(per_event) == set(Event.objects.values_list("pk", flat=True))
    assert set(per_event.values()) <= {1, 2, 3}
    regions_per_event = Counter(EventRegion.objects.values_list("event_id", flat=True))
    assert len(regions_per_event) == EVENTS
    assert set(regions_per_event.values()) <= {1, 2}
    assert Visit.objects.count() == Event.objects.filter(kind="VISIT").count()

    # Sequences continue after the explicit ids: the ORM can still insert.
    country = regions[generator.landmarks.hot_region].country
    extra = Region.objects.create(slug="extra-region", name="Extra", kind="city", country=country)
    assert extra.pk > max(regions)
