"""The shape of the code, checked: the layers import only downwards and no modules import each other in a ring.

A newcomer reads the architecture from the tree (README, 代码结构); these tests keep the tree honest when a
quick fix would reach across a layer."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"

# What each layer may import of duban, by module prefix. The parser knows nothing of the ledger; the ledger
# knows nothing of HTTP, documents or the command line; the ledger's pure rules know nothing of storage.
FORBIDDEN = {
    "duban.plan": ("duban.ledger", "duban.web", "duban.outputs", "duban.cli"),
    "duban.ledger": ("duban.web", "duban.outputs", "duban.cli"),
    "duban.ledger.rules": ("duban.ledger.store", "duban.ledger.services", "duban.ledger.views", "sqlalchemy"),
    "duban.outputs": ("duban.web", "duban.cli"),
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module of this source tree or outside it that ``path`` imports, ``from a import b`` resolved to
    the module ``a.b`` when that is a module."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                names.add(full if full in modules else node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) for name, path in modules.items()}


def test_layers_import_only_downwards(graph: dict[str, set[str]]) -> None:
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for layer, banned in FORBIDDEN.items()
        if module == layer or module.startswith(layer + ".")
        for target in targets
        if any(target == b or target.startswith(b + ".") for b in banned)
    ]
    assert wrong == []


def _rings(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    edges = {m: sorted(t for t in targets if t in graph and t != m) for m, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    rings: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if child < len(edges[node]):
                work.append((node, child + 1))
                target = edges[node][child]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            for target in edges[node]:
                if target in on_stack:
                    low[node] = min(low[node], low[target])
            if low[node] == index[node]:
                ring = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    ring.append(member)
                    if member == node:
                        break
                if len(ring) > 1:
                    rings.append(sorted(ring))
    return rings


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    assert _rings(graph) == []


def test_the_ring_finder_finds_a_ring() -> None:
    assert _rings({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


ROUTERS = SRC / "duban" / "web" / "routers"


def _calls_changelog_record(tree: ast.AST) -> bool:
    """``changelog.record(...)`` or a bare ``record(...)`` imported from the change log."""
    imported = any(
        isinstance(node, ast.ImportFrom)
        and node.module == "duban.ledger.store.changelog"
        and any(a.name == "record" for a in node.names)
        for node in ast.walk(tree)
    )
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "record"
            and ast.unparse(func.value) == "changelog"
        ):
            return True
        if imported and isinstance(func, ast.Name) and func.id == "record":
            return True
    return False


def test_routers_hold_no_queries_and_write_no_log() -> None:
    """Routers are adapters: the queries live in ledger services and read models, and the change log is
    written where the change is made (the transition layer or a service), never where the request arrives."""
    routers = sorted(ROUTERS.rglob("*.py"))
    assert routers, "no router found: the test would pass on nothing"
    # ``session.get(Model, id)`` is a query too: looking an object up (and refusing it) is the ledger's job
    with_queries = [
        p.name for p in routers if re.search(r"select\(|session\.get\(", p.read_text(encoding="utf-8"))
    ]
    logging = [p.name for p in routers if _calls_changelog_record(ast.parse(p.read_text(encoding="utf-8")))]
    assert with_queries == []
    assert logging == []


def test_the_log_call_finder_finds_a_call() -> None:
    assert _calls_changelog_record(ast.parse("changelog.record(s, u, 'task', 1, 'correct', {}, {}, now)"))
    assert _calls_changelog_record(ast.parse("from duban.ledger.store.changelog import record\nrecord(1)"))
    assert not _calls_changelog_record(ast.parse("transitions.record(s, move, u, 1, None, None, now)"))


# The services that write the change log themselves: each changes something that has no workflow state (a
# task's fields, the directory, accounts, settings, periods), so there is no move of the transition table
# to make; every call in them carries a comment saying so. Anything else goes through transitions.
LOGGING_SERVICES = {
    "duban/ledger/store/transitions.py",
    "duban/ledger/services/auth.py",
    "duban/ledger/services/units.py",
    "duban/ledger/services/publishing.py",
    "duban/ledger/services/importing.py",
    "duban/ledger/services/reports.py",
    "duban/ledger/services/periods.py",
    "duban/ledger/services/jurisdictions.py",
    "duban/ledger/services/plan_rules.py",
    "duban/ledger/services/directory.py",
    "duban/ledger/services/tasks.py",
    "duban/ledger/services/requests.py",
    "duban/ledger/services/delivery.py",
    "duban/ledger/services/contacts.py",
    "duban/ledger/services/drafting.py",
    "duban/ledger/demo/activity.py",
}


def test_the_change_log_is_written_only_by_the_named_services() -> None:
    writers = {
        path.relative_to(SRC).as_posix()
        for path in SRC.rglob("*.py")
        if _calls_changelog_record(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert writers <= LOGGING_SERVICES


def test_every_log_write_outside_the_transitions_says_why() -> None:
    """A service writing the change log itself names, in a comment just above the call, why its change is
    not a move of the transition table (else it should be one)."""
    silent = []
    for name in sorted(LOGGING_SERVICES - {"duban/ledger/store/transitions.py"}):
        lines = (SRC / name).read_text(encoding="utf-8").splitlines()
        for at, line in enumerate(lines):
            if "changelog.record(" in line and not any(
                "Not a transition" in x for x in lines[max(0, at - 3) : at]
            ):
                silent.append(f"{name}:{at + 1}")
    assert silent == []
