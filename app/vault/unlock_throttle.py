"""A growing delay after repeated wrong passwords, kept per vault in the user's state folder.

Argon2id already makes each guess cost most of a second; this slows someone at the keyboard (staff of the
inspected unit with a minute alone with the laptop) further: after FREE_ATTEMPTS failures each further
attempt must wait twice as long as the last, up to MAX_DELAY. The state file (platformdirs' user state
folder, never beside the vault, so nothing is written where the vault lies) holds per vault only a hash of
its path, a count and a time, nothing from inside the vault. If it cannot be written, the throttle quietly
does nothing more.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_state_path

from app.core.errors import XunchaError
from storage import files

FREE_ATTEMPTS = 3
FIRST_DELAY = 2.0
MAX_DELAY = 300.0


class TooManyAttempts(XunchaError):
    def __init__(self, wait_seconds: float) -> None:
        seconds = math.ceil(wait_seconds)
        super().__init__(
            f"密码错误次数过多，请 {seconds} 秒后再试", f"too many wrong passwords; try again in {seconds} s"
        )
        self.wait_seconds = wait_seconds


@dataclass(frozen=True)
class FailureState:
    failures: int
    last_failure: float


def delay_after(failures: int) -> float:
    """Seconds to wait after `failures` consecutive wrong passwords."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (failures - FREE_ATTEMPTS))


def default_state_file() -> Path:
    return user_state_path("xuncha", appauthor=False) / "unlock-failures.json"


class UnlockThrottle:
    def __init__(
        self, vault_path: Path, state_file: Path | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        resolved = str(Path(vault_path).resolve())
        self.key = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:32]
        self.path = state_file or default_state_file()
        self._clock = clock

    def _load_all(self) -> dict[str, dict[str, float]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save_all(self, data: dict[str, dict[str, float]]) -> None:
        with contextlib.suppress(OSError, XunchaError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            files.write_new(self.path, json.dumps(data).encode("utf-8"), "throttle")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The state file's read, change and write as one step across processes: attempts made in
        parallel are all counted. Without a lockable state folder the throttle does nothing more."""
        with contextlib.ExitStack() as stack:
            with contextlib.suppress(OSError):
                stack.enter_context(files.exclusive_lock(self.path.with_name(self.path.name + ".lock")))
            yield

    def state(self) -> FailureState:
        return self._state_in(self._load_all())

    def _state_in(self, data: dict[str, dict[str, float]]) -> FailureState:
        try:
            entry = data[self.key]
            return FailureState(int(entry["failures"]), float(entry["last_failure"]))
        except (KeyError, ValueError, TypeError):
            return FailureState(0, 0.0)

    def wait_seconds(self) -> float:
        """How long until the next attempt is allowed (0 if now)."""
        state = self.state()
        remaining = state.last_failure + delay_after(state.failures) - self._clock()
        # A clock set back must not lock the owner out for longer than the longest delay.
        return max(0.0, min(remaining, MAX_DELAY))

    def check(self) -> None:
        """Raise TooManyAttempts if an attempt now is too early."""
        wait = self.wait_seconds()
        if wait > 0:
            raise TooManyAttempts(wait)

    def begin(self) -> None:
        """Before an attempt: refuse it if it comes too early, else count it as a failure until it proves
        otherwise (`record_success`, or `not_a_guess` for a fault that was no password's). Counted before
        the key derivation, ten attempts started at once are ten failures, and the later ones wait."""
        with self._locked():
            self.check()
            self._count(+1)

    def not_a_guess(self) -> None:
        """The attempt failed for a reason other than its password (a read-only folder, a damaged file):
        take back its count."""
        with self._locked():
            self._count(-1)

    def record_failure(self) -> None:
        with self._locked():
            self._count(+1)

    def record_success(self) -> None:
        with self._locked():
            data = self._load_all()
            if data.pop(self.key, None) is not None:
                self._save_all(data)

    def _count(self, step: int) -> None:
        data = self._load_all()
        state = self._state_in(data)
        failures = max(0, state.failures + step)
        if failures:
            last = self._clock() if step > 0 else state.last_failure
            data[self.key] = {"failures": failures, "last_failure": last}
        else:
            data.pop(self.key, None)
        self._save_all(data)
