"""Hostile but well-formed archives, encrypted to the leader's public key (which everyone on the roster has):
each is refused at its header, with the vault unchanged and next to nothing written.

tarfile alone would hand out a GNU sparse member as a regular file that expands to any size, read a pax
header of any size into memory, and ignore whatever sits in the unsigned padding and header fields."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pyrage
import pytest
from capture_data import INTERVIEW
from test_bundles import _decrypt, _refused

from app.exchange.identity import fingerprint_digits
from app.vault.session import Session
from exports import bundle_format as fmt

BAG = "xuncha-bundle-00000000-0000-4000-8000-000000000000"
ATTACHMENT = f"{BAG}/data/attachments/00000000-0000-4000-8000-000000000001.jpg"


def _seal(path: Path, receiver: Session, tar_bytes: bytes) -> None:
    recipient = pyrage.x25519.Recipient.from_str(receiver.keys.own().age_recipient)
    path.write_bytes(pyrage.encrypt(tar_bytes, [recipient]))


def _bagit() -> bytes:
    info = tarfile.TarInfo(f"{BAG}/bagit.txt")
    info.size = len(fmt.BAGIT_TXT)
    return info.tobuf(format=tarfile.PAX_FORMAT) + fmt.BAGIT_TXT + fmt.padding(info.size)


def _checksum(header: bytearray) -> bytearray:
    header[148:156] = b" " * 8
    header[148:156] = b"%06o\0 " % sum(header)
    return header


def _sparse_member(realsize: int) -> bytes:
    """A GNU sparse header: 10 bytes of data that tarfile would expand to `realsize` bytes."""
    info = tarfile.TarInfo(f"{BAG}/data/audit.jsonl")  # a name short enough for one header block
    info.size, info.type = 10, tarfile.GNUTYPE_SPARSE
    header = bytearray(info.tobuf(format=tarfile.GNU_FORMAT))
    header[386:398] = b"%011o\0" % (realsize - 10)  # the one data region sits at the very end
    header[398:410] = b"%011o\0" % 10
    header[483:495] = b"%011o\0" % realsize
    return bytes(_checksum(header)) + b"x" * 10 + fmt.padding(10)


def _big_png() -> bytes:
    """A photo of a few MiB that does not compress: the payload the first pass must skip."""
    import os

    from PIL import Image

    out = io.BytesIO()
    Image.frombytes("RGB", (1200, 1200), os.urandom(1200 * 1200 * 3)).save(out, "PNG")
    return out.getvalue()


def _size_of_vault(session: Session) -> int:
    path = session.vault.path
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("evil", ["gnu-sparse", "pax-sparse", "huge-pax", "gnu-longname", "odd-header",
                                  "padding"])
def test_hostile_members_are_refused_at_their_header(group: Any, stick: Path, evil: str) -> None:
    leader = group["leader"]
    parts = [_bagit()]
    if evil == "gnu-sparse":
        parts.append(_sparse_member(200 * 1024 * 1024))
        match = "GNU 扩展成员"
    elif evil == "pax-sparse":
        info = tarfile.TarInfo(ATTACHMENT)
        info.size = 10
        info.pax_headers = {"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": ATTACHMENT,
                            "GNU.sparse.realsize": str(200 * 1024 * 1024)}
        data = b"1\n209715190\n10\n".ljust(512, b"\0") + b"x" * 10
        info.size = len(data)
        parts.append(info.tobuf(format=tarfile.PAX_FORMAT) + data + fmt.padding(len(data)))
        match = "扩展头含有本格式不使用的字段"
    elif evil == "huge-pax":
        info = tarfile.TarInfo(f"{BAG}/bag-info.txt")
        info.size = 10
        info.pax_headers = {"comment": "x" * (8 * 1024 * 1024)}
        parts.append(info.tobuf(format=tarfile.PAX_FORMAT) + b"x" * 10 + fmt.padding(10))
        match = "扩展头过大"
    elif evil == "gnu-longname":
        info = tarfile.TarInfo(f"{BAG}/data/records/" + "0" * 200 + ".json")
        info.size = 10
        parts.append(info.tobuf(format=tarfile.GNU_FORMAT) + b"x" * 10 + fmt.padding(10))
        match = "GNU 扩展成员"
    elif evil == "odd-header":
        info = tarfile.TarInfo(f"{BAG}/bag-info.txt")
        info.size, info.uname = 10, "mallory"  # a field nothing signs
        parts.append(info.tobuf(format=tarfile.PAX_FORMAT) + b"x" * 10 + fmt.padding(10))
        match = "归档头不是本格式写出的样子"
    else:
        info = tarfile.TarInfo(f"{BAG}/bag-info.txt")
        info.size = 10
        parts.append(fmt.tar_header(info.name, 10, 0) + b"x" * 10 + b"evil" + b"\0" * 498)
        match = "填充不是零"
    parts.append(b"\0" * 1024)
    _seal(stick / "evil.age", leader, b"".join(parts))
    before = _size_of_vault(leader)
    _refused(leader, stick / "evil.age", match)
    assert _size_of_vault(leader) - before < 1024 * 1024  # nothing like the 200 MiB the header announced


def test_a_genuine_bundle_passes_the_strict_reader(group: Any, stick: Path) -> None:
    """Every header the writer makes is one the reader takes (the canonical form is the writer's own)."""
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    bundle, _ = member.bundles.export(["王建国"], stick)
    with tarfile.open(fileobj=io.BytesIO(_decrypt(bundle.path, leader)), mode="r|",
                      tarinfo=fmt.StrictTarInfo) as tar:
        members = list(tar)
    assert members and all(fmt.canonical_header(m) and fmt.plain_file(m) for m in members)
    assert leader.bundles.import_(bundle.path)[0].imported


def _rewrapped(bundle: Path, receiver: Session, out: Path) -> Path:
    """The same tar, decrypted and encrypted again to the same recipient: what anyone holding the
    recipient's identity (the office's escrow copy, say) can make. Another file, the same signed bundle."""
    _seal(out, receiver, _decrypt(bundle, receiver))
    return out


def test_a_rewrapped_copy_is_the_same_bundle_before_or_after_the_genuine_one(group: Any, stick: Path) -> None:
    member, leader, office = group["member"], group["leader"], group["office"]
    member.records.add("interview", INTERVIEW)
    genuine, _ = member.bundles.export(["王建国", "市委巡察办"], stick)
    copy = _rewrapped(genuine.path, leader, stick / "copy-leader.age")
    assert copy.read_bytes() != genuine.path.read_bytes()

    # After the genuine one: a no-op, said as such.
    first, _ = leader.bundles.import_(genuine.path)
    assert first.imported
    again, _ = leader.bundles.import_(copy)
    assert again.already_imported and not again.imported and again.ok

    # Before it: the copy imports, and then the genuine one is the no-op (not a reused sequence).
    early = _rewrapped(genuine.path, office, stick / "copy-office.age")
    report, _ = office.bundles.import_(early)
    assert report.imported
    late, _ = office.bundles.import_(genuine.path)
    assert late.already_imported and late.ok

    # The receipt for the copy names the signed bundle: the sender takes it.
    receipt, _ = office.bundles.issue_receipt(report.bundle_id, stick)
    row, _ = member.bundles.import_receipt(receipt)
    assert row.bundle_id == genuine.bundle.id


def _replaced(plain: bytes, path_part: str, content: bytes) -> bytes:
    """The tar with the first member whose name contains `path_part` carrying `content` instead, every
    header written as the bundle writer writes it; the tag files (and so the signature) unchanged."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r|") as tar:
        done = False
        for info in tar:
            data = tar.extractfile(info).read()  # type: ignore[union-attr]
            if not done and path_part in info.name:
                data, done = content, True
            out.write(fmt.tar_header(info.name, len(data), int(info.mtime)) + data + fmt.padding(len(data)))
    out.write(fmt.tar_end(out.tell()))
    assert done
    return out.getvalue()


@pytest.mark.parametrize("longer", [False, True], ids=["same-size", "longer"])
def test_a_payload_that_is_not_the_one_signed_is_refused_untouched(group: Any, stick: Path, longer: bool) -> None:
    member, leader = group["member"], group["leader"]
    record, _ = member.records.add("interview", INTERVIEW)
    bundle, _ = member.bundles.export(["王建国"], stick)
    plain = _decrypt(bundle.path, leader)
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        original = tar.extractfile(next(m for m in tar if record.id in m.name)).read()  # type: ignore[union-attr]
    # Same size: the number on the sender's laptop changed (valid JSON, its content hash still right).
    content = original.replace(b'-0001"', b'-0002"', 1)
    assert content != original and len(content) == len(original)
    if longer:
        content = content[:-1] + b" " * (100 * 1024 * 1024) + b"}"
    forged = _replaced(plain, record.id, content)
    _seal(stick / "forged.age", leader, forged)
    before = _size_of_vault(leader)
    # Longer: the sizes in the headers are not the signed Payload-Oxum, refused in the first pass, before
    # anything is read into the vault. The same size: refused when the content does not hash as signed.
    _refused(leader, stick / "forged.age", "bag-info.txt 与签名内容不符" if longer else "清单与内容不符")
    assert _size_of_vault(leader) - before < 1024 * 1024


def test_nothing_of_the_payload_is_read_before_the_sender_is_known(group: Any, stick: Path, tmp_path: Path) -> None:
    """A bundle sealed by a stranger who knows the leader's public key is refused after the first pass, which
    skips the payload: the vault is not written to, however large the payload."""
    from bundle_parties import make_party

    from app.core.domain import Role

    leader = group["leader"]
    stranger = make_party(tmp_path / "stranger", "陈冒名", Role.MEMBER)
    try:
        stranger.keys.trust_card(leader.keys.card(), fingerprint_digits(leader.keys.own().fingerprint))
        stranger.attachments.add_data(_big_png(), "台账.png", stranger.records.add("interview", INTERVIEW)[0].id)
        bundle, _ = stranger.bundles.export(["王建国"], stick)
    finally:
        stranger.lock()
    before = _size_of_vault(leader)
    _refused(leader, bundle.path, "不在本机信任名单中")
    assert _size_of_vault(leader) - before < 64 * 1024


@pytest.mark.parametrize("sequence", ["1e300", "Infinity", "10000000000000", '"5"', "5.0", "0"])
def test_a_sequence_that_is_not_a_small_whole_number_is_malformed(sequence: str) -> None:
    statement = json.dumps({"format": "xuncha-bundle", "version": 1, "suite": fmt.SUITE, "bundle_id": "x",
                            "round": {"id": "r", "code": "c"}, "recipients": [], "sender": {}, "covers": {},
                            "created_at": "", "tagmanifest_sha512": "", "channel": "", "signature": ""})
    data = statement.replace('"bundle_id"', f'"sequence": {sequence}, "bundle_id"').encode()
    with pytest.raises(fmt.BundleRefused, match="签名文件格式错误"):
        fmt.parse_signature_file(data)


def test_an_unsigned_copy_of_a_received_bundle_is_refused_not_taken_as_imported_before(group: Any,
                                                                                       stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    bundle, _ = member.bundles.export(["王建国"], stick)
    assert leader.bundles.import_(bundle.path)[0].imported
    plain = _decrypt(bundle.path, leader)
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        signed = tar.extractfile(next(m for m in tar if m.name.endswith("xuncha-signature.json"))).read()  # type: ignore[union-attr]
    doc = json.loads(signed)
    digit = doc["signature"][0]
    doc["signature"] = ("0" if digit != "0" else "1") + doc["signature"][1:]  # the same length, not signed
    forged = _replaced(plain, "xuncha-signature.json", (json.dumps(doc, indent=2, ensure_ascii=False,
                                                                   sort_keys=True) + "\n").encode())
    _seal(stick / "forged.age", leader, forged)
    _refused(leader, stick / "forged.age", "签名无效")


def test_a_signature_file_is_exactly_the_bytes_the_writer_makes(group: Any, stick: Path) -> None:
    """Nothing unsigned may vary in it: an extra key, other spacing, another key order (the same length
    kept where it can be, so only the bytes differ)."""
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    bundle, _ = member.bundles.export(["王建国"], stick)
    plain = _decrypt(bundle.path, leader)
    with tarfile.open(fileobj=io.BytesIO(plain)) as tar:
        signed = tar.extractfile(next(m for m in tar if m.name.endswith("xuncha-signature.json"))).read()  # type: ignore[union-attr]
    doc = json.loads(signed)
    variants = [
        json.dumps({**doc, "comment": "x"}, indent=2, ensure_ascii=False, sort_keys=True).encode() + b"\n",
        json.dumps(doc, ensure_ascii=False, sort_keys=True).encode() + b"\n",
        signed.replace(b"\n", b"\r\n", 1)[:-1],
    ]
    for n, variant in enumerate(variants):
        _seal(stick / f"variant{n}.age", leader, _replaced(plain, "xuncha-signature.json", variant))
        _refused(leader, stick / f"variant{n}.age", "签名文件格式错误|清单|损坏")


def test_data_after_the_end_of_the_archive_is_refused(group: Any, stick: Path) -> None:
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    bundle, _ = member.bundles.export(["王建国"], stick)
    _seal(stick / "tail.age", leader, _decrypt(bundle.path, leader) + b"evil" * 128)
    _refused(leader, stick / "tail.age", "归档结束后还有数据|归档头校验失败")
