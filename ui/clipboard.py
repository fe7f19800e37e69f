"""Copy a protected value so that it leaves the clipboard after a few seconds if it is still there."""

from __future__ import annotations

import sys

from PySide6.QtCore import QMimeData, QObject, QTimer
from PySide6.QtGui import QGuiApplication


class SecureClipboard(QObject):
    def __init__(self, clear_after_seconds: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.clear_after_ms = clear_after_seconds * 1000
        self._copied: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear)

    def copy(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        # Ask clipboard managers (KDE Klipper and others) not to keep a history of this value.
        mime.setData("x-kde-passwordManagerHint", b"secret")
        if sys.platform == "win32":
            # Keep it out of Windows' clipboard history and cloud sync (as KeePassXC does).
            mime.setData("ExcludeClipboardContentFromMonitorProcessing", b"\x01")
            mime.setData("CanIncludeInClipboardHistory", b"\x00\x00\x00\x00")
            mime.setData("CanUploadToCloudClipboard", b"\x00\x00\x00\x00")
        QGuiApplication.clipboard().setMimeData(mime)
        self._copied = text
        self._timer.start(self.clear_after_ms)

    def clear(self) -> None:
        """Clear the clipboard if it still holds what we put there; leave anything the user copied since."""
        self._timer.stop()
        if self._copied is not None and QGuiApplication.clipboard().text() == self._copied:
            QGuiApplication.clipboard().clear()
        self._copied = None

    @property
    def pending(self) -> bool:
        return self._copied is not None
