"""What this process is, "gui" or "cli", for the vault's lock file: another process refused a vault this one
holds names it ("保险库正被另一个窗口使用（进程 1234）"). Apart from `session`, so that the GUI's first window
can say it without importing every service."""

from __future__ import annotations

from storage import vault_lock


def name_this_program(kind: str) -> None:
    vault_lock.set_program(kind)
