import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.admin import EstimatedCountPaginator, planner_estimate
from events.models import Event
from tests.events.factories import make_event

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's"
)


@pytest.fixture
def events():
    return [make_event(f"count-{i}") for i in range(5)]


def counts(paginator):
    with CaptureQueriesContext(connection) as queries:
        count = paginator.count
    return count, [q["sql"] for q in queries]


def test_small_tables_are_counted_exactly(events):
    count, sql = counts(EstimatedCountPaginator(Event.objects.all(), 2))
    assert count == Event.objects.count()
    assert any("COUNT(" in q.upper() for q in sql)


def test_there_is_no_estimate_off_postgresql_or_when_filtered(events):
    assert planner_estimate(Event.objects.filter(slug__startswith="test-count-")) is None
    if connection.vendor != "postgresql":
        assert planner_estimate(Event.objects.all()) is None


@postgres_only
def test_an_unfiltered_big_table_is_counted_from_the_planner(events):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Event._meta.db_table}")
    paginator = EstimatedCountPaginator(Event.objects.all(), 2)
    paginator.exact_below = 0  # treat the table as big
    count, sql = counts(paginator)
    assert count == planner_estimate(Event.objects.all()) == Event.objects.count()
    assert not any("COUNT(" in q.upper() for q in sql)


@postgres_only
def test_a_filtered_big_table_is_still_counted_exactly(events):
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {Event._meta.db_table}")
    paginator = EstimatedCountPaginator(Event.objects.filter(slug__in=["test-count-0", "test-count-1"]), 2)
    paginator.exact_below = 0
    count, sql = counts(paginator)
    assert count == 2
    assert any("COUNT(" in q.upper() for q in sql)
