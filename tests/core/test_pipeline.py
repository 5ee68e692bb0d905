"""core.services.pipeline: COPYs by a writer thread, in order with everything else on the connection."""

from __future__ import annotations

import sys
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.services import bulk, pipeline, statements
from events.models import Event, EventKind

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer thread is PostgreSQL's"),
]


def _events(prefix: str, count: int = statements.COPY_FROM) -> list[Event]:
    return [
        Event(slug=f"{prefix}-{i}", title=f"Meeting {i}", kind=EventKind.MEETING, date="1960-05")
        for i in range(count)
    ]


def test_a_read_after_a_queued_copy_sees_its_rows_and_ids_are_given_at_once() -> None:
    threads, switch = threading.active_count(), sys.getswitchinterval()
    with transaction.atomic(), pipeline.overlapped(connection) as pipe:
        assert pipe is not None and pipeline.active(connection) is pipe
        events = _events("queued")
        bulk.insert_rows(Event, events)
        assert all(e.pk is not None for e in events)  # drawn on the second connection, not waited for
        stored = set(Event.objects.filter(slug__startswith="queued-").values_list("pk", flat=True))
        assert stored == {e.pk for e in events}
    assert threading.active_count() == threads
    assert pipeline.active(connection) is None
    assert sys.getswitchinterval() == switch


def test_an_error_caught_inside_the_write_rolls_back_its_savepoint_only() -> None:
    with transaction.atomic(), pipeline.overlapped(connection):
        bulk.insert_rows(Event, _events("kept"))  # queued, perhaps not sent yet
        with pytest.raises(IntegrityError), transaction.atomic():
            Event.objects.create(slug="kept-0", title="Again", kind=EventKind.MEETING, date="1960")
        bulk.insert_rows(Event, _events("after"))
    assert Event.objects.filter(slug__startswith="kept-").count() == statements.COPY_FROM
    assert Event.objects.filter(slug__startswith="after-").count() == statements.COPY_FROM


def test_under_a_query_log_every_statement_keeps_its_text() -> None:
    with CaptureQueriesContext(connection) as log, transaction.atomic(), pipeline.overlapped(connection):
        with transaction.atomic():  # a savepoint: run in place while queries are logged
            bulk.insert_rows(Event, _events("logged"))
        assert Event.objects.filter(slug__startswith="logged-").count() == statements.COPY_FROM
    texts = [q["sql"] for q in log.captured_queries]
    assert all(texts) and any(t.startswith("SAVEPOINT") for t in texts)
    assert any(t.startswith('COPY "events_event"') for t in texts)


def test_a_deletion_whose_nullable_children_go_after_their_parent_is_checked_at_its_end() -> None:
    """Django's collector puts a role before its citations (a nullable key): with the write's
    checks immediate, deleting the role first failed an import (tests/audit on PostgreSQL)."""
    from core.edits import edit
    from core.services.rows import delete_rows
    from events.models import Citation
    from people.models import Role
    from tests.events.factories import make_source
    from tests.people.factories import make_person

    role = Role.objects.create(person=make_person("holder"), title="Ambassador", start="1990")
    source = make_source("letter", text="He was named ambassador.")
    Citation.objects.create(source=source, role=role, quote="named ambassador")
    with transaction.atomic(), pipeline.overlapped(connection), edit(actor=None, reason="a role goes"):
        delete_rows([role])
        bulk.insert_rows(Event, _events("after-the-deletion"))  # checked immediately again
    assert not Role.objects.filter(pk=role.pk).exists()
    assert not Citation.objects.filter(source=source).exists()
    assert Event.objects.filter(slug__startswith="after-the-deletion-").count() == statements.COPY_FROM
