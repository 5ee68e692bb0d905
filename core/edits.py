"""One write, one id: the context every service runs in.

``edit(actor=…, reason=…)`` opens the transaction of one write (an admin save,
a mutation, an import run) and gives it an id. While it is open, every
historical row django-simple-history makes — saves, deletes, rows removed by
CASCADE, bulk inserts through ``core.services`` — gets that id, the acting
user and the reason, unless the row was tagged otherwise (an import names each
record's seed file). Nested calls join the outer edit, so a service that calls
another stays one revision.

``committed`` is sent once per edit after its transaction commits: the one
place to hang caches or data versions that every write must bump. ``keep_derived`` registers
what must follow the written rows *inside* the transaction (derived tables such as the
overview's memberships, events.memberships): called once per edit with every historical row it
wrote, and once per row for a save outside any edit.
"""

from __future__ import annotations

import functools
import uuid
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.dispatch import Signal, receiver
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from core import limits
from core.gcpause import gc_paused
from core.history import CLOSING_TYPES, close_superseded
from core.locks import is_lock_timeout
from core.validators import text_problem

BUSY = (
    "Another write (an import, or another editor's save) is holding these rows; "
    "nothing was saved. Try again in a moment."
)

committed = Signal()  # sent with edit=<Edit> after the edit's transaction commits

# Called inside the writing transaction with the historical rows written (see keep_derived).
_keepers: list[Callable[[Iterable[Any]], None]] = []


def keep_derived(keeper: Callable[[Iterable[Any]], None]) -> None:
    """Have ``keeper`` follow every write: at the end of each edit with all the rows it wrote (set-based,
    once), and after each historical row saved outside an edit (the shell, tests' factories).

    Writes that make no historical row (raw SQL, COPY, migrations) are not seen: the keeper's
    owner documents how to rebuild after them. Registered once, from an app's ``ready``.
    """
    if keeper not in _keepers:
        _keepers.append(keeper)


class WrittenRows:
    """The historical rows one edit wrote, in order, each kept as a compact tuple (issue 25, item 3).

    The changes log reads them at the edit's end by attribute (``row.history_type``,
    ``row.person_id``…), as it read simple-history's instances; an import writes two hundred
    thousand, and a dict of every column each (~0.8 KB a row) was 165 MB of the default import's
    peak. A row here is a named tuple of only the columns the log reads (``row_class``), about a
    fifth of that; the rows that close earlier ones (``~``, ``-``) are remembered by record id for
    ``core.history.close_superseded``.
    """

    def __init__(self) -> None:
        self._rows: list[tuple[Any, ...]] = []
        self._closing: dict[type[Any], dict[Any, Any]] = {}  # history model -> record id -> earliest row

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._rows)

    def add_many(self, history: type[Any], names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Keep rows a bulk insert wrote: ``history``'s rows as sequences of the values of ``names``
        (no dict a row)."""
        cls = row_class(history)
        take = itemgetter(*[names.index(name) for name in cls._fields])
        append = self._rows.append
        for values in rows:
            row = tuple.__new__(cls, take(values))
            append(row)
            if row.history_type in CLOSING_TYPES:
                self._close(history, row)

    def add_instance(self, history_instance: Any) -> None:
        """Keep a row simple-history saved (its historical model instance)."""
        history = type(history_instance)
        cls = row_class(history)
        row = tuple.__new__(cls, attrgetter(*cls._fields)(history_instance))
        self._rows.append(row)
        if row.history_type in CLOSING_TYPES:
            self._close(history, row)

    def _close(self, history: type[Any], row: Any) -> None:
        first = self._closing.setdefault(history, {})
        if row.id not in first or row.history_date < first[row.id].history_date:
            first[row.id] = row

    def closing(self) -> list[Any]:
        """The rows superseding earlier ones, a record's earliest only (``close_superseded`` reads them)."""
        return [row for first in self._closing.values() for row in first.values()]


# The historical row's own columns the changes log reads, before the record's tracked fields.
_HISTORY_COLUMNS = ("history_type", "history_date", "history_user_id", "history_change_reason", "id")


@functools.cache
def row_class(history: type[Any]) -> type[tuple[Any, ...]]:
    """The named tuple holding what the changes log reads of a row of ``history``.

    Its own columns, the fields revisions compare (``core.revisions.tracked_fields``) and the
    keys of the child relations the row may belong to; ``instance_type`` and ``_history_model``
    as on simple-history's rows.
    """
    from core.relations import all_relations
    from core.revisions import tracked_fields

    instance_type = history.instance_type
    label = instance_type._meta.label_lower
    names = [*_HISTORY_COLUMNS, *(f.attname for f in tracked_fields(instance_type))]
    names += [r.parent_attname for r in all_relations() if r.model == label]
    cls = namedtuple(f"{history.__name__}Row", list(dict.fromkeys(names)))  # type: ignore[misc]
    cls.instance_type = instance_type  # type: ignore[attr-defined]
    cls._history_model = history  # type: ignore[attr-defined]
    return cls


def history_model(row: Any) -> type[Any]:
    """The historical model of a row an edit wrote (a ``WrittenRows`` tuple or simple-history's instance)."""
    return getattr(type(row), "_history_model", None) or type(row)


@dataclass
class Edit:
    """The acting user, reason and id shared by every row one write touches."""

    actor: Any | None
    reason: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    # The historical rows this edit wrote, in order: the changes log reads them (core.changelog).
    rows: WrittenRows = field(default_factory=WrittenRows)

    def history_attrs(self) -> dict[str, Any]:
        """Keyword arguments for simple-history's bulk helpers."""
        return {
            "default_user": self.actor,
            "default_change_reason": self.reason,
            "custom_historical_attrs": {"history_edit": self.id},
        }


_current: ContextVar[Edit | None] = ContextVar("chancery_edit", default=None)


def current_edit() -> Edit | None:
    """Return the edit in progress, if any."""
    return _current.get()


def _signed_in(actor: Any | None) -> Any | None:
    # The anonymous user of a request is nobody: history shows no user then.
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@contextmanager
def edit(*, actor: Any | None, reason: str | None = None) -> Iterator[Edit]:
    """Run one write atomically under one edit id; inside an edit already, join it."""
    outer = _current.get()
    if outer is not None:
        with transaction.atomic():
            yield outer
        return
    if reason and (problem := text_problem(reason, limit=limits.REASON)):
        # Checked before anything is written: the reason goes on every row the edit touches.
        raise ValidationError({"reason": [ValidationError(problem, code="invalid_text")]})
    current = Edit(actor=_signed_in(actor), reason=(reason or "").strip())
    token = _current.set(current)
    try:
        # No cyclic collection while the write makes its rows, history and log (core.gcpause):
        # half an import's write was the collector walking what the import holds.
        with gc_paused(), transaction.atomic():
            yield current
            # The rows this edit superseded stop being current when its rows start (core.history).
            close_superseded(current.rows.closing())
            # Derived tables follow the rows, in the same transaction (events.memberships).
            for keeper in _keepers:
                keeper(current.rows)
            # Last thing before the commit, under the lock every write holds (core.changelog).
            from core.changelog import record_changes

            record_changes(current)
            transaction.on_commit(lambda: committed.send(sender=Edit, edit=current))
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise
        # Rows held by another write (an import, another editor) past the lock timeout:
        # nothing of this write was kept (core.locks).
        raise ValidationError(BUSY, code="busy") from error
    finally:
        _current.reset(token)


@receiver(pre_create_historical_record)
def _stamp(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """Give a historical row the edit's id, and its user and reason where the row has none."""
    current = _current.get()
    if current is None:
        return
    history_instance.history_edit = current.id
    if history_instance.history_user_id is None and current.actor is not None:
        history_instance.history_user = current.actor
    if not history_instance.history_change_reason and current.reason:
        history_instance.history_change_reason = current.reason
    current.rows.add_instance(history_instance)


@receiver(post_create_historical_record)
def _close_outside_edit(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """Close the row a save outside any edit superseded (inside one, the edit closes its rows at once)."""
    if _current.get() is None:
        close_superseded([history_instance])
        for keeper in _keepers:
            keeper([history_instance])
