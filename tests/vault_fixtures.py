"""Passwords, KDF parameters and the CLI environment shared by the non-GUI tests (no pytest, no Qt).

A plain module so test files and the subprocess scripts under tests/faults can import it; fixtures that use
it live in tests/conftest.py.
"""

from __future__ import annotations

import os
from pathlib import Path

from storage.kdf import KdfParams

ROOT = Path(__file__).resolve().parent.parent

# Both pass app.vault.passwords.assess (at least 10 characters, zxcvbn score >= 3).
PASSWORD = "青石镇巡察2026!"
NEW_PASSWORD = "correct-horse-电池-staple"
OWNER = "王建国"

# The cheapest parameters a vault header accepts: a vault costs milliseconds instead of ~0.7 s.
FAST_KDF = KdfParams(time_cost=2, memory_log2=13, parallelism=1)


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """Environment for a subprocess: no inherited XUNCHA_* passwords, HOME and XDG folders under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUNCHA_")}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_STATE_HOME=str(home / ".local" / "state"),
        PYTHONIOENCODING="utf-8",
        # Child processes import this checkout's code, not whatever an editable install points at.
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env
