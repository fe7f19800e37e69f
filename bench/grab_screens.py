"""Screenshots of every screen on a given screen size, to check by eye what a user sees (issue 15).

    .venv/bin/python bench/grab_screens.py OUT_DIR                         # 1366×728: 1366×768 less a 40 px taskbar
    .venv/bin/python bench/grab_screens.py OUT_DIR --screen 1920x1080 --scale 1.5

Runs on Qt's offscreen platform with one screen of the given size (its available area: the taskbar is left
out of the height given), on a demo vault of its own in a temporary folder, with settings of its own. It
writes the unlock window, every area with a record open, the editors with their sections unfolded, a
member's new vault before the round package arrives, and the user guide. Nothing of yours is read or
written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "grab-口令-Qx9!long-enough"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--screen", default="1366x728", help="WxH of the screen's available area")
    parser.add_argument("--scale", type=float, default=1.0, help="QT_SCALE_FACTOR (1.5 for 150%%)")
    parser.add_argument("--records", type=int, default=20, help="demo scale (records of each kind ≈ 5×)")
    return parser.parse_args()


def setup_environment(args: argparse.Namespace, tmp: str) -> None:
    width, height = (int(v) for v in args.screen.lower().split("x"))
    config = Path(tmp) / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "grab", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        os.environ[name] = str(Path(tmp) / name.lower())


def grab_area(window: Any, page: Any, name: str, save: Callable[[Any, str], None], settle: Callable[[int], None],
              wait_until: Callable[[Callable[[], bool]], None]) -> None:
    """One area: with its first record open, then with that editor's sections unfolded."""
    from ui.collapsible import Section
    from ui.record_page import RecordPage

    if not isinstance(page, RecordPage):
        save(window, name)
        return
    wait_until(lambda: bool(page.count.text()) and page.editor is not None)
    if not page.model.rowCount():
        save(window, name)
        return
    page.view.selectRow(0)
    wait_until(lambda: page.editor is not None and page.editor.record is not None)
    settle(600)
    save(window, name)
    if page.editor is None:
        return
    sections = [s for s in page.editor.findChildren(Section) if s.isVisibleTo(page.editor)]
    for section in sections:
        section.set_expanded(True)
    settle(400)
    save(window, f"{name}-sections-open")
    for section in sections:
        section.set_expanded(False)


def main() -> None:
    args = parse()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xuncha-grab-") as tmp:
        setup_environment(args, tmp)
        from PySide6.QtCore import QSettings
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication, QWidget

        from app.core.domain import Role
        from app.demo import scenario as demo
        from app.vault.session import KdfParams, Session
        from ui.main import install_translations
        from ui.record_page import RecordPage
        from ui.settings import Settings
        from ui.shell import Shell

        kdf = KdfParams(time_cost=2, memory_log2=13, parallelism=1)
        app = QApplication([sys.argv[0]])
        translators = install_translations(app)
        full = Path(tmp) / "demo.xuncha"
        session = Session.create(full, PASSWORD, "王建国", Role.LEADER, kdf=kdf)
        demo.fill(session, args.records)
        session.lock()
        fresh = Path(tmp) / "member.xuncha"
        Session.create(fresh, PASSWORD, "张志远", Role.MEMBER, kdf=kdf).lock()

        def settle(ms: int = 400) -> None:
            deadline = time.monotonic() + ms / 1000
            while time.monotonic() < deadline:
                QTest.qWait(20)

        def wait_until(ready: Callable[[], bool], seconds: float = 30) -> None:
            deadline = time.monotonic() + seconds
            while not ready() and time.monotonic() < deadline:
                QTest.qWait(20)

        def save(widget: QWidget, name: str) -> None:
            path = args.out / f"{name}.png"
            widget.grab().save(str(path))
            print(f"{path}  {widget.width()}×{widget.height()}")

        def start(path: Path, ini: str) -> Shell:
            settings = Settings(QSettings(str(Path(tmp) / ini), QSettings.Format.IniFormat))
            shell = Shell(path, settings, kdf=kdf)
            shell.start()
            settle(300)
            return shell

        def unlock(shell: Shell) -> None:
            shell.unlock_window.password.setText(PASSWORD)
            shell.unlock_window.unlock_button.click()
            deadline = time.monotonic() + 20
            while (shell.main_window is None or not shell.main_window.isVisible()) and time.monotonic() < deadline:
                QTest.qWait(20)
            settle(800)

        shell = start(full, "leader.ini")
        save(shell.unlock_window, "00-unlock")
        unlock(shell)
        window = shell.main_window
        assert window is not None
        for row, page in enumerate(window.pages):
            window.nav.setCurrentRow(row)
            settle(600)
            grab_area(window, page, f"{row + 1:02d}-{page.area_key()}", save, settle, wait_until)
        from ui.guide_page import GuidePage

        guide_page = next(p for p in window.pages if isinstance(p, GuidePage))
        window.nav.setCurrentRow(window.pages.index(guide_page))
        guide_page.tabs.setCurrentIndex(1)  # 必谈必查
        guide_page.units.selectRow(0)
        settle(300)
        save(window, f"{window.pages.index(guide_page) + 1:02d}-guide-coverage")
        guide_page.tabs.setCurrentIndex(0)
        window.nav.setCurrentRow(3)
        settle(300)
        guide = window.show_guide()
        settle(300)
        save(guide, "20-guide-petition")
        guide.close()
        shell.lock()
        settle(300)
        unlock(shell)
        if shell.main_window is not None:
            save(shell.main_window, "21-after-lock-unlock")
        shell.shutdown()

        member = start(fresh, "member.ini")
        unlock(member)
        window = member.main_window
        assert window is not None
        save(window, "30-member-new-vault")
        window.nav.setCurrentRow(3)
        petitions = window.pages[3]
        wait_until(lambda: isinstance(petitions, RecordPage) and petitions._has_round is not None)
        settle(300)
        save(window, "31-member-petitions-before-round")
        member.shutdown()
        del translators
        app.quit()


if __name__ == "__main__":
    main()
