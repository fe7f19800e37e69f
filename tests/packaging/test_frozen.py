"""Build the frozen app with build.spec (PyInstaller, one folder) and run what was built.

Slow (a clean build): run with `pytest tests/packaging -m slow`. The build goes to a temporary
--distpath/--workpath, never to the repository's build/ and dist/. The frozen programs run from a temporary
folder with HOME and the XDG folders pointed there, so they cannot see the source tree or the user's data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from app import __version__
from app.vault import selftest
from storage.migrations import SCHEMA_VERSION

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "build.spec"
TRANSLATIONS = ROOT / "resources" / "translations"
GUI_SOURCE = ROOT / "ui" / "main.py"
PASSWORD = "青石镇巡察2026!"
# Today's build is about 190 MB; this catches a heavy Qt module or a stray data set sneaking in.
MAX_DIST_BYTES = 400 * 1024 * 1024
# Qt modules the GUI does not use; the build must ship neither their bindings (PySide6/QtNetwork.abi3.so)
# nor their libraries (libQt6Network.so.6).
UNWANTED_QT = ("Network", "Qml", "Quick", "Pdf", "Sql", "Test", "WebEngine", "Multimedia", "3D", "Charts")


def _tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("PyInstaller", reason="the build extra is not installed (pip install -e .[build])")
    if any(TRANSLATIONS.glob("*.ts")):
        from ui import translations_build

        translations_build.build()
    out = tmp_path_factory.mktemp("pyinstaller")
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean",
         "--distpath", str(out / "dist"), "--workpath", str(out / "build"), str(SPEC)],
        cwd=ROOT, capture_output=True, text=True, timeout=1800, check=False,
    )
    assert proc.returncode == 0, f"pyinstaller failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-8000:]}"
    folder = out / "dist" / "xuncha"
    seconds, mib = time.monotonic() - started, _tree_size(folder) / 2**20
    print(f"\nfrozen build: {seconds:.0f} s, {mib:.0f} MiB in {folder}")
    return folder


@pytest.fixture
def run(dist: Path, tmp_path: Path):
    """Run one of the frozen programs from an empty folder, with no password and no user data in reach."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XUNCHA_", "PYTHON", "XDG_"))}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               QT_QPA_PLATFORM="offscreen", LANG="C.UTF-8")

    def _run(program: str, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
        extra = {"XUNCHA_PASSWORD": password} if password is not None else {}
        return subprocess.run(
            [str(dist / program), *args], cwd=tmp_path, env={**env, **extra}, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        )

    return _run


def test_one_folder_with_both_programs(dist: Path) -> None:
    for program in ("xuncha", "xuncha-gui"):
        assert (dist / program).is_file() and os.access(dist / program, os.X_OK), program
    internal = dist / "_internal"
    # Data files where importlib.resources looks for them in the frozen app.
    assert (internal / "resources" / "taxonomy" / "default.json").is_file()
    assert (internal / "resources" / "capture" / "interview.json").is_file()
    assert (internal / "resources" / "help" / "petition.md").is_file()  # the user guide, offline
    assert (internal / "resources" / "translations" / "xuncha_zh_CN.qm").is_file()
    assert (internal / "resources" / "translations" / "qt_extra_zh_CN.qm").is_file()
    shipped = {p.name for p in (internal / "storage" / "migrations").glob("*.sql")}
    assert shipped == {p.name for p in (ROOT / "storage" / "migrations").glob("*.sql")}
    # Qt's own Chinese strings, and no other language of them.
    qt_translations = {p.name for p in (internal / "PySide6" / "Qt" / "translations").iterdir()}
    assert qt_translations == {"qtbase_zh_CN.qm"}
    # Libraries left out on purpose (build.spec: QT_DROP) leave no symlink pointing at nothing.
    assert not [p for p in dist.rglob("*") if p.is_symlink() and not p.exists()]


def test_nothing_unwanted_is_bundled(dist: Path) -> None:
    names = [p.relative_to(dist).as_posix() for p in dist.rglob("*")]
    for module in UNWANTED_QT:
        assert not [n for n in names if f"Qt{module}" in n or f"Qt6{module}" in n], module
    assert not [n for n in names if "tkinter" in n or "libtk" in n or "libtcl" in n]
    # Sources, tests and vaults stay out: only compiled translations, no .ts, no test or demo data.
    assert not [n for n in names if n.endswith((".ts", ".xuncha", ".age")) or "/tests/" in n or ".demo" in n]
    assert _tree_size(dist) < MAX_DIST_BYTES


def test_version(run) -> None:
    proc = run("xuncha", "version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"xuncha {__version__}"


def test_selftest(run) -> None:
    proc = run("xuncha", "selftest")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    for name, _ in selftest.CHECKS:
        assert any(line.startswith("[  OK]") and f"] {name}: " in line for line in lines), (name, proc.stdout)
    assert "xuncha_zh_CN.qm" in proc.stdout
    # UTF-8 mode is on in the frozen programs (build.spec), not merely a UTF-8 locale: this environment's
    # LANG is C.UTF-8, under which Python would leave the mode off on its own.
    assert "] encoding: UTF-8 mode" in proc.stdout


def test_init_and_info(run, tmp_path: Path) -> None:
    vault = tmp_path / "v.xuncha"
    proc = run("xuncha", "--vault", str(vault), "init", "--name", "测试", "--role", "member",
               password=PASSWORD)
    assert proc.returncode == 0, proc.stderr
    assert vault.is_file()

    proc = run("xuncha", "--vault", str(vault), "info", password=PASSWORD)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    assert info["vault"] == str(vault)
    assert info["owner"] == "测试"
    assert info["role"] == "member"
    assert info["schema_version"] == SCHEMA_VERSION
    assert info["round"] is None
    assert info["members"] == 0 and info["units"] == 0 and info["records"] == {}
    assert info["audit_entries"] >= 1

    proc = run("xuncha", "--vault", str(vault), "info", password=PASSWORD + "x")
    assert proc.returncode == 3  # a wrong password has its own exit code (xuncha --help)
    assert "wrong password" in proc.stderr


def test_documents_are_exported(run, tmp_path: Path) -> None:
    """Templates, python-docx's own template, reportlab, Pillow and the fonts are all in the frozen build."""
    vault = tmp_path / "demo.xuncha"
    proc = run("xuncha", "--vault", str(vault), "demo", "--scale", "3", password=PASSWORD)
    assert proc.returncode == 0, proc.stderr
    for fmt in ("docx", "pdf"):
        out = tmp_path / f"issues.{fmt}"
        proc = run("xuncha", "--vault", str(vault), "report", "issues", "--format", fmt, "--out", str(out),
                   "--recipient", "组务会", password=PASSWORD)
        assert proc.returncode == 0, proc.stderr
        assert out.read_bytes()[:4] in (b"PK\x03\x04", b"%PDF")
    # A tally's charts: Pillow with FreeType draws them into the DOCX as PNG pictures.
    out = tmp_path / "tally.docx"
    proc = run("xuncha", "--vault", str(vault), "report", "tally:mzcp-banzi", "--format", "docx", "--out", str(out),
               "--recipient", "组务会", password=PASSWORD)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as docx:
        pictures = [n for n in docx.namelist() if n.startswith("word/media/") and n.endswith(".png")]
        assert pictures and all(docx.read(n).startswith(b"\x89PNG") for n in pictures)


def test_weak_password_refused(run, tmp_path: Path) -> None:
    """zxcvbn's frequency lists are inside the frozen app: a dictionary password long enough to pass the
    length floor must still be refused."""
    vault = tmp_path / "weak.xuncha"
    proc = run("xuncha", "--vault", str(vault), "init", "--name", "测试", "--role", "member",
               password="password123456")
    assert proc.returncode == 1
    assert "too easy to guess" in proc.stderr
    assert not vault.exists()


def test_gui_starts(run) -> None:
    """The frozen xuncha-gui loads (Python, PySide6 import, ui.main) and answers --help without a window.

    Only where ui/main.py parses its arguments with argparse (so --help prints usage and exits before Qt
    shows anything); otherwise --help could open the main window, so the check is skipped."""
    source = GUI_SOURCE.read_text(encoding="utf-8")
    if "argparse" not in source or "add_help=False" in source:
        pytest.skip("ui/main.py has no argparse --help: no quick path that avoids opening a window")
    proc = run("xuncha-gui", "--help")
    assert proc.returncode == 0, proc.stderr
    assert "usage:" in proc.stdout.lower()


FCITX5_PLUGIN = "libfcitx5platforminputcontextplugin.so"


def test_glibc_floor(dist: Path) -> None:
    """The newest GLIBC_x.y any ELF file of the build asks for (scripts/check_glibc_floor.py) is the oldest
    glibc it starts on. PyInstaller copies the build machine's libraries, so only a build made on the floor
    release (Debian 11, glibc 2.31; docs/building.md) can meet the floor: on a newer machine the figure is
    printed and the check skipped, since no build there could pass it."""
    script = ROOT / "scripts" / "check_glibc_floor.py"
    proc = subprocess.run([sys.executable, str(script), str(dist), "--json"], capture_output=True, text=True,
                          timeout=300, check=False)
    report = json.loads(proc.stdout)
    needed, floor = report["glibc_needed"], report["floor"]
    machine = (os.confstr("CS_GNU_LIBC_VERSION") or "glibc 0").split()[-1]  # "glibc 2.36"
    print(f"\nfrozen build needs glibc {needed}; floor {floor}; built on glibc {machine}")
    assert report["files"]["xuncha"] and report["files"]["xuncha-gui"]  # the bootloaders were read
    # Whatever the machine: nothing needs a newer libstdc++ than the copy the build carries.
    assert report["short_of_carried"] == [], report["short_of_carried"]
    # Nothing in the build can ask for more than the machine it was built on had.
    key = lambda text: tuple(int(part) for part in text.split("."))  # noqa: E731
    assert key(needed) <= key(machine)
    if key(machine) > key(floor):
        pytest.skip(f"built on glibc {machine}, above the floor {floor}: the build needs {needed}; "
                    "a release build is made on Debian 11 (docs/building.md)")
    assert proc.returncode == 0 and not report["above_floor"], proc.stdout


def test_fcitx5_plugin(dist: Path, tmp_path: Path) -> None:
    """With XUNCHA_FCITX5_PLUGIN set (docs/platforms.md), the build carries the fcitx5 input-context plugin
    next to Qt's own ones, where ui.main finds it and no longer swaps fcitx for ibus, and the frozen GUI
    loads it when the desktop asks for fcitx5."""
    if not os.environ.get("XUNCHA_FCITX5_PLUGIN"):
        pytest.skip("XUNCHA_FCITX5_PLUGIN unset: this build has no fcitx5 plugin (scripts/build_fcitx5_plugin.sh)")
    folder = dist / "_internal" / "PySide6" / "Qt" / "plugins" / "platforminputcontexts"
    plugin = folder / FCITX5_PLUGIN
    assert plugin.is_file(), sorted(p.name for p in folder.iterdir())
    assert plugin.read_bytes()[:4] == b"\x7fELF"
    # Qt's plugin metadata names both keys the desktops use (QT_IM_MODULE=fcitx or fcitx5).
    data = plugin.read_bytes()
    assert b"QFcitx5PlatformInputContextPlugin" in data and b"fcitx5" in data

    # The frozen GUI, asked for fcitx5, loads this plugin (Qt reports each plugin it loads). The GUI does not
    # exit by itself: it is stopped once the line is seen, or by the watchdog if it never comes.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XUNCHA_", "PYTHON", "XDG_", "QT_"))}
    env.update(HOME=str(tmp_path), QT_QPA_PLATFORM="offscreen", QT_IM_MODULE="fcitx5", QT_DEBUG_PLUGINS="1",
               LANG="C.UTF-8")
    gui = subprocess.Popen([str(dist / "xuncha-gui")], cwd=tmp_path, env=env, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, errors="replace")
    watchdog = threading.Timer(120, gui.kill)
    watchdog.start()
    loaded = False
    try:
        assert gui.stderr is not None
        for line in gui.stderr:
            if FCITX5_PLUGIN in line and "loaded library" in line and "unloaded" not in line:
                loaded = True
                break
    finally:
        watchdog.cancel()
        gui.kill()
        gui.wait()
    assert loaded, "the frozen xuncha-gui did not load the fcitx5 plugin"
