"""Make the child rows of many parents equal to the lists wanted, row by identity."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from core.relations import ChildRelation
from core.relations import relation as child_relation
from core.services.bulk import new_instance
from core.services.rows import Outcome, Row, delete_rows, raise_collected, write_rows

Rows = Sequence[Mapping[str, Any]]


@dataclass(slots=True)
class ChildDiff:
    """What a sync did to one parent's rows of one relation."""

    inserted: list[models.Model] = field(default_factory=list)
    updated: list[models.Model] = field(default_factory=list)
    deleted: list[models.Model] = field(default_factory=list)
    kept: list[models.Model] = field(default_factory=list)  # the wanted rows, in the order given

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.updated or self.deleted)


def stored_rows(relation: ChildRelation, parent_ids: Sequence[Any]) -> dict[Any, list[models.Model]]:
    """Every stored row of ``relation`` under ``parent_ids``, by parent, in one query."""
    found: dict[Any, list[models.Model]] = defaultdict(list)
    rows = relation.child_model._base_manager.filter(**{f"{relation.parent_attname}__in": parent_ids})
    for row in rows.order_by("pk"):
        found[getattr(row, relation.parent_attname)].append(row)
    return found


def sync_children(
    relation: ChildRelation,
    wanted: Mapping[Any, Sequence[Mapping[str, Any]]],
    *,
    full: bool,
    reasons: Mapping[Any, str] | None = None,
    stored: Mapping[Any, list[models.Model]] | None = None,
    checked: bool = False,
) -> dict[Any, ChildDiff]:
    """Make each parent's ``relation`` rows equal ``wanted[parent_id]``; return what changed per parent.

    Rows match on the relation's identity: a matched row takes the other values
    given (an update of just those fields), a stored row not wanted is deleted,
    a wanted row not stored is inserted. A list naming one row twice is refused.
    ``checked``: the new rows' values were validated by the caller (``plan_rows``).
    """
    stored = stored if stored is not None else stored_rows(relation, list(wanted))
    reasons = reasons or {}
    model = relation.child_model
    names = {f.name for f in relation.value_fields}
    errors: dict[str, list[ValidationError]] = {}
    rows: list[Row[models.Model]] = []  # the rows matching a stored one, or new but not ``checked``
    # Rows only inserted (new, ``checked``) are built straight from their values, with no Row or
    # plan of their own (issue 25, item 3). A parent with no stored rows has only such rows: they
    # are its list as they come. For the others, ``order`` keeps each wanted row's place: its
    # parent's diff and its new instance, or None for the next of ``rows``' outcomes.
    new: list[models.Model] = []
    order: list[tuple[ChildDiff, models.Model | None]] = []
    diffs: dict[Any, ChildDiff] = {}
    doomed: list[models.Model] = []
    own_keys: dict[tuple[str, ...], list[str]] = {}  # a row's keys -> those naming the child's own fields
    parent_attname, key_of = relation.parent_attname, relation.key_of_values
    for parent_id, values_list in wanted.items():
        diff = diffs[parent_id] = ChildDiff()
        reason = reasons.get(parent_id)
        current: dict[Hashable, models.Model] = {}
        repeats: list[models.Model] = []
        for row in stored.get(parent_id, ()):
            # A row repeating an older sibling (stored before the identity constraints)
            # goes: the list converges to exactly the rows wanted.
            if current.setdefault(relation.key_of_row(row), row) is not row:
                repeats.append(row)
        direct = checked and not current
        seen: set[Hashable] = set()
        for index, values in enumerate(values_list):
            key = key_of(values)
            if key in seen:
                errors.setdefault(f"{relation.name}.{index}", []).append(
                    ValidationError("This entry repeats an earlier one.", code="duplicate")
                )
                continue
            seen.add(key)
            keys = tuple(values)
            if (mine := own_keys.get(keys)) is None:
                mine = own_keys[keys] = [n for n in keys if _name(model, n) in names]
            own = dict(values) if len(mine) == len(keys) else {n: values[n] for n in mine}
            existing = current.pop(key, None) if current else None
            if existing is None:
                own[parent_attname] = parent_id
                if checked:  # what plan_rows does with such a row (a bare instance), here at once
                    instance = new_instance(model, own)
                    if reason:
                        instance._change_reason = reason  # type: ignore[attr-defined]
                    new.append(instance)
                    if direct:
                        diff.kept.append(instance)
                        diff.inserted.append(instance)
                    else:
                        order.append((diff, instance))
                    continue
            rows.append(Row(own, existing, reason, f"{relation.name}.{index}"))
            order.append((diff, None))
        doomed_here = repeats + list(current.values())
        diff.deleted = doomed_here
        doomed.extend(doomed_here)
    raise_collected(errors)
    written = write_rows(model, rows, full=full, checked=checked, new=new)
    # Deletes last, as an editor reads a revision: what changed, then what went. A row
    # leaving never shares an identity constraint with one arriving (it would match).
    for instance in doomed:
        reason = reasons.get(getattr(instance, parent_attname))
        if reason:
            instance._change_reason = reason  # type: ignore[attr-defined]
    delete_rows(doomed, prefix=relation.name)
    outcomes = iter(written)
    for diff, inserted in order:
        if inserted is not None:
            diff.kept.append(inserted)
            diff.inserted.append(inserted)
            continue
        result = next(outcomes)
        diff.kept.append(result.instance)
        if result.outcome is Outcome.INSERTED:
            diff.inserted.append(result.instance)
        elif result.outcome is Outcome.UPDATED:
            diff.updated.append(result.instance)
    return diffs


@dataclass(frozen=True)
class ListEdit:
    """Rows to add to a stored list and rows to take out of it, each matched on the list's identity.

    The safe way for two editors to change one list from the same read (issue 19): each
    sends only its own change, applied to the rows stored when the write holds the
    record's lock, so neither drops the other's rows. A row added whose identity is
    stored takes the values given; a row removed that is not stored is already gone.
    """

    add: Sequence[Mapping[str, Any]] = ()
    remove: Sequence[Mapping[str, Any]] = ()


def edited_list(relation: ChildRelation, parent_id: Any, change: ListEdit) -> list[dict[str, Any]]:
    """The whole list ``relation`` of ``parent_id`` once ``change`` is applied to the stored rows.

    Call with the parent locked (``core.services.claim``): the rows read here are the
    rows the write diffs against.
    """
    gone = {relation.key_of_values(values) for values in _rows(relation, change.remove)}
    added = {relation.key_of_values(values): dict(values) for values in _rows(relation, change.add)}
    rows = []
    for row in stored_rows(relation, [parent_id]).get(parent_id, []):
        key = relation.key_of_row(row)
        if key in gone:
            continue
        values = {f.attname: getattr(row, f.attname) for f in relation.value_fields}
        rows.append(added.pop(key, values))
    return rows + [values for key, values in added.items() if key not in gone]


def lists_given(**lists: Rows | None) -> dict[str, Rows]:
    """The child lists a caller gave (None: left as stored), by relation name."""
    return {name: rows for name, rows in lists.items() if rows is not None}


def apply_list_edits(
    parent: models.Model, edits: Mapping[str, ListEdit] | None, children: Mapping[str, Rows]
) -> dict[str, Rows]:
    """``children`` with the whole list of each of ``edits`` built from the stored rows.

    Call with ``parent`` locked. A list given whole and by rows to add or remove is refused.
    """
    result = dict(children)
    if not edits:
        return result
    if both := sorted(set(edits) & set(children)):
        message = "Give the whole list or the rows to add and remove, not both."
        raise ValidationError({name: [ValidationError(message, code="ambiguous")] for name in both})
    for name, change in edits.items():
        result[name] = edited_list(child_relation(parent, name), parent.pk, change)
    return result


def _rows(relation: ChildRelation, items: Sequence[Any]) -> list[Mapping[str, Any]]:
    # A plain link list (countries) may name its records: the row is the one identity field.
    return [item if isinstance(item, Mapping) else {relation.identity[0]: item} for item in items]


def _name(model: type[models.Model], name: str) -> str:
    return model._meta.get_field(name).name
