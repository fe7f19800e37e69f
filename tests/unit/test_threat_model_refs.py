"""docs/threat-model.md names the test behind every promise: each `tests/...py` file it names exists, and each
`tests/...py::test_name` (or `::other_name` after a full reference in the same table cell) is a test in it.
A promise whose test was renamed or removed is a promise nobody checks."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from vault_fixtures import ROOT

THREAT_MODEL = ROOT / "docs" / "threat-model.md"
# A full reference (tests/x/test_y.py, optionally ::name) or a shorthand ::name for the last file named.
REFERENCE = re.compile(r"(?P<path>tests/[\w/]+\.py)(?:::(?P<name>\w+))?|(?<![\w/])::(?P<short>\w+)")
# Other files of the tree that a promise names as its "how" or its test (app/vault/selftest.py).
SOURCE_PATH = re.compile(r"`((?:app|storage|forms|exports|ui|tests|resources|bench)/[\w/.-]+\.(?:py|sql|json))`")


def cells(text: str) -> list[tuple[int, str]]:
    """(line number, text) of every table cell, and of every other line as one cell. `\\|` inside a
    cell (a shell pipe) does not split it."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("|"):
            found += [(number, cell) for cell in re.split(r"(?<!\\)\|", line) if cell.strip()]
        else:
            found.append((number, line))
    return found


def references(text: str) -> list[tuple[int, str, str | None]]:
    """(line, test file, test name or None) of every test the text names."""
    refs: list[tuple[int, str, str | None]] = []
    for number, cell in cells(text):
        current: str | None = None
        for match in REFERENCE.finditer(cell):
            if match["path"]:
                current = match["path"]
                refs.append((number, current, match["name"]))
            else:
                assert current is not None, f"line {number}: ::{match['short']} follows no tests/...py in its cell"
                refs.append((number, current, match["short"]))
    return refs


@cache
def defined_names(path: Path) -> frozenset[str]:
    """Functions and classes at the top of a test module (what pytest's `file::name` can point at)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(node.name for node in tree.body
                     if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)))


def test_the_parser_reads_full_references_and_shorthands_in_the_same_cell() -> None:
    text = ("| a | how | `tests/unit/test_kdf.py::test_one`, `::test_two`, `tests/faults/test_x.py` |\n"
            "| b | `age -d \\| tar x` | `tests/unit/test_vault.py::test_three`, `::test_four` |\n"
            "- prose naming `tests/unit/test_audit.py` and `tests/ui/test_shell.py::test_five`\n")
    assert references(text) == [
        (1, "tests/unit/test_kdf.py", "test_one"), (1, "tests/unit/test_kdf.py", "test_two"),
        (1, "tests/faults/test_x.py", None),
        (2, "tests/unit/test_vault.py", "test_three"), (2, "tests/unit/test_vault.py", "test_four"),
        (3, "tests/unit/test_audit.py", None), (3, "tests/ui/test_shell.py", "test_five")]


def test_every_test_the_threat_model_names_exists() -> None:
    refs = references(THREAT_MODEL.read_text(encoding="utf-8"))
    assert len(refs) > 50, "the threat model should name its tests"
    missing = []
    for line, file, name in refs:
        path = ROOT / file
        if not path.is_file():
            missing.append(f"line {line}: {file} does not exist")
        elif name is not None and name not in defined_names(path):
            missing.append(f"line {line}: {file} has no {name}")
    assert not missing, "docs/threat-model.md names tests that are not there:\n" + "\n".join(missing)


def test_every_file_the_threat_model_names_exists() -> None:
    paths = SOURCE_PATH.findall(THREAT_MODEL.read_text(encoding="utf-8"))
    assert "app/vault/selftest.py" in paths
    missing = sorted({p for p in paths if not (ROOT / p).is_file()})
    assert not missing, f"docs/threat-model.md names files that are not there: {missing}"
