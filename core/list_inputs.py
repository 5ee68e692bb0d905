"""GraphQL inputs of child lists: each list whole, and its rows to add and to remove (issue 19).

An update input has, for each child list ``name``, ``name`` (the whole list: "set it to
this"), ``name_add`` and ``name_remove`` (rows matched on the list's identity, applied to the
rows stored when the write holds the record's lock; ``core.services.ListEdit``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import strawberry

from core.graphql.mutations import ReferenceResolver
from core.services import ListEdit

ListRows = Callable[[list[Any], ReferenceResolver, str], list[Any]]
LIST_VERBS = ("", "_add", "_remove")


def list_input_names(builders: Mapping[str, ListRows]) -> frozenset[str]:
    """The input fields of child lists: each list whole, and its rows to add and to remove."""
    return frozenset(f"{name}{verb}" for name in builders for verb in LIST_VERBS)


def list_arguments(data: object, builders: Mapping[str, ListRows], refs: ReferenceResolver) -> dict[str, Any]:
    """Service arguments for the child lists of an input: whole lists, and rows to add or remove.

    ``builders[name](items, refs, at)`` turns one list's input rows into service rows, resolving
    slugs and codes through ``refs`` with errors keyed under ``at`` (``countries_add.1``).
    """
    arguments: dict[str, Any] = {}
    edits = {}
    for name, build in builders.items():
        if (items := getattr(data, name)) is not strawberry.UNSET and items is not None:
            arguments[name] = build(items, refs, name)
        add, remove = (getattr(data, f"{name}_{verb}", strawberry.UNSET) for verb in ("add", "remove"))
        if add or remove:  # UNSET, null and [] all change nothing
            edits[name] = ListEdit(
                add=build(add or [], refs, f"{name}_add"), remove=build(remove or [], refs, f"{name}_remove")
            )
    if edits:
        arguments["list_edits"] = edits
    return arguments
