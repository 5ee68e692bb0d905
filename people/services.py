"""Writes of people and their roles: validated, atomic, each tagged with its actor and reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from core.services import apply_changes, delete_tagged, replace_children, save_validated
from people.models import Person, Role

Rows = Sequence[dict[str, Any]]

PERSON_FIELDS = frozenset({"slug", "name", "aliases", "wikidata_id", "nationality", "note"})


def _check_fields(fields: dict[str, Any]) -> None:
    if unknown := sorted(set(fields) - PERSON_FIELDS):
        raise ValidationError(f"These fields cannot be set here: {', '.join(unknown)}.", code="unknown_field")


def _roles(person: Person, rows: Rows, *, actor: Any, reason: str | None) -> bool:
    return replace_children(
        existing=person.roles.all(),
        wanted=rows,
        build=lambda v: Role(person=person, **v),
        key=lambda v: (v["title"], getattr(v.get("country"), "pk", None), v.get("start", "")),
        key_of=lambda row: (row.title, row.country_id, row.start),
        prefix="roles",
        actor=actor,
        reason=reason,
    )


@transaction.atomic
def person_create(
    *, actor: Any, reason: str | None = None, fields: dict[str, Any], roles: Rows = ()
) -> Person:
    """Create a person with their roles."""
    _check_fields(fields)
    person = save_validated(Person(**fields), actor=actor, reason=reason)
    _roles(person, roles, actor=actor, reason=reason)
    return person


@transaction.atomic
def person_update(
    *,
    actor: Any,
    reason: str | None = None,
    person: Person,
    fields: dict[str, Any],
    roles: Rows | None = None,
) -> tuple[Person, bool]:
    """Change a person's fields and, when given, their roles; return them and whether anything changed."""
    _check_fields(fields)
    changed = apply_changes(person, fields)
    if changed:
        save_validated(person, actor=actor, reason=reason)
    if roles is not None:
        changed |= _roles(person, roles, actor=actor, reason=reason)
    return person, changed


@transaction.atomic
def person_delete(*, actor: Any, reason: str | None = None, person: Person) -> None:
    """Delete a person who takes part in nothing; otherwise explain what still refers to them."""
    delete_tagged(person, actor=actor, reason=reason)
