"""Benchmark: entering paper sheets and tallying them.

    .venv/bin/python bench/bench_forms.py [--sheets N] [--items N] [--questions N]

Prints two tables, each figure next to a reference measured in the same run:

- keystrokes: the key events the real entry widget (ui/sheet_entry.py, offscreen, driven through QTest, each
  key sent to whichever widget has the focus then) needs from a blank sheet to a saved one, against the
  goal of one key per answer plus one to confirm; for a sheet of N single-choice questions and for the
  shipped 民主测评 (a rating, a 9-item matrix, a comment left blank);
- tally: session.forms.tally over N sheets of a 40-item matrix in a real vault (decrypt, parse, count),
  against a plain collections.Counter pass over the same answers already in memory, and against SQLite
  GROUP BY over json_each on an unencrypted copy of the same rows (Python's sqlite3); also the quality
  flags over the same sheets and the batch entry itself (checked, stored, logged, one transaction);
- saving one sheet as the entry screen does (one encrypted, fsynced commit with its audit entry), against
  writing the same answers to a plain JSON file with fsync.
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
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.domain import Role  # noqa: E402
from app.questionnaires.forms_service import load_template  # noqa: E402
from app.vault.session import Session  # noqa: E402
from forms import loader  # noqa: E402
from storage.kdf import KdfParams  # noqa: E402
from ui.sheet_entry import SheetEntry  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"
SAVES = 50
FAST = KdfParams(time_cost=2, memory_log2=13, parallelism=1)  # unlock cost is not what is measured here
SCALE = [{"value": v, "label": label, "score": s} for v, label, s in
         (("hao", "好", 4), ("jiaohao", "较好", 3), ("yiban", "一般", 2), ("cha", "差", 1))] + [
    {"value": "bulj", "label": "不了解"}]


def single_choice_form(n: int) -> dict[str, object]:
    return {"id": "bench-single", "version": 1, "title": "键入测试", "kind": "questionnaire", "questions": [
        {"name": f"q{i}", "type": "single", "label": f"第 {i} 题", "choices": SCALE} for i in range(1, n + 1)]}


def matrix_form(items: int) -> dict[str, object]:
    return {"id": "bench-matrix", "version": 1, "title": "测评", "kind": "evaluation", "questions": [
        {"name": "m", "type": "matrix", "label": "评价", "choices": SCALE,
         "items": [{"name": f"i{k}", "label": f"项目 {k}"} for k in range(items)]}]}


def count_keys(entry: SheetEntry, keys: list[str | Qt.Key]) -> tuple[int, float, bool]:
    """Send `keys` one by one to the focused widget; return (keys sent, seconds, whether the sheet was saved)."""
    saved: list[object] = []
    entry.submitted.connect(lambda _no, answers: saved.append(answers))
    sent = 0
    start = time.perf_counter()
    for key in keys:
        widget = QApplication.focusWidget() or entry.table
        QTest.keyClick(widget, key)
        sent += 1
        if saved:
            break
    return sent, time.perf_counter() - start, bool(saved)


def keystrokes(questions: int) -> list[tuple[str, int, int, float]]:
    app = QApplication.instance() or QApplication([])
    rows = []
    rng = random.Random(1)
    for name, form, answers in (
        (f"{questions} single-choice questions", loader.load(single_choice_form(questions)), questions),
        ("民主测评 (1 rating + 9-item matrix + comment)", load_template("mzcp-banzi.json"), 11),
    ):
        entry = SheetEntry()
        entry.set_form(form, "0001")
        entry.show()
        app.processEvents()
        entry.table.setFocus()
        keys: list[str | Qt.Key] = [str(rng.randint(1, 5)) for _ in range(len(entry.slots))]
        if form.id == "mzcp-banzi":
            keys[-1] = Qt.Key.Key_Return  # the comment left blank: Enter in its line
        keys += [Qt.Key.Key_Return] * 3  # confirm (more are never needed: counting stops at the save)
        sent, seconds, saved = count_keys(entry, keys)
        if not saved:
            raise SystemExit(f"{name}: the sheet was not saved after {sent} keys")
        rows.append((name, sent, answers + 1, seconds / sent))
        entry.close()
    return rows


def tally_bench(sheets: int, items: int) -> list[tuple[str, float, float, str]]:
    rng = random.Random(7)
    values = [c["value"] for c in SCALE]
    answers = [{"m": {f"i{k}": rng.choices(values, (5, 4, 2, 1, 1))[0] for k in range(items)}}
               for _ in range(sheets)]
    for k in rng.sample(range(sheets), sheets // 50):  # some 一勾到底, as on real sheets
        answers[k] = {"m": {f"i{j}": "hao" for j in range(items)}}
    with tempfile.TemporaryDirectory() as folder:
        session = Session.create(Path(folder) / "bench.xuncha", PASSWORD, "王建国", Role.LEADER, kdf=FAST)
        try:
            session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
            session.forms.import_definition(loader.load(matrix_form(items)))
            start = time.perf_counter()
            session.forms.add_responses("bench-matrix", [{"sheet": str(n + 1), "answers": a}
                                                         for n, a in enumerate(answers)])
            entered = time.perf_counter() - start

            start = time.perf_counter()
            result = session.forms.tally("bench-matrix")
            ours = time.perf_counter() - start
            start = time.perf_counter()
            flags = session.forms.flags("bench-matrix")
            flagged = time.perf_counter() - start

            # One sheet saved as the entry screen saves it: checked, stored and logged, one fsynced commit.
            saves = []
            for n in range(SAVES):
                start = time.perf_counter()
                session.forms.add_response("bench-matrix", str(sheets + n + 1), answers[n])
                saves.append(time.perf_counter() - start)
        finally:
            session.lock()
        plain_saves = []
        for n in range(SAVES):
            start = time.perf_counter()
            with open(Path(folder) / f"sheet-{n}.json", "w", encoding="utf-8") as handle:
                json.dump(answers[n], handle)
                handle.flush()
                os.fsync(handle.fileno())
            plain_saves.append(time.perf_counter() - start)

        start = time.perf_counter()
        counters: dict[str, Counter[str]] = {f"i{k}": Counter() for k in range(items)}
        for a in answers:
            for item, value in a["m"].items():
                counters[item][value] += 1
        counter = time.perf_counter() - start

        plain = sqlite3.connect(str(Path(folder) / "plain.sqlite"))
        plain.execute("CREATE TABLE responses (sheet TEXT, answers TEXT)")
        plain.executemany("INSERT INTO responses VALUES (?, ?)",
                          [(str(n), json.dumps(a)) for n, a in enumerate(answers)])
        plain.commit()
        start = time.perf_counter()
        grouped = plain.execute("SELECT j.key, j.value, count(*) FROM responses, json_each(responses.answers, '$.m')"
                                " j GROUP BY j.key, j.value").fetchall()
        group_by = time.perf_counter() - start
        plain.close()

    check = {(it.name, o.value): o.count for it in result.question("m").items for o in it.options if o.count}
    assert check == {(k, v): n for k, v, n in grouped}, "the tally and GROUP BY disagree"
    assert {(k, v): n for k, c in counters.items() for v, n in c.items()} == check
    straight = sum(1 for f in flags if f.kind == "straight_line")
    return [
        ("tally vs Counter over the same answers in memory", ours, counter, ""),
        ("tally vs SQLite GROUP BY json_each (plain file)", ours, group_by, ""),
        ("quality flags vs the tally itself", flagged, ours, f"{straight} straight-lined found"),
        ("enter all sheets in one batch vs the tally", entered, ours, "checked, stored, logged"),
        ("save one sheet (median) vs a JSON file written + fsync", statistics.median(saves),
         statistics.median(plain_saves), f"median of {SAVES}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheets", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=40)
    parser.add_argument("--questions", type=int, default=30)
    args = parser.parse_args()

    print(f"{'sheet':<48} {'keys':>6} {'goal':>6} {'ratio':>7} {'ms/key':>8}")
    for name, sent, goal, per_key in keystrokes(args.questions):
        print(f"{name:<48} {sent:>6} {goal:>6} {sent / goal:>7.2f} {per_key * 1000:>8.2f}")
    print()
    print(f"{args.sheets:,} sheets of a {args.items}-item matrix, Python {sys.version.split()[0]}")
    print(f"{'measure':<52} {'ours ms':>10} {'ref ms':>10} {'ratio':>7}  note")
    for name, ours, reference, note in tally_bench(args.sheets, args.items):
        print(f"{name:<52} {ours * 1000:>10.1f} {reference * 1000:>10.1f} {ours / reference:>7.2f}  {note}")


if __name__ == "__main__":
    main()
