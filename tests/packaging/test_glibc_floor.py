"""scripts/check_glibc_floor.py reads the symbol versions ELF files need; checked on this machine's own files."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF and glibc: Linux only")


def _script():
    spec = importlib.util.spec_from_file_location("check_glibc_floor", ROOT / "scripts" / "check_glibc_floor.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up by name
    spec.loader.exec_module(module)
    return module


def _machine_glibc() -> str:
    return (os.confstr("CS_GNU_LIBC_VERSION") or "glibc 0").split()[-1]


def test_reads_the_interpreter(tmp_path: Path) -> None:
    """The Python running the tests needs some GLIBC_2.x, never more than this machine has."""
    check = _script()
    needs = check.read_needs(Path(os.path.realpath(sys.executable)))
    assert needs is not None
    newest = needs.newest("GLIBC")
    assert newest is not None and newest.startswith("2.")
    assert check.version_key(newest) <= check.version_key(_machine_glibc())
    assert check.read_needs(ROOT / "pyproject.toml") is None  # not ELF


def test_folder_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Over a folder: the newest need decides; a floor below it fails, a floor at it passes; text files and
    symlinks are skipped."""
    check = _script()
    python = Path(os.path.realpath(sys.executable))
    shutil.copy(python, tmp_path / "python")
    (tmp_path / "notes.txt").write_text("not ELF", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "python")
    found = check.scan(tmp_path)
    assert [n.path for n in found] == ["python"]
    needed = found[0].newest("GLIBC")
    assert check.main([str(tmp_path), "--floor", needed]) == 0
    assert f"glibc needed: {needed}" in capsys.readouterr().out
    assert check.main([str(tmp_path), "--floor", "2.2"]) == 1
    assert "ABOVE the floor" in capsys.readouterr().out


def test_carried_libstdcxx(tmp_path: Path) -> None:
    """A build carries its own libstdc++: the versions that copy defines are read, and a file asking for a
    newer GLIBCXX than the copy has is reported (it would fail to load whatever the user's glibc)."""
    check = _script()
    known = ("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
             "/usr/lib64/libstdc++.so.6")
    system = [Path(p) for p in known if Path(p).exists()]
    if not system:
        pytest.skip("no system libstdc++.so.6 at a known path")
    shutil.copy(os.path.realpath(system[0]), tmp_path / "libstdc++.so.6")
    found = check.scan(tmp_path)
    copy = found[0]
    assert copy.defines.get("GLIBCXX") and "3.4" in copy.defines["GLIBCXX"]
    assert check.short_of_carried(found) == []
    # A file asking for the newest version the copy has is fine; one asking for more is reported.
    newest = max(copy.defines["GLIBCXX"], key=check.version_key)
    asking = check.ElfNeeds("plugin.so", versions={"GLIBCXX": {newest}})
    assert check.short_of_carried([copy, asking]) == []
    asking.versions["GLIBCXX"] = {newest + ".99"}
    assert check.short_of_carried([copy, asking]) == [
        f"plugin.so needs GLIBCXX_{newest}.99, the carried libstdc++.so.6 has {newest}"]
