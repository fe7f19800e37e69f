"""Benchmark: search on a vault of 100,000 records, next to ripgrep over a plaintext dump of the same texts.

    .venv/bin/python bench/bench_search.py [--records N] [--runs N]

Builds a vault of synthetic records (bench/search_corpus.py) through record_repo.insert in transactions of
5,000, so the index is built as records are written, and writes the same texts (title, number, subtitle
and every string of the body; one record per line) to a plaintext dump in a temporary folder. Then, for
two- and four-character queries, it times SearchService.query (limit 50, snippets included) and
`rg -c -F QUERY dump.txt`, and prints p50 and p95 of each and their ratio (the figure; we aim well below
1). The comparison is one file: `rg -c` must read all of it, as the index must rank every match; one
file per record would mostly time opening 100,000 files, in rg's disfavour. rg's figures include
starting the process, which is what a user of rg pays; that cost is printed on its own as well.
Also printed: the time to insert the records (indexing included), to rebuild the whole index, and the
vault's size with and without the index.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from search_corpus import Corpus  # noqa: E402

from app.capture.search import SearchService  # noqa: E402
from app.core.domain import Record, Role  # noqa: E402
from app.demo import scenario as demo  # noqa: E402
from app.vault.session import Session  # noqa: E402
from storage import record_repo, search_repo, search_text  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"
BATCH = 5000
TWO = ["扶贫", "低保", "三资", "工程", "拆迁", "会计", "补贴", "上访", "党员", "水库", "考勤", "林地"]
FOUR = ["扶贫资金", "优亲厚友", "公开招标", "征地拆迁", "虚报冒领", "土地流转", "民主理财", "公车私用",
        "光伏扶贫", "安全饮水", "驻村工作", "打击报复"]
# What ranking every match would cost: the order search_repo.search deliberately does not use.
BM25 = (
    "SELECT d.record_id FROM search_index JOIN search_docs d ON d.doc = search_index.rowid"
    " WHERE search_index MATCH ? ORDER BY bm25(search_index) LIMIT 50"
)


def build(session: Session, count: int, dump: Path) -> float:
    """Insert `count` records through record_repo (indexing included); returns the seconds it took."""
    rnd = session.current_round()
    assert rnd is not None
    authors = [m.id for m in session.members()]
    corpus, elapsed, done = Corpus(seed=2026), 0.0, 0
    with dump.open("w", encoding="utf-8") as out:
        while done < count:
            batch = []
            for fake in corpus.records(min(BATCH, count - done)):
                record = Record(kind=fake.kind, round_id=rnd.id, title=fake.title, body=fake.body,
                                author_id=authors[fake.author], number=fake.number, status=fake.status,
                                category=fake.category, occurred_on=fake.occurred_on, subtitle=fake.subtitle)
                batch.append(record)
                texts = [fake.title, fake.number, fake.subtitle, *search_text.body_strings(fake.body)]
                out.write(" ".join(t.replace("\n", " ") for t in texts) + "\n")
            start = time.perf_counter()
            with session.vault.transaction() as conn:
                for record in batch:
                    record_repo.insert(conn, record)
            elapsed += time.perf_counter() - start
            done += len(batch)
            print(f"\r  {done:,}/{count:,} records written", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return elapsed


def timed(fn, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm: the first run of each query fills the page cache; both sides get one
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def p50_p95(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), statistics.quantiles(samples, n=20, method="inclusive")[18]


def rg(query: str, dump: Path) -> int:
    out = subprocess.run(["rg", "-c", "-F", "--", query, str(dump)], capture_output=True, text=True, check=False)
    return int(out.stdout.strip() or 0)


def checkpointed_size(session: Session) -> float:
    session.vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return session.path.stat().st_size / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query (after one warm-up)")
    args = parser.parse_args()
    if args.runs < 2:
        parser.error("--runs must be at least 2 (a p95 needs two samples)")
    if shutil.which("rg") is None:
        print("ripgrep (rg) is the reference and is not installed: apt-get install ripgrep", file=sys.stderr)
        return 2
    rg_version = subprocess.run(["rg", "--version"], capture_output=True, text=True, check=True).stdout
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-") as tmp:
        os.environ["XDG_STATE_HOME"] = os.path.join(tmp, "state")  # the unlock throttle's folder
        path, dump = Path(tmp) / "search.xuncha", Path(tmp) / "dump.txt"
        session = Session.create(path, PASSWORD, demo.GROUP[0][0], Role.LEADER)
        demo.ensure_round(session)
        insert_s = build(session, args.records, dump)
        size_live = checkpointed_size(session)
        start = time.perf_counter()
        with session.vault.transaction() as conn:
            search_repo.rebuild(conn)
        rebuild_s = time.perf_counter() - start
        size_rebuilt = checkpointed_size(session)

        service, conn = SearchService(session), session.vault.conn
        empty = Path(tmp) / "empty.txt"
        empty.touch()
        spawn = p50_p95(timed(lambda: rg("扶贫", empty), args.runs))
        rows, pooled = [], {}
        for length, queries in (("2", TWO), ("4", FOUR)):
            ours_all, rg_all, bm25_all = [], [], []
            for q in queries:
                match = search_text.fts_query(search_text.query_words(q))
                count = conn.execute("SELECT count(*) FROM search_index WHERE search_index MATCH ?",
                                     (match,)).fetchone()[0]
                ours = timed(lambda q=q: service.query(q, limit=50), args.runs)
                theirs = timed(lambda q=q: rg(q, dump), args.runs)
                bm25 = timed(lambda m=match: conn.execute(BM25, (m,)).fetchall(), max(2, args.runs // 5))
                rows.append((q, count, rg(q, dump), statistics.median(ours), statistics.median(theirs),
                             statistics.median(bm25)))
                ours_all += ours
                rg_all += theirs
                bm25_all += bm25
            pooled[length] = (p50_p95(ours_all), p50_p95(rg_all), statistics.median(bm25_all))

        session.vault.conn.execute("VACUUM")
        size_with = checkpointed_size(session)
        with session.vault.transaction() as conn:
            conn.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
            conn.execute("INSERT INTO search_head (search_head) VALUES ('delete-all')")
            conn.execute("DELETE FROM search_docs")
            conn.execute("DROP INDEX records_search")
        session.vault.conn.execute("VACUUM")
        size_without = checkpointed_size(session)
        dump_mib = dump.stat().st_size / 2**20
        session.lock()

    print(f"\n{args.records:,} records, {args.runs} timed runs per query after one warm-up; Python "
          f"{sys.version.split()[0]}, {rg_version.splitlines()[0]}, {os.cpu_count()} CPUs")
    print(f"plaintext dump {dump_mib:.1f} MiB, one record per line; reference: rg -c -F QUERY dump.txt\n")
    print(f"{'query':<10} {'matches':>8} {'rg lines':>9} {'ours p50 ms':>12} {'rg p50 ms':>10} {'bm25 p50 ms':>12}")
    for q, count, lines, ours_p50, rg_p50, bm25_p50 in rows:
        print(f"{q:<10} {count:>8,} {lines:>9,} {ours_p50 * 1000:>12.1f} {rg_p50 * 1000:>10.1f} "
              f"{bm25_p50 * 1000:>12.1f}")
    print(f"\n{'query length':<14} {'ours p50':>9} {'ours p95':>9} {'rg p50':>8} {'rg p95':>8} "
          f"{'p50 ×rg':>8} {'p95 ×rg':>8} {'bm25 p50':>9}   (ms)")
    for length, ((o50, o95), (r50, r95), b50) in pooled.items():
        print(f"{length + ' characters':<14} {o50 * 1000:>9.1f} {o95 * 1000:>9.1f} {r50 * 1000:>8.1f} "
              f"{r95 * 1000:>8.1f} {o50 / r50:>8.2f} {o95 / r95:>8.2f} {b50 * 1000:>9.1f}")
    print(f"(rg's own start on an empty file: p50 {spawn[0] * 1000:.1f} ms, p95 {spawn[1] * 1000:.1f} ms)")
    print("(bm25: for comparison only, the ids of the 50 best matches by FTS5's bm25(), ranking every match,"
          " without snippets: the order the service does not use, see docs/search.md)\n")
    print(f"insert {args.records:,} records through record_repo, indexing included: {insert_s:.1f} s "
          f"({insert_s / args.records * 1e6:.0f} µs per record)")
    print(f"rebuild the whole index (search_repo.rebuild, with optimize): {rebuild_s:.1f} s")
    print(f"vault size: {size_live:.1f} MiB as written, {size_rebuilt:.1f} MiB after the rebuild; after VACUUM "
          f"{size_with:.1f} MiB with the index, {size_without:.1f} MiB without "
          f"(index {size_with - size_without:.1f} MiB, {(size_with - size_without) / size_without:.0%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
