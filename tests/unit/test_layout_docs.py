"""The layout is documented where a newcomer looks: every package of app/ says in its __init__.py what it
owns, and appears in the README's table and in docs/developing.md's map; every folder those name exists."""

from __future__ import annotations

import ast
import re

from vault_fixtures import ROOT

APP_PACKAGES = sorted(p.parent.name for p in (ROOT / "app").glob("*/__init__.py"))
TOP_PACKAGES = ("app", "storage", "forms", "exports", "ui")


def test_every_package_says_what_it_owns() -> None:
    inits = [ROOT / "app" / name / "__init__.py" for name in APP_PACKAGES]
    inits += [ROOT / name / "__init__.py" for name in TOP_PACKAGES]
    for init in inits:
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 150, f"{init.relative_to(ROOT)} needs a paragraph on what it owns"


def test_readme_and_map_name_every_package_of_app() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    developing = (ROOT / "docs" / "developing.md").read_text(encoding="utf-8")
    assert len(APP_PACKAGES) >= 8, APP_PACKAGES
    for name in APP_PACKAGES:
        assert f"`app/{name}/`" in readme, f"README.md's table misses app/{name}/"
        assert f"`app/{name}`" in developing, f"docs/developing.md's map misses app/{name}"


def test_every_folder_the_readme_names_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Where things are"):]
    folders = re.findall(r"`([a-z_/]+/)`", table)
    assert "app/core/" in folders
    for folder in folders:
        assert (ROOT / folder).is_dir(), f"README.md names {folder}, which is not in the tree"
