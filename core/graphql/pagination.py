"""Keyset paging for every connection: page-size checks, compact cursors, the leading range bound."""

from __future__ import annotations

import types
from abc import ABC, abstractmethod
from typing import Any, ClassVar

import strawberry
from django.db.models import QuerySet
from strawberry import relay
from strawberry.types import Info
from strawberry_django.optimizer import is_optimized_by_prefetching
from strawberry_django.queryset import get_queryset_config
from strawberry_django.relay import DjangoCursorConnection, DjangoCursorEdge
from strawberry_django.relay.cursor_connection import (
    OrderedCollectionCursor,
    OrderingDescriptor,
    annotate_ordering_fields,
)

from core import cursors, limits
from core.cursors import InvalidCursor
from core.errors import ChanceryError


class InvalidPageSize(ChanceryError):
    """A ``first`` or ``last`` below zero or above the page cap."""

    code = "INVALID_PAGE_SIZE"


def check_page_size(*, first: int | None, last: int | None, cap: int) -> None:
    """Refuse a page size outside 0..cap, naming the argument and the bound.

    Checked here, at the API's edge, for every connection: the paging library checks each
    argument alone but not ``last`` when ``first`` comes with it, and a negative one then
    reached a queryset slice as a negative index (a 500 the fuzz test found).
    """
    for name, size in (("first", first), ("last", last)):
        if size is None:
            continue
        if size < 0:
            raise InvalidPageSize(f"Argument '{name}' must be a non-negative integer.")
        if size > cap:
            raise InvalidPageSize(f"Argument '{name}' cannot be higher than {cap}.")


class SelfPaged(ABC):
    """A list that pages itself rather than as a QuerySet of its node model: an as-of timeline,
    whose rows come from history (events.asof_connection). A resolver returns one, and the
    connection hands it the checked paging arguments."""

    @abstractmethod
    def connection(
        self,
        connection_type: type[KeysetConnection],
        *,
        first: int | None,
        last: int | None,
        after: str | None,
        before: str | None,
        only: frozenset[str] | None = None,
    ) -> KeysetConnection:
        """The page the arguments ask for (a size is given: ``first`` or ``last``).

        ``only`` names the node relations the caller will read (the compiled read path knows them
        from the query); None, as the executor asks, reads every one a node may be asked for.
        """


@strawberry.type(name="KeysetConnection", description="A page of records; cursors hold the ordering values.")
class KeysetConnection(DjangoCursorConnection[relay.NodeType]):
    """Keyset-paged connection that stays fast at depth.

    On top of strawberry-django's cursor connection: a bad cursor gets a message saying
    what to pass, no page size means one full page, and a cursor adds a plain range bound
    on the leading ordering column, so PostgreSQL starts its index walk at the cursor.
    The library's cursor filter alone is an OR chain it applies while walking the index
    from the start: as slow as OFFSET deep in a timeline (bench/report.md).
    """

    edge_type: ClassVar[type]  # set by keyset_connection

    @classmethod
    def resolve_connection(cls, nodes: Any, *, info: Info, **kwargs: Any) -> Any:
        check_page_size(
            first=kwargs.get("first"),
            last=kwargs.get("last"),
            cap=kwargs.get("max_results") or info.schema.config.relay_max_results,
        )
        if isinstance(nodes, SelfPaged):
            cap = kwargs.get("max_results") or info.schema.config.relay_max_results
            first, last = kwargs.get("first"), kwargs.get("last")
            return nodes.connection(
                cls,
                first=cap if first is None and last is None else first,
                last=last,
                after=kwargs.get("after"),
                before=kwargs.get("before"),
            )
        descriptors: list[OrderingDescriptor] | None = None
        if isinstance(nodes, QuerySet) and is_optimized_by_prefetching(nodes):
            # A nested list the optimizer prefetched: paged already, by these columns.
            descriptors = get_queryset_config(nodes).ordering_descriptors
        elif isinstance(nodes, QuerySet):
            annotated, descriptors, _ = annotate_ordering_fields(nodes)
            texts_of = cursors.texts_lookup(annotated, descriptors)
            for name in ("after", "before"):
                if (cursor := kwargs.get(name)) is not None:
                    if len(cursor) > limits.CURSOR_CHARACTERS:
                        # Checked before decoding: every cursor the API hands out is far shorter.
                        raise InvalidCursor(
                            f"Invalid cursor for '{name}': it is {len(cursor):,} characters long, and "
                            f"cursors this API returns are at most {limits.CURSOR_CHARACTERS:,}."
                        )
                    kwargs[name] = cursors.expand(cursor, name, descriptors, texts_of)
        if kwargs.get("first") is None and kwargs.get("last") is None:
            # No size asked for: one full page, never the whole table.
            kwargs["first"] = kwargs.get("max_results") or info.schema.config.relay_max_results
        bounded = nodes
        if isinstance(nodes, QuerySet) and not is_optimized_by_prefetching(nodes):
            bounded = _leading_bound(nodes, after=kwargs.get("after"), before=kwargs.get("before"))
        connection = super().resolve_connection(bounded, info=info, **kwargs)
        if isinstance(connection, KeysetConnection):
            if bounded is not nodes:
                connection.total_count_qs = nodes  # the count is of the whole list, not the rest
            connection.compact_cursors(descriptors)
        return connection

    def compact_cursors(self, descriptors: list[OrderingDescriptor] | None) -> None:
        """Hand out compact cursors (core.cursors) in place of the library's text-carrying ones."""
        if not self.edges or descriptors is None:
            return
        for edge in self.edges:
            edge.cursor = cursors.compact(edge.cursor, descriptors)
        self.page_info.start_cursor = self.edges[0].cursor
        self.page_info.end_cursor = self.edges[-1].cursor


def _leading_bound(records: QuerySet, *, after: str | None, before: str | None) -> QuerySet:
    """Add the range on the first ordering column that ``after``/``before`` imply, where one exists.

    After a cursor whose leading value is v, an ascending column holds values >= v, plus
    NULLs when they sort last; so the bound is added only where NULLs cannot follow
    (and mirrored for ``before`` and descending columns).
    """
    if not (after or before):
        return records
    _, descriptors, _ = annotate_ordering_fields(records)
    lead = descriptors[0]
    if lead.attname not in {f.attname for f in records.model._meta.concrete_fields}:
        return records  # an annotation or a related column: no index to start from
    for cursor, forward in ((after, True), (before, False)):
        if cursor is None:
            continue
        value = OrderedCollectionCursor.from_cursor(cursor, descriptors).field_values[0]
        nulls_at_start = bool(lead.order_by.nulls_first)
        if value is None or (lead.maybe_null and nulls_at_start != forward):
            continue
        upward = forward != lead.order_by.descending
        records = records.filter(**{f"{lead.attname}__{'gte' if upward else 'lte'}": value})
    return records


def keyset_connection(node: type, name: str, *, description: str | None = None) -> type[KeysetConnection]:
    """The ``<name>Connection`` type paging ``node`` records, with its ``<name>Edge``.

    Every list the API pages is one of these: the two types differ only by the node.
    """
    edge = types.new_class(f"{name}Edge", (DjangoCursorEdge[node],))  # type: ignore[valid-type]
    edge = strawberry.type(edge, name=f"{name}Edge")

    def body(namespace: dict[str, Any]) -> None:
        namespace["__annotations__"] = {"edges": list[edge]}  # type: ignore[valid-type]

    connection = types.new_class(f"{name}Connection", (KeysetConnection[node],), exec_body=body)  # type: ignore[valid-type]
    connection = strawberry.type(connection, name=f"{name}Connection", description=description)
    connection.edge_type = edge  # for lists that build their own edges (SelfPaged)
    return connection
