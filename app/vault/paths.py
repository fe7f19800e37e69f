"""Where a vault lives unless the user says otherwise. Apart from `session`, so that the GUI's first window can
name the path without importing every service (they load in the background while the password is typed)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

VAULT_FILENAME = "vault.xuncha"


def default_vault_path() -> Path:
    """Per-user data folder (platformdirs), e.g. ~/.local/share/xuncha/vault.xuncha on Linux."""
    return user_data_path("xuncha", appauthor=False) / VAULT_FILENAME


def free_vault_path(near: Path) -> Path:
    """A path for a new vault beside `near` that names no existing file: `near` itself if free, else
    vault-2.xuncha, vault-3.xuncha, ... (新建保险库 never proposes the vault that is already there)."""
    if not near.exists():
        return near
    stem = near.stem
    for n in range(2, 1000):
        candidate = near.with_name(f"{stem}-{n}{near.suffix or '.xuncha'}")
        if not candidate.exists():
            return candidate
    return near.with_name(f"{stem}-new{near.suffix or '.xuncha'}")
