"""Process hardening applied at start-up by both entry points: no core dumps, no debugger attach; and the one
process that may do without SQLCipher's memory security, the demo filling a vault with invented data."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys

PR_SET_DUMPABLE = 4


def disable_core_dumps() -> list[str]:
    """Keep decrypted memory out of crash dumps. Returns what was applied, for `xuncha selftest`."""
    applied: list[str] = []
    if sys.platform != "win32":
        import resource

        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            applied.append("RLIMIT_CORE=0")
    if sys.platform.startswith("linux"):
        libc_name = ctypes.util.find_library("c")
        if libc_name:
            libc = ctypes.CDLL(libc_name, use_errno=True)
            # Not dumpable: no core file even if a limit is raised later, and other processes of the
            # same user cannot ptrace us or read /proc/PID/mem.
            if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0:
                applied.append("PR_SET_DUMPABLE=0")
    if sys.platform == "win32":
        with contextlib.suppress(AttributeError, OSError):
            ctypes.windll.kernel32.SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX)  # type: ignore[attr-defined]
            applied.append("SetErrorMode(no WER dialog)")
    return applied


SEM_FAILCRITICALERRORS, SEM_NOGPFAULTERRORBOX = 0x0001, 0x0002


def _error_mode() -> int:
    """The process's error mode (Windows; 0 where it cannot be read): what `state` reports, not what
    `disable_core_dumps` asked for."""
    try:
        return int(ctypes.windll.kernel32.GetErrorMode())  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return 0


def invented_data_only() -> bool:
    """This process will hold only invented data (`xuncha demo`): SQLCipher's memory security, which costs a
    bulk fill four fifths of its time and protects nothing there, stays off (storage.vault). Only before the
    first vault is opened; returns whether it is off."""
    from storage import vault

    return vault.invented_data_only()


PR_GET_DUMPABLE = 3


def core_dumps_disabled() -> bool:
    """No core file can be written by this process (on Windows see `state`: what we cannot turn off)."""
    if sys.platform == "win32":
        return True
    import resource

    return resource.getrlimit(resource.RLIMIT_CORE)[0] == 0


def state() -> tuple[list[str], list[str]]:
    """What is in force now, and what this platform does not let the app turn off, each in plain words
    (`xuncha selftest` prints both, so that no platform is said to be protected where it is not)."""
    on: list[str] = []
    off: list[str] = []
    if sys.platform != "win32":
        if core_dumps_disabled():
            on.append("no core dumps (RLIMIT_CORE=0)")
    if sys.platform.startswith("linux"):
        libc_name = ctypes.util.find_library("c")
        dumpable = ctypes.CDLL(libc_name).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) if libc_name else -1
        if dumpable == 0:
            on.append("not dumpable: no ptrace or /proc/PID/mem by the same user")
        else:
            off.append("ptrace by the same user (PR_SET_DUMPABLE failed)")
    elif sys.platform == "darwin":
        off.append("a debugger of the same user (no PT_DENY_ATTACH)")
    elif sys.platform == "win32":
        if _error_mode() & SEM_NOGPFAULTERRORBOX:
            on.append("no crash dialog (SetErrorMode)")
        else:
            off.append("the crash dialog (SetErrorMode failed)")
        off.append("crash dumps an administrator set up (Windows Error Reporting LocalDumps)")
        off.append("a debugger of the same user")
    return on, off
