"""An import's ``COPY``s sent by a thread of their own while it builds its next rows (issue 25, item 3).

On PostgreSQL the server's part of an import's write (storing each ``COPY``'s rows, their
indexes and foreign-key checks) ran *after* the client's part of each batch, never beside it:
the client built a batch, sent it, waited for the server, built the next. ``overlapped()``
gives the write a writer thread that owns the sending: ``core.services.statements._copy``
queues each ``COPY`` (its rows prepared, its ids drawn) and returns at once; the main thread
builds the next rows while the server stores the last. psycopg releases the GIL while it waits
on the socket, so on two cores the server's work and the client's Python run side by side.

One connection, one transaction, one order of statements:

- The queue is run in order on the write's own connection (the writer's cursor is psycopg's,
  on Django's connection), so the server sees exactly the statements it saw before, in the same
  order, inside the same transaction.
- Every other statement the main thread sends (a read, an ``UPDATE``, a savepoint's rollback)
  goes through Django's cursor, where an execute wrapper makes it a *barrier*: it waits until
  the queue is empty, so a read sees every row queued before it and no two statements ever
  share the connection at once. A ``SAVEPOINT`` or ``RELEASE SAVEPOINT`` returns nothing
  anyone reads: it is queued in its place instead (each service's batch is an atomic block; a
  barrier at each block's end would wait for the batch's last ``COPY`` every batch).
- New ids come from the tables' sequences on a second connection (``ids``), opened for the
  write and closed after it. A sequence is outside every transaction by design (``nextval`` is
  never rolled back, and other sessions draw from it meanwhile all the same), so drawing there
  gives the same ids, in the same order, as drawing on the write's connection would, without
  waiting for the queue. The same connection reads the catalog (a table's sequence and column
  types, read once per table).
- The write's deferred foreign-key checks (Django makes every foreign key ``DEFERRABLE
  INITIALLY DEFERRED``) are made immediate for the write (``SET CONSTRAINTS ALL IMMEDIATE``):
  each ``COPY`` checks its own rows, in the writer thread, beside the client's work, instead of
  all ~440,000 checks at the commit while nothing else runs (0.9 s of the 20,000-event bench).
  The services write parents before children (a record, then its child rows, then history;
  treaties a level at a time), which immediate checks need; a ``COPY``'s rows are checked at
  its end, so rows of one statement may refer to each other in any order. The constraints are
  deferred again when the write ends, as the transaction started.

A failure is the write's, whichever thread meets it: an error in the writer (a row the server
refuses) stops the queue (what follows is not sent) and is raised in the main thread at its
next barrier or when the write ends, as Django's error class naming the statement that failed;
an error in the main thread (a lookup that misses while building a batch) drops what is still
queued and waits for the statement under way. Either way the thread is joined before the
exception leaves ``overlapped()``, and the caller's atomic block rolls the transaction back:
nothing is half-written.

SQLite keeps its one connection and its path: it has no server to overlap with.
"""

from __future__ import annotations

import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, utils
from psycopg._copy_base import BinaryFormatter, Formatter, TextFormatter
from psycopg.adapt import Transformer

Job = Callable[[Any], None]  # run with the writer's cursor

# Statements whose result nobody reads: queued in order, not waited for.
_QUEUED = ("SAVEPOINT ", "RELEASE SAVEPOINT ")


class Pipeline:
    """A writer thread running queued statements in order on ``db``'s connection (see the module)."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self._queue: queue.Queue[tuple[str, Job] | None] = queue.Queue()
        self._failed: tuple[str, BaseException] | None = None
        self._dropping = False
        self._ids: Any = None
        self._thread = threading.Thread(target=self._run, name="chancery-copy-writer", daemon=True)

    # -- the main thread's side -------------------------------------------------------------

    def start(self) -> None:
        # The write's rows are formatted as COPY data in this thread (copy_data), by psycopg's own
        # formatters and the connection's adapters, read here while the connection is idle.
        # Two: set_dumper_types fixes the binary one's dumpers per COPY; text dumps each value by type.
        self._binary, self._text = Transformer(self.db.connection), Transformer(self.db.connection)
        self._encoding = self._binary.encoding
        assert self._text.encoding == self._encoding  # read now, not while the writer uses the connection
        # Its own session, not one of a pool: opened and closed with the write.
        self._ids = self.db.Database.connect(**self.db.get_connection_params(), autocommit=True)
        # Taken here: Django's connections are each thread's own, the writer's would be another.
        self._connection = self.db.connection
        self._thread.start()

    def submit(self, what: str, job: Job) -> None:
        """Queue ``job`` (named ``what`` for an error's message); raise the writer's error if it failed."""
        self._raise_failure()
        self._queue.put((what, job))

    def checks(self, when: str, what: str) -> None:
        """Queue ``SET CONSTRAINTS ALL <when>`` (``IMMEDIATE`` or ``DEFERRED``), named ``what``."""
        sql = f"SET CONSTRAINTS ALL {when}"
        self.submit(what, lambda cursor: cursor.execute(sql))

    def barrier(self) -> None:
        """Wait until every queued statement ran; raise the writer's error if one failed."""
        self._queue.join()
        self._raise_failure()

    def copy_data(self, types: list[int] | None, rows: list[list[Any]]) -> bytes:
        """``rows`` as one ``COPY``'s data: binary with ``types`` (oids), else text.

        Formatted here, in the main thread, by psycopg's own formatters (what ``Copy.write_row``
        runs): the writer thread then needs the GIL only to start, write and end each ``COPY``,
        not after every 32 kB it sends, and the CPU is the same either side.
        """
        formatter: Formatter
        if types is not None:
            formatter = BinaryFormatter(self._binary)
            self._binary.set_dumper_types(types, formatter.format)
        else:
            formatter = TextFormatter(self._text, encoding=self._encoding)
        parts = [formatter.write_row(row) for row in rows]
        parts.append(formatter.end())
        return b"".join(parts)

    def ids_cursor(self) -> Any:
        """A cursor on the second connection, for sequences and the catalog (not the write's rows)."""
        return self._ids.cursor()

    def stop(self, *, failed: bool) -> None:
        """End the thread: after every queued statement ran (``failed`` False), or dropping those
        not started (the main thread failed). Always joins; closes the second connection."""
        if failed:
            self._dropping = True
        self._queue.put(None)
        self._thread.join()
        if self._ids is not None:
            self._ids.close()

    def wrapper(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        """Django's execute wrapper for the write's connection: queue a savepoint's statements,
        make every other statement a barrier."""
        # Under DEBUG's query log a savepoint runs in place: the log takes a statement's text from
        # the cursor that ran it, and a queued one would be logged without its text.
        if not many and not params and sql.startswith(_QUEUED) and not self.db.queries_logged:
            self.submit(sql, lambda cursor: cursor.execute(sql))
            return None
        if sql.startswith("ROLLBACK TO SAVEPOINT"):
            # Unwinding an atomic block after an error: what was queued runs first, as it would
            # have run before it (its savepoint among it), and a writer's error is not raised
            # again here, over the one unwinding; it stays, and fails the write at its end.
            self._queue.join()
            return execute(sql, params, many, context)
        self.barrier()
        return execute(sql, params, many, context)

    def _raise_failure(self) -> None:
        if self._failed is None:
            return
        what, error = self._failed
        raise _django_error(error)(f"The import's write failed in {what}: {error}") from error

    # -- the writer thread --------------------------------------------------------------------

    def _run(self) -> None:
        try:
            cursor = self._connection.cursor()  # psycopg's own cursor on the write's connection
        except BaseException as error:  # every job is then skipped, and the error raised at a barrier
            cursor, self._failed = None, ("the writer's cursor", error)
        while (item := self._queue.get()) is not None:
            try:
                if cursor is not None and self._failed is None and not self._dropping:
                    what, job = item
                    try:
                        job(cursor)
                    except BaseException as error:  # kept for the main thread, which raises it
                        self._failed = (what, error)
            finally:
                self._queue.task_done()
        self._queue.task_done()  # the stop
        if cursor is not None:
            cursor.close()


def _django_error(error: BaseException) -> type[Exception]:
    """Django's class for a driver's error (as ``DatabaseErrorWrapper`` maps it); else a DatabaseError."""
    import psycopg

    for name in ("DataError", "OperationalError", "IntegrityError", "InternalError", "ProgrammingError"):
        if isinstance(error, getattr(psycopg, name)):
            return getattr(utils, name)  # type: ignore[no-any-return]
    return utils.DatabaseError


# The interpreter's switch interval while a write overlaps (the default is 5 ms). Each time the
# writer thread's socket is ready (the server wants a COPY's data, or has stored it) the thread
# needs the GIL back from the main thread, which gives it up only after this long; meanwhile the
# server waits. At 5 ms the server sat idle 0.6-0.8 s of the 20,000-event bench's 3.3-4.4 s of
# COPYs; at 0.5 ms about 0.25 s (/proc schedstat of its backend: CPU and run-queue wait against
# the COPYs' wall). Set for the write only, and set back.
SWITCH_INTERVAL = 0.0005

_ACTIVE: dict[int, Pipeline] = {}  # by the Django connection's id: the write that has one


def active(db: Any) -> Pipeline | None:
    """The pipeline of the write under way on ``db`` (in this thread's connection), if any."""
    return _ACTIVE.get(id(connections[db.alias]))


@contextmanager
def checks_deferred(db: Any) -> Iterator[None]:
    """Inside an overlapped write, foreign keys checked at the block's end instead of per statement.

    For Django's deletions: its collector does not order the rows of a *nullable* foreign key
    after their parent's (a role's citations may go after the role); it counts on the checks
    being deferred, as Django makes every constraint. Immediate again after the block, which
    checks what it deferred. Elsewhere the constraints are deferred already: it does nothing.
    """
    pipe = active(db)
    if pipe is None:
        yield
        return
    pipe.checks("DEFERRED", "SET CONSTRAINTS")
    yield
    pipe.checks("IMMEDIATE", "the deletion's foreign-key checks")


@contextmanager
def overlapped(db: Any) -> Iterator[Pipeline | None]:
    """Run the block's ``COPY``s in a writer thread on PostgreSQL (see the module); call inside
    the write's atomic block. Elsewhere, or inside another such block, it does nothing."""
    db = connections[db.alias]  # the wrapper itself, not django.db.connection's proxy
    if db.vendor != "postgresql" or id(db) in _ACTIVE or not db.in_atomic_block:
        yield None
        return
    pipe = Pipeline(db)
    db.ensure_connection()
    pipe.start()
    switch = sys.getswitchinterval()
    sys.setswitchinterval(min(switch, SWITCH_INTERVAL))
    _ACTIVE[id(db)] = pipe
    ok = False
    try:
        pipe.checks("IMMEDIATE", "SET CONSTRAINTS")
        with db.execute_wrapper(pipe.wrapper):
            yield pipe
            pipe.checks("DEFERRED", "the write's foreign-key checks")
            pipe.barrier()
        ok = True
    finally:
        del _ACTIVE[id(db)]
        pipe.stop(failed=not ok)
        sys.setswitchinterval(switch)
