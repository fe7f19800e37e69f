"""Child process of bench/bench_startup.py: start one kind of window, print seconds since XUNCHA_BENCH_T0, exit.

    python bench/startup_probe.py bare          a QApplication showing an empty QWidget (the reference)
    python bench/startup_probe.py unlock PATH   the app's shell showing its unlock window for PATH
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


if __name__ == "__main__":
    main()
