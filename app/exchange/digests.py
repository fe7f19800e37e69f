"""Work on the other core: `Background` runs digest updates (and, for the importer, the vault's chunk
writes) on threads of their own, "lanes", each lane in the order given.

hashlib releases the GIL while it hashes a buffer over 2 KiB, and SQLite while it steps a statement, so
while the lanes hash a bundle's bytes (SHA-512 for the manifest on one, the SHA-256 of each attachment
and of the file on another) or write the vault's pages, the caller's thread decrypts and parses. Measured
on the 2-core development VM (200 MiB, cProfile): with every SHA-256 on the reading thread, that thread
was the whole of `verify`'s wall time (0.47 s, against 0.28 s for the SHA-512 lane); with them on a lane
of their own the three threads share the two cores. A digest must always go to the same lane (its updates
are then in order). At most `depth` items wait on each lane (each a chunk of at most a few MiB), so memory
stays flat.

An exception in a lane (a full disk under a chunk write) is kept: the lane skips what is queued after it,
and `wait` raises it on the caller's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from queue import Queue
from types import TracebackType
from typing import Any

_STOP = object()

PAYLOAD, CONTENT, VAULT = 0, 1, 2  # the lanes: the payload's SHA-512, the SHA-256s, the vault's writes


class _Lane:
    def __init__(self, depth: int, name: str) -> None:
        self.queue: Queue[Any] = Queue(maxsize=depth)
        self.error: BaseException | None = None
        self.discard = False
        self.closed = False
        self.thread = threading.Thread(target=self._run, name=name, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is _STOP:
                    return
                if self.error is None and not self.discard:
                    fn, args = item
                    fn(*args)
            except BaseException as exc:  # kept for `wait`, which raises it on the caller's thread
                self.error = exc
            finally:
                self.queue.task_done()


class Background:
    def __init__(self, depth: int = 8, lanes: int = 1) -> None:
        self._lanes = [_Lane(depth, f"bundle-lane-{i}") for i in range(lanes)]

    def update(self, digest: Any, data: bytes | bytearray | memoryview, lane: int = PAYLOAD) -> None:
        """`digest.update(data)` on `lane`; `data` must not change until `wait` returns."""
        self.submit(lane, digest.update, data)

    def submit(self, lane: int, fn: Callable[..., Any], *args: Any) -> None:
        """`fn(*args)` on `lane`, after what was handed to that lane before."""
        lane_ = self._lanes[min(lane, len(self._lanes) - 1)]
        if lane_.error is not None:
            self.wait()
        if lane_.closed:  # a thread still feeding it after the owner gave up (a cancel): nothing will run it
            raise RuntimeError("the lane is closed")
        lane_.queue.put((fn, args))

    def wait(self, lane: int | None = None) -> None:
        """Everything handed over so far (to `lane`, or to every lane) is done: read a digest only after this.
        Raises what failed in a lane."""
        lanes = self._lanes if lane is None else [self._lanes[min(lane, len(self._lanes) - 1)]]
        for lane_ in lanes:
            lane_.queue.join()
        for lane_ in lanes:
            if lane_.error is not None:
                raise lane_.error

    def close(self, discard: bool = False) -> None:
        """Stop the lanes: each finishes what it was handed first, or skips it if `discard` (after a failure
        or a cancel). Never raises (call `wait` first to know the outcome)."""
        for lane_ in self._lanes:
            lane_.discard = lane_.discard or discard
            lane_.closed = True
            if lane_.thread.is_alive():
                lane_.queue.put(_STOP)
        for lane_ in self._lanes:
            lane_.thread.join()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
                 ) -> None:
        self.close(discard=kind is not None)
        if kind is None:
            self.wait()
