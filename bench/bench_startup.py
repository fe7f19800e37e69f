"""Benchmark: cold start to the unlock window, and unlock time, each next to a bare Qt window's start.

    .venv/bin/python bench/bench_startup.py [--runs N]

Prints a table of medians. The reference is the start time of a bare QApplication showing an empty
window, measured in the same run on the same machine; the ratio is the figure to compare between runs.
Unlock uses a real, calibrated Argon2id key derivation (about 0.7 s by design) on an empty vault and on a
demo vault of 10,000 records (2,000 groups of five), so that any part of unlock that grows with the vault
would show (bench/bench_open.py goes to a gigabyte).

Every window opens on a 1366×728 offscreen screen (a 1366×768 laptop less its taskbar). The main window
is timed from the unlock click to its first paint on the demo vault, on a first start (no layout
remembered: maximised) and then with the layout the previous run left at its lock (ui/layout_memory.py),
so the cost of restoring a remembered layout reads against the first start in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.domain import Role  # noqa: E402
from app.demo import scenario as demo  # noqa: E402
from app.vault.session import Session  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"


SCREEN = {"screens": [{"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 728, "logicalDpi": 96,
                       "logicalBaseDpi": 96, "dpr": 1}]}


def platform(tmp: str) -> str:
    config = Path(tmp) / "screen.json"
    config.write_text(json.dumps(SCREEN))
    return f"offscreen:configfile={config}"


def probe(*args: str) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
           "XUNCHA_BENCH_T0": repr(time.time()), "XUNCHA_BENCH_PASSWORD": PASSWORD}
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "startup_probe.py"), *args], env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    return float(out.stdout.strip().splitlines()[-1])


def median_of(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(fn() for _ in range(runs))


def timed_unlock(path: Path) -> float:
    start = time.perf_counter()
    session = Session.unlock(path, PASSWORD)
    elapsed = time.perf_counter() - start
    session.lock()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-") as tmp:
        os.environ["XDG_CONFIG_HOME"] = os.path.join(tmp, "config")  # no settings of the developer's
        os.environ["XDG_STATE_HOME"] = os.path.join(tmp, "state")
        os.environ.setdefault("QT_QPA_PLATFORM", platform(tmp))
        empty = Path(tmp) / "empty.xuncha"
        Session.create(empty, PASSWORD, "基准", Role.MEMBER).lock()
        full = Path(tmp) / "full.xuncha"
        session = Session.create(full, PASSWORD, "王建国", Role.LEADER)
        demo.fill(session, 2000)
        session.lock()
        size_mib = full.stat().st_size / 2**20

        probe("bare")  # warm the file cache once, as a laptop that has run the app before would be
        bare = median_of(args.runs, lambda: probe("bare"))
        cold = median_of(args.runs, lambda: probe("unlock", str(empty)))
        unlock_empty = median_of(args.runs, lambda: timed_unlock(empty))
        unlock_full = median_of(args.runs, lambda: timed_unlock(full))
        inis = iter(Path(tmp) / f"first-{i}.ini" for i in range(args.runs))
        first_start = median_of(args.runs, lambda: probe("main", str(full), str(next(inis))))
        remembered_ini = Path(tmp) / "remembered.ini"
        probe("main", str(full), str(remembered_ini))  # leaves a layout behind at its lock
        remembered = median_of(args.runs, lambda: probe("main", str(full), str(remembered_ini)))

    rows = [
        ("bare QApplication + empty window (reference)", bare),
        ("xuncha-gui start to the unlock window", cold),
        ("unlock, empty vault (Argon2id + checks)", unlock_empty),
        (f"unlock, demo vault of 10,000 records ({size_mib:.1f} MiB)", unlock_full),
        ("unlock click to main window, demo vault, first start", first_start),
        ("unlock click to main window, demo vault, layout remembered", remembered),
    ]
    print(f"median of {args.runs} runs, Python {sys.version.split()[0]}, QT_QPA_PLATFORM="
          f"{os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    print(f"{'measure':<58} {'seconds':>9} {'× reference':>12}")
    for name, seconds in rows:
        print(f"{name:<58} {seconds:>9.3f} {seconds / bare:>12.2f}")
    print(f"restoring the remembered layout: {remembered / first_start:.2f} × the first start's unlock-to-window")


if __name__ == "__main__":
    main()
