"""System checks: the database's child-row constraints agree with the declared identities (issue 8)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register

from core.relations import all_relations, identity_problems


@register()
def child_identity_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    """A child relation's identity (``<app>/relations.py``) must be a unique constraint of its model."""
    return [
        Error(
            problem,
            hint="Make the model's UniqueConstraint and the ChildRelation identity agree.",
            id="core.E001",
        )
        for relation in all_relations()
        for problem in identity_problems(relation)
    ]
