"""Process hardening applied at start-up by both entry points: no core dumps, no debugger attach."""

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
        sem_failcriticalerrors, sem_nogpfaulterrorbox = 0x0001, 0x0002
        with contextlib.suppress(AttributeError, OSError):
            ctypes.windll.kernel32.SetErrorMode(sem_failcriticalerrors | sem_nogpfaulterrorbox)  # type: ignore[attr-defined]
            applied.append("SetErrorMode(no WER dialog)")
    return applied


def core_dumps_disabled() -> bool:
    if sys.platform == "win32":
        return True
    import resource

    return resource.getrlimit(resource.RLIMIT_CORE)[0] == 0
