"""The bench's cursor for a timeline row is one the API accepts, and pages on after that row."""

from __future__ import annotations

import pytest

from bench.measure.cases import graphql_cursor
from config.schema import schema
from events.models import Event

pytestmark = pytest.mark.django_db

PAGE = "query ($after: String) { timeline(first: 3, after: $after) { edges { node { slug } } } }"


def test_the_crafted_cursor_is_accepted_and_pages_after_its_row() -> None:
    rows = list(Event.objects.order_by("date_earliest", "date_latest", "title", "pk")[:4])
    row = rows[0]
    cursor = graphql_cursor((row.date_earliest, row.date_latest, row.title, row.pk))
    result = schema.execute_sync(PAGE, variable_values={"after": cursor})
    assert result.errors is None, result.errors
    assert [e["node"]["slug"] for e in result.data["timeline"]["edges"]] == [r.slug for r in rows[1:4]]
