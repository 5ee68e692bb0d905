"""Insert, update or leave alone a batch of rows of one model, validated, with history in bulk."""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.deletion import ProtectedError, RestrictedError

from core.edits import current_edit
from core.fuzzydates import FuzzyDateField
from core.history import tag_revision
from core.services import pipeline
from core.services.bulk import insert_history, insert_rows, new_instance
from core.services.statements import default_connection
from core.services.versions import VERSION, has_version
from core.validators import check_text_fields

M = TypeVar("M", bound=models.Model)
BATCH = 500


class Outcome(enum.StrEnum):
    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DELETED = "deleted"


@dataclass(slots=True)
class Row(Generic[M]):
    """One row to write: its wanted values, the stored row it replaces (if any), where errors point."""

    values: dict[str, Any]
    existing: M | None = None
    reason: str | None = None  # this row's history reason where it differs from the edit's
    prefix: str = ""  # e.g. "participants.1": errors are keyed "participants.1.person"


@dataclass(slots=True)
class Written(Generic[M]):
    """What a write did to one record: its outcome and the fields (and relations) it changed."""

    instance: M
    outcome: Outcome
    changed: list[str] = field(default_factory=list)
    bumped: bool = False  # its version was counted up by this write


def _distinct(errors: list[ValidationError]) -> list[ValidationError]:
    """Drop repeated messages: a model's clean() and its database constraint may say the same."""
    kept: dict[str, ValidationError] = {}
    for error in errors:
        kept.setdefault(" ".join(error.messages), error)
    return list(kept.values())


def prefixed(error: ValidationError, prefix: str) -> dict[str, list[ValidationError]]:
    """Return ``error`` keyed by field, under ``prefix`` where given (e.g. 'participants.0.person')."""

    def name_of(name: str) -> str:
        if not prefix:
            return name
        return prefix if name == NON_FIELD_ERRORS else f"{prefix}.{name}"

    if not hasattr(error, "error_dict"):
        return {name_of(NON_FIELD_ERRORS): _distinct(error.error_list)}
    return {name_of(name): _distinct(errors) for name, errors in error.error_dict.items()}


def raise_collected(errors: dict[str, list[ValidationError]]) -> None:
    """Raise every collected problem at once, if there is any."""
    if errors:
        raise ValidationError(errors)


def validate_row(instance: models.Model, names: Sequence[str], *, full: bool) -> None:
    """Apply the model's rules to ``instance``: all of them (``full``), or those needing no query."""
    # Text limits, NUL and lone surrogates first (core.validators): an oversized value costs a
    # length check, not a parse.
    check_text_fields(instance)
    if full:
        instance.full_clean()
        return
    meta = instance._meta
    skip = [f.name for f in meta.concrete_fields if f.is_relation or f.name not in names]
    instance.clean_fields(exclude=skip)
    instance.clean()


def apply_changes(instance: models.Model, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``instance``; return the names of the fields whose value differs."""
    meta = instance._meta
    changed = []
    for name, value in values.items():
        f = meta.get_field(name)  # a name or an attname ("person_id")
        wanted = value.pk if isinstance(value, models.Model) else value
        if getattr(instance, f.attname) != wanted:
            setattr(instance, name, value)
            changed.append(f.name)
    return changed


def _update_fields(model: type[models.Model], names: Sequence[str]) -> list[str]:
    """The columns an update of ``names`` writes: a fuzzy date's bounds go with its text, and a
    field derived from one of them (a search key, ``derived_from``) with it."""
    columns = []
    for name in names:
        f = model._meta.get_field(name)
        columns.append(f.name)
        if isinstance(f, FuzzyDateField):
            columns += [f"{f.name}_earliest", f"{f.name}_latest"]
    columns += [f.name for f in _derived(model, names)]
    return columns


def _derived(model: type[models.Model], names: Sequence[str]) -> list[models.Field]:
    """The fields computed from any of ``names`` on save (``derived_from``, e.g. a search key)."""
    return [f for f in model._meta.concrete_fields if set(getattr(f, "derived_from", ())).intersection(names)]


def plan_rows(
    model: type[M], rows: Sequence[Row[M]], *, full: bool, checked: bool = False
) -> list[Written[M]]:
    """Apply each row's values in memory and validate them; write nothing yet.

    Every problem of every row is raised together, keyed by each row's prefix.
    ``checked``: the caller applied the model's field rules to every new row's values
    already (the importer's validate step, ``seeds.importer.validate``, checks each value
    of each record it plans with the same rules), so a new row is built as a bare instance
    (``core.services.bulk.new_instance``) and not checked a second time. Rows that change
    a stored record are validated either way.
    """
    errors: dict[str, list[ValidationError]] = {}
    written: list[Written[M]] = []
    names: dict[tuple[str, ...], list[str]] = {}  # a row's value keys (names or attnames) -> field names
    inserted = Outcome.INSERTED
    for row in rows:
        if row.existing is None and checked:
            instance = new_instance(model, row.values)
            keys = tuple(row.values)
            if (changed := names.get(keys)) is None:
                changed = names[keys] = [model._meta.get_field(n).name for n in keys]
            written.append(Written(instance, inserted, changed.copy()))
            if row.reason:  # tag_revision's part for a row with no actor of its own
                instance._change_reason = row.reason  # type: ignore[attr-defined]
            continue
        if row.existing is None:
            instance = model(**row.values)
            changed = [model._meta.get_field(name).name for name in row.values]
            outcome = Outcome.INSERTED
        else:
            instance = row.existing
            changed = apply_changes(instance, row.values)
            outcome = Outcome.UPDATED if changed else Outcome.UNCHANGED
        written.append(Written(instance, outcome, changed))
        if outcome is Outcome.UNCHANGED:
            continue
        try:
            validate_row(instance, changed, full=full)
        except ValidationError as error:
            for key, found in prefixed(error, row.prefix).items():
                errors.setdefault(key, []).extend(found)
            continue
        tag_revision(instance, actor=None, reason=row.reason)
    raise_collected(errors)
    return written


def save_planned(model: type[M], planned: Sequence[Written[M]], new: Sequence[M] = ()) -> None:
    """Insert the planned new rows and update the changed ones, history in bulk; call inside an edit.

    ``new``: bare new instances of rows a ``checked`` batch only inserts, built by the caller as
    ``plan_rows`` would (``core.services.children.sync_children``); inserted first, in order.
    """
    edit = current_edit()
    assert edit is not None, "rows are written inside core.edits.edit()"
    inserts = [*new, *(w.instance for w in planned if w.outcome is Outcome.INSERTED)]
    if inserts:
        insert_rows(model, inserts)
        insert_history(model, inserts, edit=edit, history_type="+")
    updates: dict[tuple[str, ...], list[M]] = defaultdict(list)
    for w in planned:
        if w.outcome is Outcome.UPDATED and (w.changed or w.bumped):
            names = [n for n in w.changed if _is_field(model, n)] + ([VERSION] if w.bumped else [])
            updates[tuple(sorted(names))].append(w.instance)
    for names, instances in updates.items():
        for instance in instances:
            for name in names:
                f = model._meta.get_field(name)
                if isinstance(f, FuzzyDateField):
                    f.pre_save(instance, add=False)  # bulk_update skips pre_save: fill the bounds
            for f in _derived(model, names):
                f.pre_save(instance, add=False)  # likewise: recompute what is derived from them
        model._base_manager.bulk_update(instances, _update_fields(model, names), batch_size=BATCH)
        insert_history(model, instances, edit=edit, history_type="~")


def _is_field(model: type[models.Model], name: str) -> bool:
    # A record-level outcome also lists the child relations it changed ("participants").
    return any(f.name == name for f in model._meta.concrete_fields)


def write_rows(
    model: type[M], rows: Sequence[Row[M]], *, full: bool, checked: bool = False, new: Sequence[M] = ()
) -> list[Written[M]]:
    """Insert new rows, update the fields that differ, leave the rest; return one outcome per row.

    Every row is validated before anything is written (new rows of a ``checked`` batch were,
    by the caller: see ``plan_rows``). ``new``: bare instances of more rows to insert, before
    ``rows``' (see ``save_planned``); they have no outcome here. Call inside ``core.edits.edit``.
    """
    written = plan_rows(model, rows, full=full, checked=checked)
    for w in written:
        if w.outcome is Outcome.UPDATED and has_version(model):
            bump(w)
    save_planned(model, written, new)
    return written


def bump(w: Written[Any]) -> None:
    """Count one more edit of the record (once per write)."""
    if not w.bumped:
        setattr(w.instance, VERSION, getattr(w.instance, VERSION) + 1)
        w.bumped = True


def delete_rows(instances: Sequence[models.Model], *, prefix: str = "") -> None:
    """Delete ``instances`` with their history (CASCADE rows stamped by the edit); protected ones refuse."""
    with pipeline.checks_deferred(default_connection()):
        _delete(instances, prefix)


def _delete(instances: Sequence[models.Model], prefix: str) -> None:
    for instance in instances:
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as error:
            found = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", [])
            blockers = sorted({str(obj) for obj in found})
            shown = ", ".join(blockers[:5]) + (" …" if len(blockers) > 5 else "")
            message = ValidationError(
                f"{instance} is still referred to by {len(blockers)} record(s) ({shown}); "
                "remove those first.",
                code="protected",
            )
            raise ValidationError(prefixed(message, prefix)) from None
