"""What every `xuncha` command shares: exit codes, where passwords come from, unlocking, JSON in and out,
and a terminal that never receives a raw control character (app/core/inputs.py)."""

from __future__ import annotations

import argparse
import getpass
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date
from typing import Any, TextIO

from app.core.errors import (
    DeviceError,
    DiskFull,
    ReadOnlyLocation,
    VaultDamaged,
    VaultInUse,
    WrongPassword,
    XunchaError,
)
from app.core.inputs import MAX_JSON_BYTES, check_text, displayable, json_for_terminal, parse_json
from app.vault.session import Session
from app.vault.unlock_throttle import TooManyAttempts

EXIT_OK, EXIT_USER, EXIT_USAGE = 0, 1, 2
# Every command that takes a record takes any of these (RecordService.resolve).
RECORD_HELP = "记录编号（本机的或发送人的，如 信-0051）或ID (record number, this laptop's or the sender's, or id)"
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


class _Neutralised(io.TextIOBase):
    """A text stream that passes everything on with control characters, bidi overrides and lone surrogates
    made visible (`displayable`): what the vault holds (text stored by an older version), an argument
    echoed in an error, a file name, can never rewrite the screen or reorder a line."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(displayable(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._stream.encoding

    @property
    def buffer(self) -> Any:
        return getattr(self._stream, "buffer", None)


def print_progress(line: str) -> None:
    """Rewrite the terminal's current line with `line`: a carriage return and the line, no terminal escape
    (the Windows console of older releases prints them as garbage). The line is neutralised, the carriage
    return is not: written past `neutralised_output`, which would show it as \\x0d."""
    stream = sys.stderr
    raw = stream._stream if isinstance(stream, _Neutralised) else stream
    raw.write("\r" + displayable(line, one_line=True))
    raw.flush()


@contextmanager
def neutralised_output() -> Iterator[None]:
    """Standard output and error neutralised for the block (every human-readable line the CLI prints)."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Neutralised(sys.stdout), _Neutralised(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def read_stdin(limit: int | None = None) -> str:
    """Standard input as UTF-8 on every platform (a password or JSON piped in reads the same on Windows,
    whose console code page would otherwise decide); a clear error for anything else, and for more than
    `limit` bytes."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        data = sys.stdin.read().encode("utf-8", "surrogatepass")
    else:
        data = stream.read() if limit is None else stream.read(limit + 1)
    if limit is not None and len(data) > limit:
        raise XunchaError(f"标准输入过大（超过 {limit // 1024 // 1024} MiB）",
                          f"standard input is too large (over {limit // 1024 // 1024} MiB)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise XunchaError(f"标准输入不是 UTF-8 文本（第 {exc.start + 1} 个字节无效）",
                          f"standard input is not UTF-8 text (invalid byte {exc.start + 1})") from None


def print_json(value: object) -> None:
    """JSON as UTF-8 bytes, whatever the console's code page: a machine reads it. Nothing in it acts on a
    terminal (json_for_terminal), and it parses back to `value`."""
    data = (json_for_terminal(value) + "\n").encode("utf-8")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a stream without bytes (a test's StringIO): text it is
        sys.stdout.write(data.decode("utf-8"))
        return
    buffer.write(data)
    buffer.flush()


def unlock(args: argparse.Namespace, pw: Passwords) -> Session:
    """The vault of `args`, unlocked; with `--round ID`, working on that round for this command only (a round
    this vault does not hold is refused before anything is done: NoSuchRound)."""
    session = Session.unlock(args.vault, pw.get("保险库密码 (vault password): "))
    if getattr(args, "round", None):
        try:
            session.rounds.select(args.round)
        except BaseException:
            with suppress(XunchaError):
                session.lock()
            raise
    return session


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


def date_argument(value: str | None) -> date | None:
    """A date given on the command line (`--on 2026-10-20`), None when not given; anything else is refused."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise XunchaError(f"日期格式不对：{value}，应为 YYYY-MM-DD，如 2026-10-20",
                          f"not a date like 2026-10-20: {value}") from None


def read_json_input(source: str) -> Any:
    """JSON from a file, or from standard input for "-", parsed within the bounds of `parse_json` (size,
    depth, no duplicate key, no oversized number); a clear error for anything unreadable."""
    if source == "-":
        return parse_json(read_stdin(MAX_JSON_BYTES))
    try:
        with open(source, "rb") as fh:
            data = fh.read(MAX_JSON_BYTES + 1)
    except OSError as exc:
        raise XunchaError(f"无法读取文件：{source}（{exc.strerror}）", f"cannot read {source}: {exc.strerror}") from exc
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise XunchaError(f"文件不是 UTF-8 文本：{source}（第 {exc.start + 1} 个字节无效）",
                          f"not UTF-8 text: {source} (invalid byte {exc.start + 1})") from None
    return parse_json(text)


# Arguments that name files: taken as the system gives them (a name that is not UTF-8 still opens).
PATH_ARGUMENTS = frozenset({"vault", "json", "file", "files", "source", "out", "backup", "csv", "docx", "pdf", "card",
                            "receipt_out"})


def check_arguments(args: argparse.Namespace) -> None:
    """Every text argument (a reason, a name, a search) clean as a field's value must be: no lone surrogate
    (what the system makes of bytes that are not UTF-8), no control character, no bidi override."""
    for name, value in vars(args).items():
        if name in PATH_ARGUMENTS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                check_text(item, f"参数 {name}", f"argument {name}")
