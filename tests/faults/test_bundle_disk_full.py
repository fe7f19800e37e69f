"""A full stick while a bundle is written: a clear message, no bundle (not even half of one) left on the
stick, the sequence number given back, and the vault fine. The disk is "filled" in a child process with
RLIMIT_FSIZE (SIGXFSZ ignored), as in test_disk_full.py."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from bundle_parties import make_group
from PIL import Image
from vault_fixtures import PASSWORD, ROOT, cli_env

from app.vault.session import Session

CHILD = textwrap.dedent("""
    import resource, signal, sys
    from pathlib import Path
    from app.core.errors import XunchaError
    from app.vault.session import Session
    vault, stick, cap = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    session = Session.unlock(vault, sys.argv[4])
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (cap, hard))
    try:
        session.bundles.export(["王建国"], stick)
        print("written")
    except XunchaError as exc:
        print("error", type(exc).__name__, exc.zh)
    resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    session.lock()
""")


def _noise_png() -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3)).save(out, "PNG")
    return out.getvalue()


def test_a_full_stick_leaves_no_bundle_and_gives_the_sequence_back(tmp_path: Path) -> None:
    parties = make_group(tmp_path / "vaults")
    member = parties["member"]
    record, _ = member.records.add("review", {"review_type": "documents", "subject": "三资台账"})
    for i in range(3):
        member.attachments.add_data(_noise_png(), f"台账-{i}.png", record.id)
    vault = member.path
    stored = sum(a.byte_size for a in member.attachments.for_record(record.id))
    for s in parties.values():
        s.lock()
    stick = tmp_path / "stick"
    stick.mkdir()
    cap = 2 * 1024 * 1024  # the vault writes to its WAL (small) meanwhile; the bundle needs more
    assert stored > cap
    proc = subprocess.run([sys.executable, "-c", CHILD, str(vault), str(stick), str(cap), PASSWORD], cwd=ROOT,
                          env=cli_env(tmp_path / "home"), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("error DiskFull"), proc.stdout + proc.stderr
    assert "磁盘空间不足" in proc.stdout
    assert list(stick.iterdir()) == []  # neither the bundle nor its temp file
    session = Session.unlock(vault, PASSWORD)
    try:
        assert session.bundles.sent() == []
        result, _ = session.bundles.export(["王建国"], stick)
        assert result.bundle.sequence == 1  # the failed attempt did not use up a number
    finally:
        session.lock()
