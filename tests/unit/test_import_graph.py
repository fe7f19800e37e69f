"""The runtime import graph has no circle: not between modules, and not between the packages of app/.

A service may name the Session in a type hint (under `if TYPE_CHECKING:`, as Anki's managers name `col`);
that import never runs, so it is not an edge here. Every other import is, including one inside a function:
it runs too, only later. See docs/developing.md for the map this keeps honest.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from vault_fixtures import ROOT

PACKAGES = ("app", "storage", "forms", "exports", "ui")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {module_name(p): p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py"))
            if p.name != "__main__.py"}


def runtime_imports(path: Path) -> set[str]:
    """Every module name an import statement in `path` may load when it runs, outside TYPE_CHECKING."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for stmt in child.orelse:
                    visit_one(stmt)
                continue
            visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        else:
            visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def graph() -> dict[str, set[str]]:
    """module -> the project modules it imports at run time (a `from a import b` names a.b if it is one)."""
    modules = all_modules()
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        for imported in runtime_imports(path):
            target = imported
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                edges[name].add(target)
    return edges


def package_of(module: str) -> str:
    """app.capture.records -> app.capture; storage.vault -> storage; app (the version) -> app."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "app" and len(parts) > 2 else parts[0]


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected parts with more than one member (Tarjan), each as a path that closes."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                part.append(top)
                if top == node:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for node in sorted(edges):
        if node not in index:
            connect(node)
    return found


def test_no_module_imports_itself_in_a_circle() -> None:
    assert circles(graph()) == []


def test_no_circle_between_packages() -> None:
    packages: dict[str, set[str]] = defaultdict(set)
    for module, targets in graph().items():
        for target in targets:
            if package_of(module) != package_of(target):
                packages[package_of(module)].add(package_of(target))
    assert circles(packages) == []


def test_the_check_finds_a_circle() -> None:
    """The walker itself: a made-up circle is found, a type-only import is not an edge."""
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    session = ROOT / "app" / "capture" / "records.py"
    assert "app.vault.session.Session" not in runtime_imports(session)
    assert "app.vault.session" in {t for targets in graph().values() for t in targets}
