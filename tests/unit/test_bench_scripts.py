"""Each benchmark in bench/ starts: run as documented (`python bench/NAME.py`), its --help prints and exits 0.

A script's own folder comes first on sys.path, so a bench named like a package (bench/forms.py) would stand
in for that package in every import the bench makes: no file in bench/ may share a name with one.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

import pytest
from vault_fixtures import ROOT

BENCH = ROOT / "bench"
SCRIPTS = sorted(p for p in BENCH.glob("bench_*.py"))


def test_there_are_benchmarks() -> None:
    assert len(SCRIPTS) >= 7, SCRIPTS


def test_no_file_in_bench_shadows_a_module() -> None:
    own = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    for path in BENCH.glob("*.py"):
        assert path.stem not in own, f"{path.name} would shadow the {path.stem} package"
        # Nor anything installed (a bench called bagit.py or docx.py would break its own imports).
        assert importlib.util.find_spec(path.stem) is None, f"{path.name} would shadow the module {path.stem}"


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_bench_help(script: os.PathLike[str]) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, env=env,
                          cwd=BENCH, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
