"""What an editor may write on each record, stated once per model (issue 22).

An ``Editable`` names a model, the fields an editor may write on it (its own
columns, a related record by its field name), its child lists
(``core.relations.ChildRelation``: the rows hanging on it, each with its
identity; a child's writable fields are the child model's editable fields) and
the model rules beyond each field's own that every write applies (through the
model's checks, whatever the surface). Each app states its own in
``<app>/declarations.py``.

From a declaration come the services' allowlists (``check``: a field not
declared is refused), the admin's form fields (``core.admin.HistoryAdmin``), the
GraphQL inputs and patches of events and treaties (``core.graphql_inputs``) and
the seed records of events and treaties (``seeds.importer.schema``): adding a
field to one of those models is its declaration and a migration. Surfaces still
written by hand keep their own wording (help texts, vocabularies, defaults) and
are compared with the declarations by ``tests/core/test_declarations.py``: the
GraphQL inputs and patches, the admin's fields and inlines and the seed
schema's records, each for every declared model, naming the model, the
surface and the field that differ.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from django.apps import apps
from django.db import models

from core.relations import ChildRelation, all_relations
from core.services.fields import check_fields


def natural_key(model: type[models.Model]) -> str:
    """The field every surface names a record of ``model`` by: its slug, or a country's code."""
    names = {f.name for f in model._meta.fields}
    return "slug" if "slug" in names else "code"


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


@cache
def _declared() -> dict[str, Editable]:
    """Every app's declarations (``<app>/declarations.py``, its ``DECLARED``) by model label."""
    found: dict[str, Editable] = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.declarations"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as missing:
            if missing.name != module_name:
                raise
            continue
        found.update((decl.model, decl) for decl in getattr(module, "DECLARED", ()))
    return found


def declaration_of(model: type[models.Model]) -> Editable | None:
    """The declaration of ``model``, or None for a model editors do not write field by field."""
    return _declared().get(model._meta.label_lower)
