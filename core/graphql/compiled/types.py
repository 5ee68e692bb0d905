"""Reading the strawberry declarations the plans are derived from: a field's shape (optional,
list, inner type), whether a type is a Django model type or a keyset connection, how a leaf
value is serialized (the GraphQL schema's own scalar and enum types), and which declared
resolvers can run on a row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from graphql import GraphQLEnumType, GraphQLScalarType, GraphQLSchema, get_named_type
from strawberry import relay
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition
from strawberry.types.enum import StrawberryEnumDefinition
from strawberry.types.field import StrawberryField
from strawberry.types.lazy_type import LazyType
from strawberry.types.scalar import ScalarDefinition, ScalarWrapper
from strawberry_django.fields.field import StrawberryDjangoConnectionExtension

from core.graphql.compiled.selection import Unsupported
from core.graphql.pagination import KeysetConnection


@dataclass(frozen=True)
class Shape:
    """A field's type unwrapped: nullable outside, list of (nullable) items, the named type inside."""

    nullable: bool
    is_list: bool
    item_nullable: bool
    inner: Any


def shape_of(annotation: Any) -> Shape:
    shape = _shape(annotation)
    if isinstance(shape.inner, LazyType):  # a type named lazily to break an import cycle
        return Shape(shape.nullable, shape.is_list, shape.item_nullable, shape.inner.resolve_type())
    return shape


def _shape(annotation: Any) -> Shape:
    nullable = isinstance(annotation, StrawberryOptional)
    if nullable:
        annotation = annotation.of_type
    if isinstance(annotation, StrawberryList):
        item = annotation.of_type
        item_nullable = isinstance(item, StrawberryOptional)
        if item_nullable:
            item = item.of_type
        if isinstance(item, StrawberryList):
            raise Unsupported("a list of lists")
        return Shape(nullable, True, item_nullable, item)
    return Shape(nullable, False, False, annotation)


def model_of(cls: Any) -> type[models.Model] | None:
    """The Django model a strawberry-django type declares, or None for a plain strawberry type."""
    definition = getattr(cls, "__strawberry_django_definition__", None)
    return definition.model if definition is not None else None


def is_connection(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, KeysetConnection)


def graphql_name(cls: Any) -> str:
    definition = get_object_definition(cls, strict=True)
    return definition.name


def fields_by_name(cls: Any) -> dict[str, StrawberryField]:
    """The type's fields by their GraphQL names."""
    definition = get_object_definition(cls, strict=True)
    return {(f.graphql_name or _camel(f.python_name)): f for f in definition.fields}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def connection_parts(schema: GraphQLSchema, cls: Any) -> tuple[str, Any]:
    """The edge type's name and the node type (a generic's node is read from the built schema)."""
    edge = get_named_type(schema.get_type(graphql_name(cls)).fields["edges"].type)  # type: ignore[union-attr]
    node = get_named_type(edge.fields["node"].type)  # type: ignore[union-attr]
    return edge.name, node.extensions["strawberry-definition"].origin  # type: ignore[union-attr]


def is_global_id(field: StrawberryField) -> bool:
    return shape_of(field.type).inner is relay.GlobalID


def leaf_serializer(schema: GraphQLSchema, inner: Any) -> Any:
    """The ``serialize`` of the schema's type for a scalar or enum annotation (the executor's own)."""
    if isinstance(inner, (StrawberryEnumDefinition, ScalarDefinition)):
        name = inner.name
    elif isinstance(inner, ScalarWrapper):
        name = inner._scalar_definition.name
    else:
        name = {str: "String", int: "Int", float: "Float", bool: "Boolean"}.get(inner)
        if name is None:
            name = _override_name(schema, inner)
    found = schema.get_type(name)
    if not isinstance(found, GraphQLScalarType | GraphQLEnumType):
        raise Unsupported(f"the leaf type {name}")
    return found.serialize


def _override_name(schema: GraphQLSchema, inner: Any) -> str:
    # Scalars installed with scalar_overrides (the Date scalar for datetime.date).
    for type_ in schema.type_map.values():
        definition = (type_.extensions or {}).get("strawberry-definition")
        if isinstance(definition, ScalarDefinition) and definition.origin is inner:
            return type_.name
    raise Unsupported(f"the scalar {inner!r}")


def row_resolver(field: StrawberryField, model: type[models.Model]) -> Any:
    """The field's declared resolver when it needs only the row's own columns, else None.

    Such a resolver states what it reads (strawberry-django's ``only`` hint), reads no
    ``info``, takes no argument and asks for no join or prefetch: it runs on the row as it
    runs on the model instance (``root.publisher or None``, ``FuzzyDate.of(root, "date")``).
    """
    resolver = field.base_resolver
    store = getattr(field, "store", None)
    if resolver is None or store is None or not store.only:
        return None
    if resolver.info_parameter is not None or field.arguments:
        return None
    if store.select_related or store.prefetch_related or store.annotate:
        return None
    local = {f.name for f in model._meta.concrete_fields} | {f.attname for f in model._meta.concrete_fields}
    if not set(store.only) <= local:
        return None
    return resolver


def page_cap(field: StrawberryField, default: int) -> int:
    """The page cap KeysetConnection checks: the connection field's own, else the schema's."""
    for extension in field.extensions:
        if isinstance(extension, StrawberryDjangoConnectionExtension):
            return extension.max_results or default
    return default
