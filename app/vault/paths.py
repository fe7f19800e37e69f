"""Where a vault lives unless the user says otherwise. Apart from `session`, so that the GUI's first window can
name the path without importing every service (they load in the background while the password is typed)."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_path

VAULT_FILENAME = "vault.xuncha"


def default_vault_path() -> Path:
    """Per-user data folder (platformdirs), e.g. ~/.local/share/xuncha/vault.xuncha on Linux."""
    return user_data_path("xuncha", appauthor=False) / VAULT_FILENAME
