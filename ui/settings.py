"""Typed user settings in one place (QSettings, INI, user scope). Never holds secrets."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings

CONFIG_VERSION = 1


@dataclass(frozen=True)
class Option:
    key: str
    default: object
    kind: type


AUTO_LOCK_MINUTES = Option("security/auto_lock_minutes", 5, int)
CLIPBOARD_CLEAR_SECONDS = Option("security/clipboard_clear_seconds", 10, int)
LAST_VAULT = Option("vault/last_path", "", str)
EXPORT_FOLDER = Option("paths/export_folder", "", str)  # where the last document or bundle was written


class Settings:
    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, "xuncha", "xuncha"
        )
        self._migrate()

    def _migrate(self) -> None:
        version = int(str(self._store.value("config_version", 0)))
        # Upgrade steps go here as `if version < N:` blocks, oldest first.
        if version != CONFIG_VERSION:
            self._store.setValue("config_version", CONFIG_VERSION)

    def get(self, option: Option) -> object:
        value = self._store.value(option.key, option.default)
        try:
            return option.kind(value)
        except (TypeError, ValueError):
            return option.default

    def set(self, option: Option, value: object) -> None:
        self._store.setValue(option.key, option.kind(value))

    def get_bytes(self, key: str) -> bytes | None:
        """A widget's saved state (geometry, splitter, header): layout only, never content."""
        value = self._store.value(key)
        if isinstance(value, QByteArray):
            return bytes(value.data())
        return value if isinstance(value, bytes) else None

    def set_bytes(self, key: str, value: bytes) -> None:
        self._store.setValue(key, QByteArray(value))

    def get_flag(self, key: str, default: bool) -> bool:
        value = self._store.value(key, default)
        return value.lower() == "true" if isinstance(value, str) else bool(value)

    def set_flag(self, key: str, value: bool) -> None:
        self._store.setValue(key, value)

    def sync(self) -> None:
        self._store.sync()

    @property
    def auto_lock_minutes(self) -> int:
        return max(1, min(120, self._int(AUTO_LOCK_MINUTES)))

    @property
    def clipboard_clear_seconds(self) -> int:
        return max(3, min(120, self._int(CLIPBOARD_CLEAR_SECONDS)))

    def _int(self, option: Option) -> int:
        value = self.get(option)
        return value if isinstance(value, int) else int(str(option.default))
