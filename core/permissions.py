"""Who may change what, one rule for every surface (issue 8).

The admin shows an inline only to an editor holding the child model's
permissions (``events.add_participation`` to add a participant row,
``…change_…`` to edit one, ``…delete_…`` to remove one), and its inlines ask
``may`` for each. The API gives a child list whole (``eventUpdate(input:
{participants: […]})``), so ``missing_for_lists`` works out which of those
rows the list would add, change or remove, and the mutation refuses, before
anything is written, a list the admin would not have let the same editor
save. The importer writes as its own account and is not checked.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db import models

from core.relations import ChildRelation, field_value, relations_of
from core.services.children import edited_list

VERBS = {"add": "add", "change": "change", "delete": "remove"}


class Denied(PermissionDenied):
    """The caller may not make this change; nothing was written."""

    code = "PERMISSION_DENIED"


def permission(verb: str, model: type[models.Model]) -> str:
    """The permission name, e.g. 'events.add_participation'."""
    return f"{model._meta.app_label}.{get_permission_codename(verb, model._meta)}"


def may(user: Any, verb: str, model: type[models.Model]) -> bool:
    """Whether ``user`` may ``verb`` ('view', 'add', 'change', 'delete') rows of ``model``."""
    return bool(user.has_perm(permission(verb, model)))


def _rows(relation: ChildRelation, items: Sequence[Any]) -> list[Mapping[str, Any]]:
    # A plain link list (countries, regions) is given as records, not rows.
    return [item if isinstance(item, Mapping) else {relation.identity[0]: item} for item in items]


def verbs_for_list(relation: ChildRelation, parent: models.Model | None, items: Sequence[Any]) -> set[str]:
    """What replacing ``parent``'s rows of ``relation`` with ``items`` does: add, change, delete."""
    rows = _rows(relation, items)
    if parent is None or parent.pk is None:
        return {"add"} if rows else set()
    stored = {
        relation.key_of_row(row): row
        for row in relation.child_model._base_manager.filter(**{relation.parent_attname: parent.pk})
    }
    verbs: set[str] = set()
    wanted = set()
    for values in rows:
        key = relation.key_of_values(values)
        wanted.add(key)
        row = stored.get(key)
        if row is None:
            verbs.add("add")
            continue
        for f in relation.value_fields:
            if (f.name in values or f.attname in values) and field_value(f, values) != getattr(
                row, f.attname
            ):
                verbs.add("change")
    if set(stored) - wanted:
        verbs.add("delete")
    return verbs


def missing_for_lists(
    user: Any, parent_model: type[models.Model], parent: models.Model | None, lists: Mapping[str, Any]
) -> list[str]:
    """The permissions ``user`` lacks to give ``lists`` (by relation name; None = left alone)."""
    missing = []
    edits = lists.get("list_edits") or {}
    for relation in relations_of(parent_model):
        items = lists.get(relation.name)
        if items is None and relation.name in edits and parent is not None and parent.pk is not None:
            # Rows to add or remove: checked as the whole list they make of the stored one.
            items = edited_list(relation, parent.pk, edits[relation.name])
        if items is None:
            continue
        for verb in sorted(verbs_for_list(relation, parent, items)):
            if not may(user, verb, relation.child_model):
                missing.append(
                    f"{permission(verb, relation.child_model)!r} (to {VERBS[verb]} {relation.name} rows)"
                )
    return missing


def check_lists(
    user: Any, parent_model: type[models.Model], parent: models.Model | None, lists: Mapping[str, Any]
) -> None:
    """Refuse with ``Denied`` a write of child lists the admin would not let ``user`` make."""
    if missing := missing_for_lists(user, parent_model, parent, lists):
        raise Denied(f"Your account lacks the permission {', '.join(missing)} this change needs.")


__all__ = ["Denied", "check_lists", "may", "missing_for_lists", "permission", "verbs_for_list"]
