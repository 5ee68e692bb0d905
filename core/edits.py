"""One write, one id: the context every service runs in.

``edit(actor=…, reason=…)`` opens the transaction of one write (an admin save,
a mutation, an import run) and gives it an id. While it is open, every
historical row django-simple-history makes — saves, deletes, rows removed by
CASCADE, bulk inserts through ``core.services`` — gets that id, the acting
user and the reason, unless the row was tagged otherwise (an import names each
record's seed file). Nested calls join the outer edit, so a service that calls
another stays one revision.

``committed`` is sent once per edit after its transaction commits: the one
place to hang caches or data versions that every write must bump.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.dispatch import Signal, receiver
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from core import limits
from core.history import close_superseded
from core.locks import is_lock_timeout
from core.validators import text_problem

BUSY = (
    "Another write (an import, or another editor's save) is holding these rows; "
    "nothing was saved. Try again in a moment."
)

committed = Signal()  # sent with edit=<Edit> after the edit's transaction commits


class HistoryRow:
    """A historical row a bulk insert wrote: its history model and column values, no model instance.

    The changes log reads an edit's rows by attribute (``row.history_type``, ``row.person_id``…),
    as it reads simple-history's instances; an import writes a hundred thousand of them, and a
    model instance each was a fifth of the write (issue 25). The values are the object's own
    attributes, so reading one costs what reading an instance's attribute costs.
    """

    def __init__(self, model: type[Any], values: dict[str, Any]) -> None:
        self.__dict__ = values
        self._history_model = model

    @property
    def instance_type(self) -> type[Any]:
        return self._history_model.instance_type


def history_model(row: Any) -> type[Any]:
    """The historical model of a row an edit wrote (a ``HistoryRow`` or simple-history's instance)."""
    return row._history_model if type(row) is HistoryRow else type(row)


@dataclass
class Edit:
    """The acting user, reason and id shared by every row one write touches."""

    actor: Any | None
    reason: str
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    # The historical rows this edit wrote, in order (HistoryRow or simple-history's instances):
    # the changes log reads them (core.changelog).
    rows: list[Any] = field(default_factory=list)

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
        with transaction.atomic():
            yield current
            # The rows this edit superseded stop being current when its rows start (core.history).
            close_superseded(current.rows)
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
    current.rows.append(history_instance)
    if history_instance.history_user_id is None and current.actor is not None:
        history_instance.history_user = current.actor
    if not history_instance.history_change_reason and current.reason:
        history_instance.history_change_reason = current.reason


@receiver(post_create_historical_record)
def _close_outside_edit(sender: Any, history_instance: Any, **kwargs: Any) -> None:
    """Close the row a save outside any edit superseded (inside one, the edit closes its rows at once)."""
    if _current.get() is None:
        close_superseded([history_instance])
