"""One view of a record's history, its relations included, for the admin and the API.

django-simple-history writes one historical row per save of each model.
Rows of child models (participants, places, citations, treaty parties...,
declared in ``core.relations``) are their own models' history, not the
parent's, so this module merges them into the parent's revisions: adding a
participant is a change of the event. Rows of one write share its edit id
(``core.edits``), and a revision is exactly the rows of one edit: two saves a
second apart are two revisions, and a delete with its cascaded rows is one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any, NamedTuple

from django.db import models

from core.relations import relations_of

CREATED, CHANGED, DELETED = "CREATED", "CHANGED", "DELETED"
KIND = {"+": CREATED, "~": CHANGED, "-": DELETED}

# Rows written before edit ids existed (history_edit is NULL) are still folded by
# the old rule: same user and reason, moments apart.
_LEGACY_SAME_EDIT = timedelta(seconds=2)

_LABEL_BATCH = 500

# Bookkeeping columns that are never an editor's change.
_SKIP = {"id", "path", "version"}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str | None
    new: str | None


@dataclass
class Revision:
    date: datetime
    user: str | None
    kind: str
    reason: str | None
    changes: list[FieldChange] = field(default_factory=list)
    history_id: int | None = None  # the parent's historical row, where there is one
    edit: Any = None  # the edit id shared by the rows of one write (None on rows written before)


@cache
def tracked_fields(model: type[models.Model]) -> tuple[models.Field, ...]:
    # Cached per model: the changes log asks once per row of an import (issue 25).
    return tuple(
        f
        for f in model._meta.concrete_fields
        if f.name not in _SKIP
        and not f.name.endswith(("_earliest", "_latest"))
        # Computed from other fields (a search key) and not kept in history.
        and not getattr(f, "derived_from", None)
    )


class _Reader(NamedTuple):
    """What turning one tracked field's value into text needs, looked up once per model."""

    name: str
    attname: str
    label: Any  # the field's verbose name, formatted where it is shown (it may be lazy)
    boolean: bool  # a flag: at its default (False) a summary leaves it out
    related: type[models.Model] | None  # a foreign key's model: its value is shown by name
    choices: dict[Any, Any] | None  # a field with choices: its value is shown by label


def _reader(f: models.Field) -> _Reader:
    return _Reader(
        f.name,
        f.attname,
        f.verbose_name,
        isinstance(f, models.BooleanField),
        f.related_model if f.is_relation else None,
        dict(f.flatchoices) if f.choices and not f.is_relation else None,
    )


@cache
def _readers(model: type[models.Model], skip: str = "") -> tuple[_Reader, ...]:
    """The readers of ``model``'s tracked fields but ``skip``.

    Built once per model and skipped field, not once per field of each of an import's rows
    (issue 25, item 3).
    """
    return tuple(_reader(f) for f in tracked_fields(model) if f.name != skip)


@cache
def _related(model: type[models.Model]) -> tuple[tuple[str, str, type[models.Model]], ...]:
    """The tracked foreign keys of ``model``: name, attname and the model they point to."""
    return tuple((r.name, r.attname, r.related) for r in _readers(model) if r.related is not None)


class Labels:
    """Turn stored values into text an editor reads; foreign keys become names.

    All rows are registered first, so each related model costs one query. ``names`` (model ->
    id -> name) may be shared by several Labels: the names it holds are not read again (the
    changes log labels an import's records a chunk at a time). ``skipping`` registers rows that
    are only ever read with one field skipped (a child row's key to its parent, the ``skip`` of
    ``summary`` and ``field_changes``): that field's name is not read (an import's children
    would read every event's name for nothing).
    """

    def __init__(
        self,
        rows: Iterable[Any],
        *,
        names: dict[type[models.Model], dict[Any, str]] | None = None,
        skipping: Iterable[tuple[Any, str]] = (),
    ) -> None:
        self._names: dict[type[models.Model], dict[Any, str]] = {} if names is None else names
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        for row in rows:
            for _, attname, model in _related(row.instance_type):
                if (value := getattr(row, attname)) is not None:
                    wanted[model].add(value)
        for row, skip in skipping:
            for name, attname, model in _related(row.instance_type):
                if name != skip and (value := getattr(row, attname)) is not None:
                    wanted[model].add(value)
        for model, ids in wanted.items():
            names = self._names.setdefault(model, {})
            listed = sorted(ids - names.keys())
            # In slices: an import's changes name tens of thousands (SQLite caps bound parameters).
            for start in range(0, len(listed), _LABEL_BATCH):
                chunk = listed[start : start + _LABEL_BATCH]
                names.update((o.pk, str(o)) for o in model._base_manager.filter(pk__in=chunk))

    def text(self, row: Any, f: models.Field) -> str | None:
        return self._shown(getattr(row, f.attname) if row is not None else None, _reader(f))

    def _shown(self, value: Any, reader: _Reader) -> str | None:
        """``value`` of the field ``reader`` reads, as text; None for no value.

        ``summary`` and ``changed`` do the same inline (a call per field of every row an
        import logs was a fifth of their time): a change here is a change there.
        """
        if value is None or value == "" or value == []:
            return None
        if (related := reader.related) is not None:
            return self._names[related].get(value, f"#{value} (deleted)")
        if (choices := reader.choices) is not None:
            return str(choices.get(value, value))
        return str(value)

    def summary(self, row: Any, skip: str) -> str:
        """One line describing a child row, e.g. 'role: Speaker; person: Oleksandr Syrskyi'."""
        parts = []
        names = self._names
        for _, attname, label, boolean, related, choices in _readers(row.instance_type, skip):
            value = getattr(row, attname)
            # No value; or a flag at its default, which says nothing about the row ("no end: False").
            if value is None or value == "" or value == [] or (value is False and boolean):
                continue
            if related is not None:  # as _shown
                text = names[related].get(value, f"#{value} (deleted)")
            elif choices is not None:
                text = str(choices.get(value, value))
            else:
                text = str(value)
            parts.append(f"{label}: {text}")
        return "; ".join(parts)

    def changed(self, previous: Any, row: Any, *, skip: str = "", prefix: str = "") -> list[list[Any]]:
        """The fields (but ``skip``) that read differently in ``row`` than in ``previous``, each as
        ``[prefix + name, old text, new text]``; ``previous`` None: a new row, every field it has."""
        readers = _readers(row.instance_type, skip)
        if previous is not None:
            shown = self._shown
            changes = []
            for reader in readers:
                old, new = (
                    shown(getattr(previous, reader.attname), reader),
                    shown(getattr(row, reader.attname), reader),
                )
                if old != new:
                    changes.append([f"{prefix}{reader.name}", old, new])
            return changes
        changes = []
        names = self._names
        # A new row, as most of an import's: its fields with a value, read as _shown does.
        for name, attname, _, _, related, choices in readers:
            value = getattr(row, attname)
            if value is None or value == "" or value == []:
                continue
            if related is not None:
                text = names[related].get(value, f"#{value} (deleted)")
            elif choices is not None:
                text = str(choices.get(value, value))
            else:
                text = str(value)
            changes.append([f"{prefix}{name}", None, text])
        return changes


def _username(row: Any) -> str | None:
    user = row.history_user
    return user.get_username() if user is not None else None


def field_changes(
    previous: Any, row: Any, labels: Labels, *, skip: str = "", prefix: str = ""
) -> list[FieldChange]:
    return [FieldChange(*c) for c in labels.changed(previous, row, skip=skip, prefix=prefix)]


def _own_revisions(rows: list[Any], labels: Labels) -> list[Revision]:
    """Revisions from one record's historical rows, oldest first."""
    revisions = []
    previous = None
    for row in rows:
        kind = KIND[row.history_type]
        changes = [] if kind == DELETED else field_changes(previous, row, labels)
        revisions.append(
            Revision(
                row.history_date,
                _username(row),
                kind,
                row.history_change_reason or None,
                changes,
                row.history_id,
                row.history_edit,
            )
        )
        previous = row
    return revisions


def _child_revisions(rows: list[Any], labels: Labels, name: str, parent_fk: str) -> list[Revision]:
    """Each child row becomes a change of the parent's ``name`` relation."""
    revisions = []
    previous_of: dict[Any, Any] = {}
    for row in rows:
        kind = KIND[row.history_type]
        if kind == CREATED:
            changes = [FieldChange(name, None, labels.summary(row, parent_fk))]
        elif kind == DELETED:
            changes = [FieldChange(name, labels.summary(row, parent_fk), None)]
        else:
            previous = previous_of.get(row.id)
            changes = field_changes(previous, row, labels, skip=parent_fk, prefix=f"{name}.")
        previous_of[row.id] = row
        if changes:
            revisions.append(
                Revision(
                    row.history_date,
                    _username(row),
                    CHANGED,
                    row.history_change_reason or None,
                    changes,
                    edit=row.history_edit,
                )
            )
    return revisions


def _fold(into: Revision, rev: Revision) -> None:
    into.changes.extend(rev.changes)
    if rev.kind == DELETED:
        into.kind = DELETED
    elif rev.kind == CREATED and into.kind != DELETED:
        into.kind = CREATED
    into.history_id = into.history_id or rev.history_id
    into.reason = into.reason or rev.reason
    into.user = into.user or rev.user


def _legacy_same_edit(last: Revision, rev: Revision) -> bool:
    """The old time-window rule, for rows without an edit id."""
    return (
        last.edit is None
        and rev.edit is None
        and last.user == rev.user
        and last.reason == rev.reason
        and rev.date - last.date <= _LEGACY_SAME_EDIT
        and last.kind != DELETED
        and rev.kind != CREATED
        and not (last.history_id and rev.history_id)
    )


def _merge(revisions: Iterable[Revision]) -> list[Revision]:
    """Fold the revisions of one edit (one edit id) into one, oldest first."""
    merged: list[Revision] = []
    by_edit: dict[Any, Revision] = {}
    for rev in sorted(revisions, key=lambda r: r.date):
        if rev.edit is not None and (into := by_edit.get(rev.edit)) is not None:
            _fold(into, rev)
            continue
        last = merged[-1] if merged else None
        if last is not None and _legacy_same_edit(last, rev):
            _fold(last, rev)
            continue
        merged.append(rev)
        if rev.edit is not None:
            by_edit[rev.edit] = rev
    return merged


def _history_rows(model: type[models.Model], **lookup: Any) -> list[Any]:
    return list(
        model.history.filter(**lookup)  # type: ignore[attr-defined]
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )


def revisions_for(instance: models.Model) -> list[Revision]:
    """Return the record's revisions, oldest first, with relation changes folded in."""
    return revisions_by_record(type(instance), [instance.pk])[instance.pk]


def revisions_by_record(model: type[models.Model], pks: list[Any]) -> dict[Any, list[Revision]]:
    """Return each record's revisions, as :func:`revisions_for` does, in one query per history
    table and related model whatever the number of records (an Atom feed's 50 entries)."""
    own_rows = _history_rows(model, id__in=pks)
    children = [
        (
            _history_rows(r.child_model, **{f"{r.parent_attname}__in": pks}),
            r.parent_key,
            r.name,
            r.parent_attname,
        )
        for r in relations_of(model)
    ]
    labels = Labels([*own_rows, *(row for rows, _, _, _ in children for row in rows)])
    own_of: dict[Any, list[Any]] = defaultdict(list)
    for row in own_rows:
        own_of[row.id].append(row)
    by_record = {}
    for pk in pks:
        revisions = _own_revisions(own_of[pk], labels)
        for rows, fk, name, attname in children:
            mine = [row for row in rows if getattr(row, attname) == pk]
            revisions.extend(_child_revisions(mine, labels, name, fk))
        by_record[pk] = _merge(revisions)
    return by_record
