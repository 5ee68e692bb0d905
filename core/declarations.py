"""What an editor may write on each record, stated once per model (issue 22).

An ``Editable`` names a model, the fields an editor may write on it (its own
columns, a related record by its field name), its child lists
(``core.relations.ChildRelation``: the rows hanging on it, each with its
identity; a child's writable fields are the child model's editable fields) and
the model rules beyond each field's own that every write applies (through the
model's checks, whatever the surface). Each app states its own in
``<app>/declarations.py``.

From a declaration come the services' allowlists (``check``: a field not
declared is refused). The other surfaces keep their own wording (help texts,
vocabularies, defaults) and are compared with the declarations by
``tests/core/test_declarations.py``: the GraphQL inputs and patches, the
admin's fields and inlines and the seed schema's records, each for every
declared model, naming the model, the surface and the field that differ.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from core.relations import ChildRelation, all_relations


def check_fields(fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    """Refuse fields a service does not set (ids, derived bounds, typos)."""
    known = allowed | {f"{name}_id" for name in allowed}
    if unknown := sorted(set(fields) - known):
        raise ValidationError(f"These fields cannot be set here: {', '.join(unknown)}.", code="unknown_field")


@dataclass(frozen=True)
class Editable:
    """The fields and child lists of ``model`` an editor may write, and the rules a write applies."""

    model: str  # model label, e.g. "events.event"
    fields: tuple[str, ...]  # field names, e.g. ("slug", "title", "treaty")
    children: tuple[ChildRelation, ...] = ()
    # The model's rules beyond a field's own (run by its clean() or constraint checks): named
    # here so a reader of the declaration sees them; they live, and are tested, on the model.
    rules: tuple[Callable[..., Any], ...] = ()

    @cached_property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @cached_property
    def allowed(self) -> frozenset[str]:
        """The field names a service accepts (a related record also by its ``_id``)."""
        return frozenset(self.fields)

    @property
    def child_names(self) -> tuple[str, ...]:
        return tuple(relation.name for relation in self.children)

    def child_fields(self, relation: ChildRelation) -> tuple[str, ...]:
        """The fields an editor writes on one row of ``relation``.

        The child model's editable fields, less its keys to parents: a citation
        written under an event sets no treaty or role.
        """
        parent_keys = {r.parent_key for r in all_relations() if r.model == relation.model}
        return tuple(f.name for f in relation.value_fields if f.name not in parent_keys)

    def check(self, fields: Mapping[str, Any]) -> None:
        """Refuse a field this declaration does not name."""
        check_fields(fields, self.allowed)
