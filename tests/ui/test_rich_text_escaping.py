"""Names and codes from a bundle not yet verified reach rich-text labels as text, never as markup: a sender
who calls itself <b>…</b> or <a href=…> is shown by those very characters, not in bold or as a link."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.exchange.bundle_import import BundleReport, Check, Refusal
from exports.bundle_format import Party
from ui.bundles_page import PreviewDialog

BOLD = "<b>钱国平</b>"
LINK = '<a href="https://example.org/x">点此核对</a>'


def shown(label: QLabel) -> str:
    """What a reader sees in the label: its rich text laid out, as plain characters."""
    document = QTextDocument()
    document.setHtml(label.text())
    return document.toPlainText()


def test_planted_markup_in_a_bundle_is_shown_as_text(qtbot: QtBot) -> None:
    sender = Party("a" * 64, f"{BOLD}{LINK}", "member")
    report = BundleReport(
        sender=sender, recipients=(Party("b" * 64, f"王建国{LINK}", "leader"),), round_code=f"2026-3{BOLD}",
        sequence=3, created_at="2026-09-06T10:00:00+00:00", covers={"records": 1, "attachments": 0},
        checks=[Check(f"属于本机的巡察轮次（2026-3{BOLD}）", "from a round of this vault", True),
                Check("发送人在本机信任名单中", "on the roster", False, f"轮次 {LINK} 不是本机的巡察轮次", "no")],
        refused=[Refusal("r" * 32, f"W-1{BOLD}", f"底稿{LINK}", f"只有作者可以修改{BOLD}", "author only")],
        warnings=[(f"数据包自称由“{BOLD}”发出", "named")],
    )
    dialog = PreviewDialog(report, can_import=True)
    qtbot.addWidget(dialog)
    labels = dialog.findChildren(QLabel)
    seen = "\n".join(shown(label) for label in labels)
    for planted in (f"{BOLD}{LINK}", f"王建国{LINK}", f"2026-3{BOLD}", f"轮次 {LINK}", f"W-1{BOLD}", f"底稿{LINK}",
                    f"只有作者可以修改{BOLD}", f"自称由“{BOLD}”"):
        assert planted in seen, planted
    for label in labels:
        assert "<b>钱" not in label.text() and "<a href" not in label.text(), label.text()


def test_names_and_titles_from_the_vault_are_shown_as_written(qtbot: QtBot, round_session: Any,
                                                              tmp_path: Path) -> None:
    """A record's title (which may have come in a bundle) in the share dialog, and the labels built by
    `plain_label`, show markup as the characters it is made of."""
    from PySide6.QtCore import QSettings, Qt

    from ui.clipboard import SecureClipboard
    from ui.context import Context
    from ui.qt_util import plain_label
    from ui.settings import Settings
    from ui.share_dialog import ShareDialog
    from ui.tasks import TaskRunner

    record, _ = round_session.records.add("review", {"review_type": "documents", "subject": f"账册{BOLD}{LINK}"})
    runner = TaskRunner()
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    ctx = Context(round_session, runner, SecureClipboard(10), settings, lambda _c, _i: None)
    dialog = ShareDialog(ctx, record)
    qtbot.addWidget(dialog)
    # The runner outlives the dialog that uses it, as the shell's does its windows: left to Python, it went
    # at the test's return while the dialog lived on, and pytest-qt's next processEvents segfaulted.
    runner.setParent(dialog)
    assert dialog.intro.textFormat() == Qt.TextFormat.PlainText and f"账册{BOLD}{LINK}" in dialog.intro.text()
    label = plain_label(BOLD)
    assert label.textFormat() == Qt.TextFormat.PlainText
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    runner.wait()
    qtbot.waitUntil(lambda: not runner.busy)  # every result delivered
