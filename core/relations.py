"""Child relations, declared once: which rows hang on a record and what makes two of them the same.

A ``ChildRelation`` names a parent model, the child model, the child's key to
its parent and the fields that identify a row among its siblings (its
identity). Each app declares its own in ``<app>/relations.py``; the services
(``core.services.children``) diff lists on the identity, the importer matches
rows with it, ``core.revisions`` folds the child rows' history into the
parent's, and deletes tag the children from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter
from typing import Any

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class ChildRelation:
    """Rows of ``model`` belonging to a ``parent`` record through ``parent_key``."""

    name: str  # as in service arguments, API inputs and revision changes, e.g. "participants"
    parent: str  # model label, e.g. "events.event"
    model: str  # model label, e.g. "events.participation"
    parent_key: str  # the child's foreign key to the parent, e.g. "event"
    identity: tuple[str, ...]  # fields that tell siblings apart, e.g. ("role", "person", "country")

    def __hash__(self) -> int:
        return self._hash

    @cached_property
    def _hash(self) -> int:
        # The dataclass's own hash, of every field, made once: relations key dicts and caches
        # that an import reaches for each of its child rows (issue 25, item 3).
        return hash((self.name, self.parent, self.model, self.parent_key, self.identity))

    @cached_property
    def child_model(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @cached_property
    def parent_attname(self) -> str:
        return self.child_model._meta.get_field(self.parent_key).attname

    @cached_property
    def value_fields(self) -> tuple[models.Field, ...]:
        """The child's own editable fields, parent key and derived date bounds left out."""
        return tuple(
            f
            for f in self.child_model._meta.concrete_fields
            if not f.primary_key
            and f.name != self.parent_key
            and f.editable
            and not f.name.endswith(("_earliest", "_latest"))
        )

    @cached_property
    def identity_fields(self) -> tuple[models.Field, ...]:
        # Looked up once: an import computes a key for each of a hundred thousand rows.
        meta = self.child_model._meta
        return tuple(meta.get_field(name) for name in self.identity)

    @cached_property
    def _identity_getter(self) -> Callable[[Any], tuple[Any, ...]]:
        names = [f.attname for f in self.identity_fields]
        if len(names) == 1:
            get = attrgetter(names[0])
            return lambda row: (get(row),)
        return attrgetter(*names) if names else lambda row: ()

    def key_of_row(self, row: models.Model) -> tuple[Any, ...]:
        """The identity of a stored row."""
        return self._identity_getter(row)

    @cached_property
    def _identity_readers(self) -> tuple[tuple[str, str, bool, Any], ...]:
        return tuple((f.name, f.attname, f.is_relation, f.get_default) for f in self.identity_fields)

    def key_of_values(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The identity of a wanted row given as field values (instances or ids, by name or attname)."""
        # ``field_value`` for each identity field, inlined: the services and the importer key
        # each of an import's hundred thousand child rows (issue 25, item 3).
        key = []
        for name, attname, related, default in self._identity_readers:
            if name in values:
                value = values[name]
                if related and isinstance(value, models.Model):
                    value = value.pk
            elif attname in values:
                value = values[attname]
            else:
                value = default()
            key.append(value)
        return tuple(key)


def field_value(f: models.Field, values: Mapping[str, Any]) -> Any:
    """The stored value of ``f`` in ``values``: a related instance as its id, a missing one as default."""
    if f.name in values:
        value = values[f.name]
        if f.is_relation:
            return value.pk if isinstance(value, models.Model) else value
        return value
    if f.attname in values:
        return values[f.attname]
    return f.get_default()


_RELATIONS: dict[str, list[ChildRelation]] = {}


def register(*relations: ChildRelation) -> None:
    """Declare child relations (called by each app's ``relations`` module)."""
    for relation in relations:
        listed = _RELATIONS.setdefault(relation.parent, [])
        if all(r.name != relation.name for r in listed):
            listed.append(relation)


def relations_of(model: type[models.Model] | models.Model) -> list[ChildRelation]:
    """The child relations of ``model``, in declaration order."""
    return list(_RELATIONS.get(model._meta.label_lower, []))


def relation(parent: type[models.Model] | models.Model, name: str) -> ChildRelation:
    """The child relation ``name`` of ``parent``."""
    for found in relations_of(parent):
        if found.name == name:
            return found
    raise LookupError(f"{parent._meta.label} has no child relation {name!r}.")


def relation_for_inline(
    parent: type[models.Model], child: type[models.Model], fk: str
) -> ChildRelation | None:
    """The relation an admin inline of ``child`` under ``parent`` (through ``fk``) edits."""
    for found in relations_of(parent):
        if found.child_model is child and found.parent_key == fk:
            return found
    return None


def _columns(constraint: models.UniqueConstraint) -> set[str]:
    """The field names a unique constraint covers: its fields, or those its expressions read."""
    if constraint.fields:
        return set(constraint.fields)
    names: set[str] = set()

    def walk(expression: Any) -> None:
        if isinstance(expression, models.F):
            names.add(expression.name)
        for child in getattr(expression, "get_source_expressions", lambda: [])():
            walk(child)

    for expression in constraint.expressions:
        walk(expression)
    return names


def _nulls(condition: models.Q | None) -> dict[str, bool]:
    """The ``field__isnull`` terms of a plain AND condition: field -> whether it must be NULL."""
    terms: dict[str, bool] = {}
    if condition is None:
        return terms
    for child in condition.children:
        if isinstance(child, tuple) and child[0].endswith("__isnull"):
            terms[child[0].removesuffix("__isnull")] = bool(child[1])
    return terms


def identity_problems(relation: ChildRelation) -> list[str]:
    """Where the database's unique constraints and the declared identity of ``relation`` disagree.

    Each unique constraint of the child model that covers the parent key must
    cover exactly parent key + identity, counting fields its condition requires
    to be NULL; a nullable identity field needs both a constraint with it set
    and one with it NULL (unique indexes treat NULLs as distinct).
    """
    meta = relation.child_model._meta
    wanted = {relation.parent_key, *relation.identity}
    problems = []
    found = []
    for constraint in meta.constraints:
        if not isinstance(constraint, models.UniqueConstraint):
            continue
        columns, nulls = _columns(constraint), _nulls(constraint.condition)
        if relation.parent_key not in columns:
            # Unique over the identity alone is stronger than unique per parent (one
            # identifier names one person), so it enforces the relation's identity too.
            if columns | {name for name, null in nulls.items() if null} == set(relation.identity):
                found.append((columns, nulls))
            continue
        found.append((columns, nulls))
        covered = columns | {name for name, null in nulls.items() if null}
        if covered != wanted:
            problems.append(
                f"{meta.label}: constraint {constraint.name} covers {sorted(covered)}, "
                f"the relation {relation.name!r} declares {sorted(wanted)}"
            )
        for name in sorted(columns - {relation.parent_key}):
            guarded = nulls.get(name) is False or constraint.nulls_distinct is False
            if meta.get_field(name).null and not guarded:
                problems.append(
                    f"{meta.label}: constraint {constraint.name} lets rows repeat where {name} is NULL"
                )
    if not found:
        problems.append(f"{meta.label}: no unique constraint enforces the identity of {relation.name!r}")
    for name in relation.identity:
        if not meta.get_field(name).null:
            continue
        if not any(nulls.get(name) is True for _, nulls in found):
            problems.append(
                f"{meta.label}: no unique constraint covers rows of {relation.name!r} with no {name}"
            )
    return problems


def all_relations() -> list[ChildRelation]:
    """Every declared child relation."""
    return [r for listed in _RELATIONS.values() for r in listed]
