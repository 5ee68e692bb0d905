"""One time budget: lock wait < statement timeout < worker timeout (issue 19, item 4).

SQLite once waited 60 s for the write lock while gunicorn killed a worker after 30 s: an editor
behind an import lost the worker instead of hearing "busy". Now the budget is checked where the
settings are read, and an editor behind an import gets the busy answer within the lock wait.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from core.edits import BUSY
from tests.config import sqlite_script_report

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "-production-secret-key-with-enough-entropy-9f8e7d6c"


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": SECRET, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


BUDGET = (
    "import json; from config import settings as s; import runpy; "
    "g = runpy.run_path('config/gunicorn.conf.py'); "
    "print(json.dumps([s.LOCK_TIMEOUT_MS, s.STATEMENT_TIMEOUT_MS, s.WORKER_TIMEOUT_S, g['timeout'], "
    "s.DATABASES['default']['OPTIONS']]))"
)


def test_the_default_budget_puts_the_lock_wait_first_and_the_worker_last() -> None:
    sqlite = _python(BUDGET, DATABASE_URL="sqlite:////tmp/chancery-budget-check.sqlite3")
    lock, statement, worker, gunicorn, options = json.loads(sqlite.stdout)
    assert (lock, statement, worker, gunicorn) == (5_000, 15_000, 30, 30)
    assert options["timeout"] == 5.0  # SQLite's busy timeout is the lock wait, not 60 s
    postgres = _python(BUDGET, DATABASE_URL="postgres://u@127.0.0.1:5432/x")
    *_, options = json.loads(postgres.stdout)
    assert "-c lock_timeout=5000 -c statement_timeout=15000" in options["options"]


def test_gunicorn_takes_its_worker_timeout_from_the_budget() -> None:
    result = _python(
        BUDGET, DATABASE_URL="sqlite:////tmp/chancery-budget-check.sqlite3", GUNICORN_TIMEOUT="90"
    )
    assert json.loads(result.stdout)[2:4] == [90, 90]


def test_a_long_command_may_switch_the_statement_timeout_off() -> None:
    result = _python(BUDGET, DATABASE_URL="postgres://u@127.0.0.1:5432/x", STATEMENT_TIMEOUT_MS="0")
    assert "-c statement_timeout=0" in json.loads(result.stdout)[-1]["options"]


@pytest.mark.parametrize(
    "env",
    [
        {"LOCK_TIMEOUT_MS": "60000"},  # the old SQLite wait: longer than the worker lives
        {"STATEMENT_TIMEOUT_MS": "28000"},  # no margin left before the worker timeout
        {"GUNICORN_TIMEOUT": "10"},
        {"LOCK_TIMEOUT_MS": "0"},
    ],
)
def test_a_budget_out_of_order_is_refused_at_start(env: dict[str, str]) -> None:
    result = _python(BUDGET, DATABASE_URL="sqlite:////tmp/chancery-budget-check.sqlite3", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: The request budget needs LOCK_TIMEOUT_MS" in result.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock; PostgreSQL below")
def test_an_editor_behind_an_import_on_sqlite_hears_busy_within_the_lock_wait(tmp_path: Path) -> None:
    report, _ = sqlite_script_report("tests.config.editor_behind_import", tmp_path / "budget.sqlite3")
    assert report["status"] == 200
    assert report["answer"]["__typename"] == "OperationInfo"
    assert [m["code"] for m in report["answer"]["messages"]] == ["busy"]
    assert report["answer"]["messages"][0]["message"] == BUSY
    # After the lock wait and before the worker timeout, not after 60 s. No tighter upper bound:
    # on a loaded machine the editor's process took 8.8 s for a 5 s wait, and no test here times.
    assert report["lock_wait_ms"] / 1000 <= report["seconds"] < report["worker_timeout_s"]
    # The import then finished; the editor's refused save left nothing.
    assert (report["import"], report["imported"], report["title"]) == ("ok", True, "Before")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row locks; SQLite above")
@pytest.mark.django_db
def test_an_editor_behind_an_import_on_postgresql_hears_busy_within_the_lock_wait(client) -> None:
    import psycopg

    from events.models import Event
    from seeds.importer.locking import IMPORT_LOCK
    from tests.api.conftest import make_user, post_graphql
    from tests.api.editing import as_user

    slug = "chervona-zirka-capture-claim"
    title = Event.objects.get(slug=slug).title
    editor = make_user("budget-editor", "events.change_event")
    as_user(client, editor)
    params = connection.get_connection_params()
    for key in ("cursor_factory", "context", "prepare_threshold"):
        params.pop(key, None)
    # As an import holds them: its lock and the rows it writes (rolled back: nothing outlives the test).
    with psycopg.connect(**params, autocommit=True) as other, other.transaction() as held:
        other.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
        other.execute("UPDATE events_event SET title = 'From a file' WHERE slug = %s", [slug])
        started = time.monotonic()
        response = post_graphql(
            client,
            """mutation ($slug: String!) { eventUpdate(slug: $slug, input: {title: "Editor's"}) {
              __typename ... on OperationInfo { messages { code message } } } }""",
            {"slug": slug},
        )
        seconds = time.monotonic() - started
        raise psycopg.Rollback(held)
    answer = response.json()["data"]["eventUpdate"]
    assert answer == {"__typename": "OperationInfo", "messages": [{"code": "busy", "message": BUSY}]}
    lock_wait = settings.LOCK_TIMEOUT_MS / 1000
    assert lock_wait <= seconds < lock_wait + 3 < settings.WORKER_TIMEOUT_S
    assert Event.objects.get(slug=slug).title == title
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == f"{settings.STATEMENT_TIMEOUT_MS // 1000}s"
