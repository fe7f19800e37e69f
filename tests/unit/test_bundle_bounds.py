"""What docs/bundle-format.md promises of the reader, held by measurement: verify reads the bundle file once
(the first pass seeks past the payload), an import of hostile input stays under the stated memory
constant, a failed check is said in the same words by `verify` and `import`, and the English half of every
refusal is English."""

from __future__ import annotations

import ast
import io
import os
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyrage
import pytest
from bundle_parties import make_group
from capture_data import INTERVIEW
from test_bundle_hostile import _big_png, _size_of_vault
from test_bundles import _decrypt, snapshot
from vault_fixtures import PASSWORD, ROOT

from exports import age_v1
from exports import bundle_format as fmt

MiB = 1024 * 1024
BAG = "xuncha-bundle-00000000-0000-4000-8000-000000000000"
PROC_IO = Path("/proc/self/io")
CLEAR_REFS = Path("/proc/self/clear_refs")


def _bytes_read(field: str = "rchar") -> int:
    """Bytes this process has read (`rchar`) or written (`wchar`) through read(2), write(2) and their kin
    (Linux), from and to any file."""
    line = next(x for x in PROC_IO.read_text().splitlines() if x.startswith(f"{field}:"))
    return int(line.split()[1])


@pytest.mark.skipif(not PROC_IO.exists(), reason="/proc/self/io is Linux's")
def test_verify_reads_the_bundle_file_once(group: Any, stick: Path) -> None:
    """The first pass (tag files, signature, sender, sequence) skips the payload's chunks without reading
    or decrypting them; the second pass reads each once. Two decrypting passes would read it twice."""
    member, leader = group["member"], group["leader"]
    record, _ = member.records.add("interview", INTERVIEW)
    for n in range(2):
        member.attachments.add_data(_big_png(), f"台账{n}.png", record.id)
    bundle, _ = member.bundles.export(["王建国"], stick)
    size = bundle.path.stat().st_size
    assert size > 8 * MiB
    leader.bundles.verify(bundle.path)  # the modules it needs are imported (their files read) before counting
    before = _bytes_read()
    report = leader.bundles.verify(bundle.path)
    read = _bytes_read() - before
    assert report.ok and not report.imported
    assert size <= read < 1.2 * size, (read, size)


def _readdressed(group: Any, stick: Path) -> Path:
    """The leader's bundle opened by the leader and sealed again to the local member: age holds, the
    signed recipients do not name the local member."""
    member, leader, local = group["member"], group["leader"], group["local"]
    member.records.add("interview", INTERVIEW)
    to_leader, _ = member.bundles.export(["王建国"], stick)
    path = stick / "readdressed.age"
    recipient = pyrage.x25519.Recipient.from_str(local.keys.own().age_recipient)
    path.write_bytes(pyrage.encrypt(_decrypt(to_leader.path, leader), [recipient]))
    return path


def test_verify_and_import_say_the_same_words_for_a_failed_check(group: Any, stick: Path) -> None:
    local = group["local"]
    path = _readdressed(group, stick)
    report = local.bundles.verify(path)
    failed = report.first_failure()
    assert failed is not None and not report.ok
    assert failed.said_zh == "签名声明的接收人中没有本机"
    assert failed.said_en == "the signed recipients do not include this vault"
    assert failed.said_zh != failed.zh  # the check's own wording ("…is addressed to this vault") is never said
    before = snapshot(local)
    with pytest.raises(fmt.BundleRefused) as refused:
        local.bundles.import_(path)
    assert failed.said_zh in str(refused.value) and failed.said_en in str(refused.value)
    assert "addressed to this vault" not in str(refused.value)
    assert snapshot(local) == before


def test_the_command_line_says_the_failed_check_alike_in_verify_and_import(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    group = make_group(tmp_path / "vaults")
    stick = tmp_path / "stick"
    stick.mkdir()
    path = _readdressed(group, stick)
    vault = group["local"].path
    for session in group.values():
        session.lock()
    env = {"XUNCHA_PASSWORD": PASSWORD}
    verify = run_cli("--vault", str(vault), "verify", str(path), env=env)
    imported = run_cli("--vault", str(vault), "import", str(path), env=env)
    assert verify.returncode == imported.returncode == 1
    assert "[失败] 签名声明的接收人中没有本机 (the signed recipients do not include this vault)" in verify.stdout
    assert "错误：数据包未通过校验：签名声明的接收人中没有本机 (the bundle does not verify: the signed recipients do " \
           "not include this vault)" in verify.stderr
    assert "错误：数据包未导入：签名声明的接收人中没有本机 (bundle refused: the signed recipients do not include " \
           "this vault)" in imported.stderr


# ---- every refusal's English half is English ----------------------------------------------------------------

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
READER = ["app/exchange/bundle_import.py", "app/exchange/bundles.py", "app/exchange/bundle_export.py",
          "app/exchange/round_material.py", "app/exchange/round_package.py", "app/exchange/identity.py",
          "exports/bundle_format.py"]
# The English arguments of each message-making call: (zh, en) for refusals, (zh, en, ok, fail_zh, fail_en)
# for a check.
ENGLISH = {"BundleRefused": (1,), "_damaged": (1,), "XunchaError": (1,), "InputRefused": (1,), "Check": (1, 4)}


def _constant_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_constant_text(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _constant_text(node.left) + _constant_text(node.right)
    return ""


def test_the_english_half_of_every_bundle_message_is_english() -> None:
    """"记录 is too large" mixed the languages once: the English half never carries Chinese words."""
    mixed, seen = [], 0
    for rel in READER:
        for node in ast.walk(ast.parse((ROOT / rel).read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            for index in ENGLISH.get(name, ()):
                if len(node.args) > index:
                    seen += 1
                    if CJK.search(_constant_text(node.args[index])):
                        mixed.append(f"{rel}:{node.lineno}")
    assert seen > 100 and not mixed


# ---- hostile input: memory under the stated constant --------------------------------------------------------


def _member(name: str, size: int, chunks: Iterator[bytes] | list[bytes]) -> Iterator[bytes]:
    yield fmt.tar_header(name, size, 0)
    yield from chunks
    yield fmt.padding(size)


def _filler(total: int, line: bytes = b"x") -> Iterator[bytes]:
    piece = line * (MiB // len(line))
    while total > 0:
        yield piece[:total]
        total -= len(piece)


def _hostile(case: str, genuine: bytes) -> Iterator[bytes]:
    """The plaintext tar of each case in docs/bundle-format.md's table, streamed (never whole in memory)."""
    if case == "longer-member":  # a genuine bundle whose record is 256 MiB longer than signed
        with tarfile.open(fileobj=io.BytesIO(genuine), mode="r|") as tar:
            grow = True
            for info in tar:
                data = tar.extractfile(info).read()  # type: ignore[union-attr]
                if grow and "/data/records/" in info.name:
                    extra = 256 * MiB
                    yield from _member(info.name, len(data) + extra, [data[:-1], *_filler(extra, b" "), b"}"])
                    grow = False
                else:
                    yield from _member(info.name, len(data), [data])
        yield b"\0" * 1024
        return
    yield from _member(f"{BAG}/bagit.txt", len(fmt.BAGIT_TXT), [fmt.BAGIT_TXT])
    if case == "sparse":  # 12 GNU sparse members, 10 bytes each that tarfile would expand to 200 MiB
        for n in range(12):
            header = bytearray(fmt.tar_header(f"{BAG}/data/audit-{n}.jsonl", 10, 0))
            real = 200 * MiB
            header[156:157] = b"S"
            header[386:398], header[398:410] = b"%011o\0" % (real - 10), b"%011o\0" % 10
            header[483:495] = b"%011o\0" % real
            header[148:156] = b" " * 8
            header[148:156] = b"%06o\0 " % sum(header)
            yield bytes(header) + b"x" * 10 + fmt.padding(10)
    elif case == "huge-pax":  # a 150 MiB pax header before a tag file
        body = 150 * MiB
        head = tarfile.TarInfo("././@PaxHeader")
        head.size, head.type = body, tarfile.XHDTYPE
        prefix = str(body).encode() + b" comment="
        yield head.tobuf(format=tarfile.USTAR_FORMAT) + prefix
        yield from _filler(body - len(prefix) - 1)
        yield b"\n" + fmt.padding(body)
        yield from _member(f"{BAG}/bag-info.txt", 10, [b"x" * 10])
    else:  # a manifest far over its limit, or one at it (read, hashed and parsed, then found wrong)
        size = 200 * MiB if case == "huge-manifest" else fmt.MAX_MANIFEST
        line = b"0" * 128 + b"  data/records/00000000-0000-4000-8000-000000000000.json\n"
        yield from _member(f"{BAG}/manifest-sha512.txt", size, _filler(size, line))
    yield b"\0" * 1024


def _peak_mib() -> float:
    line = next(x for x in Path("/proc/self/status").read_text().splitlines() if x.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


# (case, what the refusal says, the most the peak may rise in MiB: the doc's constant is 128 for all of them)
HOSTILE = [("sparse", "GNU 扩展成员", 16), ("huge-pax", "扩展头过大", 16),
           ("huge-manifest", "manifest-sha512.txt 过大", 16), ("manifest-at-limit", "缺少 bag-info.txt", 128),
           ("longer-member", "bag-info.txt 与签名内容不符", 16)]


@pytest.mark.slow
@pytest.mark.skipif(not os.access(CLEAR_REFS, os.W_OK) or not PROC_IO.exists(),
                    reason="resetting the peak RSS and counting bytes read are Linux's")
@pytest.mark.parametrize(("case", "said", "rise"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_import_stays_under_the_stated_memory_constant(group: Any, stick: Path, case: str, said: str,
                                                                 rise: int) -> None:
    """docs/bundle-format.md: an import of unsigned input peaks under the process's size plus 128 MiB; every
    case but the manifest at its limit is refused at a header, before its bytes are read."""
    member, leader = group["member"], group["leader"]
    member.records.add("interview", INTERVIEW)
    bundle, _ = member.bundles.export(["王建国"], stick)
    genuine = _decrypt(bundle.path, leader)
    path = stick / f"{case}.age"
    with path.open("wb") as fh:
        writer = age_v1.Writer(fh, [leader.keys.own().age_recipient])
        for part in _hostile(case, genuine):
            writer.write(part)
        writer.close()
    before, size = snapshot(leader), _size_of_vault(leader)
    CLEAR_REFS.write_text("5")  # the peak starts again from the present size
    base, read, written = _peak_mib(), _bytes_read("rchar"), _bytes_read("wchar")
    with pytest.raises(fmt.BundleRefused, match=said):
        leader.bundles.import_(path)
    assert _peak_mib() - base < rise
    # The time is bounded by what is read, whatever the file's size (150 to 512 MiB here): a few chunks
    # for a header refused, the manifest and the chunks around it for the one at its limit.
    assert _bytes_read("rchar") - read < (rise // 2 if rise > 16 else 4) * MiB
    assert _bytes_read("wchar") - written < MiB  # nothing written anywhere, the vault included
    assert snapshot(leader) == before and _size_of_vault(leader) - size < MiB
