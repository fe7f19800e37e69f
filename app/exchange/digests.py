"""Hashing on a second core: `Background` runs digest updates on a thread of its own, in the order given.

hashlib releases the GIL while it hashes a buffer over 2 KiB, so while that thread hashes a bundle's bytes
(SHA-512 for the manifest, SHA-256 of the file), this one decrypts, parses, reads the vault or writes:
measured, hashing was two thirds of `verify`'s time on one core. At most `depth` updates wait (each a chunk
of at most a few MiB), so memory stays flat.
"""

from __future__ import annotations

import threading
from queue import Queue
from types import TracebackType
from typing import Any

_STOP = object()


class Background:
    def __init__(self, depth: int = 8) -> None:
        self._queue: Queue[Any] = Queue(maxsize=depth)
        self._thread = threading.Thread(target=self._run, name="bundle-hash", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is _STOP:
                    return
                digest, data = item
                digest.update(data)
            finally:
                self._queue.task_done()

    def update(self, digest: Any, data: bytes | memoryview) -> None:
        """`digest.update(data)` on the hashing thread; `data` must not change until `wait` returns."""
        self._queue.put((digest, data))

    def wait(self) -> None:
        """Every update handed over so far is done (read a digest only after this)."""
        self._queue.join()

    def close(self) -> None:
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
                 ) -> None:
        self.close()
