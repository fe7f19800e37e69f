"""app/exchange/digests.py: work on lanes, each in order; a failure in a lane is raised on the caller's
thread and what was queued after it is not run."""

from __future__ import annotations

import hashlib

import pytest

from app.exchange import digests


def test_each_lane_keeps_its_order_and_the_digests_are_right() -> None:
    parts = [bytes([i]) * (3000 + i) for i in range(200)]
    with digests.Background(depth=2, lanes=3) as hasher:
        one, two, seen = hashlib.sha512(), hashlib.sha256(), []
        for part in parts:
            hasher.update(one, part, digests.PAYLOAD)
            hasher.update(two, part, digests.CONTENT)
            hasher.submit(digests.VAULT, seen.append, part[:1])
        hasher.wait()
    assert one.digest() == hashlib.sha512(b"".join(parts)).digest()
    assert two.digest() == hashlib.sha256(b"".join(parts)).digest()
    assert seen == [p[:1] for p in parts]


def test_a_failure_in_a_lane_is_raised_and_what_follows_it_is_skipped() -> None:
    done: list[int] = []

    def step(n: int) -> None:
        if n == 3:
            raise OSError("disk full")
        done.append(n)

    hasher = digests.Background(depth=1, lanes=3)
    with pytest.raises(OSError, match="disk full"):
        for n in range(10):
            hasher.submit(digests.VAULT, step, n)
        hasher.wait()
    hasher.close(discard=True)
    assert done == [0, 1, 2]
    with pytest.raises(RuntimeError):  # closed: nothing would run it
        hasher.submit(digests.PAYLOAD, done.append, 99)

