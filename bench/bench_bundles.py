"""Benchmark: sealing a bundle with SIZE of attachments, and verify + import of it, next to the `age` tool
encrypting and decrypting the same number of bytes on the same machine; and peak RSS at two sizes.

    .venv/bin/python bench/bench_bundles.py [--size MIB] [--small MIB] [--keep]

Each size runs in a child process of its own (so ru_maxrss is that run's peak): it builds a member's vault
holding SIZE MiB of attachments (random bytes stored as PDFs, 32 MiB each, through attachment_repo in
1 MiB chunks), a leader's vault that trusts it, then times `session.bundles.export` (seal: read from the
vault, tar, hash, sign, age-encrypt, fsync, read back), `verify` and `import_` (decrypt, hash, check,
land in one transaction). The reference is `age -r` and `age -d -i` on a plaintext file of the same
number of bytes, in the same run. The figure is the ratio of throughputs (ours / age's; we aim at or
above 1). A second reference is the vault itself: reading the same attachments out of it, and writing
them into it, without any bundle (SQLCipher encrypts and authenticates every 4 KiB page: the floor for
sealing and importing). Peak RSS for --small (default 100 MiB) and --size (default 1024 MiB) must not
grow with size.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

PIECE = 32 * 1024 * 1024
CHUNK = 1024 * 1024


def fill(session: object, mib: int) -> None:
    """SIZE MiB of attachments on one record, written straight through the repository (intake would
    re-encode images: this measures bundles, not intake)."""
    from app.core.domain import Attachment, AttachmentType, new_id, now_utc
    from storage import attachment_repo

    s = session  # type: ignore[assignment]
    record, _ = s.records.add("review", {"review_type": "documents", "subject": "三资台账扫描件"})  # type: ignore[attr-defined]
    rnd = s.require_round()  # type: ignore[attr-defined]
    left = mib * 1024 * 1024
    seed = os.urandom(CHUNK)
    n = 0
    while left > 0:
        size = min(PIECE, left)
        aid = new_id()
        digest = hashlib.sha256()
        with s.vault.transaction() as conn:  # type: ignore[attr-defined]
            attachment_repo.insert(conn, Attachment(
                id=aid, round_id=rnd.id, record_id=record.id, filename=f"扫描件-{n:03d}.pdf",
                media_type=AttachmentType.PDF, byte_size=size, sha256="0" * 64, width=None, height=None,
                original_size=size, downscaled=False, has_thumbnail=False, created_at=now_utc().isoformat(),
                created_by="张志远"))
            for seq in range(0, size // CHUNK + (1 if size % CHUNK else 0)):
                # Vary every chunk so nothing compresses or dedupes.
                # A PDF's first bytes, as the importer checks each attachment's type by them.
                head = b"%PDF-1.4\n" if seq == 0 else b""
                data = head + (seq + n * 1000).to_bytes(8, "big") + seed[8 + len(head) : min(CHUNK, size - seq * CHUNK)]
                digest.update(data)
                attachment_repo.insert_chunk(conn, aid, seq, data)
            conn.execute("UPDATE attachments SET sha256 = ? WHERE id = ?", (digest.hexdigest(), aid))
        left -= size
        n += 1


def child(mib: int, folder: Path) -> None:
    from bundle_parties import introduce, make_party

    from app.core.domain import Role

    member = make_party(folder, "张志远", Role.MEMBER)
    leader = make_party(folder, "王建国", Role.LEADER)
    introduce(member, leader)
    t0 = time.perf_counter()
    fill(member, mib)
    vault_write = time.perf_counter() - t0
    from storage import attachment_repo

    t0 = time.perf_counter()
    for a in attachment_repo.for_round(member.vault.conn, member.require_round().id):
        for _chunk in member.attachments.read_chunks(a.id):
            pass
    vault_read = time.perf_counter() - t0
    stick = folder / "stick"
    stick.mkdir()
    t0 = time.perf_counter()
    result, _ = member.bundles.export(["王建国"], stick, full=True)
    seal = time.perf_counter() - t0
    t0 = time.perf_counter()
    report = leader.bundles.verify(result.path)
    verify = time.perf_counter() - t0
    assert report.ok
    t0 = time.perf_counter()
    imported, _ = leader.bundles.import_(result.path)
    load = time.perf_counter() - t0
    assert imported.imported and imported.changes["attachments_new"] >= 1
    member.lock()
    leader.lock()
    rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mib": mib, "seal": seal, "verify": verify, "import": load, "bundle_bytes": result.size,
                      "rss_mib": rss_kib / 1024, "vault_write": vault_write, "vault_read": vault_read}))


def run_child(mib: int, folder: Path) -> dict[str, float]:
    folder.mkdir(parents=True)
    out = subprocess.run([sys.executable, __file__, "--child", str(mib), "--folder", str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def age_reference(mib: int, folder: Path) -> tuple[float, float]:
    """`age` encrypting and decrypting a plaintext file of the same size (written first, not timed)."""
    plain, sealed, identity = folder / "plain.bin", folder / "plain.age", folder / "id.txt"
    seed = os.urandom(CHUNK)
    with plain.open("wb") as fh:
        for i in range(mib):
            fh.write(i.to_bytes(8, "big") + seed[8:])
    subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    recipient = next(line.split(": ")[1] for line in identity.read_text().splitlines() if "public key" in line)
    t0 = time.perf_counter()
    subprocess.run(["age", "-r", recipient, "-o", str(sealed), str(plain)], check=True)
    with sealed.open("rb+") as fh:
        os.fsync(fh.fileno())  # as our writer does
    enc = time.perf_counter() - t0
    t0 = time.perf_counter()
    subprocess.run(["age", "-d", "-i", str(identity), "-o", os.devnull, str(sealed)], check=True)
    dec = time.perf_counter() - t0
    for p in (plain, sealed):
        p.unlink()
    return enc, dec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1024, help="MiB of attachments (default 1024)")
    parser.add_argument("--small", type=int, default=100, help="the smaller size for the RSS comparison")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.child is not None:
        child(args.child, args.folder)
        return
    base = Path(tempfile.mkdtemp(prefix="xuncha-bench-bundles-"))
    try:
        small = run_child(args.small, base / "small")
        large = run_child(args.size, base / "large")
        enc, dec = age_reference(args.size, base)
    finally:
        if not args.keep:
            subprocess.run(["rm", "-rf", str(base)], check=False)
    mib = args.size

    def rate(seconds: float) -> float:
        return mib / seconds

    print(f"bundle of {mib} MiB of attachments ({large['bundle_bytes'] / 2**20:.0f} MiB on the stick)\n")
    print(f"{'step':<34}{'seconds':>9}{'MiB/s':>9}{'age MiB/s':>11}{'ratio':>8}")
    print(f"{'seal (export, fsync, read back)':<34}{large['seal']:>9.2f}{rate(large['seal']):>9.0f}"
          f"{rate(enc):>11.0f}{rate(large['seal']) / rate(enc):>8.2f}")
    print(f"{'verify (nothing kept)':<34}{large['verify']:>9.2f}{rate(large['verify']):>9.0f}"
          f"{rate(dec):>11.0f}{rate(large['verify']) / rate(dec):>8.2f}")
    print(f"{'import (one transaction)':<34}{large['import']:>9.2f}{rate(large['import']):>9.0f}"
          f"{rate(dec):>11.0f}{rate(large['import']) / rate(dec):>8.2f}")
    both = large["verify"] + large["import"]
    print(f"{'verify + import':<34}{both:>9.2f}{rate(both):>9.0f}{rate(dec):>11.0f}{rate(both) / rate(dec):>8.2f}")
    print(f"\nthe vault alone, same bytes: reading {rate(large['vault_read']):.0f} MiB/s, writing (one 32 MiB "
          f"attachment per transaction) {rate(large['vault_write']):.0f} MiB/s")
    print(f"seal / vault read {large['vault_read'] / large['seal']:.2f}; "
          f"import / vault write {large['vault_write'] / large['import']:.2f}")
    print(f"\npeak RSS: {small['rss_mib']:.0f} MiB for {args.small} MiB, {large['rss_mib']:.0f} MiB for {mib} MiB "
          f"(ratio {large['rss_mib'] / small['rss_mib']:.2f}; flat is 1.0)")


if __name__ == "__main__":
    main()
