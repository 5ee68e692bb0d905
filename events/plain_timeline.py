"""``Query.timeline`` answered in one pass over value rows: the same schema, the same JSON, a
fraction of the work.

A 50-event page has some 1,600 fields. graphql-core resolves each one through strawberry's
resolver wrappers, and the rows come as model instances: about three quarters of the time of a
page went there (docs/performance.md), not to SQL. For a query whose root fields are all
``timeline`` (or ``__typename``) and whose selections stay within :data:`FIELDS`, this
extension fetches the page with the same selector, keyset bound and cursor filter as
``KeysetConnection``, in the same statements (the page, then each selected relation of its
events), as ``values()`` rows, and builds the response dicts directly.

Anything it does not know exactly — another root field, fragments, directives, field arguments
below ``timeline``, ``before``/``last``, relevance order, ``totalCount``, a field outside
:data:`FIELDS`, a variable of the wrong shape, any error — leaves the query to the normal
executor, which then gives its usual answer or error. Parsing, validation and the limits run
before either path. ``tests/api/test_plain_timeline.py`` checks that both paths give the same
JSON.
"""

from __future__ import annotations

import contextvars
import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from graphql import (
    ExecutionResult,
    FieldNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension
from strawberry.relay.utils import to_base64
from strawberry_django.relay.cursor_connection import (
    OrderedCollectionCursor,
    annotate_ordering_fields,
    build_tuple_compare,
)

from core import cursors, limits
from core.fuzzydates import FuzzyDate
from core.graphql.pagination import _leading_bound
from events.models import Citation, EventCountry, EventKind, EventRegion, EventStatus, Participation
from events.selectors import timeline_for
from events.types.filters import TimelineFilter

logger = logging.getLogger(__name__)


class Unsupported(Exception):
    """The query asks for something this path does not build: the normal executor answers it."""


Row = dict[str, Any]
# A field: (kind, getter, child type). kind "value" returns the JSON value itself; "object"
# returns a row of the child type or None; "list" returns a list of such rows.
Field = tuple[str, Callable[[Row], Any], str | None]


def _value(key: str) -> Field:
    return ("value", lambda row: row[key], None)


def _or_none(key: str) -> Field:
    """Optional text stored as '' and served as null (the types' ``or None`` resolvers)."""
    return ("value", lambda row: row[key] or None, None)


def _global_id(type_name: str) -> Field:
    return ("value", lambda row: to_base64(type_name, row["id"]), None)


def _day(key: str) -> Field:
    return ("value", lambda row: row[key].isoformat() if row[key] is not None else None, None)


FIELDS: dict[str, dict[str, Field]] = {
    "EventConnection": {
        "edges": ("list", lambda row: row["edges"], "EventEdge"),
        "pageInfo": ("object", lambda row: row["page_info"], "PageInfo"),
    },
    "PageInfo": {
        "hasNextPage": _value("has_next"),
        "hasPreviousPage": _value("has_previous"),
        "startCursor": _value("start"),
        "endCursor": _value("end"),
    },
    "EventEdge": {
        "cursor": _value("cursor"),
        "node": ("object", lambda row: row["node"], "Event"),
    },
    "Event": {
        "id": _global_id("Event"),
        "slug": _value("slug"),
        "kind": _value("kind"),
        "title": _value("title"),
        "summary": _value("summary"),
        "status": _value("status"),
        "date": (
            "object",
            lambda row: FuzzyDate.from_stored(row["date"], row["earliest"], row["latest"]),
            "FuzzyDate",
        ),
        "participants": ("list", lambda row: row["participants"], "Participation"),
        "countries": ("list", lambda row: row["countries"], "Country"),
        "regions": ("list", lambda row: row["regions"], "Region"),
        "citations": ("list", lambda row: row["citations"], "Citation"),
        "visit": ("object", lambda row: row["visit"], "Visit"),
        "treaty": ("object", lambda row: row["treaty"], "Treaty"),
    },
    "FuzzyDate": {
        "edtf": ("value", lambda d: d.edtf, None),
        "earliest": ("value", lambda d: d.earliest.isoformat() if d.earliest else None, None),
        "latest": ("value", lambda d: d.latest.isoformat() if d.latest else None, None),
        "precision": ("value", lambda d: d.precision.name, None),
        "uncertain": ("value", lambda d: d.uncertain, None),
        "approximate": ("value", lambda d: d.approximate, None),
        "display": ("value", lambda d: d.display, None),
    },
    "Participation": {
        "role": _value("role"),
        "note": _or_none("note"),
        "person": ("object", lambda row: row["person"], "Person"),
        "country": ("object", lambda row: row["country"], "Country"),
    },
    "Person": {
        "id": _global_id("Person"),
        "slug": _value("slug"),
        "name": _value("name"),
        "wikidataId": _or_none("wikidata_id"),
    },
    "Country": {"id": _global_id("Country"), "code": _value("code"), "name": _value("name")},
    "Region": {
        "id": _global_id("Region"),
        "slug": _value("slug"),
        "name": _value("name"),
        "kind": _value("kind"),
        "isoCode": _or_none("iso_code"),
        "latitude": _value("latitude"),
        "longitude": _value("longitude"),
        # One level up only: a parent's own parent is not fetched (see _need).
        "parent": ("object", lambda row: row["parent"], "Region"),
    },
    "Citation": {"quote": _or_none("quote"), "source": ("object", lambda row: row["source"], "Source")},
    "Source": {
        "id": _global_id("Source"),
        "title": _value("title"),
        "publisher": _or_none("publisher"),
        "url": _or_none("url"),
    },
    "Visit": {
        "id": _global_id("Visit"),
        "slug": _value("slug"),
        "kind": _value("kind"),
        "delegationSize": _value("delegation_size"),
        "purpose": _or_none("purpose"),
        "visitor": ("object", lambda row: row["visitor"], "Person"),
        "hostCountry": ("object", lambda row: row["host_country"], "Country"),
    },
    "Treaty": {"id": _global_id("Treaty"), "slug": _value("slug"), "name": _value("name")},
}

PERSON = ("id", "slug", "name", "wikidata_id")
COUNTRY = ("id", "code", "name")
REGION = ("id", "slug", "name", "kind", "iso_code", "latitude", "longitude")
SOURCE = ("id", "title", "publisher", "url")
TIMELINE_KEYS = ["date_earliest", "date_latest", "title", "id"]


def _fields(selection_set: SelectionSetNode | None) -> list[FieldNode]:
    """The plain fields of a selection set; fragments, directives and repeated keys are not built here."""
    if selection_set is None:
        raise Unsupported("no selection")
    fields, keys = [], set()
    for selection in selection_set.selections:
        if not isinstance(selection, FieldNode) or selection.directives:
            raise Unsupported("fragments and directives")
        key = (selection.alias or selection.name).value
        if key in keys:
            raise Unsupported("a response key selected twice")
        keys.add(key)
        fields.append(selection)
    return fields


# A compiled selection: (response key, kind, getter, compiled selection of the child type).
Plan = list[tuple[str, str, Callable[[Any], Any], "Plan | None"]]


def _plan(type_name: str, selection_set: SelectionSetNode | None) -> Plan:
    """Compile a selection once per query; raise Unsupported, before any SQL, if it leaves
    what :data:`FIELDS` builds."""
    spec = FIELDS[type_name]
    plan: Plan = []
    for node in _fields(selection_set):
        name = node.name.value
        key = (node.alias or node.name).value
        if name == "__typename":
            plan.append((key, "value", lambda _row, name=type_name: name, None))
            continue
        field = spec.get(name)
        if field is None or node.arguments:
            raise Unsupported(f"{type_name}.{name}")
        kind, get, child = field
        plan.append((key, kind, get, _plan(child, node.selection_set) if child is not None else None))
    return plan


def _build(plan: Plan, row: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, kind, get, child in plan:
        value = get(row)
        if kind == "value":
            out[key] = value
        elif kind == "object":
            out[key] = None if value is None else _build(child, value)  # type: ignore[arg-type]
        else:
            out[key] = [_build(child, item) for item in value]  # type: ignore[arg-type]
    return out


def _selected(node: FieldNode, *path: str) -> FieldNode | None:
    """The field reached from ``node`` by the names in ``path`` (first match), or None."""
    for name in path:
        found = None
        for child in node.selection_set.selections if node.selection_set else ():
            if isinstance(child, FieldNode) and child.name.value == name:
                found = child
                break
        if found is None:
            return None
        node = found
    return node


def _prefixed(prefix: str, names: tuple[str, ...]) -> list[str]:
    return [f"{prefix}__{name}" for name in names]


def _pick(row: Row, prefix: str, names: tuple[str, ...]) -> Row | None:
    """The related row under ``prefix``, or None where the foreign key is null."""
    if row[f"{prefix}__id"] is None:
        return None
    return {name: row[f"{prefix}__{name}"] for name in names}


def _arguments(node: FieldNode, variables: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    values = {}
    for argument in node.arguments or ():
        if isinstance(argument.value, VariableNode):
            name = argument.value.name.value
            if name in variables:
                values[argument.name.value] = variables[name]
            elif name in defaults:
                values[argument.name.value] = defaults[name]
        else:
            values[argument.name.value] = value_from_ast_untyped(argument.value, variables)
    return values


def _text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise Unsupported("a text argument that is not text")
    return value


def _filter(raw: Any) -> TimelineFilter | None:
    """Build the filter input as strawberry would; anything unexpected goes to the normal path."""
    if raw is None:
        return None
    known = {"person", "country", "region", "kinds", "status", "from", "to", "search"}
    if not isinstance(raw, dict) or set(raw) - known:
        raise Unsupported("filter fields")

    def choices(values: Any, enum: type) -> list[Any] | None:
        if values is None:
            return None
        values = values if isinstance(values, list) else [values]  # GraphQL input coercion of a lone value
        try:
            return [enum[value] for value in values]
        except (KeyError, TypeError):
            raise Unsupported("an enum value") from None

    def day(value: Any) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            raise Unsupported("a date") from None

    return TimelineFilter(
        person=_text(raw.get("person")),
        country=_text(raw.get("country")),
        region=_text(raw.get("region")),
        kinds=choices(raw.get("kinds"), EventKind),
        status=choices(raw.get("status"), EventStatus),
        from_=day(raw.get("from")),
        to=day(raw.get("to")),
        search=_text(raw.get("search")),
    )


def _connection(node: FieldNode, arguments: dict[str, Any], max_results: int) -> dict[str, Any]:
    """The ``timeline`` connection as ``KeysetConnection`` pages it, from value rows."""
    if set(arguments) - {"first", "after", "filters", "ordering"}:
        raise Unsupported("before/last")
    if arguments.get("ordering", "TIMELINE") != "TIMELINE":
        raise Unsupported("relevance order")
    first, after = arguments.get("first"), arguments.get("after")
    if first is None:
        first = max_results  # no size asked for: one full page, as KeysetConnection does
    if not isinstance(first, int) or isinstance(first, bool) or not 0 <= first <= max_results:
        raise Unsupported("a page size the normal path refuses")
    events = timeline_for(_filter(arguments.get("filters")))
    annotated, descriptors, _ = annotate_ordering_fields(events)
    if [d.attname for d in descriptors] != TIMELINE_KEYS:
        raise Unsupported("another order")
    if after is None:
        events = annotated
    else:
        if not isinstance(after, str) or len(after) > limits.CURSOR_CHARACTERS:
            raise Unsupported("a bad cursor")
        try:
            after = cursors.expand(after, "after", descriptors, cursors.texts_lookup(annotated, descriptors))
        except cursors.InvalidCursor:
            raise Unsupported("a bad cursor") from None  # the normal path words the refusal
        events, descriptors, _ = annotate_ordering_fields(_leading_bound(events, after=after, before=None))
        cursor = OrderedCollectionCursor.from_cursor(after, descriptors)
        events = events.filter(build_tuple_compare(descriptors, cursor.field_values, False))

    node_field = _selected(node, "edges", "node")
    columns = ["id", "slug", "kind", "title", "status", "date", "date_earliest", "date_latest"]
    if node_field is not None and _selected(node_field, "summary"):
        columns.append("summary")
    visit = node_field is not None and _selected(node_field, "visit") is not None
    treaty = node_field is not None and _selected(node_field, "treaty") is not None
    if visit:
        columns += [
            *_prefixed("visit", ("id", "slug", "kind", "delegation_size", "purpose")),
            *_prefixed("visit__visitor", PERSON),
            *_prefixed("visit__host_country", COUNTRY),
        ]
    if treaty:
        columns += _prefixed("treaty", ("id", "slug", "name"))
    rows = list(events.values(*columns)[: first + 1])
    has_next, rows = len(rows) > first, rows[:first]

    ids = [row["id"] for row in rows]
    relations = _relations(node_field, ids)
    edges = []
    for row in rows:
        event = {
            **row,
            "earliest": row["date_earliest"],
            "latest": row["date_latest"],
            "visit": None,
            "treaty": _pick(row, "treaty", ("id", "slug", "name")) if treaty else None,
        }
        if visit and row["visit__id"] is not None:
            event["visit"] = {
                **_pick(row, "visit", ("id", "slug", "kind", "delegation_size", "purpose")),  # type: ignore[dict-item]
                "visitor": _pick(row, "visit__visitor", PERSON),
                "host_country": _pick(row, "visit__host_country", COUNTRY),
            }
        for name, grouped in relations.items():
            event[name] = grouped.get(row["id"], [])
        values = [str(row["date_earliest"]), str(row["date_latest"]), row["title"], str(row["id"])]
        edges.append({"cursor": cursors.encode(values, descriptors), "node": event})
    page_info = {
        "has_next": has_next,
        "has_previous": False,  # forward paging only, as the cursor connection reports it
        "start": edges[0]["cursor"] if edges else None,
        "end": edges[-1]["cursor"] if edges else None,
    }
    return {"edges": edges, "page_info": page_info}


def _relations(node_field: FieldNode | None, ids: list[int]) -> dict[str, dict[int, list[Row]]]:
    """The selected to-many relations of the page's events, one statement each, grouped by event.

    Orders follow the normal path's prefetches: participants and citations by id, regions and
    countries by name (their models' ordering).
    """
    out: dict[str, dict[int, list[Row]]] = {}
    if node_field is None or not ids:
        return out
    if _selected(node_field, "participants"):
        grouped: dict[int, list[Row]] = defaultdict(list)
        columns = ["event_id", "role", "note", *_prefixed("person", PERSON), *_prefixed("country", COUNTRY)]
        for row in Participation.objects.filter(event_id__in=ids).order_by("pk").values(*columns):
            grouped[row["event_id"]].append(
                {
                    "role": row["role"],
                    "note": row["note"],
                    "person": _pick(row, "person", PERSON),
                    "country": _pick(row, "country", COUNTRY),
                }
            )
        out["participants"] = grouped
    if _selected(node_field, "regions"):
        if _selected(node_field, "regions", "parent", "parent"):
            raise Unsupported("a region's grandparent")
        grouped = defaultdict(list)
        columns = ["event_id", *_prefixed("region", REGION), *_prefixed("region__parent", REGION)]
        for row in EventRegion.objects.filter(event_id__in=ids).order_by("region__name").values(*columns):
            grouped[row["event_id"]].append(
                {**_pick(row, "region", REGION), "parent": _pick(row, "region__parent", REGION)}  # type: ignore[dict-item]
            )
        out["regions"] = grouped
    if _selected(node_field, "countries"):
        grouped = defaultdict(list)
        columns = ["event_id", *_prefixed("country", COUNTRY)]
        for row in EventCountry.objects.filter(event_id__in=ids).order_by("country__name").values(*columns):
            grouped[row["event_id"]].append(_pick(row, "country", COUNTRY))  # type: ignore[arg-type]
        out["countries"] = grouped
    if _selected(node_field, "citations"):
        grouped = defaultdict(list)
        columns = ["event_id", "quote", *_prefixed("source", SOURCE)]
        for row in Citation.objects.filter(event_id__in=ids).order_by("pk").values(*columns):
            grouped[row["event_id"]].append({"quote": row["quote"], "source": _pick(row, "source", SOURCE)})
        out["citations"] = grouped
    return out


def answer(
    document: Any, variables: dict[str, Any] | None, operation_name: str | None, max_results: int
) -> dict[str, Any]:
    """The ``data`` of a timeline-only query; raise Unsupported for anything else."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operations) != len(document.definitions):
        raise Unsupported("fragment definitions")
    chosen = [
        op for op in operations if operation_name is None or (op.name and op.name.value == operation_name)
    ]
    if len(chosen) != 1 or chosen[0].operation != OperationType.QUERY or chosen[0].directives:
        raise Unsupported("not one query operation")
    operation = chosen[0]
    defaults = {
        d.variable.name.value: value_from_ast_untyped(d.default_value)
        for d in operation.variable_definitions or ()
        if d.default_value is not None
    }
    data: dict[str, Any] = {}
    for node in _fields(operation.selection_set):
        key = (node.alias or node.name).value
        if node.name.value == "__typename":
            data[key] = "Query"
        elif node.name.value == "timeline":
            plan = _plan("EventConnection", node.selection_set)
            page = _connection(node, _arguments(node, variables or {}, defaults), max_results)
            data[key] = _build(plan, page)
        else:
            raise Unsupported(f"Query.{node.name.value}")
    return data


class PlainTimeline(SchemaExtension):
    """Answer timeline-only queries with :func:`answer`, leaving everything else to graphql-core."""

    enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("plain_timeline_enabled", default=True)

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if self.enabled.get() and context.graphql_document is not None and not context.result:
            try:
                data = answer(
                    context.graphql_document,
                    context.variables,
                    context.operation_name,
                    context.schema.config.relay_max_results,
                )
            except Unsupported:
                pass  # outside what this path builds: the normal executor answers
            except Exception:
                # A bug here must not cost the client its answer: the normal executor gives it
                # (or the error it deserves), and the log keeps the trace.
                logger.exception("plain timeline path failed; answered by the normal executor")
            else:
                # Set before execution: strawberry then skips graphql-core for this operation.
                context.result = ExecutionResult(data=data, errors=None)
        yield
