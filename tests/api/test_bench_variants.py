"""The side-by-side bench's rivals give the API's JSON exactly (bench/graphql), on the seeds."""

from __future__ import annotations

import pytest
from django.db import connection

from bench.graphql import TIMELINE_PAGE, onesql, orm
from config.schema import schema
from events import selectors


@pytest.mark.parametrize("filters", [None, {"region": "donetsk-oblast"}, {"person": "andrzej-duda"}])
def test_hand_written_orm_and_one_statement_give_the_apis_json(seeded: None, filters: dict | None) -> None:
    result = schema.execute_sync(TIMELINE_PAGE, variable_values={"first": 50, "filters": filters})
    assert not result.errors
    events = selectors.event_timeline(**(filters or {}))
    assert orm.page(events, 50) == result.data
    if connection.vendor == "postgresql":  # json_build_object is PostgreSQL's
        sql, params = onesql.statement(events, 50)
        assert onesql.page(sql, params, 50) == result.data
