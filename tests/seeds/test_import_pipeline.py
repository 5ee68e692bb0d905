"""An import's write on PostgreSQL with its COPYs in a writer thread (core.services.pipeline): a
failure on either side leaves the database as it was, names what failed, and leaves no thread."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from bench.sections.imports import generate
from core.services import bulk, pipeline
from seeds.importer import import_user
from seeds.importer.loader import load
from seeds.importer.plan import Plan
from seeds.importer.validate import build_plan
from seeds.importer.write import Writer
from seeds.importer.write_base import BATCH

pytestmark = pytest.mark.django_db


def _plan(tmp_path: Path, events: int) -> Plan:
    file = tmp_path / "bench-seeds.yaml"
    generate(file, events)
    doc, problems = load(file)
    plan, found = build_plan([doc])
    assert not problems and not found
    return plan


def _counts() -> dict[str, int]:
    """Rows of every table an import writes: records, child rows, history, baselines, the changes log."""
    return {
        model._meta.label: model._base_manager.count()
        for label in ("places", "people", "events", "seeds", "core")
        for model in apps.get_app_config(label).get_models()
        if not model._meta.proxy
    }


def _write(plan: Plan) -> Any:
    with transaction.atomic():
        return Writer(plan, lambda message: None, import_user()).run()


def test_an_import_writes_through_the_pipeline_on_postgresql_and_ends_its_thread(tmp_path: Path) -> None:
    plan = _plan(tmp_path, BATCH + 50)
    started: list[pipeline.Pipeline] = []
    real = pipeline.Pipeline.start

    def spy(self: pipeline.Pipeline) -> None:
        started.append(self)
        real(self)

    threads = threading.active_count()
    before = _counts()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline.Pipeline, "start", spy)
        stats = _write(plan)

    after = _counts()
    assert stats.written > 0
    assert after["events.Event"] - before["events.Event"] == BATCH + 50
    assert after["events.HistoricalEvent"] - before["events.HistoricalEvent"] == BATCH + 50
    assert threading.active_count() == threads
    assert len(started) == (1 if connection.vendor == "postgresql" else 0)  # SQLite keeps its one thread
    assert pipeline.active(connection) is None


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the writer thread is PostgreSQL's")
def test_a_row_the_server_refuses_in_the_writer_thread_fails_the_whole_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(tmp_path, BATCH + 50)
    real = bulk.insert_statements
    batches: list[int] = []

    def one_bad_row(table: str, fields: Any, rows: list[list[Any]], returning: str | None) -> Any:
        if table == "events_participation":
            batches.append(len(rows))
            if len(batches) == 2:  # the second batch's first participation names no stored person
                rows[0][[f.column for f in fields].index("person_id")] = 2_000_000_000
        return real(table, fields, rows, returning)

    monkeypatch.setattr(bulk, "insert_statements", one_bad_row)
    threads = threading.active_count()
    before = _counts()

    with pytest.raises(IntegrityError, match=r"failed in COPY events_participation \(100 rows\)") as failure:
        _write(plan)

    assert "person_id" in str(failure.value)  # the server's own message comes along
    assert _counts() == before  # nothing of the write kept: records, history, baselines, log
    assert threading.active_count() == threads
    assert pipeline.active(connection) is None


def test_an_error_while_building_a_later_batch_drops_what_was_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(tmp_path, BATCH + 50)
    real = Writer._visits
    calls: list[int] = []

    def failing(self: Writer, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:  # the first batch's rows are queued or sent by now
            raise RuntimeError("building the second batch failed")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Writer, "_visits", failing)
    threads = threading.active_count()
    before = _counts()

    with pytest.raises(RuntimeError, match="building the second batch failed"):
        _write(plan)

    assert _counts() == before
    assert threading.active_count() == threads
    assert pipeline.active(connection) is None
    # The connection is usable, its constraints deferred again as Django makes them.
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
