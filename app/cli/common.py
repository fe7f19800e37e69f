"""What every `xuncha` command shares: exit codes, where passwords come from, unlocking, JSON output."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from app.core.errors import XunchaError
from app.vault.session import Session

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2


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
    except BaseException:
        # The command's own error is the one to report; a lock that cannot log after it (a damaged page
        # read, a full disk) still closes the vault and wipes the key.
        with suppress(XunchaError):
            session.lock()
        raise
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
