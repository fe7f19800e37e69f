"""Benchmark: the round guide (工作指引) and its coverage of a round with 5,000 records, next to a plain query
listing the same records.

    .venv/bin/python bench/bench_guide.py [--records N] [--people N] [--runs N]

Builds a vault of synthetic records (bench/search_corpus.py: interviews, petitions, reviews, papers) in
one round, with the round's rosters on its 基本情况清单 (N people over its units) and the interviews named
after some of them. Then it times, after one warm-up run each:

- `session.guide.view()`: every step done / due / overdue (grouped counts, documents, ticks; the guide read
  and checked from its JSON file each time);
- `session.coverage.view()`, if this version has it: 五必谈 and 四必查 per unit;
- the reference: `SELECT id, kind, status, title, body FROM records WHERE round_id = ? AND deleted = 0`,
  fetched in full — what any screen listing the same records pays at least.

It prints p50 and p95 of each and their ratio to the reference (the figure; we aim at 3× or less). With
--ui it also opens the vault in the app (Qt offscreen, 1366×728) and times what a refresh of the 工作指引
screen costs the UI thread once the worker has read the data (filling both tables, the selected unit's
detail and painting): no stall over 50 ms is the aim.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_corpus import Corpus  # noqa: E402

from app.core.domain import Record, Role  # noqa: E402
from app.demo import scenario as demo  # noqa: E402
from app.vault.session import KdfParams, Session  # noqa: E402
from storage import record_repo  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"
PLAIN = "SELECT id, kind, status, title, body FROM records WHERE round_id = ? AND deleted = 0"
CATEGORIES = ("leadership", "assets", "coop", "party_reps", "shareholder_reps")
POSTS = {"leadership": "班子成员", "assets": "“三资”管理中心负责人", "coop": "合作社理事", "party_reps": "党员代表",
         "shareholder_reps": "股民代表"}


def build(session: Session, count: int, people: int) -> list[str]:
    """`count` records through record_repo (in one transaction), with rosters of `people` names on the
    基本情况清单 and one interview for every other name; returns the roster's names."""
    rnd = session.current_round()
    assert rnd is not None
    authors = [m.id for m in session.members()]
    units = [u.name for u in session.units()]
    corpus = Corpus(seed=2026)
    names = [f"{corpus.person()}{i:03d}" for i in range(people)]
    records = []
    for fake in corpus.records(count):
        body = dict(fake.body)
        if fake.kind == "interview" and names:
            i = len(records) % len(names)
            if i % 2 == 0:
                body["interviewee"] = names[i]
        records.append(Record(kind=fake.kind, round_id=rnd.id, title=fake.title, body=body,
                              author_id=authors[fake.author], number=fake.number, status=fake.status,
                              category=fake.category, occurred_on=fake.occurred_on, subtitle=fake.subtitle))
    with session.vault.bulk():
        with session.vault.transaction() as conn:
            for record in records:
                record_repo.insert(conn, record)
        per_roster = 10
        for start in range(0, people, per_roster):
            chunk = names[start:start + per_roster]
            category = CATEGORIES[(start // per_roster) % len(CATEGORIES)]
            session.records.add("profile", {
                "unit": units[(start // per_roster) % len(units)], "aspect": "leadership",
                "title": f"{POSTS[category]}名单", "roster_category": category,
                "roster": [f"{n} {POSTS[category]}" for n in chunk]})
    return names


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm-up: the page cache and the statement cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p50_p95(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ui_refresh(path: Path, runs: int) -> list[float]:
    """Seconds the UI thread spends on each refresh of the 工作指引 screen (models, detail, paint)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.guide_page import GuidePage
    from ui.main import install_translations
    from ui.settings import Settings
    from ui.shell import Shell

    app = QApplication.instance() or QApplication([sys.argv[0]])
    translators = install_translations(app)  # noqa: F841 - kept alive for the run
    settings = Settings(QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat))
    shell = Shell(path, settings, kdf=KdfParams(time_cost=2, memory_log2=13, parallelism=1))
    shell.start()

    def wait_until(ready: Callable[[], bool], seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while not ready() and time.monotonic() < deadline:
            QTest.qWait(20)

    wait_until(lambda: shell.unlock_window is not None and shell.unlock_window.isVisible())
    shell.unlock_window.password.setText(PASSWORD)
    shell.unlock_window.unlock_button.click()
    wait_until(lambda: shell.main_window is not None and shell.main_window.isVisible())
    window, session = shell.main_window, shell.session
    assert window is not None and session is not None
    page = next(p for p in window.pages if isinstance(p, GuidePage))
    window.nav.setCurrentRow(window.pages.index(page))
    wait_until(lambda: page.coverage is not None)
    fetched = (session.guide.view(), session.coverage.view())
    samples = []
    for i in range(runs + 1):
        page.tabs.setCurrentIndex(i % 2)
        page.units.selectRow(i % max(1, page.unit_model.rowCount()))
        app.processEvents()
        start = time.perf_counter()
        page._show(fetched)
        app.processEvents()
        samples.append(time.perf_counter() - start)
    shell.shutdown()
    return samples[1:]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--people", type=int, default=300, help="names on the rosters")
    parser.add_argument("--runs", type=int, default=30, help="timed runs of each (after one warm-up)")
    parser.add_argument("--ui", action="store_true", help="also time the screen's refresh on the UI thread")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2 (a p95 needs two samples)")
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-") as tmp:
        os.environ["XDG_STATE_HOME"] = os.path.join(tmp, "state")  # the unlock throttle's folder
        path = Path(tmp) / "guide.xuncha"
        session = Session.create(path, PASSWORD, demo.GROUP[0][0], Role.LEADER,
                                 kdf=KdfParams(time_cost=2, memory_log2=13, parallelism=1))
        demo.ensure_round(session)
        start = time.perf_counter()
        build(session, args.records, args.people)
        built = time.perf_counter() - start
        rnd = session.require_round()
        conn = session.vault.conn
        rows = len(conn.execute(PLAIN, (rnd.id,)).fetchall())
        plain = timed(lambda: conn.execute(PLAIN, (rnd.id,)).fetchall(), args.runs)
        measured = [("guide (工作指引)", timed(session.guide.view, args.runs))]
        coverage = getattr(session, "coverage", None)
        if coverage is not None:
            measured.append(("coverage (五必谈、四必查)", timed(coverage.view, args.runs)))
            measured.append(("guide + coverage (the screen)",
                             timed(lambda: (session.guide.view(), coverage.view()), args.runs)))
        session.lock()
        ui = ui_refresh(path, args.runs) if args.ui else []
    base50, base95 = p50_p95(plain)
    print(f"\n{rows:,} records in the round ({args.records:,} synthetic + rosters of {args.people} people),"
          f" built in {built:.1f} s; {args.runs} runs each\n")
    print(f"{'what':34} {'p50 ms':>8} {'p95 ms':>8} {'× plain':>8}")
    print(f"{'plain SELECT of the same records':34} {base50 * 1000:8.2f} {base95 * 1000:8.2f} {1:8.2f}")
    for name, samples in measured:
        p50, p95 = p50_p95(samples)
        print(f"{name:34} {p50 * 1000:8.2f} {p95 * 1000:8.2f} {p50 / base50:8.2f}")
    if ui:
        p50, p95 = p50_p95(ui)
        print(f"\nUI thread per refresh of 工作指引 (models, detail, paint): p50 {p50 * 1000:.1f} ms,"
              f" p95 {p95 * 1000:.1f} ms, max {max(ui) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
