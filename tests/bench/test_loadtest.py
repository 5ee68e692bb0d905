"""The load script, and through it the time budget under ``make serve`` (issue 19, item 3).

One small loaded run, on the database the suite runs on (a SQLite file of its own, or a
PostgreSQL database named after this worker's test database): gunicorn as ``make serve`` runs it
(DEBUG off), editors saving, backward and treaty walks, and an import of a generated file writing
through it. No worker may be killed, every answer is a success or the typed "busy", and the
database holds the import whole and only the titles the server said it saved.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from bench import loadtest
from bench.loadserver import KILLED

ROOT = Path(__file__).resolve().parents[2]
IMPORT_EVENTS = 3000  # a write phase of seconds: longer than the lock wait on a quiet machine


def test_the_plan_is_fixed_and_mixes_every_kind() -> None:
    names = {"events": ["a", "b", "c", "d", "e"], "people": ["p"], "countries": ["UA"]}
    work = loadtest.plan(200, names)
    assert work == loadtest.plan(200, names)
    assert {kind for kind, _ in work} == set(loadtest.MIX)
    assert {slug for kind, (slug, _) in ((k, a) for k, a in work if k == "edit")} <= {"a", "b", "c", "d"}
    assert {a for k, a in work if k == "timeline_back"} == {(loadtest.BACK_PAGES, loadtest.BACK_SIZE)}


def test_the_import_file_is_the_same_every_run(tmp_path: Path) -> None:
    first = loadtest.import_file(tmp_path / "a.yaml", 12).read_text()
    assert first == loadtest.import_file(tmp_path / "b.yaml", 12).read_text()
    assert first.count("- slug: load-import-") == 12


def test_percentiles() -> None:
    values = [float(n) for n in range(1, 101)]
    assert (loadtest.percentile(values, 0.95), loadtest.percentile(values, 0.99)) == (95.0, 99.0)


def test_gunicorns_kill_lines_are_recognised() -> None:
    assert KILLED.search("[2026-12-06 21:00:00 +0000] [12] [CRITICAL] WORKER TIMEOUT (pid:14)")
    assert KILLED.search("[ERROR] Worker (pid:14) was sent SIGKILL! Perhaps out of memory?")
    assert KILLED.search("[ERROR] Worker (pid:14) exited with code 1")
    assert not KILLED.search("[INFO] Booting worker with pid: 14")
    assert not KILLED.search("[INFO] Worker (pid:14) was sent SIGTERM!")  # the orderly stop


@pytest.fixture
def database(tmp_path: Path) -> Iterator[str]:
    """A database for the run beside the suite's: a SQLite file, or a PostgreSQL database named
    after this xdist worker's test database (so two workers, or CI's two passes, never share)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'load.sqlite3'}"
        return
    import psycopg

    # test_<name>[_gwN] once pytest-django has set this worker's database up; test_ in any case,
    # so .ci/run's clean-up finds it after an interrupted run.
    name = connection.settings_dict["NAME"]
    name = f"{name if name.startswith('test_') else f'test_{name}'}_load"
    params = {k: v for k, v in connection.get_connection_params().items() if k in {"host", "port", "user"}}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    user = params.get("user", "postgres")
    yield f"postgres://{user}@{params.get('host', '127.0.0.1')}:{params.get('port', 5432)}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored(url: str) -> tuple[int, dict[str, str]]:
    """How many imported events the run's database holds, and every event's title by slug."""
    if url.startswith("sqlite:///"):
        db: Any = sqlite3.connect(url.removeprefix("sqlite:///"))
    else:
        import psycopg

        db = psycopg.connect(url.replace("postgres://", "postgresql://"))
    try:
        rows = db.execute("SELECT slug, title FROM events_event").fetchall()
    finally:
        db.close()
    titles = dict(rows)
    return sum(slug.startswith("load-import-") for slug in titles), titles


@pytest.mark.xdist_group("gunicorn")  # one gunicorn at a time: each collects static files
def test_an_import_under_load_kills_no_worker_and_editors_save_or_hear_busy(database: str) -> None:
    command = [sys.executable, "-m", "bench.loadtest", "--database", database, "--requests", "60"]
    command += ["--concurrency", "4", "--editors", "2", "--workers", "2", "--only", "seeds"]
    # Pages of 4 walk back through the few seeded events (the import's may not be committed yet).
    command += ["--import-events", str(IMPORT_EVENTS), "--back-size", "4", "--json"]
    run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert run.stdout.strip(), run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])

    # Every answer a success or the typed busy; no worker killed (gunicorn's log), the import whole.
    assert run.returncode == 0 and result["errors"] == 0, result["errors_by_kind"]
    kinds = {row["kind"]: row for row in result["kinds"]}
    assert set(kinds) == {*loadtest.MIX, "all"}
    assert kinds["all"]["requests"] == 60
    assert kinds["timeline_back"]["pages"] > kinds["timeline_back"]["requests"]  # walked back
    assert kinds["all"]["p50_ms"] <= kinds["all"]["p95_ms"] <= kinds["all"]["p99_ms"]
    done = result["import"]
    assert done["returncode"] == 0 and done["write_seconds"] > 0
    # The load ran through the import's write phase, editors included.
    assert done["edits_during_write"] > 0
    edits = kinds["edit"]
    saved = result["saved"]
    accepted = sum(len(titles) for titles in saved.values())
    assert accepted + edits["busy"] + edits["conflicts"] == edits["requests"]

    imported, titles = stored(database)
    assert imported == IMPORT_EVENTS
    for slug, accepted_titles in saved.items():
        assert titles[slug] in accepted_titles  # a save the server accepted, never a busy one's
    sent = {title for titles in saved.values() for title in titles}
    assert {t for t in titles.values() if t.startswith("Load test title")} <= sent
