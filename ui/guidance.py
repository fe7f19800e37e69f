"""Guidance for people new to the app: why a button is greyed out, and the user guide (使用说明, F1).

A disabled action always says why, in its tooltip and (on hover) in the status bar: `enable(button, False,
why)`. The guide is data, one short Markdown page per screen in resources/help/ (shipped with the app,
read offline), opened at the page of the screen in front (Page.area_key()).
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QTextBrowser, QWidget

if TYPE_CHECKING:  # the unlock window imports this module: what only the unlocked app needs loads later
    from app.core.domain import Role

#: The guide's pages in the order its contents list shows them: resources/help/KEY.md.
TOPICS = ("start", "unlock", "dashboard", "interview", "forms", "petition", "review", "paper", "compile",
          "leads", "bundles", "search", "guide", "briefing", "policy", "problem", "profile", "minute", "appraisal",
          "rectification", "lookback", "stats", "audit")
_BASE_TIP = "guidance_base_tip"


def enable(target: QWidget | QAction, allowed: bool, why: str = "") -> None:
    """Enable or disable a button or action; when disabled, its tooltip and status tip say why (the first
    tooltip it had, such as a shortcut, is kept in front)."""
    base = target.property(_BASE_TIP)
    if base is None:
        base = target.toolTip() if not isinstance(target, QAction) or target.toolTip() != target.text() else ""
        target.setProperty(_BASE_TIP, base)
    target.setEnabled(allowed)
    reason = "" if allowed else why
    target.setToolTip("\n".join(part for part in (str(base), reason) if part))
    target.setStatusTip(reason)


def empty_state(text: str = "") -> QLabel:
    """What an area or list shows while it has nothing: a quiet, centred line saying what to do next."""
    label = QLabel(text)
    label.setObjectName("emptyState")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    label.setMargin(24)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def no_round_reason(role: Role) -> str:
    """Why nothing can be recorded or compiled yet: the round is not in this vault (what to do, by role)."""
    from app.core.domain import Role

    if role in (Role.LEADER, Role.OFFICE, Role.DEPUTY):
        return QCoreApplication.translate("RecordPage", "Create the inspection round first (Overview → New round…).")
    return QCoreApplication.translate(
        "RecordPage", "Import the round package first: the bundle the leader sent you (Bundles → Import…).")


def reason_shown(target: QWidget | QAction) -> str:
    """What a disabled target says about why (its status tip); for tests and the status bar."""
    return target.statusTip()


def guide_text(topic: str) -> str:
    """The Markdown of one page of the guide (resources/help/TOPIC.md)."""
    name = topic if topic in TOPICS else "start"
    return resources.files("resources").joinpath(f"help/{name}.md").read_text(encoding="utf-8")


def _heading(text: str) -> str:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return first.lstrip("# ").strip()


class UserGuide(QDialog):
    """The guide: its contents on the left, the page on the right. Non-modal: the user reads and works."""

    def __init__(self, topic: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userGuide")
        self.setWindowTitle(self.tr("User guide"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.contents = QListWidget()
        self.contents.setMaximumWidth(170)
        for key in TOPICS:
            item = QListWidgetItem(_heading(guide_text(key)))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.contents.addItem(item)
        self.page = QTextBrowser()
        self.page.setOpenLinks(False)
        self.page.anchorClicked.connect(lambda url: self.show_topic(url.toString().removesuffix(".md")))
        self.contents.currentRowChanged.connect(lambda row: self._show_row(row))
        layout = QHBoxLayout(self)
        layout.addWidget(self.contents)
        layout.addWidget(self.page, 1)
        available = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(760, available.width() - 40), min(560, available.height() - 40))
        self.topic = ""
        self.show_topic(topic)

    def show_topic(self, topic: str) -> None:
        row = TOPICS.index(topic) if topic in TOPICS else 0
        if self.contents.currentRow() == row:
            self._show_row(row)
        else:
            self.contents.setCurrentRow(row)

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(TOPICS):
            self.topic = TOPICS[row]
            self.page.setMarkdown(guide_text(self.topic))


def show_guide(parent: QWidget, topic: str) -> UserGuide:
    """Open the guide at a topic, or bring the open one forward and turn to it."""
    guide = parent.findChild(UserGuide, "userGuide")
    if not isinstance(guide, UserGuide):
        guide = UserGuide(topic, parent)
    guide.show_topic(topic)
    guide.show()
    guide.raise_()
    guide.activateWindow()
    return guide


def install_f1(window: QWidget, topic: object) -> QAction:
    """F1 on a window opens the guide; `topic` is a key or a callable giving the key of what is in front."""
    action = QAction(QCoreApplication.translate("UserGuide", "User guide"), window)
    action.setShortcut(Qt.Key.Key_F1)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda: show_guide(window, topic() if callable(topic) else str(topic)))
    window.addAction(action)
    return action
