"""The self-test's hardening line is honest on each platform (app/vault/hardening.py): it reports what is in
force in the process as it is, not what start-up asked for, and names what the platform does not let the
app turn off. Each case runs in a fresh Python, since the hardening cannot be undone in the test's own.
.github/workflows/windows.yml runs this file on Windows, where the second half of each case applies."""

from __future__ import annotations

import json
import subprocess
import sys

from vault_fixtures import ROOT

_STATE = """
import json, sys
from app.vault import hardening
if sys.argv[1] == "harden":
    hardening.disable_core_dumps()
on, off = hardening.state()
print(json.dumps({"on": on, "off": off}))
"""


def _state(harden: bool) -> tuple[list[str], list[str]]:
    # On Windows a child inherits the parent's error mode unless told: start it with the default one.
    flags = getattr(subprocess, "CREATE_DEFAULT_ERROR_MODE", 0)
    done = subprocess.run([sys.executable, "-c", _STATE, "harden" if harden else "as-is"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=True, creationflags=flags)
    found = json.loads(done.stdout)
    return found["on"], found["off"]


def test_what_start_up_turns_off_is_reported_in_force() -> None:
    on, off = _state(harden=True)
    if sys.platform.startswith("linux"):
        assert "no core dumps (RLIMIT_CORE=0)" in on
        assert "not dumpable: no ptrace or /proc/PID/mem by the same user" in on
        assert off == []
    elif sys.platform == "win32":
        assert on == ["no crash dialog (SetErrorMode)"]
        assert off == ["crash dumps an administrator set up (Windows Error Reporting LocalDumps)",
                       "a debugger of the same user"]


def test_what_was_not_turned_off_is_not_claimed() -> None:
    """A process that skipped the start-up hardening: the report says so instead of repeating the claims."""
    on, off = _state(harden=False)
    if sys.platform.startswith("linux"):
        assert not any("not dumpable" in line for line in on)
        assert "ptrace by the same user (PR_SET_DUMPABLE failed)" in off
    elif sys.platform == "win32":
        assert "no crash dialog (SetErrorMode)" not in on
        assert "the crash dialog (SetErrorMode failed)" in off
