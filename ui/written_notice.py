"""After a file is written (a document, a bundle): say where, and offer to open it or the folder it is in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


def written_notice(parent: QWidget, title: str, text: str, path: Path, *, openable: bool = True) -> QMessageBox:
    """A non-modal box with 打开文件 (unless `openable` is False: a sealed bundle opens in no program here),
    打开所在文件夹 and 关闭. The caller keeps a reference and calls open()."""
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("written_notice")
    if openable:
        open_file = box.addButton(QCoreApplication.translate("WrittenNotice", "Open file"),
                                  QMessageBox.ButtonRole.ActionRole)
        open_file.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
    open_folder = box.addButton(QCoreApplication.translate("WrittenNotice", "Open containing folder"),
                                QMessageBox.ButtonRole.ActionRole)
    open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent))))
    return box
