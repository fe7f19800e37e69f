"""Benchmark: field capture at scale. Autosave latency, opening and scrolling a list of 100,000 records.

    .venv/bin/python bench/bench_capture.py [--records N] [--saves N]

Prints a table of figures, each next to a reference measured in the same run on the same machine:

- autosave: p50/p99 of DraftService.save (one encrypted, fsynced WAL commit of an editor's state) against
  writing the same JSON to a plain file with fsync (the floor any durable save pays);
- open a list: RecordService.list_ids + the first hundred rows, against the same query on an unencrypted
  SQLite copy of the table (Python's sqlite3);
- scrolling: the longest UI-thread stall of the real list (RecordListModel in a QTableView, offscreen) while
  paging through all rows, against a QStandardItemModel holding every row in memory.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.domain import Record, Role  # noqa: E402
from app.core.kinds import KINDS  # noqa: E402
from app.demo import scenario as demo  # noqa: E402
from app.demo.word_lists import TOPICS, VILLAGE_POSTS  # noqa: E402
from app.vault.session import Session  # noqa: E402
from storage import record_repo  # noqa: E402
from storage.kdf import KdfParams  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"
FAST = KdfParams(time_cost=2, memory_log2=13, parallelism=1)  # unlock cost is not what is measured here


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def petition_body(rng: random.Random, i: int) -> dict[str, object]:
    topic = rng.choice(TOPICS)
    village = rng.choice(demo.VILLAGES)
    person = demo._person(rng)
    return {
        "channel": rng.choice(("letter", "phone", "visit", "report_box")),
        "received_at": f"2026-{rng.randint(9, 10):02d}-{rng.randint(1, 28):02d}T{rng.randint(8, 17):02d}:00",
        "reported_person": person, "reported_post": rng.choice(VILLAGE_POSTS), "reported_unit": f"{village}党支部",
        "summary": rng.choice(topic.petition).format(
            village=village, post="党支部书记", person=person, parts=4, count=3, wan=12.5, year=2025, years="2024",
            month=3, company="青石建筑工程有限公司") + f"（第{i}件）",
        "category": topic.category, "status": rng.choice(("logged", "assessed", "handling", "closed")),
        "due_on": f"2026-{rng.randint(9, 12):02d}-{rng.randint(1, 28):02d}",
    }


def build(path: Path, count: int) -> tuple[Session, list[tuple[str, str, str, str]]]:
    """A vault with the demo round and `count` petitions, inserted in large transactions."""
    session = Session.create(path, PASSWORD, "王建国", Role.LEADER, kdf=FAST)
    demo.ensure_round(session)
    session.add_member("王建国", Role.LEADER)
    rnd = session.current_round()
    assert rnd is not None
    schema = KINDS["petition"]
    rng = random.Random(7)
    plain: list[tuple[str, str, str, str]] = []
    for start in range(0, count, 10_000):
        with session.vault.transaction() as conn:
            for i in range(start, min(count, start + 10_000)):
                body = petition_body(rng, i)
                record = Record(kind="petition", round_id=rnd.id, body=body, number=f"信-{i + 1:06d}",
                                title=schema.title(body), subtitle=schema.subtitle(body), status=str(body["status"]),
                                category=str(body["category"]), occurred_on=str(body["received_at"]),
                                due_on=str(body["due_on"]))
                record_repo.insert(conn, record)
                plain.append((record.id, record.occurred_on or "", record.title, record.round_id))
    return session, plain


def bench_autosave(session: Session, saves: int, folder: Path) -> tuple[list[float], list[float]]:
    body = {"interviewee": "赵建华", "notes_leadership": "村道硬化工程被拆分为多个小额合同，规避公开招标。" * 40}
    ours, floor = [], []
    draft_id = None
    target = folder / "plain-draft.json"
    for i in range(saves):
        body["other_notes"] = f"第{i}次修改"
        start = time.perf_counter()
        draft_id = session.drafts.save("interview", body, draft_id=draft_id)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(body, ensure_ascii=False))
            fh.flush()
            os.fsync(fh.fileno())
        floor.append(time.perf_counter() - start)
    return ours, floor


def bench_open(session: Session, plain: list[tuple[str, str, str, str]], runs: int) -> tuple[float, float]:
    ours = []
    for _ in range(runs):
        start = time.perf_counter()
        ids = session.records.list_ids("petition")
        session.records.rows(ids[:100])
        ours.append(time.perf_counter() - start)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE records (id TEXT PRIMARY KEY, occurred_on TEXT, title TEXT, round_id TEXT)")
    db.execute("CREATE INDEX r ON records(round_id, occurred_on)")
    db.executemany("INSERT INTO records VALUES (?, ?, ?, ?)", plain)
    rid = plain[0][3]
    ref = []
    for _ in range(runs):
        start = time.perf_counter()
        rows = db.execute("SELECT id FROM records WHERE round_id = ? ORDER BY occurred_on DESC, rowid DESC",
                          (rid,)).fetchall()
        first = [r[0] for r in rows[:100]]
        db.execute(f"SELECT * FROM records WHERE id IN ({','.join('?' * len(first))})", first).fetchall()
        ref.append(time.perf_counter() - start)
    return statistics.median(ours), statistics.median(ref)


def bench_scroll(session: Session, plain: list[tuple[str, str, str, str]]) -> tuple[float, float, int]:
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView

    from ui.record_list_model import Column, RecordListModel
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    runner = TaskRunner()
    columns = [Column("number", "No.", "number"), Column("title", "Title", "title"),
               Column("occurred_on", "Date", "occurred_on"), Column("status", "State", "status")]
    model = RecordListModel(session.records, runner, "petition", columns)
    model.reload()
    while model.rowCount() == 0:
        app.processEvents()
        time.sleep(0.001)

    def scroll(view_model: object) -> float:
        view = QTableView()
        view.setModel(view_model)  # type: ignore[arg-type]
        view.resize(900, 700)
        view.show()
        app.processEvents()
        longest = 0.0
        rows = view_model.rowCount()  # type: ignore[attr-defined]
        # Jumps of ~1,000 rows land on a block not fetched yet each time, as dragging the scroll bar does.
        for row in range(0, rows, 997):
            start = time.perf_counter()
            view.scrollTo(view_model.index(row, 0))  # type: ignore[attr-defined]
            view.viewport().repaint()
            app.processEvents()
            longest = max(longest, time.perf_counter() - start)
        view.close()
        return longest

    ours = scroll(model)
    reference = QStandardItemModel(len(plain), 4)
    for r, (rid, occurred, title, _round) in enumerate(plain):
        for c, text in enumerate((rid[:8], title, occurred, "已登记")):
            reference.setItem(r, c, QStandardItem(text))
    ref = scroll(reference)
    runner.wait()
    return ours, ref, model.rowCount()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--saves", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-") as tmp:
        folder = Path(tmp)
        os.environ["XDG_STATE_HOME"] = str(folder / "state")
        start = time.perf_counter()
        session, plain = build(folder / "bench.xuncha", args.records)
        built = time.perf_counter() - start
        try:
            ours, floor = bench_autosave(session, args.saves, folder)
            open_ours, open_ref = bench_open(session, plain, 5)
            stall, stall_ref, rows = bench_scroll(session, plain)
        finally:
            session.lock()
        size = (folder / "bench.xuncha").stat().st_size / 2**20

    print(f"{args.records:,} petitions in a vault of {size:.0f} MiB (built in {built:.1f} s), Python "
          f"{sys.version.split()[0]}")
    print(f"{'measure':<52} {'ours':>10} {'reference':>10} {'ratio':>7}")
    table = [
        ("autosave p50 (ms) vs plain file + fsync", statistics.median(ours), statistics.median(floor)),
        ("autosave p99 (ms) vs plain file + fsync", percentile(ours, 99), percentile(floor, 99)),
        (f"open a list of {rows:,} (ms) vs unencrypted sqlite3", open_ours, open_ref),
        ("longest UI stall scrolling it (ms) vs in-memory model", stall, stall_ref),
    ]
    for name, a, b in table:
        print(f"{name:<52} {a * 1000:>10.1f} {b * 1000:>10.1f} {a / b if b else float('inf'):>7.2f}")


if __name__ == "__main__":
    main()
