"""Two writers at once: imports never interleave, nobody waits for minutes behind another (issue 8).

The PostgreSQL tests hold locks from a second connection of their own (the seeded rows
are committed, so it sees them) and assert what the test's connection finds afterwards.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError, connection

from core.edits import BUSY
from core.errors import SeedError
from events.models import Event
from events.services import event_update
from seeds.importer import seeds_import
from seeds.importer.locking import IMPORT_LOCK, SQLITE_BUSY, busy_message
from seeds.management.commands.import_seeds import Command
from tests.seeds.conftest import ARTICLE_TEXT, ARTICLE_YAML

pytestmark = pytest.mark.django_db
SLUG = "chervona-zirka-capture-claim"
TITLE = "Russia claims the capture of Chervona Zirka"
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and advisory locks are PostgreSQL's"
)


@pytest.fixture
def other() -> Iterator[psycopg.Connection]:
    """A second connection to the test database, as another process would have."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    params.pop("prepare_threshold", None)
    with psycopg.connect(**params, autocommit=True) as conn:
        yield conn


@pytest.fixture
def changed(tmp_path: Path) -> Path:
    """The seed article with one event's title changed, as a new version of the file."""
    shutil.copy(ARTICLE_TEXT, tmp_path / ARTICLE_TEXT.name)
    text = ARTICLE_YAML.read_text(encoding="utf-8").replace(f"title: {TITLE}", "title: Changed by the file")
    path = tmp_path / ARTICLE_YAML.name
    path.write_text(text, encoding="utf-8")
    return path


@postgres_only
def test_a_second_import_fails_clearly_while_one_holds_the_lock(
    other: psycopg.Connection, changed: Path, settings: object
) -> None:
    settings.IMPORT_WAIT_MS = 200
    other.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    try:
        with pytest.raises(SeedError) as raised:
            seeds_import(paths=[changed])
    finally:
        other.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])
    assert raised.value.problems == [
        "Another import_seeds is writing to this database; waited 0.2 s for it to finish. "
        "Nothing was written: run again once it has finished."
    ]
    assert Event.objects.get(slug=SLUG).title == TITLE


@postgres_only
def test_a_second_import_waits_for_the_first_then_runs(
    other: psycopg.Connection, changed: Path, settings: object
) -> None:
    settings.IMPORT_WAIT_MS = 10_000
    other.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    release = threading.Timer(0.5, lambda: other.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK]))
    release.start()
    try:
        seeds_import(paths=[changed])
    finally:
        release.join()
    assert Event.objects.get(slug=SLUG).title == "Changed by the file"


@postgres_only
def test_an_import_behind_an_editors_row_lock_fails_fast_and_writes_nothing(
    other: psycopg.Connection, changed: Path, settings: object
) -> None:
    settings.LOCK_TIMEOUT_MS = 200
    with other.transaction():
        other.execute("SELECT id FROM events_event WHERE slug = %s FOR UPDATE", [SLUG])
        with pytest.raises(SeedError) as raised:
            seeds_import(paths=[changed])
    assert raised.value.problems == [
        "An editor's save (or another write) held rows this import writes for over 0.2 s; "
        "nothing was written. Run the import again in a moment."
    ]
    assert Event.objects.get(slug=SLUG).title == TITLE


@postgres_only
def test_a_dry_run_needs_neither_the_import_lock_nor_the_rows_an_editor_holds(
    other: psycopg.Connection, changed: Path, settings: object
) -> None:
    """A dry run wrote and rolled back, holding what a real import holds (issue 19, item 10).

    Now it only reads: it runs beside a real import (the advisory lock held) and beside an
    editor's save in progress (the event's row locked), and neither waits for the other.
    """
    settings.IMPORT_WAIT_MS = settings.LOCK_TIMEOUT_MS = 200
    other.execute("SELECT pg_advisory_lock(%s)", [IMPORT_LOCK])
    try:
        with other.transaction() as editors_save:
            other.execute("UPDATE events_event SET summary = 'an editor' WHERE slug = %s", [SLUG])
            out = StringIO()
            # Returns while the editor's save holds the row: the dry run waited for nothing.
            call_command("import_seeds", str(changed), "--dry-run", stdout=out)
            raise psycopg.Rollback(editors_save)  # committed rows would outlive this test
    finally:
        other.execute("SELECT pg_advisory_unlock(%s)", [IMPORT_LOCK])
    assert Command.DRY_RUN in out.getvalue()
    assert "events.Event" in out.getvalue()
    assert Event.objects.get(slug=SLUG).title == TITLE


@postgres_only
def test_an_editors_save_behind_held_rows_says_busy_and_changes_nothing(other: psycopg.Connection) -> None:
    event = Event.objects.get(slug=SLUG)
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', '200ms', true)")
    with other.transaction():
        other.execute("SELECT id FROM events_event WHERE slug = %s FOR UPDATE", [SLUG])
        with pytest.raises(ValidationError) as raised:
            event_update(actor=None, reason="mine", event=event, fields={"title": "Editor's title"})
    assert raised.value.messages == [BUSY]
    assert Event.objects.get(slug=SLUG).title == TITLE


def test_every_app_connection_bounds_its_lock_waits() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] != "0"
    else:
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_sqlites_locked_database_gets_the_imports_message(settings: object) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's message")
    error = OperationalError("database is locked")
    assert busy_message(error) == SQLITE_BUSY.format(seconds=5)  # the lock wait of the budget
    assert busy_message(OperationalError("no such table: x")) is None
