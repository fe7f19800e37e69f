"""The import direction the house style fixes: ui → app → storage / forms / exports → app.core.

ruff's banned-api rules (pyproject.toml and the .ruff.toml of each layer) say the same at lint time; this
test reads every import, so it holds for a file ruff was told to ignore too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from vault_fixtures import ROOT

# What each package may import from the others (app.core is open to every layer).
CORE = {"app.core"}
QT = {"ui", "PySide6", "shiboken6"}
RULES: dict[str, tuple[set[str], set[str]]] = {
    # package: (forbidden modules, with their submodules; allowed exceptions, with theirs)
    "app": (QT | {"app.cli", "app.demo"}, set()),
    "app.core": (QT | {"app", "storage", "forms", "exports"}, CORE),
    "app.cli": (QT | {"storage"}, set()),
    "app.demo": (QT | {"app.cli", "storage"}, set()),
    "storage": (QT | {"app", "forms", "exports"}, CORE),
    "forms": (QT | {"app", "storage", "exports"}, CORE),
    "exports": (QT | {"app", "storage"}, CORE | {"forms"}),
    "ui": ({"storage", "forms", "exports", "app.demo"}, set()),
    "resources": (QT | {"app", "storage", "forms", "exports"}, set()),
}


def within(module: str, names: set[str]) -> bool:
    return any(module == n or module.startswith(n + ".") for n in names)


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from app import demo` imports app.demo: name what is imported, not only where from.
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_layers() -> None:
    wrong = []
    for package, (forbidden, allowed) in RULES.items():
        # The most specific rule decides: a module of app/cli answers to "app.cli", not to "app".
        inner = [p for p in RULES if p.startswith(package + ".")]
        for path in sorted(ROOT.joinpath(*package.split(".")).rglob("*.py")):
            dotted = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            if any(within(dotted, {p}) for p in inner):
                continue
            for line, module in imports(path):
                if within(module, forbidden) and not within(module, allowed):
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == []


def test_nothing_outside_ui_imports_ui() -> None:
    for package in ("app", "storage", "forms", "exports"):
        for path in (ROOT / package).rglob("*.py"):
            assert not [m for _, m in imports(path) if m.split(".")[0] == "ui"], path
