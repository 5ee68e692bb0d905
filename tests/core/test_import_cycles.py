"""No import cycle among the GraphQL modules or inside core.fuzzydates (issue 22).

The graph is read from the source: every ``import`` and ``from ... import`` a module runs,
at module level or inside a function, counts; imports under ``if TYPE_CHECKING:`` do not
(they never run). Importing ``a.b.c`` from outside package ``a.b`` runs ``a/b/__init__.py``
too, so that counts as an edge to ``a.b`` as well.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("config", "core", "events", "people", "places", "seeds", "audit", "bench")

# The modules that must sit in no cycle, whatever else they import.
GRAPHQL_MODULES = (
    "config.schema",
    "config.graphql",
    "core.graphql",
    "events.types",
    "events.schema",
    "people.types",
    "people.schema",
    "places.types",
    "places.schema",
)
FUZZYDATES = ("core.fuzzydates",)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported(tree: ast.AST, package: str) -> set[str]:
    """Dotted names this module's code imports (TYPE_CHECKING blocks left out)."""
    names: set[str] = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                pending.extend(child.orelse)
                continue
            if isinstance(child, ast.Import):
                names.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in child.names)
            pending.append(child)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module → the project modules it imports (and the packages whose ``__init__`` that runs)."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for imported in _imported(ast.parse(path.read_text()), package):
            parts = imported.split(".")
            for end in range(1, len(parts) + 1):
                prefix = ".".join(parts[:end])
                # A package we are inside is initialised already: no edge to it.
                if prefix in modules and prefix != name and not name.startswith(prefix + "."):
                    targets.add(prefix)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _within(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


@pytest.mark.parametrize("roots", [GRAPHQL_MODULES, FUZZYDATES], ids=["graphql", "fuzzydates"])
def test_no_import_cycle_through(roots: tuple[str, ...]) -> None:
    graph = import_graph()
    assert any(_within(module, roots) for module in graph), "the modules checked exist"
    tangled = [sorted(c) for c in cycles(graph) if any(_within(m, roots) for m in c)]
    assert tangled == []


def test_the_graph_sees_a_cycle() -> None:
    """The check itself: a cycle written into a graph is found, an in-function import counts."""
    tree = ast.parse("def f():\n    from b import x\nif TYPE_CHECKING:\n    import c\n")
    assert _imported(tree, "a") == {"b", "b.x"}
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
