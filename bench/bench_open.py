"""Benchmark: unlock as the vault grows, next to the key derivation alone; `xuncha info`; the demo fill rate.

    .venv/bin/python bench/bench_open.py                      # vaults of about 10 and 100 MiB
    .venv/bin/python bench/bench_open.py --sizes 10,100,1000  # and about 1 GiB (minutes to build)
    .venv/bin/python bench/bench_open.py --vaults DIR         # build the vaults into DIR once, reuse them

Unlock (Session.unlock, in this process) is printed next to the key derivation alone (Argon2id with the
vault's own calibrated parameters, about 0.7 s by design), both measured in this run on the same vault:
unlock checks only the first pages, so the ratio should stay near 1 whatever the size. `xuncha info` runs as
a real process (Python's start and imports, the same unlock, a few queries), next to the same key
derivation. The full check of every page, which left the unlock path (the GUI runs it in the background
after unlock; `xuncha check`; every backup), is timed once per vault to show what unlock no longer pays.
The vaults are demo rounds (`xuncha demo --scale N`, about 27 groups of five records per MiB).

Fill: the demo round in bulk (app/demo: every record through the services, validated, numbered,
audit-logged and indexed, all in one transaction), as `xuncha demo` runs it (SQLCipher's memory security
off: the data is invented) and with memory security on (as the app writes), each in a process of its own,
next to a plain executemany of rows of the demo's own average size into an unencrypted SQLite file, in
one transaction (the reference).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.domain import Role  # noqa: E402
from app.demo import scenario as demo  # noqa: E402
from app.vault import hardening, integrity  # noqa: E402
from app.vault.session import Session  # noqa: E402
from storage import kdf  # noqa: E402
from storage.vault import read_salt  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"
GROUPS_PER_MIB = 27  # demo groups (five records each, with revisions, index and audit) in a MiB of vault
CHEAP_KDF = kdf.KdfParams(time_cost=2, memory_log2=13, parallelism=1)  # the fill measures writing, not Argon2


def env(state: Path) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("XUNCHA_")},
            "XUNCHA_PASSWORD": PASSWORD, "PYTHONPATH": str(ROOT), "XDG_STATE_HOME": str(state)}


def xuncha(state: Path, *args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", *args], env=env(state), capture_output=True, check=True,
                   timeout=6 * 3600)
    return time.perf_counter() - start


def build(path: Path, mib: int, state: Path) -> float:
    """A demo vault of about `mib` MiB, made by `xuncha demo` (calibrated key derivation, as a user's)."""
    print(f"  building {path.name}: xuncha demo --scale {mib * GROUPS_PER_MIB} …", file=sys.stderr, flush=True)
    return xuncha(state, "--vault", str(path), "demo", "--scale", str(mib * GROUPS_PER_MIB))


def median_time(runs: int, fn) -> float:  # type: ignore[no-untyped-def]
    fn()  # warm: the file cache of a laptop that has opened this vault before
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def timed_unlock(path: Path, runs: int) -> tuple[float, float]:
    """Medians of the key derivation alone and of Session.unlock, `runs` of each after one warm-up, taken in
    turn so that both see the same load (Argon2id's 64 MiB are sensitive to other work on the machine); the
    lock after each unlock is outside the clock."""
    salt = read_salt(path)
    params = kdf.params_from_salt(salt)
    derives, unlocks = [], []
    for run in range(runs + 1):
        start = time.perf_counter()
        kdf.derive_key(PASSWORD, salt, params)
        derive = time.perf_counter() - start
        start = time.perf_counter()
        session = Session.unlock(path, PASSWORD)
        unlock = time.perf_counter() - start
        session.lock()
        if run:
            derives.append(derive)
            unlocks.append(unlock)
    return statistics.median(derives), statistics.median(unlocks)


def measure_vault(path: Path, runs: int, state: Path) -> dict[str, float]:
    params = kdf.params_from_salt(read_salt(path))
    derive, unlock = timed_unlock(path, runs)
    info = median_time(runs, lambda: xuncha(state, "--vault", str(path), "info"))
    session = Session.unlock(path, PASSWORD)
    try:
        records = sum(session.dashboard().records_by_kind.values())
        start = time.perf_counter()
        result = integrity.check_vault(session)
        check = time.perf_counter() - start
        assert result.intact, result.problems[:3]
    finally:
        session.lock()
    return {"mib": path.stat().st_size / 2**20, "records": records, "kdf": derive, "unlock": unlock,
            "info": info, "check": check, "memory_mib": 2 ** params.memory_log2 / 1024,
            "time_cost": params.time_cost}


# ---- fill ------------------------------------------------------------------------------------------------


def fill_child(scale: int, memory_security: bool, folder: Path) -> None:
    """In a process of its own (memory security is process-wide, and can only be turned on): fill a new vault
    and print records, seconds and the average body length as JSON."""
    if not memory_security:
        hardening.invented_data_only()
    os.environ["XDG_STATE_HOME"] = str(folder / "state")
    session = Session.create(folder / f"fill-{memory_security}.xuncha", PASSWORD, demo.GROUP[0][0], Role.LEADER,
                             CHEAP_KDF)
    start = time.perf_counter()
    demo.fill(session, scale)
    seconds = time.perf_counter() - start
    records, body = session.vault.query_one("SELECT count(*), avg(length(body)) FROM records") or (0, 0)
    session.lock()
    print(json.dumps({"records": records, "seconds": seconds, "body": body}))


def fill(scale: int, memory_security: bool, folder: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--fill-child", str(scale),
                          "--memory-security", "on" if memory_security else "off", "--vaults", str(folder)],
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, check=True,
                         timeout=6 * 3600)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def plain_executemany(records: int, body_chars: int, folder: Path) -> float:
    """The reference: rows of the same count and body size, one executemany, one transaction, no encryption."""
    rng = random.Random(1)
    words = "扶贫资金村级工程三资台账低保评定征地拆迁集体土地流转收入惠农补贴党支部换届"
    rows = [(str(uuid.uuid4()), "interview", f"谈话记录{i}", "".join(rng.choices(words, k=body_chars)))
            for i in range(records)]
    path = folder / "plain.sqlite"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE records (id TEXT PRIMARY KEY, kind TEXT, title TEXT, body TEXT)")
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - start
    conn.close()
    return seconds


# ---- report ----------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="vault sizes in MiB, comma-separated (default 10,100)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each unlock and `xuncha info`")
    parser.add_argument("--fill-scale", type=int, default=1000,
                        help="demo groups of five records for the fill rate (default 1000: 5,000 records)")
    parser.add_argument("--vaults", type=Path, default=None,
                        help="folder to build the vaults in and keep them (reused when present)")
    parser.add_argument("--fill-child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--memory-security", choices=("on", "off"), default="on", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.fill_child is not None:
        fill_child(args.fill_child, args.memory_security == "on", args.vaults)
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-") as tmp:
        folder = args.vaults or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        state = Path(tmp) / "state"
        os.environ["XDG_STATE_HOME"] = str(state)  # the unlock throttle's folder, here and in every child
        rows = []
        for mib in sizes:
            path = folder / f"open-{mib}mib.xuncha"
            if not path.exists():
                build(path, mib, state)
            rows.append(measure_vault(path, args.runs, state))
        start_s = median_time(args.runs, lambda: xuncha(state, "version"))

        print(f"  filling {args.fill_scale * 5:,} records three ways …", file=sys.stderr, flush=True)
        off = fill(args.fill_scale, False, Path(tmp))
        on = fill(args.fill_scale, True, Path(tmp))
        reference = plain_executemany(int(off["records"]), int(off["body"]), Path(tmp))

    print(f"\nmedian of {args.runs} runs after one warm-up; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    first = rows[0]
    print(f"key derivation: Argon2id, {first['memory_mib']:.0f} MiB, time cost {first['time_cost']:.0f} "
          "(each vault's own calibrated parameters); the reference of each row\n")
    print(f"{'vault':<10} {'records':>8} {'KDF s':>7} {'unlock s':>9} {'× KDF':>6} {'− KDF ms':>9} "
          f"{'xuncha info s':>14} {'× KDF':>6} {'full check s':>13}")
    for row in rows:
        print(f"{row['mib']:>6.0f} MiB {row['records']:>8,.0f} {row['kdf']:>7.3f} {row['unlock']:>9.3f} "
              f"{row['unlock'] / row['kdf']:>6.2f} {(row['unlock'] - row['kdf']) * 1000:>9.0f} "
              f"{row['info']:>14.3f} {row['info'] / row['kdf']:>6.2f} {row['check']:>13.3f}")
    print(f"(`xuncha version`, Python's start and the CLI's imports alone: {start_s:.3f} s; the full check is "
          "not on the unlock path: background after the GUI's unlock, `xuncha check`, every backup)\n")

    print(f"{'fill':<62} {'records':>8} {'seconds':>8} {'records/s':>10} {'× reference':>12}")
    for name, seconds, records in (
        ("plain executemany, unencrypted SQLite, one transaction (reference)", reference, off["records"]),
        ("demo fill in bulk, as `xuncha demo` (memory security off)", off["seconds"], off["records"]),
        ("demo fill in bulk, memory security on (as the app writes)", on["seconds"], on["records"]),
    ):
        print(f"{name:<62} {records:>8,.0f} {seconds:>8.2f} {records / seconds:>10,.0f} "
              f"{seconds / reference:>12.1f}")
    print(f"(rows of {off['body']:.0f} characters, the demo's average body; the demo also writes revisions, "
          "the search index, audit entries and the change log for each record)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
