"""The command line on a console that is not UTF-8: a Chinese Windows console (code page 936) with its
output redirected, as PYTHONIOENCODING=gbk makes Python's standard streams here. Human-readable output
never crashes on a character GBK cannot hold (it is replaced), `--json` is UTF-8 bytes whatever the console,
and a password or JSON on standard input reads as UTF-8."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from vault_fixtures import FAST_KDF, ROOT, cli_env

from app.core.domain import Role
from app.vault.session import Session

CHINESE_PASSWORD = "青石镇巡察2026!安全"
OUTSIDE_GBK = "𠮷"  # U+20BB7: in GB 18030, not in GBK


def _run(home: Path, *args: str, stdin: bytes | None = None, **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, input=stdin, capture_output=True,
                          env=cli_env(home, PYTHONIOENCODING="gbk", **env), timeout=120, check=False)


def test_a_gbk_console_neither_crashes_nor_garbles(tmp_path: Path) -> None:
    vault = tmp_path / "v.xuncha"
    session = Session.create(vault, CHINESE_PASSWORD, "王建国", Role.LEADER, kdf=FAST_KDF)  # the header says so
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    petition, _ = session.records.add("petition", {
        "channel": "letter", "received_at": "2026-09-06T10:00", "summary": f"反映{OUTSIDE_GBK}家低保问题"})
    session.lock()
    home = tmp_path / "home"

    # The password on standard input as UTF-8 bytes: the same password whatever the console's code page.
    shown = _run(home, "--vault", str(vault), "--password-stdin", "show", petition.id,
                 stdin=CHINESE_PASSWORD.encode("utf-8") + b"\n")
    assert shown.returncode == 0, shown.stderr.decode("gbk", "replace")
    text = shown.stdout.decode("gbk")  # what the console shows: Chinese intact, the one character replaced
    assert "反映?家低保问题" in text

    as_json = _run(home, "--vault", str(vault), "--password-stdin", "show", petition.id, "--json",
                   stdin=CHINESE_PASSWORD.encode("utf-8") + b"\n")
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout.decode("utf-8"))["summary"] == f"反映{OUTSIDE_GBK}家低保问题"

    # An error is one line the console can show, in both languages.
    wrong = _run(home, "--vault", str(vault), "--password-stdin", "show", petition.id,
                 stdin="错误的密码".encode() + b"\n")
    assert wrong.returncode == 3 and "密码" in wrong.stderr.decode("gbk")
    assert b"\x1b[" not in shown.stderr + as_json.stderr  # no terminal escapes where none are understood


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal: POSIX")
def test_progress_rewrites_the_terminal_line_with_a_bare_carriage_return() -> None:
    """On a real terminal (a pty) a progress line starts with a carriage return that acts, never with a
    shown \\x0d (what the output's neutralising made of it), and the message itself stays neutralised."""
    import os
    import pty

    from app.cli import bundles
    from app.cli.common import neutralised_output

    master, slave = pty.openpty()
    saved = sys.stderr
    sys.stderr = open(slave, "w", encoding="utf-8", closefd=False)  # noqa: SIM115 - closed below
    try:
        with neutralised_output():
            bundles._progress(0.5, "加密 50 MiB")
            bundles._progress(1.0, "完成\x1b[2J")
    finally:
        sys.stderr.close()
        sys.stderr = saved
        os.close(slave)
    data = b""
    while True:  # everything written, until the closed terminal says EIO (a read may return part of it)
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    os.close(master)
    shown = data.decode("utf-8")
    assert shown.startswith("\r 50.0%  加密 50 MiB") and "\\x0d" not in shown, repr(shown)
    assert "\r100.0%  完成\\x1b[2J" in shown and "\x1b" not in shown, repr(shown)
