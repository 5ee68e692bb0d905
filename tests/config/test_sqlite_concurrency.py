"""The default SQLite database serves concurrent editors: no write fails as "database is locked"."""

from pathlib import Path

import pytest
from django.conf import settings

from tests.config import sqlite_script_report

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's locking only; PostgreSQL has row locks",
)


def test_200_concurrent_event_updates_from_8_editors_all_succeed(tmp_path: Path) -> None:
    # Issue 13: before WAL and immediate transactions, 169 of 200 failed as `Unexpected error.`.
    report, stderr = sqlite_script_report("tests.config.concurrent_editors", tmp_path / "editors.sqlite3")
    assert report["journal"] == "wal"
    assert report.get("error", 0) == 0, report["failures"]
    assert report.get("ok", 0) + report.get("conflict", 0) == 200
    # Every success is in the history, and nothing else is.
    assert report["history_rows"] == report["ok"]
    assert "database is locked" not in stderr
