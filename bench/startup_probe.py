"""Child process of bench/bench_startup.py: start one kind of window, print seconds since XUNCHA_BENCH_T0, exit.

    python bench/startup_probe.py bare          a QApplication showing an empty QWidget (the reference)
    python bench/startup_probe.py unlock PATH   the app's shell showing its unlock window for PATH
    python bench/startup_probe.py main PATH INI  unlock PATH (password in XUNCHA_BENCH_PASSWORD) and print the
                                                 seconds from the click to the main window shown, with the
                                                 layout remembered in INI (none on a first start); then lock,
                                                 which saves the layout into INI for the next run
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    t0 = float(os.environ["XUNCHA_BENCH_T0"])
    mode = sys.argv[1]
    if mode == "unlock":
        # The real entry point, quitting as soon as its first window has been shown and painted.
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        from ui.main import main as gui_main

        app = QApplication([sys.argv[0]])

        def shown() -> None:
            print(f"{time.time() - t0:.6f}", flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
        gui_main(["--vault", sys.argv[2]])
        return

    if mode == "main":
        main_window(Path(sys.argv[2]), Path(sys.argv[3]))
        return

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication([sys.argv[0]])
    window = QWidget()
    window.resize(640, 420)
    window.show()

    def shown() -> None:
        print(f"{time.time() - t0:.6f}", flush=True)
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()


def main_window(vault: Path, ini: Path) -> None:
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.settings import Settings
    from ui.shell import Shell

    app = QApplication([sys.argv[0]])
    shell = Shell(vault, Settings(QSettings(str(ini), QSettings.Format.IniFormat)))
    shell.start()
    started = 0.0

    def click() -> None:
        nonlocal started
        shell.unlock_window.password.setText(os.environ["XUNCHA_BENCH_PASSWORD"])
        started = time.perf_counter()
        shell.unlock_window.unlock_button.click()

    def poll() -> None:
        window = shell.main_window
        if window is None or not window.isVisible():
            QTimer.singleShot(1, poll)
            return
        QTimer.singleShot(0, shown)  # after the first paint of the main window

    def shown() -> None:
        print(f"{time.perf_counter() - started:.6f}", flush=True)
        shell.quit()  # locks: the layout goes into INI

    QTimer.singleShot(300, click)  # the services preload meanwhile, as while a user types
    QTimer.singleShot(300, poll)
    app.exec()
    shell.shutdown()


if __name__ == "__main__":
    main()
