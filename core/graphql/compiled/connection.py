"""Keyset connections (``core.graphql.pagination.KeysetConnection``) answered from value rows.

The page is cut exactly as ``KeysetConnection.resolve_connection`` cuts it — the page-size
check, the compact cursor expanded, the leading range bound, strawberry-django's cursor filter
and slice (its own ``apply_cursor_pagination``) — then read with ``values()``; cursors are
made by the library's own ``OrderedCollectionCursor.from_model`` on the row, then compacted
(``core.cursors``). Anything the executor refuses (a page size, a cursor) is Unsupported.

A list that pages itself (``core.graphql.pagination.SelfPaged``: a timeline as of a moment) is
asked for its page as the executor asks it, and its instances become Records
(:mod:`.instances`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from graphql import FieldNode
from strawberry.types.arguments import convert_arguments
from strawberry_django.pagination import get_total_count
from strawberry_django.queryset import run_type_get_queryset
from strawberry_django.relay.cursor_connection import (
    OrderedCollectionCursor,
    annotate_ordering_fields,
    apply_cursor_pagination,
)

from core import cursors, limits
from core.errors import ChanceryError
from core.graphql.compiled import sql
from core.graphql.compiled import types as t
from core.graphql.compiled.instances import record_of, relations_of
from core.graphql.compiled.plan import ObjectPlan, Planner, Record
from core.graphql.compiled.selection import Unsupported
from core.graphql.pagination import SelfPaged, _leading_bound

PAGING = ("first", "after", "last", "before")
# strawberry-django's forward row number when both first and last are given.
ROW_NUMBER = "_strawberry_row_number_fwd"


class ReadyEdge:
    """A page's row and the cursor its list made (a SelfPaged list makes its own)."""

    __slots__ = ("cursor", "record")

    def __init__(self, record: Record, cursor: str) -> None:
        self.record, self.cursor = record, cursor


class Edge:
    """A page's row and its cursor, made only when asked for (most pages show one cursor)."""

    __slots__ = ("_cursor", "descriptors", "record")

    def __init__(self, record: Record, descriptors: list[Any]) -> None:
        self.record, self.descriptors, self._cursor = record, descriptors, None

    @property
    def cursor(self) -> str:
        if self._cursor is None:
            self._cursor = _cursor(self.record, self.descriptors)
        return self._cursor


@dataclass
class Page:
    edges: list[Edge] | list[ReadyEdge]
    has_next: bool
    has_previous: bool
    total_of: models.QuerySet


@dataclass
class ConnectionPlan:
    """A connection field: its node plan and the builders of its edges, page info and count."""

    field: Any  # the strawberry field
    parent: str  # the GraphQL name of the type declaring it
    node: FieldNode  # the first field node (arguments)
    nodes_plan: ObjectPlan
    node_type: Any
    resolve_edges: bool
    build: Callable[[Page], dict[str, Any]]

    @classmethod
    def plan(cls, planner: Planner, parent: str, declared: Any, nodes: list[FieldNode]) -> ConnectionPlan:
        conn_cls = t.shape_of(declared.type).inner
        edge_name, node_cls = t.connection_parts(planner.schema, conn_cls)
        conn_name = t.graphql_name(conn_cls)
        grouped = planner.collector.subfields(conn_name, nodes)
        # strawberry-django skips the page when neither edges nor pageInfo is asked for.
        resolve_edges = any(group[0].name.value in ("edges", "pageInfo") for group in grouped.values())
        edge_groups = [g for g in grouped.values() if g[0].name.value == "edges"]
        if len(edge_groups) > 1:
            raise Unsupported(f"{conn_name}.edges under two keys")
        edge_fields = planner.collector.subfields(edge_name, edge_groups[0]) if edge_groups else {}
        node_groups = [g for g in edge_fields.values() if g[0].name.value == "node"]
        if len(node_groups) > 1:
            raise Unsupported(f"{edge_name}.node under two keys")
        node_grouped = (
            planner.collector.subfields(t.graphql_name(node_cls), node_groups[0]) if node_groups else {}
        )
        nodes_plan = planner.object_plan(node_cls, node_grouped, single=False)
        build_node = nodes_plan.build

        edge_getters: list[tuple[str, Callable[[Edge], Any]]] = []
        for key, group in edge_fields.items():
            name = group[0].name.value
            if name == "cursor":
                edge_getters.append((key, lambda edge: edge.cursor))
            elif name == "node":
                edge_getters.append((key, lambda edge: build_node(edge.record)))
            else:
                edge_getters.append((key, lambda _edge, typename=edge_name: typename))

        getters: list[tuple[str, Callable[[Page], Any]]] = []
        for key, group in grouped.items():
            name = group[0].name.value
            if name == "edges":
                getters.append(
                    (key, lambda page: [{k: get(edge) for k, get in edge_getters} for edge in page.edges])
                )
            elif name == "pageInfo":
                getters.append((key, _page_info(planner.collector.subfields("PageInfo", group))))
            elif name == "totalCount":
                getters.append((key, lambda page: get_total_count(page.total_of)))
            elif name == "__typename":
                getters.append((key, lambda _page, typename=conn_name: typename))
            else:
                raise Unsupported(f"{conn_name}.{name}")

        def build(page: Page) -> dict[str, Any]:
            return {key: get(page) for key, get in getters}

        return cls(declared, parent, nodes[0], nodes_plan, node_cls, resolve_edges, build)

    def page(self, arguments: dict[str, Any], nodes: Any, cap: int, run: Planner) -> Page:
        """Cut and read the page of ``nodes`` (the resolver's queryset) the arguments ask for."""
        if isinstance(nodes, SelfPaged):
            return self._self_paged(arguments, nodes, cap)
        if not isinstance(nodes, models.QuerySet):
            raise Unsupported("a connection over something other than a queryset")
        nodes = run_type_get_queryset(nodes, self.node_type, None)
        first, last = arguments.get("first"), arguments.get("last")
        if any(size is not None and not 0 <= size <= cap for size in (first, last)):
            raise Unsupported("a page size the executor refuses")
        annotated, descriptors, _ = annotate_ordering_fields(nodes)
        bounds = {}
        for name in ("after", "before"):
            cursor = arguments.get(name)
            if cursor is not None:
                if len(cursor) > limits.CURSOR_CHARACTERS:
                    raise Unsupported("a cursor the executor refuses")
                try:
                    texts_of = cursors.texts_lookup(annotated, descriptors)
                    cursor = cursors.expand(cursor, name, descriptors, texts_of)
                except cursors.InvalidCursor:
                    raise Unsupported("a cursor the executor refuses") from None
            bounds[name] = cursor
        if first is None and last is None:
            first = cap  # no size asked for: one full page, as KeysetConnection does
        bounded = _leading_bound(nodes, **bounds)
        try:
            paged, descriptors = apply_cursor_pagination(
                bounded, info=None, first=first, last=last, max_results=cap, **bounds
            )
        except ValueError:
            raise Unsupported("a cursor the executor refuses") from None
        if not self.resolve_edges:  # checked after the cursors, as strawberry-django checks it
            return Page([], False, False, nodes)
        extra = [d.attname for d in descriptors]
        if first is not None and last is not None:
            extra.append(ROW_NUMBER)
        found = sql.rows(self.nodes_plan, paged, extra=extra)
        # As strawberry-django's DjangoCursorConnection cuts the rows it fetched.
        has_previous = has_next = False
        if first is not None:
            if last is None:
                has_next, found = len(found) > first, found[:first]
            elif found and found[0].get(ROW_NUMBER, 0) > first:
                has_next, found = True, found[1:]
        if last is not None:
            has_previous, found = len(found) > last, found[:last]
            found.reverse()
        sql.load(self.nodes_plan, found, run)
        edges = [Edge(record, descriptors) for record in found]
        return Page(edges, has_next, has_previous, nodes)

    def _self_paged(self, arguments: dict[str, Any], nodes: SelfPaged, cap: int) -> Page:
        """The page a SelfPaged list gives for the arguments, as ``KeysetConnection`` asks it."""
        first, last = arguments.get("first"), arguments.get("last")
        if any(size is not None and not 0 <= size <= cap for size in (first, last)):
            raise Unsupported("a page size the executor refuses")
        try:
            connection = nodes.connection(
                t.shape_of(self.field.type).inner,
                first=cap if first is None and last is None else first,
                last=last,
                after=arguments.get("after"),
                before=arguments.get("before"),
                only=relations_of(self.nodes_plan),
            )
        except ChanceryError:  # a cursor or filter it refuses: the executor words the error
            raise Unsupported("arguments the list refuses") from None
        edges = [ReadyEdge(record_of(self.nodes_plan, edge.node), edge.cursor) for edge in connection.edges]
        info = connection.page_info
        return Page(edges, info.has_next_page, info.has_previous_page, connection.total_count_qs)


def _cursor(record: Record, descriptors: list[Any]) -> str:
    """The compact cursor of a row: the library's cursor values (read as from a model), compacted."""
    values = OrderedCollectionCursor.from_model(record, descriptors).field_values  # type: ignore[arg-type]
    return cursors.encode(values, descriptors)


def _page_info(grouped: dict[str, list[FieldNode]]) -> Callable[[Page], dict[str, Any]]:
    readers: dict[str, Callable[[Page], Any]] = {
        "hasNextPage": lambda page: page.has_next,
        "hasPreviousPage": lambda page: page.has_previous,
        "startCursor": lambda page: page.edges[0].cursor if page.edges else None,
        "endCursor": lambda page: page.edges[-1].cursor if page.edges else None,
        "__typename": lambda page: "PageInfo",
    }
    getters = [(key, readers[group[0].name.value]) for key, group in grouped.items()]
    return lambda page: {key: get(page) for key, get in getters}


def call_resolver(declared: Any, arguments: dict[str, Any], root: Any) -> Any:
    """Call a root or nested field's declared resolver with converted arguments, as strawberry does."""
    resolver = declared.base_resolver
    if resolver is None or resolver.info_parameter is not None:
        raise Unsupported(f"{declared.python_name}: a resolver reading info")
    kwargs = dict(arguments)
    if resolver.root_parameter is not None:
        kwargs[resolver.root_parameter.name] = root
    if resolver.parent_parameter is not None:
        kwargs[resolver.parent_parameter.name] = root
    function = resolver.wrapped_func
    try:
        return function(root, **kwargs) if resolver.self_parameter is not None else function(**kwargs)
    except Exception:
        # A refusal (an unknown region in a filter...): the executor words it as the API does.
        raise Unsupported(f"{declared.python_name}: the resolver refused its arguments") from None


@dataclass
class Nested:
    """A connection under a single record (a person's, a country's, a region's timeline)."""

    slot: str
    connection: ConnectionPlan
    owner: ObjectPlan
    getter: Callable[[Record], Any]

    @classmethod
    def plan(
        cls, planner: Planner, owner: ObjectPlan, declared: Any, key: str, nodes: list[FieldNode]
    ) -> Nested:
        connection = ConnectionPlan.plan(planner, owner.type_name, declared, nodes)
        slot = f"@{key}"
        build = connection.build
        for column in owner.model._meta.concrete_fields:
            owner.need(column.attname)  # the record is rebuilt as a model instance for the resolver
        return cls(slot, connection, owner, lambda row: build(row[slot]))

    def load(self, record: Record, run: Planner) -> None:
        model = self.owner.model
        instance = model(**{f.attname: record[f.attname] for f in model._meta.concrete_fields})
        instance._state.adding = False
        resolver_args, paging = connection_arguments(run, self.connection)
        nodes = call_resolver(self.connection.field, resolver_args, instance)
        cap = t.page_cap(self.connection.field, run.max_results)
        record[self.slot] = self.connection.page(paging, nodes, cap, run)


def converted(
    planner: Planner, parent: str, declared: Any, node: FieldNode, *, connection: bool = False
) -> dict[str, Any]:
    """The field's arguments as its resolver receives them (python names, strawberry inputs).

    Every root and nested field's arguments pass here, so the rule for ``asOf`` is stated here
    once: a record as it stood is rebuilt from the historical tables by the executor; a
    connection (a timeline) as of a moment pages itself from history (``SelfPaged``) and the
    plan reads the records it rebuilt (``core.graphql.compiled.instances``).
    """
    raw = planner.collector.arguments(parent, node)
    if raw.get("asOf") is not None and not connection:
        raise Unsupported("asOf: read from history by the executor")
    try:
        return convert_arguments(
            raw, declared.arguments, scalar_registry=planner.scalar_registry, config=planner.config
        )
    except Exception:
        raise Unsupported(f"arguments of {parent}.{node.name.value} the executor refuses") from None


def connection_arguments(
    planner: Planner, connection: ConnectionPlan
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The resolver's own arguments and the paging ones, apart."""
    arguments = converted(planner, connection.parent, connection.field, connection.node, connection=True)
    paging = {name: arguments.pop(name, None) for name in PAGING}
    return arguments, paging
