"""One import at a time: a PostgreSQL advisory lock held for the import's transaction (issue 8).

Two ``import_seeds`` of the same files at once once left thousands of repeated
rows. Now an import, inside its transaction and before it reads anything, takes
``pg_advisory_xact_lock(IMPORT_LOCK)``, waiting at most ``IMPORT_WAIT_MS``; a
second import that cannot have it in time fails with ``ANOTHER_IMPORT`` and
writes nothing. The lock goes with the transaction, a crashed import included.
Then the statements of the import wait at most ``LOCK_TIMEOUT_MS`` for rows an
editor's save holds (``core.locks``).

On SQLite the import's transaction takes the database's write lock as it begins
(``transaction_mode=IMMEDIATE``), so a second import waits for the first and never
interleaves; past the connection timeout it fails with ``SQLITE_BUSY``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import OperationalError, connection

from core.locks import is_lock_timeout

# Any fixed 64-bit number: "chancery import" in ASCII.
IMPORT_LOCK = 0x6368616E63657279

ANOTHER_IMPORT = (
    "Another import_seeds is writing to this database; waited {seconds:g} s for it to finish. "
    "Nothing was written: run again once it has finished."
)
ROWS_BUSY = (
    "An editor's save (or another write) held rows this import writes for over {seconds:g} s; "
    "nothing was written. Run the import again in a moment."
)
SQLITE_BUSY = (
    "Another write (another import_seeds?) held the SQLite database for over {seconds:g} s; "
    "nothing was written. Run again once it has finished."
)


class ImportLocked(Exception):
    """The import lock or the rows it needs were not to be had in time; the message says which."""


def take_import_lock() -> None:
    """Take the import lock for the current transaction, waiting at most ``IMPORT_WAIT_MS``."""
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            # set_config(..., true) is SET LOCAL: back to LOCK_TIMEOUT_MS once the lock is had.
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{settings.IMPORT_WAIT_MS}ms"])
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{settings.LOCK_TIMEOUT_MS}ms"])
            # The statement timeout bounds a request within its worker's life; an import is no
            # request, and one of its batches may take longer on a big dataset (docs/deploy.md).
            cursor.execute("SELECT set_config('statement_timeout', '0', true)")
    except OperationalError as error:
        if is_lock_timeout(error):
            raise ImportLocked(ANOTHER_IMPORT.format(seconds=settings.IMPORT_WAIT_MS / 1000)) from error
        raise


def busy_message(error: BaseException) -> str | None:
    """The import's message for a lock wait that ran out while writing, or None for another error."""
    if not is_lock_timeout(error) and not _busy_validation(error):
        return None
    if connection.vendor == "sqlite":
        return SQLITE_BUSY.format(seconds=settings.DATABASES["default"]["OPTIONS"]["timeout"])
    return ROWS_BUSY.format(seconds=settings.LOCK_TIMEOUT_MS / 1000)


def _busy_validation(error: BaseException) -> bool:
    # core.edits turns a lock timeout inside an edit into ValidationError(code="busy").
    return getattr(error, "code", None) == "busy" or any(
        getattr(e, "code", None) == "busy" for e in getattr(error, "error_list", [])
    )
