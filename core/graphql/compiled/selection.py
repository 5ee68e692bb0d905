"""What a query document asks for: its operation, its coerced variables and, per object type, its
fields grouped by response key, as graphql-core's executor collects them.

The grouping follows the GraphQL spec's CollectFields (and graphql-core's order): named and
inline fragments whose type condition matches are expanded in place, ``@skip``/``@include``
decide by the request's variables, and every field node sharing a response key is kept so that
their sub-selections merge. Anything else (another directive, fragment variables, several
operations without a name) is :class:`Unsupported`: the normal executor answers it.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLIncludeDirective,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLSkipDirective,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    VariableNode,
)
from graphql.execution.values import VariableValues, get_argument_values, get_variable_values
from graphql.utilities import type_from_ast

# Response key -> the field nodes selected under it, in the order graphql-core executes them.
Grouped = dict[str, list[FieldNode]]
CONDITIONS = {GraphQLSkipDirective.name, GraphQLIncludeDirective.name}


class Unsupported(Exception):
    """The query asks for something the compiled path does not build; the message says what."""


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    """The query operation ``name`` picks, as graphql-core picks it; Unsupported otherwise."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [op for op in operations if name is None or (op.name is not None and op.name.value == name)]
    if len(chosen) != 1:
        raise Unsupported("no single operation")
    operation = chosen[0]
    if operation.operation != OperationType.QUERY:
        raise Unsupported(f"a {operation.operation.value}")
    if operation.directives:
        raise Unsupported("operation directives")
    return operation


def fragments_of(document: DocumentNode) -> dict[str, FragmentDefinitionNode]:
    fragments = {}
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            if definition.variable_definitions:
                raise Unsupported("fragment variables")
            fragments[definition.name.value] = definition
    return fragments


def variables_of(
    schema: GraphQLSchema, operation: OperationDefinitionNode, inputs: dict[str, Any] | None
) -> VariableValues:
    """The request's variables coerced with their defaults; Unsupported where the executor would refuse."""
    coerced = get_variable_values(schema, operation.variable_definitions or (), inputs or {})
    if isinstance(coerced, list):
        raise Unsupported("variables the executor refuses")
    return coerced


def condition_variables(document: DocumentNode) -> tuple[str, ...]:
    """Names of the variables ``@skip``/``@include`` read: the compiled plan depends on their values."""
    names: set[str] = set()

    def walk(node: Any) -> None:
        for directive in getattr(node, "directives", None) or ():
            for argument in directive.arguments or ():
                if isinstance(argument.value, VariableNode):
                    names.add(argument.value.name.value)
        selection_set = getattr(node, "selection_set", None)
        for child in selection_set.selections if selection_set else ():
            walk(child)

    for definition in document.definitions:
        walk(definition)
    return tuple(sorted(names))


class Collector:
    """Collects fields per object type for one operation and one set of variables."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def fields(self, type_name: str, selection_sets: list[SelectionSetNode]) -> Grouped:
        """The fields of ``type_name`` selected by these (merged) selection sets."""
        runtime = self.schema.get_type(type_name)
        assert isinstance(runtime, GraphQLObjectType)
        grouped: Grouped = {}
        seen: set[str] = set()  # one set for the merged selections, as graphql-core keeps it
        for selection_set in selection_sets:
            self._collect(runtime, selection_set, grouped, seen)
        return grouped

    def subfields(self, type_name: str, nodes: list[FieldNode]) -> Grouped:
        return self.fields(type_name, [n.selection_set for n in nodes if n.selection_set is not None])

    def arguments(self, parent: str, node: FieldNode) -> dict[str, Any]:
        """A field's arguments coerced as the executor coerces them (errors are Unsupported)."""
        parent_type = self.schema.get_type(parent)
        assert isinstance(parent_type, GraphQLObjectType)
        try:
            return get_argument_values(parent_type.fields[node.name.value], node, self.variables)
        except Exception:
            raise Unsupported(f"arguments of {parent}.{node.name.value} the executor refuses") from None

    def _include(self, node: FieldNode | FragmentSpreadNode | InlineFragmentNode) -> bool:
        if not node.directives:
            return True
        for directive in node.directives:
            if directive.name.value not in CONDITIONS:
                raise Unsupported(f"directive @{directive.name.value}")
        for directive in node.directives:
            definition = GraphQLSkipDirective if directive.name.value == "skip" else GraphQLIncludeDirective
            value = get_argument_values(definition, directive, self.variables)["if"]
            if value == (directive.name.value == "skip"):
                return False
        return True

    def _matches(self, condition: Any, runtime: GraphQLObjectType) -> bool:
        if condition is None:
            return True
        conditional = type_from_ast(self.schema, condition)
        if conditional is runtime:
            return True
        return (
            conditional is not None
            and hasattr(conditional, "resolve_type")
            and self.schema.is_sub_type(
                conditional,  # type: ignore[arg-type]
                runtime,
            )
        )

    def _collect(
        self, runtime: GraphQLObjectType, selection_set: SelectionSetNode, grouped: Grouped, seen: set[str]
    ) -> None:
        for selection in selection_set.selections:
            if not self._include(selection):  # type: ignore[arg-type]
                continue
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                grouped.setdefault(key, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                if self._matches(selection.type_condition, runtime):
                    self._collect(runtime, selection.selection_set, grouped, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                if selection.arguments:
                    raise Unsupported("fragment arguments")
                if name in seen:
                    continue
                seen.add(name)
                fragment = self.fragments.get(name)
                if fragment is not None and self._matches(fragment.type_condition, runtime):
                    self._collect(runtime, fragment.selection_set, grouped, seen)
