"""Every string of the interface is translated, and the .ts holds every tr() string of ui/."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTreeView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ui import translations_build
from ui.main import chinese_dates


def test_every_entry_is_translated() -> None:
    assert translations_build.unfinished() == []


def test_the_ts_file_is_current(tmp_path: Path) -> None:
    """lupdate over today's sources adds nothing: no tr() string lacks its Chinese text."""
    copy = tmp_path / "check.ts"
    shutil.copyfile(translations_build.TS, copy)
    translations_build.update(copy)
    assert translations_build.unfinished(copy) == []


def _texts(widget: QWidget) -> set[str]:
    return {label.text() for label in widget.findChildren(QLabel)} | {
        button.text() for button in widget.findChildren(QAbstractButton)}


def test_qt_file_dialog_reads_chinese(qtbot: QtBot, tmp_path: Path) -> None:
    """Qt's own file dialog (the one a Linux desktop gets) is Chinese throughout, its labels too, which
    PySide6's qtbase_zh_CN leaves in English (resources/translations/qt_extra_zh_CN.ts adds them)."""
    (tmp_path / "材料").mkdir()
    dialog = QFileDialog(None, "保存", str(tmp_path), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    qtbot.addWidget(dialog)
    dialog.show()
    texts = _texts(dialog)
    assert {"查找范围(&L)：", "文件类型(&T)：", "文件名称(&N)：", "保存(&S)", "取消"} <= texts
    assert not any(text in texts for text in ("&Look in:", "Files of &type:", "Cancel", "&Save"))
    view = dialog.findChild(QTreeView)
    assert view is not None
    model = view.model()
    qtbot.waitUntil(lambda: model.rowCount(view.rootIndex()) == 1)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["名称", "体积", "类型", "修改日期"]
    assert model.index(0, 2, view.rootIndex()).data() == "文件夹"


def test_message_box_buttons_and_context_menu_are_chinese(qtbot: QtBot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "确认", "确定删除？",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Ok)
    qtbot.addWidget(box)
    assert {b.text() for b in box.buttons()} == {"是(&Y)", "否(&N)", "取消", "确定"}
    edit = QLineEdit("文字")
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    assert menu is not None
    shown = [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]
    assert "复制(&C)" in shown and "粘贴(&P)" in shown and "全选" in shown
    assert QLocale().name() == "zh_CN"
    assert QLocale().toString(QDate(2026, 12, 2), QLocale.FormatType.LongFormat) == "2026年12月2日星期三"


def test_dates_qt_formats_with_the_system_locale_are_chinese_on_linux() -> None:
    """The file dialog's 修改日期 follows the system locale: on an English or C desktop the app sets LC_TIME."""
    assert chinese_dates({"LANG": "C.UTF-8"}, "linux") == {"LC_TIME": "zh_CN.UTF-8"}
    assert chinese_dates({"LANG": "en_US.UTF-8"}, "linux") == {"LC_TIME": "zh_CN.UTF-8"}
    assert chinese_dates({"LANG": "zh_CN.UTF-8"}, "linux") == {}
    assert chinese_dates({"LANG": "C", "XUNCHA_LANG": "en"}, "linux") == {}
    assert chinese_dates({"LANG": "C"}, "win32") == {}
