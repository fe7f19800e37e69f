"""Benchmark: questionnaire sheets travelling in a sealed bundle (data/material.json).

    .venv/bin/python bench/bench_material.py [--sheets N] [--items N]

A member's vault holds N sheets of a 40-item matrix (民主测评 layout) entered in one batch; the member
seals an incremental bundle for the leader, and the leader verifies and imports it. The references,
measured in the same run on the same sheets: entering them through the service on the leader's own
vault (the same answer checks, inserts and change log, in one transaction: what landing them costs
without a bundle), and json.dumps + json.loads of the same answers (the floor for any snapshot format).
The figure is the ratio (ours / reference); the bundle size is printed too.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from app.core.domain import Role  # noqa: E402
from app.exchange.identity import fingerprint_digits  # noqa: E402
from app.vault.session import Session  # noqa: E402
from forms import loader  # noqa: E402
from storage.kdf import KdfParams  # noqa: E402


def matrix_form(items: int) -> dict[str, object]:
    """The matrix form of bench/bench_forms.py (imported here, not at the top: that module loads Qt)."""
    from bench_forms import matrix_form as form

    return form(items)  # type: ignore[no-any-return]


PASSWORD = "bench-口令-Qx9!long-enough"
FAST = KdfParams(time_cost=2, memory_log2=13, parallelism=1)


def party(folder: Path, name: str, role: Role, items: int) -> Session:
    session = Session.create(folder / f"{role.value}.xuncha", PASSWORD, name, role, kdf=FAST)
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    session.forms.import_definition(loader.load(matrix_form(items)))
    return session


def run(sheets: int, items: int) -> list[tuple[str, float, float, str]]:
    rng = random.Random(7)
    values = ["hao", "jiaohao", "yiban", "cha", "bulj"]
    batch = [{"sheet": str(n + 1), "answers": {"m": {f"i{k}": rng.choices(values, (5, 4, 2, 1, 1))[0]
                                                     for k in range(items)}}} for n in range(sheets)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        stick = folder / "stick"
        stick.mkdir()
        member = party(folder, "陈晓梅", Role.MEMBER, items)
        leader = party(folder, "王建国", Role.LEADER, items)
        (folder / "reference").mkdir()
        own = party(folder / "reference", "王建国", Role.LEADER, items)
        try:
            for a, b in ((member, leader), (leader, member)):
                a.keys.trust_card(b.keys.card(), fingerprint_digits(b.keys.own().fingerprint))
            member.forms.add_responses("bench-matrix", batch)

            start = time.perf_counter()
            result, _ = member.bundles.export(["王建国"], stick)
            sealed = time.perf_counter() - start
            start = time.perf_counter()
            report = leader.bundles.verify(result.path)
            verified = time.perf_counter() - start
            start = time.perf_counter()
            imported, _ = leader.bundles.import_(result.path)
            landed = time.perf_counter() - start
            assert report.ok and imported.changes["form_responses_new"] == sheets

            start = time.perf_counter()
            own.forms.add_responses("bench-matrix", batch)
            entered = time.perf_counter() - start
            assert leader.forms.tally("bench-matrix") == own.forms.tally("bench-matrix")
        finally:
            for s in (member, leader, own):
                s.lock()
        start = time.perf_counter()
        json.loads(json.dumps(batch, ensure_ascii=False))
        plain = time.perf_counter() - start
    size = f"bundle {result.size / 1024 / 1024:.1f} MiB"
    return [
        ("seal the bundle vs entering the sheets directly", sealed, entered, size),
        ("verify vs entering the sheets directly", verified, entered, "everything but the commit"),
        ("import vs entering the sheets directly", landed, entered, "checked against the form, one transaction"),
        ("import vs json dumps + loads of the answers", landed, plain, "the floor of any snapshot"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=40)
    args = parser.parse_args()
    rows = run(args.sheets, args.items)
    print(f"{args.sheets} sheets of a {args.items}-item matrix, member → leader")
    print(f"{'measure':<52} {'ours':>9} {'reference':>10} {'ratio':>7}  note")
    for label, ours, ref, note in rows:
        print(f"{label:<52} {ours * 1000:>7.0f}ms {ref * 1000:>8.0f}ms {ours / ref:>7.2f}  {note}")


if __name__ == "__main__":
    main()
