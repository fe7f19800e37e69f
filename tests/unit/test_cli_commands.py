"""`xuncha` as a real process: exit codes, messages, and passwords that never travel in argv."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from briefings import briefing
from vault_fixtures import FAST_KDF, NEW_PASSWORD, OWNER, PASSWORD, ROOT

from app import __version__
from app.cli import main as cli
from app.core.domain import Role
from app.core.errors import Cancelled
from app.demo import scenario as demo
from app.vault.session import Session
from app.vault.unlock_throttle import FREE_ATTEMPTS
from storage import kdf
from storage.migrations import SCHEMA_VERSION
from storage.vault import PAGE_SIZE

QM = ROOT / "resources" / "translations" / "xuncha_zh_CN.qm"
WITH_PASSWORD = {"XUNCHA_PASSWORD": PASSWORD}
CJK = re.compile(r"[\u4e00-\u9fff]")

Cli = Callable[..., subprocess.CompletedProcess[str]]


def _no_password_in_argv(runner: Cli) -> Cli:
    """`runner`, refusing any call that would put a password in argv (visible in ps and shell history)."""

    def run(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
        assert not any(secret in arg for arg in args for secret in (PASSWORD, NEW_PASSWORD))
        return runner(*args, **kwargs)

    return run


@pytest.fixture
def xuncha(run_cli: Cli) -> Cli:
    """The command line, run in this process."""
    return _no_password_in_argv(run_cli)


@pytest.fixture
def xuncha_process(run_cli_process: Cli) -> Cli:
    """The command line as a real process (`python -m app.cli`): for the tests of what only a process shows,
    its exit status, argparse's exit, a standard input that is /dev/null."""
    return _no_password_in_argv(run_cli_process)


@pytest.fixture
def vault(vault_path: Path) -> Path:
    """A locked vault with a round (fast KDF); the CLI unlocks it with the parameters in its header."""
    s = Session.create(vault_path, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    s.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    s.add_member(OWNER, Role.LEADER)
    s.records.add("briefing", briefing("与东坪村支书谈话", {"notes": "三资台账不全"}))
    s.lock()
    return vault_path


def assert_user_error(proc: subprocess.CompletedProcess[str], *fragments: str, code: int = 1) -> None:
    """Exit `code` (1, or a named fault's: README.md) with exactly one line on stderr, in Chinese and
    English, naming what went wrong."""
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("错误：")
    assert CJK.search(lines[0]) and re.search(r"[A-Za-z]{4,}", lines[0])
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def info(xuncha: Cli, vault: Path, password: str = PASSWORD) -> dict[str, Any]:
    proc = xuncha("--vault", str(vault), "info", env={"XUNCHA_PASSWORD": password})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_version(xuncha_process: Cli) -> None:
    proc = xuncha_process("version")
    assert (proc.returncode, proc.stdout.strip()) == (0, f"xuncha {__version__}")


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = ROOT / ".venv" / "bin" / "xuncha"
    if not script.exists():
        pytest.skip("no .venv/bin/xuncha here (the package is not installed into ./.venv)")
    proc = subprocess.run([str(script), "version"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert (proc.returncode, proc.stdout.strip()) == (0, f"xuncha {__version__}")


def test_init_calibrates_and_uses_the_per_user_folder(xuncha: Cli, tmp_path: Path) -> None:
    """The one test that pays for real Argon2 calibration (~0.7 s per derivation, three of them)."""
    proc = xuncha("init", "--name", "李明华", "--role", "deputy", env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    created = tmp_path / "home" / ".local" / "share" / "xuncha" / "vault.xuncha"
    assert str(created) in proc.stdout
    params = kdf.params_from_salt(created.read_bytes()[: kdf.SALT_LEN])
    assert params.memory_log2 == kdf.DEFAULT_MEMORY_LOG2
    assert params.parallelism == kdf.DEFAULT_PARALLELISM
    assert params.time_cost >= kdf.MIN_TIME_COST

    proc = xuncha("info", env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert (summary["owner"], summary["role"], summary["vault"]) == ("李明华", "deputy", str(created))


def test_init_reads_the_password_from_stdin(xuncha: Cli, vault_path: Path) -> None:
    # A weak password from stdin is refused before any key is derived; the file is not created.
    proc = xuncha("--vault", str(vault_path), "--password-stdin", "init", "--name", OWNER, "--role", "leader",
                  input="password123\n")
    assert_user_error(proc, "too easy to guess")
    assert not vault_path.exists()


def test_info(xuncha, vault: Path) -> None:
    summary = info(xuncha, vault)
    assert summary == {
        "vault": str(vault), "owner": OWNER, "role": "leader", "schema_version": SCHEMA_VERSION,
        "round": "2026-3", "members": 1, "units": 0, "records": {"briefing": 1},
        "audit_entries": summary["audit_entries"],
    }
    assert summary["audit_entries"] >= 5


def test_demo_creates_a_new_vault(xuncha: Cli, tmp_path: Path) -> None:
    path = tmp_path / "demo.xuncha"
    proc = xuncha("--vault", str(path), "demo", "--scale", "5", env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    assert "5 人, 13 个单位, 25 条记录" in proc.stdout
    summary = info(xuncha, path)
    assert (summary["round"], summary["members"], summary["units"]) == ("2026-3", 5, 13)
    assert summary["records"] == {kind: 5 for kind in ("briefing", "interview", "paper", "petition", "review")}


def test_demo_refuses_an_existing_vault_before_writing_anything(xuncha: Cli, session: Session,
                                                                 vault_path: Path) -> None:
    # Even an empty one: the demo's steps assume its own leader and round, and would stop halfway in
    # a vault of someone else's (a member's, or one that holds a round already).
    session.lock()
    before = vault_path.read_bytes()
    proc = xuncha("--vault", str(vault_path), "demo", "--scale", "5", env=WITH_PASSWORD)
    assert_user_error(proc, "writes only into a new vault")
    assert vault_path.read_bytes() == before


def test_a_cancelled_demo_leaves_no_vault(tmp_path: Path) -> None:
    path = tmp_path / "demo.xuncha"
    with pytest.raises(Cancelled):
        demo.create(path, PASSWORD, 5, cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_demo_refuses_a_negative_scale(xuncha: Cli, vault: Path) -> None:
    assert_user_error(xuncha("--vault", str(vault), "demo", "--scale", "-1", env=WITH_PASSWORD), "--scale")


def test_backup_and_restore(xuncha: Cli, vault: Path, tmp_path: Path) -> None:
    out = tmp_path / "usb" / "backup.xuncha"
    proc = xuncha("--vault", str(vault), "backup", "--out", str(out), env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    assert info(xuncha, out)["records"] == {"briefing": 1}

    again = xuncha("--vault", str(vault), "backup", "--out", str(out), env=WITH_PASSWORD)
    assert_user_error(again, "already exists")
    forced = xuncha("--vault", str(vault), "backup", "--out", str(out), "--force", env=WITH_PASSWORD)
    assert forced.returncode == 0, forced.stderr

    proc = xuncha("--vault", str(vault), "restore", str(out), env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    kept = sorted(vault.parent.glob(f"{vault.name}.before-restore-*"))
    assert len(kept) == 1 and str(kept[0]) in proc.stdout
    assert info(xuncha, vault)["records"] == {"briefing": 1}
    listed = json.loads(xuncha("--vault", str(vault), "audit", "list", "--json", env=WITH_PASSWORD).stdout)
    assert "vault.restore" in [e["action"] for e in listed]


def test_passwd_from_stdin_current_then_new(xuncha: Cli, vault: Path) -> None:
    proc = xuncha("--vault", str(vault), "--password-stdin", "passwd", input=f"{PASSWORD}\n{NEW_PASSWORD}\n")
    assert proc.returncode == 0, proc.stderr
    assert "password changed" in proc.stdout
    assert_user_error(xuncha("--vault", str(vault), "info", env=WITH_PASSWORD), "wrong password", code=3)
    assert info(xuncha, vault, NEW_PASSWORD)["records"] == {"briefing": 1}


def test_passwd_from_the_environment(xuncha: Cli, vault: Path) -> None:
    env = {"XUNCHA_PASSWORD": PASSWORD, "XUNCHA_NEW_PASSWORD": NEW_PASSWORD}
    proc = xuncha("--vault", str(vault), "passwd", env=env)
    assert proc.returncode == 0, proc.stderr
    assert info(xuncha, vault, NEW_PASSWORD)["owner"] == OWNER


def test_passwd_refuses_a_weak_new_password(xuncha: Cli, vault: Path) -> None:
    proc = xuncha("--vault", str(vault), "--password-stdin", "passwd", input=f"{PASSWORD}\n1234567890\n")
    assert_user_error(proc)
    assert info(xuncha, vault)["owner"] == OWNER


def test_audit_verify_and_list(xuncha: Cli, vault: Path) -> None:
    proc = xuncha("--vault", str(vault), "audit", "verify", env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    assert "audit log intact" in proc.stdout

    proc = xuncha("--vault", str(vault), "audit", "list", "--json", env=WITH_PASSWORD)
    assert proc.returncode == 0, proc.stderr
    entries = json.loads(proc.stdout)
    assert [e["seq"] for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0]["action"] == "vault.create" and entries[0]["actor"] == OWNER
    assert {"seq", "ts", "actor", "action", "target", "detail", "prev_hash", "hash"} <= set(entries[0])

    proc = xuncha("--vault", str(vault), "audit", "list", "--last", "2", "--json", env=WITH_PASSWORD)
    assert [e["action"] for e in json.loads(proc.stdout)] == ["vault.lock", "vault.unlock"]
    proc = xuncha("--vault", str(vault), "audit", "list", "--last", "3", env=WITH_PASSWORD)
    assert proc.returncode == 0 and len(proc.stdout.strip().splitlines()) == 3


def test_audit_verify_fails_on_a_tampered_log(xuncha: Cli, vault: Path) -> None:
    s = Session.unlock(vault, PASSWORD)
    s.vault.conn.execute("DROP TRIGGER audit_log_no_update")
    s.vault.conn.execute("UPDATE audit_log SET actor = '李四' WHERE seq = 2")
    s.lock()
    proc = xuncha("--vault", str(vault), "audit", "verify", env=WITH_PASSWORD)
    assert "entry 2" in proc.stdout
    assert_user_error(proc, "audit log check failed")


def test_selftest(xuncha: Cli) -> None:
    proc = xuncha("selftest")
    lines = re.findall(r"^\[\s*(OK|FAIL)\] (\w+):", proc.stdout, re.MULTILINE)
    checks = {name: status for status, name in lines}
    assert checks, proc.stdout + proc.stderr
    assert {name for name, status in checks.items() if status == "FAIL"} <= {"translations"}, proc.stdout
    if not QM.exists():
        pytest.skip("resources/translations/xuncha_zh_CN.ts is not in the tree yet, so no .qm could be "
                    "built; every other self-test check passed")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert set(checks) == {"sqlcipher", "crypto", "vault", "bundles", "hardening", "taxonomy", "translations",
                           "encoding"}
    # On Linux every piece of hardening is in force, and the line says which (nothing "cannot" here).
    hardening_line = next(line for line in proc.stdout.splitlines() if "] hardening:" in line)
    assert "RLIMIT_CORE=0" in hardening_line and "not dumpable" in hardening_line
    assert "cannot be turned off" not in hardening_line


def test_wrong_password(xuncha_process: Cli, vault: Path) -> None:
    before = vault.read_bytes()
    proc = xuncha_process("--vault", str(vault), "info", env={"XUNCHA_PASSWORD": NEW_PASSWORD})
    assert_user_error(proc, "密码错误", "wrong password", code=3)
    assert vault.read_bytes() == before


def test_each_fault_has_its_exit_code_and_the_help_lists_them(xuncha: Cli, vault: Path, tmp_path: Path) -> None:
    """Codes 3-9 name a fault each (README.md); here the ones a plain vault can show: wrong password,
    too many attempts, damaged. In use, read-only, disk full and I/O error are checked where those
    faults are made (tests/faults/test_one_writer.py, test_device_faults.py, test_cli_reports.py)."""
    shown = xuncha("--help").stdout
    for code, words in ((3, "wrong password"), (4, "too many"), (5, "damaged"), (6, "in use"), (7, "read-only"),
                        (8, "disk full"), (9, "I/O error")):
        assert re.search(rf"^  {code}  .*{words}", shown, re.MULTILINE), (code, shown)
    wrong = {"XUNCHA_PASSWORD": NEW_PASSWORD}
    codes = [xuncha("--vault", str(vault), "info", env=wrong).returncode for _ in range(FREE_ATTEMPTS + 1)]
    assert codes == [3] * FREE_ATTEMPTS + [4]
    damaged = tmp_path / "damaged.xuncha"
    damaged.write_bytes(vault.read_bytes()[: -PAGE_SIZE // 2])
    assert_user_error(xuncha("--vault", str(damaged), "info", env=WITH_PASSWORD), "损坏", "damaged", code=5)


def test_missing_vault(xuncha: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.xuncha"
    proc = xuncha("--vault", str(missing), "info", env=WITH_PASSWORD)
    assert_user_error(proc, "找不到保险库文件", "not found")
    assert not missing.exists()


def test_a_folder_is_said_to_be_a_folder(xuncha: Cli, vault: Path, tmp_path: Path) -> None:
    """init, backup and restore given a folder where a file belongs say so (not "a vault already exists"),
    before a password is asked for, and leave the folder as it was."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    for args in (["--vault", str(folder), "init", "--name", OWNER, "--role", "leader"],
                 ["--vault", str(vault), "backup", "--out", str(folder), "--force"],
                 ["--vault", str(folder), "restore", str(vault)]):
        proc = xuncha(*args, env=WITH_PASSWORD)
        assert_user_error(proc, "这是一个文件夹", "is a folder")
        assert "已有保险库" not in proc.stderr
        assert list(folder.iterdir()) == []
    assert xuncha("--vault", str(folder), "init", "--name", OWNER, "--role", "leader").returncode == 1  # no prompt


def test_weak_password_on_init(xuncha: Cli, vault_path: Path) -> None:
    proc = xuncha("--vault", str(vault_path), "init", "--name", OWNER, "--role", "leader",
                  env={"XUNCHA_PASSWORD": "短密码"})
    assert_user_error(proc, "至少需要 10 个字符")
    assert not vault_path.exists()


@pytest.mark.parametrize("command", [["info"], ["audit", "verify"], ["backup", "--out", "b"], ["passwd"]])
def test_no_password_source(xuncha_process: Cli, vault: Path, command: list[str]) -> None:
    # stdin is /dev/null (not a terminal) and XUNCHA_PASSWORD is unset: refuse instead of hanging.
    proc = xuncha_process("--vault", str(vault), *command)
    assert_user_error(proc, "--password-stdin", "XUNCHA_PASSWORD")


def test_not_enough_passwords_on_stdin(xuncha: Cli, vault: Path) -> None:
    proc = xuncha("--vault", str(vault), "--password-stdin", "passwd", input=f"{PASSWORD}\n")
    assert_user_error(proc, "not enough passwords")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["no-such-command"],
        ["init", "--role", "leader"],
        ["init", "--name", OWNER, "--role", "chairman"],
        ["audit"],
        ["demo", "--scale", "many"],
        ["--password", "x", "info"],
        ["info", "--password", "x"],
    ],
)
def test_usage_errors_exit_2(xuncha: Cli, args: list[str]) -> None:
    proc = xuncha(*args, env=WITH_PASSWORD)
    assert proc.returncode == 2, proc.stderr
    assert "usage:" in proc.stderr


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    found = []
    for action in parser._actions:
        found.append(action)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found.extend(_options(sub))
    return found


def test_no_option_takes_a_password_value() -> None:
    """Passwords come from a prompt, stdin or the environment; an argv value would show in `ps`."""
    for action in _options(cli.build_parser()):
        names = " ".join([*action.option_strings, action.dest or ""]).lower()
        if any(word in names for word in ("password", "passwd", "secret", "key")):
            assert action.nargs == 0, f"{action.option_strings} takes a value"
