"""Waiting for locks, bounded: an edit or an import never sits for minutes behind another write (issue 8).

On PostgreSQL every app connection runs with ``lock_timeout`` (``LOCK_TIMEOUT_MS``,
config/settings.py): a statement that waits longer for a row another transaction
holds fails with SQLSTATE 55P03, and the write it belongs to is rolled back whole.
An editor's save behind an import's rows then says "busy, try again" within
seconds instead of waiting out the import (and then overwriting it). Imports take
an advisory lock first (``seeds.importer.locking``), so two never interleave.

On SQLite every write transaction takes the database's write lock as it begins
(``transaction_mode=IMMEDIATE``): writes are serialised and a second one waits up
to the connection ``timeout``, then fails as "database is locked".
"""

from __future__ import annotations

from django.db import OperationalError

LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout expired, or NOWAIT refused


def is_lock_timeout(error: BaseException) -> bool:
    """Whether ``error`` is a lock wait that ran out (PostgreSQL's 55P03, SQLite's "database is locked")."""
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == LOCK_NOT_AVAILABLE:
        return True
    return "database is locked" in str(error)
