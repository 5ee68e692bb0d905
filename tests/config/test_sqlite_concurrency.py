"""The default SQLite database serves concurrent editors: no write fails as "database is locked"."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's locking only; PostgreSQL has row locks",
)


def test_200_concurrent_event_updates_from_8_editors_all_succeed(tmp_path: Path) -> None:
    # Issue 13: before WAL and immediate transactions, 169 of 200 failed as `Unexpected error.`.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'editors.sqlite3'}", "DEBUG": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "tests.config.concurrent_editors"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["journal"] == "wal"
    assert report.get("error", 0) == 0, report["failures"]
    assert report.get("ok", 0) + report.get("conflict", 0) == 200
    # Every success is in the history, and nothing else is.
    assert report["history_rows"] == report["ok"]
    assert "database is locked" not in result.stderr
