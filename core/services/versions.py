"""Refuse a write based on a stale read: the record's version, checked under a row lock (issue 8).

A record with a ``version`` column (events, visits, treaties, people) counts its
edits; ``core.services.rows`` counts one more for every write that changes the
record or its child lists. A single-record update or delete first calls
``claim``: it locks the record's row for the rest of the edit's transaction
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's writers already hold the
database's write lock from ``BEGIN IMMEDIATE``), reloads the row into the
caller's instance, and compares its version with the one the caller read. So
two writers that read the same version cannot both pass: the second waits for
the first's commit, then sees the new version and is refused with
``StaleVersion``, before anything is written. The reload also means the write
diffs against the row as stored now, and the version it writes is the stored
one plus one, never a stale copy's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models

M = TypeVar("M", bound=models.Model)
VERSION = "version"


class StaleVersion(ValidationError):
    """The record changed after the caller read it; the write was refused and wrote nothing.

    ``code`` is ``CONFLICT`` (the API's ``OperationMessage.code``). The attributes
    say what the editor needs to re-apply the change: the version stored now,
    who made the last change and when, and which fields and lists changed since.
    """

    code = "CONFLICT"

    def __init__(
        self,
        *,
        label: str,
        expected_version: int,
        current_version: int,
        changed_by: str | None,
        changed_at: datetime | None,
        fields_changed: list[str],
        changes: list[tuple[str, str | None, str | None]] | None = None,
    ) -> None:
        self.label = label
        self.expected_version = expected_version
        self.current_version = current_version
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.fields_changed = fields_changed
        self.changes = changes or []  # (field, old, new) as the history shows them
        super().__init__(self.describe(), code=self.code)

    def describe(self) -> str:
        """One sentence an editor reads: what is stored now, who changed it and what."""
        by = f" by {self.changed_by}" if self.changed_by else ""
        when = f" at {self.changed_at:%Y-%m-%d %H:%M} UTC" if self.changed_at else ""
        what = f" ({', '.join(self.fields_changed)})" if self.fields_changed else ""
        return (
            f"This {self.label} was changed after you read it: you read version "
            f"{self.expected_version}, it is now version {self.current_version}, last changed"
            f"{by}{when}{what}. Nothing was saved; reload it and apply your change again."
        )


def has_version(model: type[models.Model] | models.Model) -> bool:
    """Whether the model counts its edits."""
    return any(f.name == VERSION for f in model._meta.concrete_fields)


def locked(model: type[M], pk: Any) -> M | None:
    """The row ``pk`` of ``model``, locked until the edit's transaction ends (None if gone)."""
    return model._base_manager.select_for_update().filter(pk=pk).first()


def claim(instance: models.Model, *, expected_version: int | None) -> None:
    """Lock ``instance``'s row, reload it, and refuse a stale ``expected_version``; call inside an edit.

    ``expected_version=None`` skips the comparison (a caller that read nothing
    to compare), but still locks and reloads, so the version written is right.
    """
    model = type(instance)
    stored = locked(model, instance.pk)
    if stored is None:
        raise ValidationError(
            f"This {model._meta.verbose_name} was deleted after you read it; nothing was saved.",
            code="not_found",
        )
    for f in model._meta.concrete_fields:
        setattr(instance, f.attname, getattr(stored, f.attname))
    if not has_version(model) or expected_version is None:
        return
    current = getattr(stored, VERSION)
    if current != expected_version:
        raise stale(instance, expected_version=expected_version, current_version=current)


def stale(instance: models.Model, *, expected_version: int, current_version: int) -> StaleVersion:
    """Describe the edits made to ``instance`` after ``expected_version``, from its history."""
    from core.revisions import revisions_for  # the revision reader imports the models' apps

    model = type(instance)
    later = model.history.filter(  # type: ignore[attr-defined]
        **{model._meta.pk.attname: instance.pk, f"{VERSION}__gt": expected_version}
    )
    edits = {row.history_edit for row in later if row.history_edit is not None}
    ids = set(later.values_list("history_id", flat=True))
    since = [r for r in revisions_for(instance) if r.edit in edits or r.history_id in ids]
    names: list[str] = []
    changes = []
    for revision in since:
        for change in revision.changes:
            changes.append((change.field, change.old, change.new))
            name = change.field.split(".")[0]
            if name not in names:
                names.append(name)
    last: Any = since[-1] if since else None
    return StaleVersion(
        label=str(model._meta.verbose_name),
        expected_version=expected_version,
        current_version=current_version,
        changed_by=last.user if last else None,
        changed_at=last.date if last else None,
        fields_changed=names,
        changes=changes,
    )


__all__ = ["StaleVersion", "claim", "has_version", "locked", "stale"]
