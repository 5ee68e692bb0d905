"""What one GraphQL operation may cost: a depth limit, and a size limit (issue 19).

The size limit: estimated fields × page sizes, aliases included.

Depth, alias and token caps (config/graphql/rules.py) each allowed 30 aliases of
``timeline(first: 100)`` with every field: 3.5 MB and 7 s of one worker for one anonymous
request. This rule estimates, before anything runs, how many fields the answer would hold:
each field counts once per object it is asked on; a connection multiplies what its edges
hold by its page size (``first``/``last``; a variable or no size counts as the largest page,
the value being unknown at validation), and any other list by ``LIST_ESTIMATE``. An
operation over ``MAX_COST`` is refused with a message naming the limit and the estimate.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    get_named_type,
    get_nullable_type,
)

# The contract's deepest useful query (timeline → edges → node → treaty → parties →
# country → timeline → ...) stays well inside this; a hostile one does not.
MAX_DEPTH = 12
# The largest page a connection gives (strawberry's relay_max_results; config/schema.py).
MAX_PAGE_SIZE = 100
# Items assumed in a plain list (an event's countries, a person's roles): most hold one or
# two. Not more: plain lists nest (a region's children's children...) and the estimate
# multiplies at each level, so a larger one would refuse honest queries a few levels deep.
LIST_ESTIMATE = 2
# Fields one operation may ask for, by the estimate above. The frontend's timeline page
# (bench/graphql/timeline_page.graphql) at 100 events is about 4,600, every field of the
# timeline at 100 events about 6,900: three such pages in one request pass, thirty do not.
MAX_COST = 25_000

TOO_COSTLY = (
    "'{name}' would build at least {cost:,} fields (page sizes × fields, aliases included); "
    "the limit is {limit:,}. Ask for fewer fields, smaller pages (first/last) or fewer aliases, "
    "and page on with the cursors."
)


class MaxCost(ValidationRule):
    """Refuse an operation whose estimated size is over ``MAX_COST`` fields.

    An operation too deep is MaxDepth's to refuse: one error, the one that says what to change.
    """

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        schema = self.context.schema
        root = schema.get_root_type(node.operation)
        fragments = {
            d.name.value: d
            for d in self.context.document.definitions
            if isinstance(d, FragmentDefinitionNode)
        }
        if root is None or _depth(node.selection_set, fragments, frozenset(), 0) > MAX_DEPTH:
            return
        cost = _cost(schema, node.selection_set, root, 1, MAX_PAGE_SIZE, fragments, frozenset())
        if cost > MAX_COST:
            name = node.name.value if node.name else "anonymous"
            self.report_error(GraphQLError(TOO_COSTLY.format(name=name, cost=cost, limit=MAX_COST), [node]))


def page_size(field: FieldNode) -> int:
    """The page a connection field asks for: a literal ``first``/``last``, else the largest."""
    for argument in field.arguments or ():
        if argument.name.value in {"first", "last"} and isinstance(argument.value, IntValueNode):
            return max(0, min(int(argument.value.value), MAX_PAGE_SIZE))
    return MAX_PAGE_SIZE


def _cost(
    schema: Any,
    selection_set: SelectionSetNode | None,
    parent: Any,
    each: int,
    page: int,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str],
) -> int:
    """Fields ``selection_set`` asks for on ``each`` objects of type ``parent``; stops past MAX_COST."""
    total = 0
    for selection in selection_set.selections if selection_set else ():
        if total > MAX_COST:
            break
        if isinstance(selection, FieldNode):
            total += each
            definition = getattr(parent, "fields", {}).get(selection.name.value)
            if definition is None or selection.selection_set is None:
                continue  # a leaf, __typename, or an unknown field (another rule reports it)
            child = get_named_type(definition.type)
            size = page_size(selection) if child.name.endswith("Connection") else page
            many = isinstance(get_nullable_type(definition.type), GraphQLList)
            # A connection's edges hold a page; any other list an estimate.
            times = (page if parent.name.endswith("Connection") else LIST_ESTIMATE) if many else 1
            total += _cost(schema, selection.selection_set, child, each * times, size, fragments, seen)
        elif isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition
            typed = schema.get_type(condition.name.value) if condition else parent
            total += _cost(schema, selection.selection_set, typed or parent, each, page, fragments, seen)
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                typed = schema.get_type(fragment.type_condition.name.value) or parent
                total += _cost(
                    schema,
                    fragment.selection_set,
                    typed,
                    each,
                    page,
                    fragments,
                    seen | {selection.name.value},
                )
    return total


class MaxDepth(ValidationRule):
    """Refuse an operation more than MAX_DEPTH fields deep, counting the leaf field too.

    ``{ region { children { slug } } }`` is 3 deep. Strawberry's QueryDepthLimiter counts
    from 0 and skips leaves, so its ``max_depth=12`` let 13 levels through. Introspection
    fields are not counted: GraphiQL's own schema query nests ``ofType`` deeper than that.
    """

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        fragments = {
            definition.name.value: definition
            for definition in self.context.document.definitions
            if isinstance(definition, FragmentDefinitionNode)
        }
        if _depth(node.selection_set, fragments, frozenset(), 0) > MAX_DEPTH:
            name = node.name.value if node.name else "anonymous"
            self.report_error(
                GraphQLError(f"'{name}' exceeds maximum operation depth of {MAX_DEPTH}", [node])
            )


def _depth(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    seen: frozenset[str],
    above: int,
) -> int:
    """Depth of ``selection_set``'s deepest field; stops descending once past MAX_DEPTH."""
    deepest = above
    for selection in selection_set.selections if selection_set else ():
        if deepest > MAX_DEPTH:
            break
        if isinstance(selection, FieldNode):
            if not selection.name.value.startswith("__"):
                deepest = max(deepest, _depth(selection.selection_set, fragments, seen, above + 1))
        elif isinstance(selection, InlineFragmentNode):
            deepest = max(deepest, _depth(selection.selection_set, fragments, seen, above))
        elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
            fragment = fragments.get(selection.name.value)
            if fragment is not None:
                deepest = max(
                    deepest, _depth(fragment.selection_set, fragments, seen | {selection.name.value}, above)
                )
    return deepest
