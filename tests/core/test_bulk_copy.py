"""The bulk COPY (PostgreSQL, core.services.statements): binary when the values fit, else text."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection

from core.services import bulk, statements
from events.models import Event, EventKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


@pytest.fixture
def formats(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each COPY went in binary format, in order."""
    seen: list[bool] = []
    real = statements.binary_types

    def spy(*args: Any) -> list[int] | None:
        types = real(*args)
        seen.append(types is not None)
        return types

    monkeypatch.setattr(statements, "binary_types", spy)
    return seen


def _events(count: int, prefix: str) -> list[Event]:
    return [
        Event(slug=f"{prefix}-{i}", title=f"Meeting {i}", kind=EventKind.MEETING, date=f"{1950 + i % 70}-05")
        for i in range(count)
    ]


def _stored(prefix: str) -> list[tuple[Any, ...]]:
    rows = Event.objects.filter(slug__startswith=f"{prefix}-").order_by("id")
    return list(rows.values_list("slug", "title", "kind", "date", "date_earliest", "date_latest", "version"))


def test_a_batch_of_typed_values_goes_in_binary_and_reads_back_as_a_save_stores_it(
    formats: list[bool],
) -> None:
    events = _events(statements.COPY_FROM, "binary")
    bulk.insert_rows(Event, events)

    assert formats == [True]
    assert [e.pk for e in events] == sorted(e.pk for e in events)  # ids drawn in order, as RETURNING gives
    saved = Event.objects.create(
        slug="binary-saved", title="Meeting 3", kind=EventKind.MEETING, date="1953-05"
    )
    stored = _stored("binary")
    assert (
        stored[3][1:]
        == Event.objects.filter(pk=saved.pk)
        .values_list("title", "kind", "date", "date_earliest", "date_latest", "version")
        .get()
    )
    assert stored[0] == (
        "binary-0",
        "Meeting 0",
        "MEETING",
        "1950-05",
        datetime.date(1950, 5, 1),
        datetime.date(1950, 5, 31),
        1,
    )


def test_a_value_binary_cannot_take_sends_the_batch_as_text_with_the_same_result(formats: list[bool]) -> None:
    typed, loose = _events(statements.COPY_FROM, "typed"), _events(statements.COPY_FROM, "loose")
    for event in loose:
        # A count given as text: text COPY takes it, a binary integer column would not.
        event.version = "1"
    bulk.insert_rows(Event, typed)
    bulk.insert_rows(Event, loose)

    assert formats == [True, False]
    assert [row[1:] for row in _stored("loose")] == [row[1:] for row in _stored("typed")]


def test_a_naive_datetime_is_not_sent_as_binary_timestamptz() -> None:
    table = Event.history.model._meta.db_table  # type: ignore[attr-defined]
    aware, naive = datetime.datetime(2024, 5, 1, tzinfo=datetime.UTC), datetime.datetime(2024, 5, 1)
    with connection.cursor() as cursor:
        assert statements.binary_types(cursor, table, ["history_date"], [[aware], [None]]) is not None
        assert statements.binary_types(cursor, table, ["history_date"], [[aware], [naive]]) is None
        assert (
            statements.binary_types(cursor, table, ["id", "history_date"], [[True, aware]]) is None
        )  # a bool is no int
