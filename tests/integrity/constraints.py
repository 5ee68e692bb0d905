"""Test helper: take a child-row constraint away for one test, to build the rows written before it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, models


@contextmanager
def without_constraint(model: type[models.Model], name: str) -> Iterator[None]:
    """Drop constraint ``name`` of ``model`` inside the test's transaction (rolled back with it)."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    with connection.cursor() as cursor:
        plain = (
            isinstance(constraint, models.UniqueConstraint) and constraint.fields and not constraint.condition
        )
        if plain and connection.vendor == "postgresql":
            cursor.execute(f'ALTER TABLE "{model._meta.db_table}" DROP CONSTRAINT "{name}"')
        else:
            # Partial and expression unique constraints are unique indexes on both backends.
            cursor.execute(f'DROP INDEX "{name}"')
    yield


def duplicate(row: models.Model, **changes: object) -> models.Model:
    """Insert a copy of ``row`` with raw SQL-level save (no services), as old writes did."""
    row.pk = None
    row._state.adding = True
    for name, value in changes.items():
        setattr(row, name, value)
    models.Model.save_base(row, raw=True)
    return row
