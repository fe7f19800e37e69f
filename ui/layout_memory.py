"""The main window's layout, remembered per user (QSettings) and put back at the next unlock.

Locking destroys the main window with everything it showed; without this, every unlock (and every
auto-lock) brought back a window of a fixed size, at the default column widths. What is kept: the window's
geometry (size, position, maximised), the area shown, every splitter's positions and the widths of every
list whose columns the user can drag. Layout only: no record content, no names, nothing of the vault.

A widget's key names its area and its place in it; a list's key also carries its number of columns, so a
list that gains a column starts from its defaults instead of a state that no longer fits.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QStyle, QWidget

from ui.settings import Option, Settings

PREFIX = "layout"
WINDOW_GEOMETRY = f"{PREFIX}/window/geometry"
WINDOW_AREA = Option(f"{PREFIX}/window/area", "", str)  # the area shown: a Page.area_key()
#: The size a window has when un-maximised the first time, if the screen has room for it.
NORMAL_SIZE = QSize(1280, 800)


def resizable(header: QHeaderView) -> bool:
    """A header the user can drag (one `Interactive` section is enough); contents-sized ones have no state
    worth keeping."""
    return any(header.sectionResizeMode(i) == QHeaderView.ResizeMode.Interactive for i in range(header.count()))


def remembered_widgets(area: QWidget) -> Iterator[tuple[str, QSplitter | QHeaderView]]:
    """The widgets of an area whose state is kept, with their keys, in the order they were made."""
    for i, splitter in enumerate(area.findChildren(QSplitter)):
        yield f"splitter{i}", splitter
    headers = [h for h in area.findChildren(QHeaderView)
               if h.orientation() == Qt.Orientation.Horizontal and resizable(h)]
    for i, header in enumerate(headers):
        yield f"columns{i}_{header.count()}", header


def save_area(settings: Settings, area_key: str, area: QWidget) -> None:
    for key, widget in remembered_widgets(area):
        settings.set_bytes(f"{PREFIX}/{area_key}/{key}", bytes(widget.saveState().data()))


def restore_area(settings: Settings, area_key: str, area: QWidget) -> int:
    """Put back what was saved for this area; returns how many widgets took a saved state."""
    restored = 0
    for key, widget in remembered_widgets(area):
        state = settings.get_bytes(f"{PREFIX}/{area_key}/{key}")
        if state and widget.restoreState(QByteArray(state)):
            restored += 1
    return restored


def save_window(settings: Settings, window: QMainWindow) -> None:
    settings.set_bytes(WINDOW_GEOMETRY, bytes(window.saveGeometry().data()))


def restore_window(settings: Settings, window: QMainWindow) -> bool:
    """The remembered geometry (Qt keeps it on a screen that is still there); False on a first start."""
    state = settings.get_bytes(WINDOW_GEOMETRY)
    return state is not None and window.restoreGeometry(QByteArray(state))


def place_first_time(window: QMainWindow) -> None:
    """First start: maximised within the screen's available area (the taskbar stays visible), with a
    normal size that fits it too, for when the user un-maximises."""
    available = window.screen().availableGeometry()
    size = NORMAL_SIZE.boundedTo(available.size())
    window.setGeometry(QStyle.alignedRect(Qt.LayoutDirection.LeftToRight, Qt.AlignmentFlag.AlignCenter, size,
                                          available))
    window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
