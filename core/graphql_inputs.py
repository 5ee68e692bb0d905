"""GraphQL create and patch inputs generated from a model's declaration (issue 22).

A declared field (``<app>/declarations.py``) becomes an input field with no other
edit: its type from the model field (text, number, flag, one of the model's
choices as its GraphQL enum, a related record by its slug or code), required on
create when the model requires it, its default the model's; on the patch every
field is optional and an omitted one stays as it is. What the API says beyond
the model (a field's description, a GraphQL name that differs) is ``Wording``;
each child list names its row input and how its rows become service rows
(``ListInput``), in the order the API shows them. ``DeclaredInputs.arguments``
turns either input into the service's keyword arguments.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import strawberry
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from core.declarations import Editable, natural_key
from core.fuzzydates import FuzzyDateField
from core.graphql.mutations import ReferenceResolver, provided_fields
from core.list_inputs import ListRows, list_arguments, list_input_names

UNSET: Any = strawberry.UNSET
EDTF_HELP = "EDTF date, e.g. 2024-05, 2022-04-13, 2022~, 2024-05?, 2022-02-24/.."
SAME: Any = object()  # a patch field says what its create field says


@dataclass(frozen=True)
class Wording:
    """What the API says of one field beyond its model field."""

    description: str | None = None
    patch: str | None = SAME  # the patch field's description, when it differs (None: none)
    name: str | None = None  # the GraphQL name, when it is not the field's camelCased


@dataclass(frozen=True)
class ListInput:
    """One child list on the API: its row input (``str`` for a slug or code) and how rows are built."""

    item: Any
    rows: ListRows
    what: str  # the rows, in words, for the add and remove descriptions ("Region slugs")
    description: str | None = None  # on the create input's whole list


def add_field(what: str) -> Any:
    return strawberry.field(
        default=UNSET,
        description=f"{what} to add, matched on identity (one already there takes the values given), "
        "kept with every row stored when the write lands: the safe way to add.",
    )


def remove_field(what: str) -> Any:
    return strawberry.field(
        default=UNSET, description=f"{what} to remove, matched on identity (one not there is already gone)."
    )


def _enum_for(field: models.Field, enums: Sequence[type[enum.Enum]]) -> type[enum.Enum]:
    values = [value for value, _ in field.choices or ()]
    for candidate in enums:
        if [member.value for member in candidate] == values:
            return candidate
    raise ImproperlyConfigured(
        f"{field.model._meta.label}.{field.name} has choices but no GraphQL enum among {list(enums)}."
    )


def _scalar(field: models.Field, enums: Sequence[type[enum.Enum]]) -> Any:
    if field.is_relation:
        return str  # the related record's slug or code
    if field.choices:
        return _enum_for(field, enums)
    if isinstance(field, models.BooleanField):
        return bool
    if isinstance(field, models.IntegerField):
        return int
    if isinstance(field, models.FloatField | models.DecimalField):
        return float
    return str


def _create_default(field: models.Field, kind: Any) -> Any:
    """The create input's default for ``field``: the model's, or none when the model requires it."""
    if field.has_default():
        value = field.get_default()
        return kind(value) if isinstance(kind, type) and issubclass(kind, enum.Enum) else value
    if field.null or (field.blank and (field.choices or kind is not str)):
        return None
    if field.blank:
        return ""
    return dataclasses.MISSING  # required


class DeclaredInputs:
    """The create and patch inputs of one declared model, and their translation into service arguments."""

    def __init__(
        self,
        decl: Editable,
        *,
        name: str,
        description: str,
        patch_description: str,
        lists: Mapping[str, ListInput],
        wording: Mapping[str, Wording] | None = None,
        enums: Sequence[type[enum.Enum]] = (),
    ) -> None:
        if set(lists) != set(decl.child_names):
            declared = sorted(decl.child_names)
            raise ImproperlyConfigured(f"{decl.model}: the API's lists {sorted(lists)} are not {declared}.")
        self.decl, self.lists = decl, dict(lists)
        self.rows = {list_name: spec.rows for list_name, spec in lists.items()}
        wording = wording or {}
        create: dict[str, tuple[Any, Any]] = {}
        patch: dict[str, tuple[Any, Any]] = {}
        for field_name in decl.fields:
            field = decl.model_class._meta.get_field(field_name)
            said = wording.get(field_name, Wording())
            kind = _scalar(field, enums)
            about = said.description or (EDTF_HELP if isinstance(field, FuzzyDateField) else None)
            default = _create_default(field, kind)
            optional = kind | None if default is None else kind
            create[field_name] = (
                optional,
                strawberry.field(default=default, description=about, name=said.name),
            )
            patch_about = about if said.patch is SAME else said.patch
            patch[field_name] = (
                kind | None,
                strawberry.field(default=UNSET, description=patch_about, name=said.name),
            )
        for list_name, spec in lists.items():
            create[list_name] = (
                list[spec.item],  # type: ignore[name-defined]
                strawberry.field(default_factory=list, description=spec.description),
            )
            patch[list_name] = (list[spec.item] | None, strawberry.field(default=UNSET))  # type: ignore[name-defined]
        for list_name, spec in lists.items():
            patch[f"{list_name}_add"] = (list[spec.item] | None, add_field(spec.what))  # type: ignore[name-defined]
            patch[f"{list_name}_remove"] = (list[spec.item] | None, remove_field(spec.what))  # type: ignore[name-defined]
        self.create = _input_type(name, description, create)
        self.patch = _input_type(name.replace("Input", "Patch"), patch_description, patch)

    def arguments(self, data: Any) -> dict[str, Any]:
        """Service keyword arguments for ``data``, its slugs and codes resolved (all unknown ones at once)."""
        refs = ReferenceResolver()
        fields = provided_fields(data, skip=list_input_names(self.rows))
        for field_name, value in fields.items():
            field = self.decl.model_class._meta.get_field(field_name)
            if field.is_relation:
                related = field.related_model
                fields[field_name] = refs.get(related, field_name, value, key=natural_key(related))
            elif value is None and field.choices and field.blank and not field.null:
                fields[field_name] = ""  # null: not known
        arguments: dict[str, Any] = {"fields": fields, **list_arguments(data, self.rows, refs)}
        refs.check()
        return arguments


def _input_type(name: str, description: str, fields: dict[str, tuple[Any, Any]]) -> type:
    """A strawberry input named ``name`` with ``fields`` (python name: annotation, field) in order."""
    namespace: dict[str, Any] = {"__annotations__": {}, "__module__": __name__, "__doc__": description}
    for python_name, (annotation, spec) in fields.items():
        namespace["__annotations__"][python_name] = annotation
        namespace[python_name] = spec
    return strawberry.input(name=name, description=description)(type(name, (), namespace))
