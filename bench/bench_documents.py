"""Benchmark: the report draft with 300 issues as DOCX and as PDF, next to LibreOffice converting that DOCX
to PDF on the same machine.

    .venv/bin/python bench/bench_documents.py [--issues N] [--runs N]

Builds a vault (cheap KDF) with the demo round and N working papers with realistic facts, all marked for
the report, then times, as the median of --runs: gathering and masking the document (values, template,
masking), rendering DOCX and PDF in memory, and the whole `DocumentService.export` to a file (numbered,
audit-logged, fsynced). The reference is `soffice --headless --convert-to pdf` of the exported DOCX (a
warm run: the first, which creates LibreOffice's profile, is left out); the figure is our PDF export's
time divided by it. Without soffice the reference is skipped with a message.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core.domain import Role  # noqa: E402
from app.demo import scenario as demo  # noqa: E402
from app.demo.word_lists import POLICY, SURNAMES, TOPICS  # noqa: E402
from app.vault.session import Session  # noqa: E402
from exports import docx_writer, pdf_writer  # noqa: E402
from storage.kdf import KdfParams  # noqa: E402

PASSWORD = "bench-口令-Qx9!long-enough"
CHEAP = KdfParams(time_cost=2, memory_log2=13, parallelism=1)
CATEGORIES = ["1.1", "1.2", "1.4", "2.1", "2.2", "2.3", "3.2", "3.3", "3.4", "3.5", "3.6"]


def fill(session: Session, issues: int) -> None:
    demo.ensure_round(session)
    rng = random.Random(2026)
    for n in range(issues):
        village = rng.choice(demo.VILLAGES)
        topic = rng.choice(TOPICS)
        category = rng.choice(CATEGORIES)
        facts = "".join(demo._fmt(rng, s, village) for s in rng.sample(topic.finding, min(2, len(topic.finding))))
        record, _ = session.records.add("paper", {
            "title": demo._fmt(rng, topic.paper_title, village), "category": category,
            "unit": f"{village}党支部", "facts": facts * 2, "amount": round(rng.uniform(1e4, 5e6), 2),
            "policy_basis": POLICY.get(category, ""), "responsible": rng.choice(SURNAMES) + "某",
            "found_on": f"2026-09-{1 + n % 28:02d}",
        })
        session.compilation.mark(record.id, for_report=True)


def median(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def pages(pdf: Path) -> str:
    if not shutil.which("pdfinfo"):
        return "?"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return next((line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--issues", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xuncha-bench-docs-") as tmp:
        folder = Path(tmp)
        session = Session.create(folder / "v.xuncha", PASSWORD, demo.GROUP[0][0], Role.LEADER, kdf=CHEAP)
        try:
            start = time.perf_counter()
            fill(session, args.issues)
            print(f"{args.issues} working papers written and marked in {time.perf_counter() - start:.1f} s")
            docs = session.documents
            document, _ = docs.build("report", "组务会")
            rows: list[tuple[str, float]] = [
                ("gather, fill template, mask", median(args.runs, lambda: docs.build("report", "组务会"))),
                ("render DOCX in memory", median(args.runs, lambda: docx_writer.render(document))),
                ("render PDF in memory", median(args.runs, lambda: pdf_writer.render(document))),
            ]
            docx_out, pdf_out = folder / "report.docx", folder / "report.pdf"
            rows.append(("export DOCX (whole, to file)", median(args.runs, lambda: docs.export(
                "report", "docx", docx_out, "组务会", overwrite=True))))
            rows.append(("export PDF (whole, to file)", median(args.runs, lambda: docs.export(
                "report", "pdf", pdf_out, "组务会", overwrite=True))))
        finally:
            session.lock()
        reference = None
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if soffice is None:
            print("soffice not found: the LibreOffice reference is skipped "
                  "(apt-get install -y libreoffice-writer-nogui)")
        else:
            profile = folder / "lo-profile"
            convert = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                       "--outdir", str(folder / "lo"), str(docx_out)]
            subprocess.run(convert, capture_output=True, check=True, timeout=600)  # creates the profile
            reference = median(args.runs, lambda: subprocess.run(convert, capture_output=True, check=True,
                                                                  timeout=600))
            rows.append(("soffice --convert-to pdf of that DOCX", reference))
        print(f"\nreport draft, {args.issues} issues: our PDF {pages(pdf_out)} pages, "
              f"LibreOffice's {pages(folder / 'lo' / 'report.pdf') if reference else '-'} pages; "
              f"DOCX {docx_out.stat().st_size / 1024:.0f} KiB, PDF {pdf_out.stat().st_size / 1024:.0f} KiB")
        print(f"{'step':<40}{'median s':>10}{'vs soffice':>12}")
        for name, seconds in rows:
            ratio = f"{seconds / reference:.2f}" if reference else "-"
            print(f"{name:<40}{seconds:>10.3f}{ratio:>12}")


if __name__ == "__main__":
    main()
