"""The Qt binding itself: signals carrying Python objects keep their reference counts.

PySide6 6.12.0 dropped one reference per emit of a Signal(object) (same thread or queued), which freed
bools, None-adjacent singletons and task results while still in use: random segfaults in the app and
"bool_dealloc" aborts. pyproject.toml pins below it; this test stops a version with the same fault.
"""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot


class _Carrier(QObject):
    carried = Signal(object)
    pair = Signal(str, object)


def test_emitting_objects_keeps_reference_counts(qtbot: QtBot) -> None:
    carrier = _Carrier()
    received: list[object] = []
    carrier.carried.connect(received.append)
    carrier.pair.connect(lambda _s, value: received.append(value))
    payload = object()
    before = sys.getrefcount(payload)
    for _ in range(200):
        carrier.carried.emit(payload)
        carrier.pair.emit("x", payload)
    received.clear()
    assert sys.getrefcount(payload) == before


def test_queued_emits_from_a_worker_keep_reference_counts(qtbot: QtBot) -> None:
    carrier = _Carrier()
    received: list[object] = []
    carrier.carried.connect(received.append)
    payload = object()
    before = sys.getrefcount(payload)
    worker = threading.Thread(target=lambda: [carrier.carried.emit(payload) for _ in range(200)])
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(received) == 200, timeout=5_000)
    received.clear()
    assert sys.getrefcount(payload) == before
