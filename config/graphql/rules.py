"""Validation rules every GraphQL document passes before it runs: shape, cost and text guards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    InlineFragmentNode,
    SelectionSetNode,
    StringValueNode,
    ValidationRule,
    get_nullable_type,
)
from strawberry.extensions import MaxAliasesLimiter

from config.graphql.cost import MaxCost, MaxDepth
from core.validators import text_problem

# Page cap for every connection (MAX_PAGE_SIZE, kept with the cost rule that counts pages):
# a larger `first`/`last` is refused with an error naming it.
# The contract's deepest useful query stays well inside these (MAX_DEPTH: config/graphql/cost.py);
# a hostile one does not (the token cap: config/graphql/extensions.py).
MAX_ALIASES = 30


# Fields that cost queries of their own for every record: fine on one record, a flood
# under a list of a hundred (a timeline per region of a page of regions, say).
PER_RECORD_FIELDS = {"timeline", "history"}


class OneRecordOnly(ValidationRule):
    """Refuse per-record-costly fields (nested timelines, history) inside lists and connections."""

    def __init__(self, context: Any) -> None:
        super().__init__(context)
        self.listed: list[bool] = []

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        field_type = self.context.get_type()
        nullable = get_nullable_type(field_type) if field_type is not None else None
        many = isinstance(nullable, GraphQLList) or getattr(nullable, "name", "").endswith("Connection")
        parent = self.context.get_parent_type()
        if (
            node.name.value in PER_RECORD_FIELDS
            and parent is not None
            and parent.name != "Query"
            and any(self.listed)
        ):
            self.report_error(
                GraphQLError(
                    f"'{parent.name}.{node.name.value}' runs its own queries for each record, so it can be "
                    "asked for on a single record only, not inside a list or connection.",
                    node,
                )
            )
        self.listed.append(many)

    def leave_field(self, *_: Any) -> None:
        self.listed.pop()

    def enter_fragment_spread(self, node: FragmentSpreadNode, *_: Any) -> None:
        # A named fragment is validated on its own, outside the list it is spread into.
        if not any(self.listed):
            return
        pending, seen = [node.name.value], set()
        while pending:
            name = pending.pop()
            fragment = self.context.get_fragment(name)
            if name in seen or fragment is None:
                continue
            seen.add(name)
            for spread in self.context.get_fragment_spreads(fragment.selection_set):
                pending.append(spread.name.value)
            for field in _fields_in(fragment.selection_set):
                if field.name.value in PER_RECORD_FIELDS:
                    self.report_error(
                        GraphQLError(
                            f"'{field.name.value}' (in fragment '{name}') runs its own queries for each "
                            "record, so it can be asked for on a single record only, not inside a list "
                            "or connection.",
                            field,
                        )
                    )


def _fields_in(selection_set: SelectionSetNode | None) -> Iterator[FieldNode]:
    """Every field of a selection set, inline fragments and sub-selections included."""
    for selection in selection_set.selections if selection_set else ():
        if isinstance(selection, FieldNode):
            yield selection
            yield from _fields_in(selection.selection_set)
        elif isinstance(selection, InlineFragmentNode):
            yield from _fields_in(selection.selection_set)


class PlainText(ValidationRule):
    """Refuse string literals holding NUL or unpaired surrogates (the view checks variables).

    ``"a\\u0000b"`` in a document is a NUL the database cannot store (PostgreSQL) or should
    not (SQLite stored it); refusing it here covers every argument, reads and writes alike.
    """

    def enter_string_value(self, node: StringValueNode, *_: Any) -> None:
        if problem := text_problem(node.value):
            self.report_error(GraphQLError(problem, [node], extensions={"code": "INVALID_TEXT"}))


# The limiters' rule classes, built once: the validation cache keys on the rule classes, so
# limiters built per request (each making new classes) would make every lookup a miss.
VALIDATION_RULES = [
    MaxDepth,
    MaxCost,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
    OneRecordOnly,
    PlainText,
]
