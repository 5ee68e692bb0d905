"""Values and child rows as a baseline keeps them: plain JSON values, rows by identity key.

``seeds.importer.ownership`` compares a record's stored child rows, its baseline's and the
file's through these; split from it (it had grown past 500 lines doing two jobs).
"""

from __future__ import annotations

import enum
import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from types import SimpleNamespace
from typing import Any

from django.db import models

from core.relations import ChildRelation

# The types most values are, kept as they are (the merge tests for them inline where it is hot).
SCALARS = (str, int, float, bool, type(None))


def plain(value: Any) -> Any:
    """A value as JSON keeps it: enums as values, records as ids, tuples as lists."""
    if type(value) in SCALARS:  # most values: no JSON round trip (an enum is a subclass)
        return value
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, models.Model):
        value = value.pk
    return json.loads(json.dumps(value, default=str))


def identity_key(relation: ChildRelation, values: Mapping[str, Any]) -> str:
    """A child row's identity (``relation``'s key fields) as one text: stored, baseline and file rows
    are matched by it."""
    return json.dumps([plain(v) for v in relation.key_of_values(values)])


def row_of(relation: ChildRelation, row: models.Model) -> dict[str, Any]:
    """A stored row's own values, by attname, plain."""
    return {f.attname: plain(getattr(row, f.attname)) for f in relation.value_fields}


def row_given(relation: ChildRelation, values: Mapping[str, Any]) -> dict[str, Any]:
    """The row's own values as a baseline keeps them: by attname, plain (``plain``).

    Which of the values given are the row's own depends only on their names: that is worked
    out once per set of names (``_given_names``), not once per child row of every record the
    merge compares (issue 25).
    """
    names = _given_names(relation, tuple(values))
    return {attname: v if type(v := values[name]) in SCALARS else plain(v) for name, attname in names}


@functools.lru_cache(maxsize=1024)
def _given_names(relation: ChildRelation, given: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The names among ``given`` that are the row's own fields, each with its attname, in order."""
    names = _value_names(relation)
    found = []
    for name in given:
        if (known := names.get(name)) is None:
            continue  # not one of the row's own fields
        attname, name_of_attname = known
        if name_of_attname is not None and name_of_attname in given:
            continue  # a relation given by name and by attname: the name wins, as in field_value
        found.append((name, attname))
    return tuple(found)


@functools.cache
def _value_names(relation: ChildRelation) -> dict[str, tuple[str, str | None]]:
    """Each value field's name and attname, to its attname (and, for an attname that is not
    the name, the field's name)."""
    found: dict[str, tuple[str, str | None]] = {}
    for f in relation.value_fields:
        found[f.name] = (f.attname, None)
        if f.attname != f.name:
            found[f.attname] = (f.attname, f.name)
    return found


def base_rows(relation: ChildRelation, rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """A baseline's rows of ``relation`` by identity key.

    The key is computed from the row's values when read: a baseline no longer stores it
    (a JSON text per child row was a sixth of the first import's merge, issue 25), and the
    ``_key`` older baselines carry is the same text, so it is dropped.
    """
    found = {}
    for row in rows:
        values = {k: v for k, v in row.items() if k != "_key"}
        found[identity_key(relation, values)] = values
    return found


def stored_values(relation: ChildRelation, parent_ids: Sequence[Any]) -> dict[Any, list[Any]]:
    """The stored rows of ``relation`` under ``parent_ids`` as plain attribute bags, in one query.

    Comparing needs the values only: no model instances (their init and signals were
    most of a no-op import's time).
    """
    model = relation.child_model
    names = [f.attname for f in model._meta.concrete_fields]
    found: dict[Any, list[Any]] = {}
    rows = model._base_manager.filter(**{f"{relation.parent_attname}__in": parent_ids}).order_by("pk")
    for values in rows.values(*names):
        row = SimpleNamespace(**values)
        found.setdefault(values[relation.parent_attname], []).append(row)
    return found
