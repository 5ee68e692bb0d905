"""Compile a query's selections into plans, from the strawberry types' own declarations.

Per selection on a Django model type, an :class:`ObjectPlan`: the columns its statement reads
(``values()``), the to-one relations joined into that statement, the to-many relations read by
one more statement each (by the parents' ids) and, per response key, a getter that builds the
key's JSON from a row. Each field is planned from what its type declares:

- a field with no resolver that names a model column: the column, serialized by the schema's
  scalar or enum type (the executor's own ``serialize``);
- one that names a relation: a join (to-one) or a statement (to-many) of the related type;
- a relay ``id``: the global id of the row's primary key;
- a declared resolver that states the columns it reads (``only=``) and needs nothing else:
  run on the row as on a model instance (``root.publisher or None``);
- a keyset connection under a single record (a person's timeline): its own page.

Anything else (a resolver reading ``info``, a prefetch hint, field extensions, a type with its
own ``get_queryset`` reached through a relation...) is :class:`Unsupported`, before any SQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F
from graphql import FieldNode, GraphQLSchema
from graphql.type.scalars import serialize_id, serialize_string
from strawberry.relay.utils import to_base64
from strawberry.types.base import get_object_definition
from strawberry_django.fields.field import StrawberryDjangoConnectionExtension

from core.graphql.compiled import types as t
from core.graphql.compiled.selection import Collector, Grouped, Unsupported

Getter = Callable[[Any], Any]
PARENT = "compiled_parent_row"  # the values() key holding a many-to-many row's parent id


class Record(dict):
    """A row as a dict whose keys read as attributes, so declared resolvers run on it."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Join:
    slot: str  # where the joined row sits in its parent's Record
    lookup: str  # the relation's name in a values() path
    child: ObjectPlan


@dataclass
class ToMany:
    slot: str
    child: ObjectPlan
    rows_of: models.QuerySet  # the related rows, in their order among one parent's
    parent_path: str  # the related rows' path to their parent's id (``event_id``, ``events``)
    expressions: dict[str, Any]  # values() expressions (the parent id through a many-to-many)
    parent_key: str  # the values() key of the parent's id
    cache_name: str  # where Django's prefetch cache keeps the list on a parent instance (.instances)
    # Its statement compiled once per (database, size bucket of parent ids): core.graphql.compiled.sql.
    statements: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass
class ObjectPlan:
    type_name: str
    model: type[models.Model]
    pk: str
    columns: list[str] = field(default_factory=list)
    joins: list[Join] = field(default_factory=list)
    lists: list[ToMany] = field(default_factory=list)
    connections: list[Any] = field(default_factory=list)  # core.graphql.compiled.connection.Nested
    getters: list[tuple[str, Getter]] = field(default_factory=list)
    # How core.graphql.compiled.sql reads its rows (values() paths, row splitters), worked out once.
    reading: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def need(self, column: str) -> None:
        if column not in self.columns:
            self.columns.append(column)

    def build(self, row: Record) -> dict[str, Any]:
        return {key: get(row) for key, get in self.getters}


class Planner:
    """Plans the selections of one operation (one set of ``@skip``/``@include`` values)."""

    def __init__(
        self, schema: GraphQLSchema, collector: Collector, strawberry_schema: Any, nested: Callable[..., Any]
    ) -> None:
        self.schema = schema
        self.collector = collector
        # Plans a connection under a single record (connection.Nested.plan), given by the caller:
        # the connection module builds on this one.
        self.nested = nested
        # What converting arguments and paging read from the strawberry schema.
        self.scalar_registry = strawberry_schema.schema_converter.scalar_registry
        self.config = strawberry_schema.config
        self.max_results: int = strawberry_schema.config.relay_max_results

    def object_plan(self, cls: Any, grouped: Grouped, *, single: bool) -> ObjectPlan:
        model = t.model_of(cls)
        assert model is not None
        name = t.graphql_name(cls)
        plan = ObjectPlan(name, model, model._meta.pk.attname)
        plan.need(plan.pk)
        fields = t.fields_by_name(cls)
        for key, nodes in grouped.items():
            field_name = nodes[0].name.value
            if field_name == "__typename":
                plan.getters.append((key, _constant(name)))
                continue
            declared = fields[field_name]
            plan.getters.append((key, self._field(plan, declared, key, nodes, single)))
        return plan

    def _field(
        self, plan: ObjectPlan, declared: Any, key: str, nodes: list[FieldNode], single: bool
    ) -> Getter:
        where = f"{plan.type_name}.{nodes[0].name.value}"
        extensions = [
            e for e in declared.extensions if not isinstance(e, StrawberryDjangoConnectionExtension)
        ]
        if extensions or getattr(declared, "permission_classes", None):
            raise Unsupported(f"{where}: field extensions")
        if t.is_global_id(declared):
            pk, type_name = plan.pk, plan.type_name
            return lambda row: to_base64(type_name, row[pk])
        shape = t.shape_of(declared.type)
        if t.is_connection(shape.inner):
            if not single:
                raise Unsupported(f"{where}: a connection inside a list")
            nested = self.nested(self, plan, declared, key, nodes)
            plan.connections.append(nested)
            return nested.getter
        if declared.base_resolver is None and getattr(declared, "django_name", None):
            if nodes[0].arguments:
                raise Unsupported(f"{where}: arguments")
            model_field = plan.model._meta.get_field(declared.django_name)
            if not model_field.is_relation:
                plan.need(model_field.attname)
                return self._value(shape, nodes, model_field.attname, where)
            return self._relation(plan, model_field, shape, key, nodes, where)
        resolver = t.row_resolver(declared, plan.model)
        if resolver is None:
            raise Unsupported(f"{where}: a resolver the planner cannot map")
        for column in declared.store.only:
            plan.need(plan.model._meta.get_field(column).attname)
        build = self.value_builder(shape, nodes, where)
        call = _caller(resolver)
        return lambda row: build(call(row))

    def _value(self, shape: t.Shape, nodes: list[FieldNode], column: str, where: str) -> Getter:
        if shape.is_list or get_object_definition(shape.inner) is not None:
            build = self.value_builder(shape, nodes, where)
            return lambda row: build(row[column])
        # A column's leaf, the commonest getter by far (~40 a row on a timeline page): one call.
        serialize = t.leaf_serializer(self.schema, shape.inner)
        # String and ID give a str back unchanged: no call for the values that are one already.
        as_is = str if serialize in (serialize_string, serialize_id) else _NoValue
        if shape.nullable:
            return lambda row: (
                value if (value := row[column]) is None or type(value) is as_is else serialize(value)
            )

        def required(row: Record) -> Any:
            value = row[column]
            if type(value) is as_is:
                return value
            if value is None:
                raise Unsupported(f"{where}: null for a non-null field")
            return serialize(value)

        return required

    def _relation(
        self,
        plan: ObjectPlan,
        model_field: Any,
        shape: t.Shape,
        key: str,
        nodes: list[FieldNode],
        where: str,
    ) -> Getter:
        child_cls = shape.inner
        if t.model_of(child_cls) is None or getattr(child_cls, "get_queryset", None) is not None:
            raise Unsupported(f"{where}: a related type read its own way")
        grouped = self.collector.subfields(t.graphql_name(child_cls), nodes)
        slot = f"@{key}"
        if model_field.many_to_one or model_field.one_to_one:
            if shape.is_list:
                raise Unsupported(f"{where}: a to-one relation served as a list")
            child = self.object_plan(child_cls, grouped, single=False)
            plan.joins.append(Join(slot, model_field.name, child))
            nullable, build = shape.nullable, child.build

            def one(row: Record) -> Any:
                found = row[slot]
                if found is None:
                    if not nullable:
                        raise Unsupported(f"{where}: null for a non-null field")
                    return None
                return build(found)

            return one
        if not shape.is_list or shape.item_nullable:
            raise Unsupported(f"{where}: a to-many relation not served as a list")
        child = self.object_plan(child_cls, grouped, single=False)
        related = child.model._default_manager.all()
        expressions: dict[str, Any] = {}
        if model_field.one_to_many:  # the reverse of a foreign key: the child's own column
            remote = model_field.field
            path = parent = remote.attname
            child.need(remote.attname)
            order = _sibling_order(child.model, remote)
            if order is not None:
                related = related.order_by(*order)
            cache_name = model_field.get_accessor_name()
        elif model_field.many_to_many and not model_field.auto_created:  # a many-to-many declared here
            path = model_field.related_query_name()
            expressions[PARENT] = F(path)
            parent = PARENT
            cache_name = model_field.name
        else:
            raise Unsupported(f"{where}: this kind of relation")
        plan.lists.append(ToMany(slot, child, related, path, expressions, parent, cache_name))
        build = child.build
        return lambda row: [build(item) for item in row[slot]]

    def value_builder(self, shape: t.Shape, nodes: list[FieldNode], where: str) -> Getter:
        """The JSON of a value of this shape: a leaf, or a plain strawberry object read by attribute."""
        inner = shape.inner
        if get_object_definition(inner) is not None:
            if t.model_of(inner) is not None or t.is_connection(inner):
                raise Unsupported(f"{where}: a resolver returning records")
            item = self._plain_object(inner, nodes, where)
        else:
            item = t.leaf_serializer(self.schema, inner)
        return _shaped(item, shape, where)

    def _plain_object(self, cls: Any, nodes: list[FieldNode], where: str) -> Getter:
        name = t.graphql_name(cls)
        fields = t.fields_by_name(cls)
        getters: list[tuple[str, Getter]] = []
        for key, group in self.collector.subfields(name, nodes).items():
            field_name = group[0].name.value
            if field_name == "__typename":
                getters.append((key, _constant(name)))
                continue
            declared = fields[field_name]
            if declared.base_resolver is not None or declared.arguments:
                raise Unsupported(f"{name}.{field_name}: a resolver")
            build = self.value_builder(t.shape_of(declared.type), group, f"{name}.{field_name}")
            getters.append((key, _attribute(declared.python_name, build)))
        return lambda value: {key: get(value) for key, get in getters}


def _sibling_order(model: type[models.Model], parent: Any) -> list[Any] | None:
    """The model's default order among the children of one parent, or None when it is the same.

    Rows are grouped by parent keeping the statement's order, so leading terms on the parent
    relation (Participation's ``["event", "pk"]``) order nothing within a group. Left in, they
    join the parent's table only to sort by its own ordering: on the timeline page that join
    tripled the participants statement's planning and execution time.
    """
    ordering = list(model._meta.ordering)
    names = (parent.name, parent.attname)
    kept = ordering
    while kept and isinstance(kept[0], str):
        term = kept[0].lstrip("-")
        if term not in names and not term.startswith(f"{parent.name}__"):
            break
        kept = kept[1:]
    if kept is ordering or not kept:
        return None
    return kept


class _NoValue:
    """A type no column value has (leaf getters that pass nothing through unserialized)."""


def _constant(value: str) -> Getter:
    return lambda _row: value


def _attribute(name: str, build: Getter) -> Getter:
    return lambda value: build(getattr(value, name))


def _caller(resolver: Any) -> Getter:
    """Call a declared resolver on a row as strawberry calls it on a record (self and root are the row)."""
    function = resolver.wrapped_func
    root = resolver.root_parameter.name if resolver.root_parameter else None
    parent = resolver.parent_parameter.name if resolver.parent_parameter else None
    with_self = resolver.self_parameter is not None

    def call(row: Record) -> Any:
        kwargs = {}
        if root:
            kwargs[root] = row
        if parent:
            kwargs[parent] = row
        return function(row, **kwargs) if with_self else function(**kwargs)

    return call


def _shaped(item: Getter, shape: t.Shape, where: str) -> Getter:
    def checked(build: Getter, nullable: bool) -> Getter:
        if nullable:
            return lambda value: None if value is None else build(value)

        def required(value: Any) -> Any:
            if value is None:
                raise Unsupported(f"{where}: null for a non-null field")
            return build(value)

        return required

    if not shape.is_list:
        return checked(item, shape.nullable)
    each = checked(item, shape.item_nullable)
    return checked(lambda values: [each(v) for v in values], shape.nullable)
