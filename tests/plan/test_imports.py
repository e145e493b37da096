"""The parser's modules import one another without a cycle: every import in ``duban.plan`` (at the top, inside
a function or under ``TYPE_CHECKING``) is an edge, and the graph they make must have an order. The grammars in
particular never import each other: both write the skeleton through ``skeleton.SkeletonBuilder``."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import duban.plan

PLAN_DIR = Path(duban.plan.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for info in pkgutil.walk_packages([str(PLAN_DIR)], prefix="duban.plan."):
        spec = importlib.util.find_spec(info.name)
        assert spec is not None and spec.origin is not None
        found[info.name] = Path(spec.origin)
    return found


def _imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The plan modules ``name`` imports (a package's ``__init__`` importing its own modules is not counted:
    that is how a package offers them, not a dependency of theirs on it)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                if f"{base}.{alias.name}" in modules:
                    out.add(f"{base}.{alias.name}")
                elif base in modules:
                    out.add(base)
    out.discard(name)
    if path.name == "__init__.py":
        out = {m for m in out if not m.startswith(name + ".")}
    return out - {"duban.plan"}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, set(modules)) for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of the graph, if it has one (depth-first search, grey nodes on the current path)."""
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_sees_the_parser_and_its_edges() -> None:
    graph = _graph()
    assert {
        "duban.plan.structure",
        "duban.plan.tables",
        "duban.plan.skeleton",
        "duban.plan.read.docx",
    } <= set(graph)
    assert "duban.plan.skeleton" in graph["duban.plan.structure"]
    assert "duban.plan.skeleton" in graph["duban.plan.tables"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_import_cycle_in_the_parser() -> None:
    assert _cycle(_graph()) is None


def test_the_grammars_do_not_import_each_other() -> None:
    graph = _graph()
    assert "duban.plan.tables" not in graph["duban.plan.skeleton"]
    assert "duban.plan.structure" not in graph["duban.plan.skeleton"]
    assert "duban.plan.structure" not in graph["duban.plan.tables"]


def test_no_module_reaches_into_the_builders_private_state() -> None:
    """``SkeletonBuilder``'s ``_`` attributes are its own: no other module names them."""
    for path in PLAN_DIR.rglob("*.py"):
        if path.name == "skeleton.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in {"_sk", "_stack", "_item", "_children"}:
                raise AssertionError(f"{path.name}:{node.lineno} uses the builder's {node.attr}")
