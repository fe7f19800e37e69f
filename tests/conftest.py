"""Shared fixtures for every test folder. Qt-free: the ui tests add their own tests/ui/conftest.py.

Vaults are real SQLCipher files in tmp_path with real Argon2id, but with the cheapest parameters the header
accepts (FAST_KDF), so a vault costs milliseconds; only the `xuncha init` test pays for real calibration.
"""

from __future__ import annotations

import io
import os
import tempfile

# Before anything can import Qt (pytest-qt, ui/): no display is needed or wanted.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Per-user state (the unlock throttle) and settings go to a folder of this run, never the developer's own.
os.environ["XUNCHA_TEST_HOME"] = tempfile.mkdtemp(prefix="xuncha-tests-")
os.environ["XDG_STATE_HOME"] = os.path.join(os.environ["XUNCHA_TEST_HOME"], "state")
os.environ["XDG_CONFIG_HOME"] = os.path.join(os.environ["XUNCHA_TEST_HOME"], "config")
os.environ["XDG_DATA_HOME"] = os.path.join(os.environ["XUNCHA_TEST_HOME"], "data")

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bundle_parties import make_group
from vault_fixtures import FAST_KDF, OWNER, PASSWORD, ROOT, cli_env

from app.core.domain import Role
from app.vault.session import Session
from storage import vault as storage_vault

# The vaults of a test process hold invented data only: SQLCipher's memory security (mlock and wipe of
# every allocation, four fifths of a vault's CPU time) stays off, as `xuncha demo` has it, unless
# XUNCHA_TEST_MEMORY_SECURITY=1 (CI sets it). Every process a test starts (the CLI's entry point, the
# fault tests' children, the packaged app) has it on; tests/unit/test_vault.py checks that in one.
if os.environ.get("XUNCHA_TEST_MEMORY_SECURITY") != "1":
    storage_vault.invented_data_only()

TRANSLATIONS = ROOT / "resources" / "translations"


def pytest_configure(config: pytest.Config) -> None:
    """`xuncha selftest` checks the compiled .qm; build it from the .ts when the .ts is there. Once, before
    any test: under pytest-xdist in the controller only, so no two workers write the same .qm."""
    if not hasattr(config, "workerinput") and any(TRANSLATIONS.glob("*.ts")):
        from ui import translations_build

        translations_build.build()


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder / "vault.xuncha"


@pytest.fixture
def session(vault_path: Path) -> Iterator[Session]:
    """A new, empty vault (owner 王建国, leader), unlocked; locked again at teardown."""
    s = Session.create(vault_path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    yield s
    s.lock()


@pytest.fixture
def round_session(session: Session) -> Session:
    """`session` with a round, the owner as leader, one more member and two units."""
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    session.add_member(OWNER, Role.LEADER, "市委巡察办", "13907310021")
    session.add_member("张志远", Role.MEMBER, "云溪县委巡察办", "13517316638")
    town, _ = session.add_unit("中共青石镇委员会", "乡镇党委")
    session.add_unit("东坪村党支部", "村党组织", parent_id=town.id)
    return session


CliRunner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run_cli(tmp_path: Path) -> CliRunner:
    """Run the command line in this process, as `python -m app.cli ARGS` runs it (`app.cli.main.main`), with
    its own environment, standard streams and working folder: the answer is what a process would have given
    (exit code, stdout, stderr), without paying a Python start-up and the imports each time. Passwords go
    through env= or input=, never argv. `run_cli_process` starts the real entry point."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)

    def run(
        *args: str, env: dict[str, str] | None = None, input: str | bytes | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return _cli_in_process(list(args), cli_env(home, **(env or {})), input)

    return run


@pytest.fixture
def run_cli_process(tmp_path: Path) -> CliRunner:
    """Run `python -m app.cli ARGS` as a real process (the entry point, console set-up, exit status)."""
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)

    def run(
        *args: str, env: dict[str, str] | None = None, input: str | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT, env=cli_env(home, **(env or {})), input=input, text=True, capture_output=True,
            stdin=None if input is not None else subprocess.DEVNULL, timeout=timeout,
        )

    return run


def _cli_in_process(argv: list[str], env: dict[str, str],
                    input: str | bytes | None) -> subprocess.CompletedProcess[str]:
    """`input` as text is sent UTF-8; as bytes, exactly those bytes (what a pipe of another encoding gives)."""
    from app.cli.main import main
    from storage import vault_lock

    def stream(data: bytes = b"") -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=None, write_through=True)

    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_program = vault_lock._program
    stdout, stderr = stream(), stream()
    os.environ.clear()
    os.environ.update(env)
    os.chdir(ROOT)
    stdin = input if isinstance(input, bytes) else (input or "").encode("utf-8")
    sys.stdin, sys.stdout, sys.stderr = stream(stdin), stdout, stderr
    try:
        try:
            code = main(argv)
        except SystemExit as exit_:  # argparse's usage errors and --help
            code = exit_.code if isinstance(exit_.code, int) else 0 if exit_.code is None else 1
        stdout.flush()
        stderr.flush()
        out = stdout.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
        err = stderr.buffer.getvalue().decode("utf-8")  # type: ignore[attr-defined]
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        vault_lock.set_program(saved_program)
    return subprocess.CompletedProcess(["xuncha", *argv], code, out, err)


@pytest.fixture
def group(tmp_path: Path) -> Iterator[dict[str, Session]]:
    """The office, the leader, a member and a local member, trusting each other (tests/bundle_parties.py)."""
    parties = make_group(tmp_path / "vaults")
    yield parties
    for s in parties.values():
        s.lock()


@pytest.fixture
def stick(tmp_path: Path) -> Path:
    """An empty folder standing for the USB stick."""
    folder = tmp_path / "stick"
    folder.mkdir()
    return folder
