"""The import direction the house style fixes: ui → app → storage / forms / exports → app.core.domain.

ruff's banned-api rule keeps PySide6 inside ui/; this test checks the rest by reading every import.
"""

from __future__ import annotations

import ast
from pathlib import Path

from vault_fixtures import ROOT

# What each package may import from the others (app's plain-data modules are open to the lower layers).
DOMAIN = {"app.core.domain", "app.core.errors", "app.core.changes"}
RULES: dict[str, tuple[set[str], set[str]]] = {
    # package: (forbidden top-level packages, allowed exceptions as full module names)
    "app": ({"ui", "PySide6", "shiboken6"}, set()),
    "storage": ({"ui", "PySide6", "shiboken6", "app", "forms", "exports"}, DOMAIN),
    "forms": ({"ui", "PySide6", "shiboken6", "app", "storage", "exports"}, DOMAIN),
    "exports": ({"ui", "PySide6", "shiboken6", "app", "storage"}, DOMAIN | {"forms"}),
    "ui": ({"storage", "forms", "exports"}, set()),
    "resources": ({"ui", "app", "storage", "forms", "exports", "PySide6"}, set()),
}


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def test_layers() -> None:
    wrong = []
    for package, (forbidden, allowed) in RULES.items():
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, module in imports(path):
                top = module.split(".")[0]
                ok = any(module == a or module.startswith(a + ".") for a in allowed)
                if top in forbidden and not ok:
                    wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert wrong == []


def test_nothing_outside_ui_imports_ui() -> None:
    for package in ("app", "storage", "forms", "exports"):
        for path in (ROOT / package).rglob("*.py"):
            assert not [m for _, m in imports(path) if m.split(".")[0] == "ui"], path
