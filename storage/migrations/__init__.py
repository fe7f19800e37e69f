"""Numbered, forward-only schema migrations.

Each `NNNN_name.sql` file upgrades a vault from version NNNN-1 to NNNN, inside one exclusive transaction
that also sets `PRAGMA user_version`. A new vault runs the same chain as an old one, so there is one way
to reach the current schema. Never edit a file that has shipped; add the next number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

from app.core.errors import VaultTooNew


class Connection(Protocol):
    def execute(self, sql: str, parameters: object = ..., /) -> object: ...
    def executescript(self, sql: str, /) -> object: ...


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def _load() -> list[Migration]:
    found = []
    for entry in resources.files(__name__).iterdir():
        match = re.fullmatch(r"(\d{4})_(\w+)\.sql", entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps: {[m.version for m in found]}")
    return found


MIGRATIONS: list[Migration] = _load()
SCHEMA_VERSION: int = MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()  # type: ignore[attr-defined]
    return int(row[0])


def check_supported(conn: Connection) -> int:
    """Return the vault's schema version; refuse (without writing) one newer than this code."""
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise VaultTooNew(version, SCHEMA_VERSION)
    return version


def migrate(conn: Connection, target: int | None = None) -> list[int]:
    """Apply every pending migration up to `target` (default: the newest). Returns the versions applied.

    The connection must be in autocommit mode (isolation_level=None) so that each script's own
    BEGIN EXCLUSIVE ... COMMIT is the transaction.
    """
    target = SCHEMA_VERSION if target is None else target
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= check_supported(conn) or migration.version > target:
            continue
        script = f"BEGIN EXCLUSIVE;\n{migration.sql}\nPRAGMA user_version = {migration.version};\nCOMMIT;"
        try:
            conn.executescript(script)
        except BaseException:
            conn.execute("ROLLBACK") if _in_transaction(conn) else None
            raise
        applied.append(migration.version)
    return applied


def _in_transaction(conn: Connection) -> bool:
    return bool(getattr(conn, "in_transaction", False))
