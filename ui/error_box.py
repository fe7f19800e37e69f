"""How the GUI shows a failure: a user error in its Chinese words, anything else as an internal error."""

from __future__ import annotations

import os
import sys
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.core.errors import XunchaError, damage_from


def describe(exc: BaseException) -> str:
    """The text a user sees for `exc`. With XUNCHA_DEBUG=1 an internal error's traceback goes to stderr
    (never to a file: exception messages can quote decrypted content)."""
    if isinstance(exc, XunchaError):
        return exc.zh
    damage = damage_from(exc)  # a damaged page deeper in the file, met by a read (unlock reads the first only)
    if damage is not None:
        return damage.zh
    if os.environ.get("XUNCHA_DEBUG") == "1":
        traceback.print_exception(exc, file=sys.stderr)
    # Not a user error: a bug or an environment problem. Name its type; never dump values or tracebacks,
    # which could hold decrypted content.
    return QCoreApplication.translate("ErrorBox", "Unexpected internal error ({0}); the action did not "
                                      "complete. Please report it.").format(type(exc).__name__)


def show_error(parent: QWidget | None, title: str, exc: BaseException) -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, describe(exc), QMessageBox.StandardButton.Ok, parent)
    box.open()
