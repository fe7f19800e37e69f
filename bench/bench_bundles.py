"""Benchmark: sealing a bundle with SIZE of attachments, and verify + import of it, next to the `age` tool
encrypting and decrypting the same number of bytes on the same machine; peak RSS at two sizes and for
hostile input.

    .venv/bin/python bench/bench_bundles.py [--size MIB] [--small MIB] [--keep]
    .venv/bin/python bench/bench_bundles.py --hostile all      # only the hostile cases

Each size runs in a child process of its own (so ru_maxrss is that run's peak): it builds a member's vault
holding SIZE MiB of attachments (random bytes stored as PDFs, 32 MiB each, through attachment_repo in
1 MiB chunks), a leader's vault that trusts it, then times `session.bundles.export` (seal: read from the
vault, tar, hash, sign, age-encrypt, fsync, read back), `verify` and `import_` (decrypt, hash, check,
land in one transaction). The reference is `age -r` and `age -d -i` on a plaintext file of the same
number of bytes, run in the same child once before and once after ours (the faster counts); seal and
verify run twice too, the faster counting (import once: a second one is a no-op). Each step gives wall
seconds and CPU seconds (every thread of ours; the age process's): on a shared 2-core VM the CPU ratio
is the steadier figure. The ratio is ours / age's throughput (we aim at or above 1).

Two more references on the same bytes: the vault itself, reading the same attachments out of it and
writing them into it without any bundle (SQLCipher encrypts and authenticates every 4 KiB page: the
floor for sealing and importing as long as attachment bodies live in the vault); and the same bodies as
32 MiB files beside the vault, each encrypted with a key of its own (exports/age_v1.py), written with
fsync and read back: the floor if they left it (docs/bundle-format.md, "The floor").

The hostile cases (each in a child of its own, the leader importing a file sealed to its public key):
GNU sparse members, a 150 MiB pax header, a 200 MiB manifest, a 32 MiB manifest at the limit, a genuine
bundle with a record 512 MiB longer than signed: the peak RSS of the import alone (the peak is reset
before it), its time, and what the vault grew by.
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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

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


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    used = resource.getrusage(who)
    return used.ru_utime + used.ru_stime


def _timed(step: Callable[[], Any]) -> tuple[Any, float, float]:
    """What `step` returns, its wall seconds and the CPU seconds of this process (every thread) it took."""
    t0, c0 = time.perf_counter(), _cpu()
    out = step()
    return out, time.perf_counter() - t0, _cpu() - c0


def _plain_file(path: Path, mib: int) -> None:
    seed = os.urandom(CHUNK)
    with path.open("wb") as fh:
        for i in range(mib):
            fh.write(i.to_bytes(8, "big") + seed[8:])


def age_reference(mib: int, folder: Path) -> dict[str, float]:
    """`age -r` and `age -d` on a plaintext file of the same size (written first, not timed): wall seconds
    and CPU seconds of the age process."""
    plain, sealed, identity = folder / "plain.bin", folder / "plain.age", folder / "id.txt"
    _plain_file(plain, mib)
    if not identity.exists():
        subprocess.run(["age-keygen", "-o", str(identity)], check=True, capture_output=True)
    recipient = next(line.split(": ")[1] for line in identity.read_text().splitlines() if "public key" in line)
    c0, t0 = _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(["age", "-r", recipient, "-o", str(sealed), str(plain)], check=True)
    with sealed.open("rb+") as fh:
        os.fsync(fh.fileno())  # as our writer does
    enc, enc_cpu = time.perf_counter() - t0, _cpu(resource.RUSAGE_CHILDREN) - c0
    c0, t0 = _cpu(resource.RUSAGE_CHILDREN), time.perf_counter()
    subprocess.run(["age", "-d", "-i", str(identity), "-o", os.devnull, str(sealed)], check=True)
    dec, dec_cpu = time.perf_counter() - t0, _cpu(resource.RUSAGE_CHILDREN) - c0
    for p in (plain, sealed):
        p.unlink()
    return {"enc": enc, "enc_cpu": enc_cpu, "dec": dec, "dec_cpu": dec_cpu}


def sidecar_reference(mib: int, folder: Path) -> dict[str, float]:
    """The option issue 16 asks to decide by measurement: an attachment body as a file of its own beside the
    vault, encrypted with its own key (here: exports/age_v1.py, the same ChaCha20-Poly1305 chunks), written
    and fsynced in 32 MiB files, then read back and decrypted: the floor the import and the seal would have
    if the bodies left the vault."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from exports import age_v1

    key = X25519PrivateKey.generate()
    recipient = age_v1.recipient_of(key)
    seed = os.urandom(CHUNK)
    paths = []
    t0 = time.perf_counter()
    left, n = mib * CHUNK, 0
    while left > 0:
        size = min(PIECE, left)
        path = folder / f"sidecar-{n:03d}.bin"
        with path.open("wb") as fh:
            writer = age_v1.Writer(fh, [recipient])
            for seq in range(0, size // CHUNK):
                writer.write((seq + n * 1000).to_bytes(8, "big") + seed[8:])
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        paths.append(path)
        left, n = left - size, n + 1
    write = time.perf_counter() - t0
    t0 = time.perf_counter()
    for path in paths:
        with path.open("rb") as fh:
            reader = age_v1.Reader(fh, key)
            while reader.read(CHUNK):
                pass
    read = time.perf_counter() - t0
    for path in paths:
        path.unlink()
    return {"sidecar_write": write, "sidecar_read": read}


def child(mib: int, folder: Path) -> None:
    from bundle_parties import introduce, make_party

    from app.core.domain import Role

    member = make_party(folder, "张志远", Role.MEMBER)
    leader = make_party(folder, "王建国", Role.LEADER)
    introduce(member, leader)
    _, vault_write, _ = _timed(lambda: fill(member, mib))
    from storage import attachment_repo

    def read_vault() -> None:
        for a in attachment_repo.for_round(member.vault.conn, member.require_round().id):
            for _chunk in member.attachments.read_chunks(a.id):
                pass

    _, vault_read, _ = _timed(read_vault)
    stick = folder / "stick"
    stick.mkdir()
    before = age_reference(mib, folder)
    # The peak of the bundle steps alone (Linux): filling and reading the vault above are not the bundle's.
    steps_only = os.access("/proc/self/clear_refs", os.W_OK)
    if steps_only:
        _peak_reset()
    # Seal and verify run twice, like age, and the faster run counts (on a shared VM the neighbours' load
    # comes and goes); import once (a second import of the same bundle is a no-op).
    (result, _), seal, seal_cpu = min((_timed(lambda: member.bundles.export(["王建国"], stick, full=True))
                                       for _ in range(2)), key=lambda run: run[1])
    report, verify, verify_cpu = min((_timed(lambda: leader.bundles.verify(result.path)) for _ in range(2)),
                                     key=lambda run: run[1])
    assert report.ok
    (imported, _), load, load_cpu = _timed(lambda: leader.bundles.import_(result.path))
    assert imported.imported and imported.changes["attachments_new"] >= 1
    after = age_reference(mib, folder)
    member.lock()
    leader.lock()
    rss_kib = _peak_mib() * 1024 if steps_only else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    age = {k: min(before[k], after[k]) for k in before}  # the faster of two runs, one before, one after ours
    print(json.dumps({"mib": mib, "seal": seal, "verify": verify, "import": load, "seal_cpu": seal_cpu,
                      "verify_cpu": verify_cpu, "import_cpu": load_cpu, "bundle_bytes": result.size,
                      "rss_mib": rss_kib / 1024, "vault_write": vault_write, "vault_read": vault_read,
                      **age, **sidecar_reference(mib, folder)}))


def run_child(mib: int, folder: Path) -> dict[str, float]:
    folder.mkdir(parents=True)
    out = subprocess.run([sys.executable, __file__, "--child", str(mib), "--folder", str(folder)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# ---- hostile input: peak memory, time and what reaches the vault ---------------------------------------

HOSTILE = ("genuine", "sparse", "huge-pax", "huge-manifest", "manifest-at-limit", "longer-member")
BAG = "xuncha-bundle-00000000-0000-4000-8000-000000000000"


def _peak_reset() -> None:
    """Linux: the peak RSS (VmHWM) starts again from the present one, so what follows is measured alone."""
    Path("/proc/self/clear_refs").write_text("5")


def _peak_mib() -> float:
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def _member(name: str, size: int, chunks: Iterable[bytes] = ()) -> Iterator[bytes]:
    from exports import bundle_format as fmt

    yield fmt.tar_header(name, size, 0)
    yield from chunks
    yield fmt.padding(size)


def _ones(total: int, line: bytes = b"x") -> Iterator[bytes]:
    piece = line * (CHUNK // len(line))
    while total > 0:
        yield piece[:total]
        total -= len(piece)


def _hostile_parts(case: str, genuine: bytes) -> Iterator[bytes]:
    """The plaintext tar of each hostile case, streamed (never whole in memory)."""
    import io
    import tarfile

    from exports import bundle_format as fmt

    if case in ("genuine", "longer-member"):
        with tarfile.open(fileobj=io.BytesIO(genuine), mode="r|") as tar:
            grow = case == "longer-member"
            for info in tar:
                data = tar.extractfile(info).read()  # type: ignore[union-attr]
                if grow and "/data/records/" in info.name:
                    # 512 MiB more than the signed manifest and Payload-Oxum say
                    extra = 512 * CHUNK
                    yield from _member(info.name, len(data) + extra, [data[:-1], *_ones(extra, b" "), b"}"])
                    grow = False
                else:
                    yield from _member(info.name, len(data), [data])
        yield fmt.tar_end(0)[:1024]
        return
    info = tarfile.TarInfo(f"{BAG}/bagit.txt")
    info.size = len(fmt.BAGIT_TXT)
    yield info.tobuf(format=tarfile.PAX_FORMAT) + fmt.BAGIT_TXT + fmt.padding(info.size)
    if case == "sparse":  # 12 GNU sparse members, each 10 bytes that tarfile would expand to 200 MiB
        for n in range(12):
            header = bytearray(fmt.tar_header(f"{BAG}/data/audit-{n}.jsonl", 10, 0))
            real = 200 * CHUNK
            header[156:157] = b"S"
            header[386:398], header[398:410], header[483:495] = b"%011o\0" % (real - 10), b"%011o\0" % 10, \
                b"%011o\0" % real
            header[148:156] = b" " * 8
            header[148:156] = b"%06o\0 " % sum(header)
            yield bytes(header) + b"x" * 10 + fmt.padding(10)
    elif case == "huge-pax":  # a 150 MiB pax header before a tag file
        body = 150 * CHUNK
        record_len = body
        text = b" comment="
        prefix = str(record_len).encode()
        head = tarfile.TarInfo("././@PaxHeader")
        head.size, head.type = body, tarfile.XHDTYPE
        yield head.tobuf(format=tarfile.USTAR_FORMAT)
        yield prefix + text
        yield from _ones(body - len(prefix) - len(text) - 1)
        yield b"\n" + fmt.padding(body)
        yield fmt.tar_header(f"{BAG}/bag-info.txt", 10, 0) + b"x" * 10 + fmt.padding(10)
    else:  # a manifest far over its limit, or one just under it (read and parsed, then found wrong)
        size = 200 * CHUNK if case == "huge-manifest" else fmt.MAX_MANIFEST
        line = b"0" * 128 + b"  data/records/00000000-0000-4000-8000-000000000000.json\n"
        yield from _member(f"{BAG}/manifest-sha512.txt", size, _ones(size, line))
    yield b"\0" * 1024


def hostile_child(case: str, folder: Path) -> None:
    from bundle_parties import introduce, make_party
    from capture_data import INTERVIEW

    from app.core.domain import Role
    from exports import age_v1

    member = make_party(folder, "张志远", Role.MEMBER)
    leader = make_party(folder, "王建国", Role.LEADER)
    introduce(member, leader)
    member.records.add("interview", INTERVIEW)
    stick = folder / "stick"
    stick.mkdir()
    bundle, _ = member.bundles.export(["王建国"], stick)
    with bundle.path.open("rb") as fh:
        genuine = age_v1.Reader(fh, age_v1.identity_key(leader.keys.own().age_secret)).read()
    path = stick / "hostile.age"
    with path.open("wb") as fh:
        writer = age_v1.Writer(fh, [leader.keys.own().age_recipient])
        for part in _hostile_parts(case, genuine):
            writer.write(part)
        writer.close()
    del genuine
    vault = leader.vault.path

    def vault_bytes() -> int:
        return sum(p.stat().st_size for p in vault.parent.glob(vault.name + "*"))

    before = vault_bytes()
    _peak_reset()
    base = _peak_mib()
    t0 = time.perf_counter()
    try:
        leader.bundles.import_(path)
        said = "imported"
    except Exception as exc:  # the refusal is the expected outcome of every hostile case
        said = str(exc).splitlines()[0][:60]
    seconds = time.perf_counter() - t0
    print(json.dumps({"case": case, "file_mib": path.stat().st_size / 2**20, "seconds": seconds,
                      "peak_mib": _peak_mib(), "base_mib": base, "vault_growth_kib": (vault_bytes() - before) / 1024,
                      "said": said}, ensure_ascii=False))
    member.lock()
    leader.lock()


def run_hostile(base: Path) -> list[dict[str, Any]]:
    rows = []
    for case in HOSTILE:
        folder = base / f"hostile-{case}"
        folder.mkdir(parents=True)
        out = subprocess.run([sys.executable, __file__, "--hostile", case, "--folder", str(folder)],
                             check=True, capture_output=True, text=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        subprocess.run(["rm", "-rf", str(folder)], check=False)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1024, help="MiB of attachments (default 1024)")
    parser.add_argument("--small", type=int, default=100, help="the smaller size for the RSS comparison")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--hostile", help="only the hostile cases (all: 'all')")
    args = parser.parse_args()
    if args.hostile is not None and args.folder is not None:
        hostile_child(args.hostile, args.folder)
        return
    if args.child is not None:
        child(args.child, args.folder)
        return
    base = Path(tempfile.mkdtemp(prefix="xuncha-bench-bundles-"))
    try:
        if args.hostile is not None:
            print_hostile(run_hostile(base))
            return
        small = run_child(args.small, base / "small")
        large = run_child(args.size, base / "large")
        hostile = run_hostile(base)
    finally:
        if not args.keep:
            subprocess.run(["rm", "-rf", str(base)], check=False)
    print_table(args.size, args.small, small, large)
    print_hostile(hostile)


def print_table(mib: int, small_mib: int, small: dict[str, float], large: dict[str, float]) -> None:
    def rate(seconds: float) -> float:
        return mib / seconds

    enc, dec = large["enc"], large["dec"]
    print(f"bundle of {mib} MiB of attachments ({large['bundle_bytes'] / 2**20:.0f} MiB on the stick); "
          "age: the faster of a run before and one after ours\n")
    print(f"{'step':<32}{'seconds':>8}{'MiB/s':>7}{'age s':>7}{'age MiB/s':>10}{'ratio':>7}"
          f"{'CPU s':>7}{'age CPU s':>10}{'CPU ratio':>10}")
    rows = [("seal (export, fsync, read back)", "seal", enc, large["enc_cpu"]),
            ("verify (nothing kept)", "verify", dec, large["dec_cpu"]),
            ("import (one transaction)", "import", dec, large["dec_cpu"])]
    for label, key, ref, ref_cpu in rows:
        ours, cpu = large[key], large[f"{key}_cpu"]
        print(f"{label:<32}{ours:>8.2f}{rate(ours):>7.0f}{ref:>7.2f}{rate(ref):>10.0f}{ref / ours:>7.2f}"
              f"{cpu:>7.2f}{ref_cpu:>10.2f}{ref_cpu / cpu:>10.2f}")
    print(f"\nthe vault alone, same bytes: reading {rate(large['vault_read']):.0f} MiB/s, writing (one 32 MiB "
          f"attachment per transaction) {rate(large['vault_write']):.0f} MiB/s")
    print(f"seal / vault read {large['vault_read'] / large['seal']:.2f}; "
          f"import / vault write {large['vault_write'] / large['import']:.2f}")
    print(f"beside the vault (32 MiB files, ChaCha20-Poly1305, own key): writing with fsync "
          f"{rate(large['sidecar_write']):.0f} MiB/s ({large['vault_write'] / large['sidecar_write']:.1f}x the vault),"
          f" reading {rate(large['sidecar_read']):.0f} MiB/s ({large['vault_read'] / large['sidecar_read']:.1f}x)")
    print("\npeak RSS of seal, verify and import (on Linux the filling of the vault before them is excluded): "
          f"{small['rss_mib']:.0f} MiB for {small_mib} MiB, {large['rss_mib']:.0f} MiB for {mib} MiB "
          f"(ratio {large['rss_mib'] / small['rss_mib']:.2f}; flat is 1.0)")


def print_hostile(rows: list[dict[str, Any]]) -> None:
    print("\nhostile input, imported by the leader (peak RSS of the import alone; the process before it: base)")
    print(f"{'case':<20}{'file MiB':>9}{'seconds':>9}{'peak MiB':>9}{'base MiB':>9}{'vault +KiB':>11}  said")
    for r in rows:
        print(f"{r['case']:<20}{r['file_mib']:>9.1f}{r['seconds']:>9.2f}{r['peak_mib']:>9.0f}{r['base_mib']:>9.0f}"
              f"{r['vault_growth_kib']:>11.0f}  {r['said']}")


if __name__ == "__main__":
    main()
