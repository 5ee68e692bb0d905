"""Write helpers every app's services share: validated, tagged saves and child-row sets."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models.deletion import ProtectedError, RestrictedError

from core.history import tag_revision

M = TypeVar("M", bound=models.Model)


def _distinct(errors: list[ValidationError]) -> list[ValidationError]:
    """Drop repeated messages: a model's clean() and its database constraint may say the same."""
    kept: dict[str, ValidationError] = {}
    for error in errors:
        kept.setdefault(" ".join(error.messages), error)
    return list(kept.values())


def prefixed(error: ValidationError, prefix: str) -> ValidationError:
    """Return ``error`` keyed by field, under ``prefix`` where given (e.g. 'participants.0.person')."""

    def name_of(field: str) -> str:
        if not prefix:
            return field
        return prefix if field == NON_FIELD_ERRORS else f"{prefix}.{field}"

    if not hasattr(error, "error_dict"):
        return ValidationError({name_of(NON_FIELD_ERRORS): _distinct(error.error_list)})
    return ValidationError({name_of(field): _distinct(errors) for field, errors in error.error_dict.items()})


def save_validated(
    instance: M, *, actor: Any | None, reason: str | None, exclude: Sequence[str] = (), prefix: str = ""
) -> M:
    """Validate ``instance`` (fields, clean, constraints), tag its revision and save it."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise prefixed(error, prefix) from None
    tag_revision(instance, actor=actor, reason=reason)
    instance.save()
    return instance


def apply_changes(instance: M, changes: dict[str, Any]) -> bool:
    """Set ``changes`` on ``instance``; return whether any value differs from the stored one."""
    changed = False
    for name, value in changes.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def delete_tagged(instance: models.Model, *, actor: Any | None, reason: str | None) -> None:
    """Delete ``instance`` with its revision tagged; a protected record becomes a ValidationError."""
    tag_revision(instance, actor=actor, reason=reason)
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as error:
        blockers = sorted(
            {str(obj) for obj in error.protected_objects}
            if hasattr(error, "protected_objects")
            else {str(obj) for obj in error.restricted_objects}
        )
        shown = ", ".join(blockers[:5]) + (" …" if len(blockers) > 5 else "")
        raise ValidationError(
            f"{instance} is still referred to by {len(blockers)} record(s) ({shown}); remove those first.",
            code="protected",
        ) from None


def replace_children(
    *,
    existing: Iterable[M],
    wanted: Sequence[dict[str, Any]],
    build: Callable[[dict[str, Any]], M],
    key: Callable[[dict[str, Any]], Hashable],
    key_of: Callable[[M], Hashable],
    prefix: str,
    actor: Any | None,
    reason: str | None,
) -> bool:
    """Make a parent's child rows equal ``wanted``; keep unchanged rows so history shows only real edits.

    Rows match on ``key``; a matched row takes the other wanted values, a row no
    longer wanted is deleted, and a new one is built, validated and saved.
    """
    current = {key_of(row): row for row in existing}
    changed = False
    seen: set[Hashable] = set()
    for index, values in enumerate(wanted):
        row_key = key(values)
        if row_key in seen:
            raise ValidationError(
                {f"{prefix}.{index}": "This entry repeats an earlier one."}, code="duplicate"
            )
        seen.add(row_key)
        row = current.pop(row_key, None)
        if row is None:
            save_validated(build(values), actor=actor, reason=reason, prefix=f"{prefix}.{index}")
            changed = True
        elif apply_changes(row, values):
            save_validated(row, actor=actor, reason=reason, prefix=f"{prefix}.{index}")
            changed = True
    for row in current.values():
        delete_tagged(row, actor=actor, reason=reason)
        changed = True
    return changed
