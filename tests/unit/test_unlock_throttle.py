"""A growing delay after repeated wrong passwords; the right password clears it."""

from __future__ import annotations

import itertools
import json
import time
from pathlib import Path

import pytest
from vault_fixtures import PASSWORD

from app.core.errors import WrongPassword
from app.vault.session import Session
from app.vault.unlock_throttle import FREE_ATTEMPTS, MAX_DELAY, TooManyAttempts, UnlockThrottle, delay_after


def test_delay_grows_and_is_capped() -> None:
    assert [delay_after(n) for n in range(FREE_ATTEMPTS)] == [0.0] * FREE_ATTEMPTS
    delays = [delay_after(n) for n in range(FREE_ATTEMPTS, FREE_ATTEMPTS + 12)]
    assert delays[0] > 0
    assert all(b >= a for a, b in itertools.pairwise(delays))
    assert delays[1] == 2 * delays[0]
    assert max(delays) == MAX_DELAY


def test_wrong_passwords_slow_down_the_next_attempt(session: Session, vault_path: Path) -> None:
    session.lock()
    for _ in range(FREE_ATTEMPTS):
        with pytest.raises(WrongPassword):
            Session.unlock(vault_path, "not the password at all")
    # The next attempt, even with the right password, must wait: a guesser cannot tell either way.
    with pytest.raises(TooManyAttempts) as caught:
        Session.unlock(vault_path, PASSWORD)
    assert 0 < caught.value.wait_seconds <= delay_after(FREE_ATTEMPTS)
    assert "秒后再试" in caught.value.zh

    # Once the delay has passed, the right password opens the vault and resets the count.
    throttle = UnlockThrottle(vault_path)
    state = throttle.state()
    assert state.failures == FREE_ATTEMPTS
    throttle.path.write_text(
        json.dumps({throttle.key: {"failures": state.failures, "last_failure": 0}}), encoding="utf-8"
    )
    again = Session.unlock(vault_path, PASSWORD)
    again.lock()
    assert throttle.state().failures == 0


def test_throttle_state_holds_no_vault_content_and_nothing_lands_beside_the_vault(
    session: Session, vault_path: Path
) -> None:
    session.lock()
    beside = sorted(p.name for p in vault_path.parent.iterdir())
    with pytest.raises(WrongPassword):
        Session.unlock(vault_path, "not the password at all")
    assert sorted(p.name for p in vault_path.parent.iterdir()) == beside
    throttle = UnlockThrottle(vault_path)
    assert throttle.path.parent != vault_path.parent
    entry = json.loads(throttle.path.read_text(encoding="utf-8"))[throttle.key]
    assert set(entry) == {"failures", "last_failure"}
    assert str(vault_path) not in throttle.path.read_text(encoding="utf-8")


def test_a_clock_set_back_never_locks_out_beyond_the_cap(tmp_path: Path) -> None:
    now = [1_000_000.0]
    throttle = UnlockThrottle(tmp_path / "v.xuncha", tmp_path / "state.json", clock=lambda: now[0])
    for _ in range(30):
        throttle.record_failure()
    now[0] -= 10 * 365 * 86400
    assert throttle.wait_seconds() == MAX_DELAY


def test_unwritable_folder_does_not_break_unlock(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    throttle = UnlockThrottle(tmp_path / "v.xuncha", blocker / "state.json")
    throttle.record_failure()  # the state folder cannot be made: ignored
    assert throttle.wait_seconds() == 0
    throttle.record_success()


def test_wrong_passwords_tried_in_parallel_are_all_counted(session: Session, vault_path: Path) -> None:
    """Ten guesses started at once: each is counted before its key derivation, so none slips past the count,
    and those after the free ones are refused without a derivation at all (a refusal is not counted: retrying
    too early does not lengthen the wait)."""
    import subprocess
    import sys

    from vault_fixtures import ROOT, cli_env

    session.lock()
    home = vault_path.parent / "home"
    env = cli_env(home, XUNCHA_PASSWORD="not the password at all")
    started = time.monotonic()
    procs = [subprocess.Popen([sys.executable, "-m", "app.cli", "--vault", str(vault_path), "info"], cwd=ROOT,
                              env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(10)]
    outcomes = [p.communicate(timeout=120)[1] for p in procs]
    wrong = sum("密码错误，或" in err for err in outcomes)
    refused = sum("秒后再试" in err for err in outcomes)
    assert wrong + refused == 10, outcomes
    # Only the free ones ran a key derivation; the rest were told to wait. On a loaded machine the ten starts
    # spread out, and a guess that begins after the previous one's delay has passed is allowed: as many
    # more as the doubling delays fit into the time the run took, never more (without the cross-process
    # count, all ten would derive a key at once).
    elapsed = time.monotonic() - started
    allowed_late = next(k for k in itertools.count() if sum(delay_after(FREE_ATTEMPTS + i) for i in range(k + 1))
                        > elapsed)
    assert FREE_ATTEMPTS <= wrong <= FREE_ATTEMPTS + allowed_late, (wrong, elapsed)
    state = UnlockThrottle(vault_path, home / ".local" / "state" / "xuncha" / "unlock-failures.json").state()
    assert state.failures == wrong  # every guess that was tried is counted


def test_a_fault_that_is_no_password_takes_its_count_back(tmp_path: Path) -> None:
    throttle = UnlockThrottle(tmp_path / "v.xuncha", tmp_path / "state.json")
    throttle.begin()
    assert throttle.state().failures == 1
    throttle.not_a_guess()
    assert throttle.state().failures == 0 and throttle.wait_seconds() == 0
