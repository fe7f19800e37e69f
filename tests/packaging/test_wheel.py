"""Build the wheel from a clean copy of the project, install it into a new virtualenv and run what was installed.

Slow (two PySide6 installs, from pip's cache after the first run): run with `pytest tests/packaging -m slow`.
The copy holds the working tree's files that git tracks or would add, but nothing it ignores (so uncommitted
changes count, but a .qm lying in resources/ cannot hide a build that forgot to make one). pip builds the
wheel the way `pip install .` does, in an isolated environment with only the build requirements of
pyproject.toml, and installs it with its dependencies from the package index. The programs then run from
an empty folder, with HOME and the XDG folders moved there and no XUNCHA_* or PYTHON* variables, so only
the venv can answer.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from app.vault import selftest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
QM = "resources/translations/xuncha_zh_CN.qm"
QM_MAGIC = bytes.fromhex("3cb86418caef9c95cd211cbf60a1bddd")
BIN = "Scripts" if os.name == "nt" else "bin"


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("XUNCHA_", "PYTHON", "XDG_", "VIRTUAL_ENV", "QT_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_STATE_HOME=str(home / "state"), QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8",
               PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def _copy_sources(dest: Path) -> None:
    """The working tree as git would commit it: tracked files and new ones, nothing .gitignore names (.qm,
    build/, .venv/, *.egg-info/). New files count because a tracked module may already import one."""
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, check=True).stdout
    for name in sorted(set(filter(None, listing.decode("utf-8").split("\0")))):
        source = ROOT / name
        if source.is_file():  # a tracked file deleted in the working tree stays out
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, dest / name)


def _run(cmd: list[str | Path], *, cwd: Path, env: dict[str, str], timeout: float = 900) -> str:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, encoding="utf-8", timeout=timeout, check=False)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel, the new venv it is installed in)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout: git lists the files the wheel is built from")
    work = tmp_path_factory.mktemp("wheel")
    source, home = work / "source", work / "home"
    home.mkdir()
    _copy_sources(source)
    assert not list(source.rglob("*.qm")), "a compiled translation is in git, or no longer ignored"
    env = _clean_env(home)
    started = time.monotonic()
    _run([sys.executable, "-m", "venv", work / "venv"], cwd=work, env=env)
    python = work / "venv" / BIN / "python"
    # The venv's own pip, as ensurepip gives it: the pip a user of a fresh virtualenv has.
    _run([python, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", work / "wheels", source], cwd=work, env=env)
    wheel_made = time.monotonic()
    (wheel,) = (work / "wheels").glob("xuncha-*.whl")
    _run([python, "-m", "pip", "install", wheel], cwd=work, env=env)
    print(f"\nwheel: built in {wheel_made - started:.0f} s, installed in {time.monotonic() - wheel_made:.0f} s")
    return wheel, work / "venv"


@pytest.fixture
def run(built: tuple[Path, Path], tmp_path: Path):
    """Run a program of the new venv from an empty folder, with no user data in reach."""
    venv = built[1]
    home = tmp_path / "home"
    home.mkdir()
    env = _clean_env(home)

    def _run_program(program: str, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(venv / BIN / program), *args], cwd=tmp_path, env=env,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8",
                              timeout=300, check=False)

    return _run_program


def test_the_wheel_holds_the_compiled_translation(built: tuple[Path, Path]) -> None:
    with zipfile.ZipFile(built[0]) as wheel:
        names = wheel.namelist()
        assert QM in names, "the build did not compile the .ts into the wheel"
        assert wheel.read(QM).startswith(QM_MAGIC)
    assert not [n for n in names if n.startswith(("tests/", "bench/", "scripts/"))]


def test_the_app_runs_from_the_venv(run, built: tuple[Path, Path]) -> None:
    """The modules come from the venv's site-packages, not from the source tree or the copy."""
    proc = run("python", "-c", "import app, resources; print(app.__file__); print(resources.__path__[0])")
    assert proc.returncode == 0, proc.stderr
    for line in proc.stdout.splitlines():
        assert Path(line).resolve().is_relative_to(built[1].resolve()) and "site-packages" in line, line


def test_selftest(run) -> None:
    proc = run("xuncha", "selftest")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for name, _ in selftest.CHECKS:
        assert any(line.startswith("[  OK]") and f"] {name}: " in line for line in lines), (name, proc.stdout)
    assert any(line.startswith("[  OK] translations: xuncha_zh_CN.qm") for line in lines), proc.stdout


def test_help(run) -> None:
    proc = run("xuncha", "--help")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: xuncha")
    assert "selftest" in proc.stdout


def test_the_gui_loads_its_translation(run) -> None:
    """The installed GUI entry point answers --help, and Qt loads the installed .qm: 错误, not Error."""
    proc = run("xuncha-gui", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout.lower()
    script = (
        "from PySide6.QtCore import QCoreApplication\n"
        "from ui.main import install_translations\n"
        "app = QCoreApplication([])\n"
        "translators = install_translations(app)\n"
        "print(QCoreApplication.translate('Context', 'Error'))\n"
    )
    proc = run("python", "-c", script)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "错误"
