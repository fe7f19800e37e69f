"""Benchmark: the office's statistics (巡察工作情况统计) over a year of an office vault, next to a plain SQL
GROUP BY over an unencrypted SQLite copy of the same rows.

    .venv/bin/python bench/bench_stats.py [--rounds N] [--groups N] [--problems N] [--runs N] [--ui]

Builds an office vault of N rounds (default 60, one a month from 2022-01, so a year holds 12), G groups
(10), P working papers and P rectification ledger items per round (600 each: the rows record_repo.insert
writes, record and first revision, inserted many at a time in one transaction, without the search index;
the compilation's marks too, and 20 leads per round through compile_repo). Then, after one warm-up run each, it times:

- `session.stats.compute(date_from=YEAR-01-01, date_to=YEAR-12-31)` (what the 统计 screen's worker runs);
- `xuncha stats --json --from … --to …` in this process (`app.cli.main.main`: unlock with the vault's KDF,
  compute, print the JSON), the command line's whole path bar the interpreter's start-up;
- the reference: the same figures by a plain SQL GROUP BY (round, category, unit) over an unencrypted
  SQLite copy of the vault (`sqlcipher_export`), on an open connection, and the same with opening the file.

It checks that both give the same totals and prints p50 / p95 and the ratio (the figure: we aim at 2× or
less). With --ui it also opens the vault in the app (Qt offscreen, 1366×768) and times the UI thread while
switching rounds on the round bar with the 统计 screen open (every page reloads; this one follows), then
choosing the year on the screen: the longest stall of a 5 ms heartbeat on the UI thread (no stall over
100 ms is the aim), and how long the year took to show.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.domain import InspectedUnit, Lead, LeadReceiver, LeadStatus, Record, Role, new_id  # noqa: E402
from app.vault.session import KdfParams, Session  # noqa: E402
from storage import compile_repo, record_repo, round_repo  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"
FAST = KdfParams(time_cost=2, memory_log2=13, parallelism=1)
CODES = ("1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "3.3", "3.4", "3.5", "3.6")
UNITS = ("党委", "纪委", "财政所", "农业服务中心", "社区党总支")

# The reference: what a person with the rows in plain SQLite would write for the same figures.
PLAIN_PROBLEMS = """
SELECT p.round_id, p.category, json_extract(p.body, '$.unit'), COUNT(*), SUM(json_extract(p.body, '$.amount')),
       SUM(COALESCE(e.immediate, 0))
FROM records p JOIN rounds r ON r.id = p.round_id LEFT JOIN compile_entries e ON e.paper_id = p.id
WHERE r.start_date BETWEEN ? AND ? AND p.kind = 'paper' AND p.deleted = 0 AND e.merged_into IS NULL
GROUP BY 1, 2, 3"""
PLAIN_LEDGER = """
SELECT i.round_id, i.category, json_extract(i.body, '$.unit'), COUNT(*), SUM(i.status = 'closed'),
       SUM(i.status = 'closed' OR i.due_on < ?), SUM(i.status <> 'closed' AND i.due_on < ?),
       SUM(json_extract(i.body, '$.recovered'))
FROM records i JOIN rounds r ON r.id = i.round_id
WHERE r.start_date BETWEEN ? AND ? AND i.kind = 'rectification' AND i.deleted = 0
  AND json_extract(i.body, '$.entry') = 'problem'
GROUP BY 1, 2, 3"""
PLAIN_LEADS = """
SELECT l.round_id, l.receiver, COUNT(*), SUM(length(l.person) - length(replace(l.person, '、', '')) + 1)
FROM leads l JOIN rounds r ON r.id = l.round_id WHERE r.start_date BETWEEN ? AND ? GROUP BY 1, 2"""


def build(folder: Path, rounds: int, groups: int, problems: int) -> Path:
    """The office's vault: `rounds` rounds of `groups` groups, each with `problems` papers and ledger items."""
    path = folder / "office.xuncha"
    session = Session.create(path, PASSWORD, "市委巡察办", Role.OFFICE, kdf=FAST)
    rng = random.Random(2026)
    try:
        made = []
        for i in range(rounds):
            start = date(2022 + i // 12, i % 12 + 1, 1)
            rnd, _ = session.create_round(f"{start.year}-{i % 12 + 1:02d}", f"{start.year}年第{i % 12 + 1}轮巡察",
                                          f"第{'一二三四五六七八九十'[i % groups % 10]}巡察组", start=start,
                                          end=start + timedelta(days=40), use=i == rounds - 1)
            made.append((rnd, start))
        with session.vault.transaction() as conn:
            for n, (rnd, start) in enumerate(made):
                records: list[Record] = []
                entries: list[tuple[str, str, int, int, str]] = []
                top = InspectedUnit(new_id(), rnd.id, f"中共第{n}镇委员会", "乡镇党委", None)
                round_repo.insert_unit(conn, top)
                for name in UNITS:
                    round_repo.insert_unit(conn, InspectedUnit(new_id(), rnd.id, f"第{n}镇{name}", "", top.id))
                fed = start + timedelta(days=60)
                papers = []
                for k in range(problems):
                    unit = f"第{n}镇{rng.choice(UNITS)}"
                    code = rng.choice(CODES)
                    amount = rng.choice((None, None, rng.randint(1, 500) * 1000))
                    paper = Record(kind="paper", round_id=rnd.id, title=f"问题{k}", number=f"底-{k + 1:04d}",
                                   status="in_report", category=code, occurred_on=start.isoformat(),
                                   body={"title": f"问题{k}", "unit": unit, "category": code, "amount": amount,
                                         "found_on": start.isoformat()})
                    records.append(paper)
                    papers.append(paper)
                    immediate = rng.random() < 0.1
                    entries.append((paper.id, rnd.id, k, int(immediate), paper.updated_at.isoformat()))
                    due = fed + timedelta(days=15 if immediate else 90)
                    status = rng.choices(("closed", "requested", "open"), (8, 1, 1))[0]
                    recovered = rng.randint(0, 100) * 100 if amount and status == "closed" else None
                    records.append(Record(
                        kind="rectification", round_id=rnd.id, title=f"底-{k + 1:04d} 问题{k}",
                        number=f"改-{k + 1:04d}", status=status, category=code, occurred_on=fed.isoformat(),
                        due_on=due.isoformat(),
                        body={"entry": "problem", "problem_no": f"底-{k + 1:04d}", "problem": f"问题{k}",
                              "category": code, "unit": unit, "immediate": immediate, "papers": [paper.id],
                              "feedback_on": fed.isoformat(), "deadline": due.isoformat(), "recovered": recovered}))
                insert_rows(conn, records)
                conn.executemany("INSERT INTO compile_entries (paper_id, round_id, position, for_report, immediate,"
                                 " updated_at) VALUES (?, ?, ?, 1, ?, ?)", entries)
                for k in range(20):
                    receiver = rng.choice(list(LeadReceiver))
                    person = "、".join(f"某{j}" for j in range(rng.choice((1, 1, 2, 3))))
                    compile_repo.insert_lead(conn, Lead(
                        new_id(), rnd.id, f"线-{k + 1:04d}", person, receiver=receiver,
                        status=rng.choice(list(LeadStatus)), paper_id=papers[k * 7 % len(papers)].id, created_by="组长",
                        created_at=start.isoformat(), updated_at=start.isoformat()))
    finally:
        session.lock()
    return path


def insert_rows(conn: Any, records: list[Record]) -> None:
    """The rows record_repo.insert writes (the record and its first revision), many at a time; the search
    index is left out (the statistics never read it)."""
    conn.executemany(f"INSERT INTO records ({record_repo._COLUMNS}) VALUES ({', '.join('?' * 17)})", [
        (r.id, r.round_id, r.kind, r.author_id, r.created_at.isoformat(), r.updated_at.isoformat(), r.revision,
         r.sensitivity.value, int(r.deleted), r.title, record_repo._body(r), *record_repo._projections(r))
        for r in records])
    conn.executemany(
        "INSERT INTO record_revisions (record_id, revision, saved_at, author_id, title, body, deleted, sensitivity)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(r.id, r.revision, r.updated_at.isoformat(), r.author_id, r.title, record_repo._body(r), 0,
          r.sensitivity.value) for r in records])


def plain_copy(path: Path, target: Path) -> None:
    session = Session.unlock(path, PASSWORD)
    try:
        with session.vault.lock:
            conn = session.vault.conn
            conn.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
            conn.execute("SELECT sqlcipher_export('plain')")
            conn.execute("DETACH DATABASE plain")
    finally:
        session.lock()


def plain_figures(conn: sqlite3.Connection, start: str, end: str, today: str) -> tuple[int, int, int]:
    problems = conn.execute(PLAIN_PROBLEMS, (start, end)).fetchall()
    ledger = conn.execute(PLAIN_LEDGER, (today, today, start, end)).fetchall()
    leads = conn.execute(PLAIN_LEADS, (start, end)).fetchall()
    return sum(r[3] for r in problems), sum(r[4] for r in ledger), sum(r[2] for r in leads)


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


def cli_once(path: Path, start: str, end: str) -> str:
    from app.cli.main import main

    os.environ["XUNCHA_PASSWORD"] = PASSWORD
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["--vault", str(path), "stats", "--json", "--from", start, "--to", end])
    assert code == 0
    return out.getvalue()


def ui_switching(path: Path, runs: int, year: int) -> tuple[list[float], float]:
    """Milliseconds of each UI-thread stall while the 统计 screen shows round after round."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QDate, QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from ui.main import install_translations
    from ui.settings import Settings
    from ui.shell import Shell
    from ui.stats_page import StatsPage

    app = QApplication.instance() or QApplication([sys.argv[0]])
    translators = install_translations(app)  # noqa: F841 - kept alive for the run
    settings = Settings(QSettings(str(path.with_suffix(".ini")), QSettings.Format.IniFormat))
    shell = Shell(path, settings, kdf=FAST)
    shell.start()

    def wait_until(ready: Callable[[], bool], seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while not ready() and time.monotonic() < deadline:
            QTest.qWait(5)

    wait_until(lambda: shell.unlock_window is not None and shell.unlock_window.isVisible())
    shell.unlock_window.password.setText(PASSWORD)
    shell.unlock_window.unlock_button.click()
    wait_until(lambda: shell.main_window is not None and shell.main_window.isVisible())
    window = shell.main_window
    assert window is not None
    window.resize(1366, 768)
    page = next(p for p in window.pages if isinstance(p, StatsPage))
    window.nav.setCurrentRow(window.pages.index(page))
    wait_until(lambda: page.stats is not None)
    stalls: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:  # a 5 ms heartbeat: a late beat is a stall of the UI thread
        now = time.perf_counter()
        stalls.append(now - last[0])
        last[0] = now

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(beat)
    timer.start(5)
    for i in range(runs):
        bar = window.round_bar.combo  # the round bar above the pages: every page reloads, this one follows
        wait_until(lambda bar=bar: bar.isEnabled())
        index = (bar.currentIndex() + 7 + i) % bar.count()
        code = bar.itemText(index).split()[0]
        bar.setCurrentIndex(index)
        bar.activated.emit(index)  # as a user's choice in the list
        wait_until(lambda code=code: page.stats is not None and page.stats.scope.rounds == (code,))
        QTest.qWait(30)
    # Then the year on the screen: every round of the period.
    began = time.perf_counter()
    page.round_box.setCurrentIndex(page.round_box.findData("*"))
    page.period.setChecked(True)
    page.date_from.setDate(QDate(year, 1, 1))
    page.date_to.setDate(QDate(year, 12, 31))
    wait_until(lambda: page.stats is not None and page.stats.scope.date_to is not None
               and page.stats.scope.date_to.year == year and page.stats.scope.date_from is not None
               and page.stats.scope.date_from.year == year)
    year_shown = time.perf_counter() - began
    timer.stop()
    window.close()
    return stalls, year_shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--groups", type=int, default=10)
    parser.add_argument("--problems", type=int, default=600)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--ui", action="store_true", help="also time switching rounds on the 统计 screen")
    args = parser.parse_args()
    start, end = f"{args.year}-01-01", f"{args.year}-12-31"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        began = time.perf_counter()
        path = build(folder, args.rounds, args.groups, args.problems)
        built = time.perf_counter() - began
        plain = folder / "plain.sqlite"
        plain_copy(path, plain)
        print(f"{args.rounds} rounds × {args.problems} problems and ledger items, {args.groups} groups: built in "
              f"{built:.1f}s, vault {path.stat().st_size / 2**20:.0f} MiB; the year {args.year}")

        session = Session.unlock(path, PASSWORD)
        today = date.today()
        figures = session.stats.compute(date_from=date.fromisoformat(start), date_to=date.fromisoformat(end))
        ours = timed(lambda: session.stats.compute(date_from=date.fromisoformat(start),
                                                   date_to=date.fromisoformat(end)), args.runs)
        session.lock()
        conn = sqlite3.connect(plain)
        reference = plain_figures(conn, start, end, today.isoformat())
        total = figures.total
        assert reference == (total.problems, total.closed, total.leads), (reference, total)
        ref = timed(lambda: plain_figures(conn, start, end, today.isoformat()), args.runs)
        conn.close()

        def plain_opened() -> None:
            c = sqlite3.connect(plain)
            plain_figures(c, start, end, today.isoformat())
            c.close()

        ref_open = timed(plain_opened, args.runs)
        cli_runs = max(3, args.runs // 4)
        cli = timed(lambda: cli_once(path, start, end), cli_runs)
        unlock = timed(lambda: Session.unlock(path, PASSWORD).lock(), cli_runs)
        bare = [c - statistics.median(unlock) for c in cli]
        rows = [("session.stats.compute (the screen's worker)", ours, ref, "open connections"),
                ("xuncha stats --json (unlock + compute + JSON)", cli, ref_open, "the reference opens its file"),
                ("  the same less unlocking the vault", bare, ref_open,
                 f"unlock + lock alone: {statistics.median(unlock) * 1000:.0f} ms (KDF, key check, lock file)")]
        print(f"{len(figures.scope.rounds)} rounds in the year: {total.problems} problems, {total.items} ledger items, "
              f"{total.leads} leads")
        print(f"{'measure':<48} {'p50':>8} {'p95':>8} {'plain p50':>10} {'ratio':>6}  note")
        for label, samples, reference_samples, note in rows:
            p50, p95 = p50_p95(samples)
            r50, _ = p50_p95(reference_samples)
            print(f"{label:<48} {p50 * 1000:>6.1f}ms {p95 * 1000:>6.1f}ms {r50 * 1000:>8.1f}ms {p50 / r50:>6.2f}"
                  f"  {note}")
        if args.ui:
            stalls, year_shown = ui_switching(path, max(6, args.runs // 2), args.year)
            worst = max(stalls) * 1000 if stalls else 0.0
            print(f"switching rounds (round bar) with the 统计 screen open, then its year: longest UI-thread "
                  f"stall {worst:.0f} ms (heartbeat every 5 ms, {len(stalls)} beats); the year shown "
                  f"{year_shown * 1000:.0f} ms after the last filter")


if __name__ == "__main__":
    main()
