"""What every `xuncha` command shares: exit codes, where passwords come from, unlocking, JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.core.errors import (
    DeviceError,
    DiskFull,
    ReadOnlyLocation,
    VaultDamaged,
    VaultInUse,
    WrongPassword,
    XunchaError,
)
from app.vault.session import Session
from app.vault.unlock_throttle import TooManyAttempts

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130
# Each fault a script may want to tell apart has its own code (README.md, "The command line"); any other
# user error is 1.
FAULT_EXITS: tuple[tuple[type[XunchaError], int, str], ...] = (
    (WrongPassword, 3, "密码错误 (wrong password)"),
    (TooManyAttempts, 4, "密码错误次数过多，须等待 (too many wrong passwords: wait)"),
    (VaultDamaged, 5, "保险库文件已损坏 (damaged vault file)"),
    (VaultInUse, 6, "保险库正被另一个窗口或程序使用 (vault in use by another process)"),
    (ReadOnlyLocation, 7, "位置只读或无权写入 (read-only location or no permission)"),
    (DiskFull, 8, "磁盘空间不足 (disk full)"),
    (DeviceError, 9, "存储设备读写出错 (I/O error)"),
)


def exit_code(exc: XunchaError) -> int:
    """The exit code that names `exc`'s fault (FAULT_EXITS), else EXIT_USER."""
    for kind, code, _ in FAULT_EXITS:
        if isinstance(exc, kind):
            return code
    return EXIT_USER


def exit_codes_help() -> str:
    """The table of exit codes, for `xuncha --help`."""
    rows = [f"  {EXIT_OK}  成功 (ok)", f"  {EXIT_USER}  其他错误，见提示 (any other error: see the message)",
            f"  {EXIT_USAGE}  用法错误 (usage)"]
    rows += [f"  {code}  {text}" for _, code, text in FAULT_EXITS]
    rows.append(f"  {EXIT_INTERRUPTED}  已中断 (interrupted)")
    return "退出码 (exit codes):\n" + "\n".join(rows)


class Passwords:
    """Where passwords come from for this invocation, asked in order (current first, then new)."""

    def __init__(self, from_stdin: bool) -> None:
        self._stdin_lines: Iterator[str] | None = iter(read_stdin().splitlines()) if from_stdin else None

    def get(self, prompt: str, env: str = "XUNCHA_PASSWORD", confirm: bool = False) -> str:
        if self._stdin_lines is not None:
            line = next(self._stdin_lines, None)
            if line is None:
                raise XunchaError("标准输入中的密码不足", "not enough passwords on standard input")
            return line
        if os.environ.get(env):
            return os.environ[env]
        if not sys.stdin.isatty():
            raise XunchaError(
                f"需要密码：请在终端运行，或用 --password-stdin 或环境变量 {env} 提供",
                f"a password is needed: run in a terminal, or use --password-stdin or {env}",
            )
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("再次输入以确认 (repeat): ") != first:
            raise XunchaError("两次输入的密码不一致", "the two passwords differ")
        return first


def setup_console() -> None:
    """Text that works on every console. Human-readable output keeps the console's encoding (GBK on a
    Chinese Windows console, where the Chinese then shows) but never crashes on a character it cannot
    show: that one is replaced. `--json` and standard input are UTF-8 whatever the console
    (print_json, read_stdin)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")


def read_stdin() -> str:
    """Standard input as UTF-8 on every platform (a password or JSON piped in reads the same on Windows,
    whose console code page would otherwise decide); a clear error for anything else."""
    data = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise XunchaError("标准输入不是 UTF-8 文本", "standard input is not UTF-8 text") from exc


def print_json(value: object) -> None:
    """JSON as UTF-8 bytes, whatever the console's code page: a machine reads it."""
    data = (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes (a test's StringIO): text it is
        sys.stdout.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()


def unlock(args: argparse.Namespace, pw: Passwords) -> Session:
    return Session.unlock(args.vault, pw.get("保险库密码 (vault password): "))


@contextmanager
def unlocked(args: argparse.Namespace, pw: Passwords) -> Iterator[Session]:
    """The vault of `args`, unlocked for the block and locked after it, whatever happens in it."""
    session = unlock(args, pw)
    try:
        yield session
    finally:
        session.lock()


def read_json_input(source: str) -> Any:
    """JSON from a file, or from standard input for "-"; a clear error for anything unreadable."""
    try:
        text = read_stdin() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise XunchaError(f"无法读取文件：{source}（{exc.strerror}）", f"cannot read {source}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise XunchaError(f"文件不是 UTF-8 文本：{source}", f"not UTF-8 text: {source}") from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise XunchaError(f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}",
                          f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
