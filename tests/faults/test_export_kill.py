"""kill -9 during exports: a document on disk is always whole and always has its audit entry; a killed
export leaves at most its hidden temp file, which the next export to that name clears."""

from __future__ import annotations

import hashlib
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from documents_data import compile_round
from vault_fixtures import PASSWORD, ROOT, cli_env

from app.core.domain import AuditAction
from app.vault.session import Session


@pytest.mark.slow
def test_kill_during_exports_many_times(round_session: Session, vault_path: Path, tmp_path: Path) -> None:
    compile_round(round_session)
    round_session.lock()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    rng = random.Random(9704)
    for i in range(12):
        out = out_dir / f"report-{i % 3}.pdf"
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "--vault", str(vault_path), "report", "issues", "--format", "pdf",
             "--out", str(out), "--force"],
            cwd=ROOT, env=cli_env(home, XUNCHA_PASSWORD=PASSWORD), stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.5))
        proc.kill()
        proc.wait()
    session = Session.unlock(vault_path, PASSWORD)
    try:
        logged = {e.detail.get("sha256") for e in session.audit_entries() if e.action == AuditAction.EXPORT}
        assert session.audit_verify()[1] == []
    finally:
        session.lock()
    for document in out_dir.glob("report-*.pdf"):
        data = document.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
        assert hashlib.sha256(data).hexdigest() in logged, document
    # Hidden temp files are all a kill can leave, and only for the name it was writing.
    hidden = [p.name for p in out_dir.iterdir() if p.name.startswith(".")]
    assert all(re.fullmatch(r"\.report-[0-2]\.pdf\.export-[0-9a-f]{8}", name) for name in hidden), hidden
