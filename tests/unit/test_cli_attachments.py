"""`xuncha attach | attachments` as real processes: what was stored is printed; a refusal stores nothing."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from attachment_files import TEXT, encode, pdf, photo, quadrants
from capture_data import REVIEW
from vault_fixtures import PASSWORD

from app.vault.session import Session

Cli = Callable[..., subprocess.CompletedProcess[str]]
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def record_id(round_session: Session) -> str:
    record, _ = round_session.records.add("review", REVIEW)
    round_session.lock()
    return record.id


@pytest.fixture
def x(run_cli: Cli, vault_path: Path, record_id: str) -> Cli:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault_path), *args, env={"XUNCHA_PASSWORD": PASSWORD})

    return run


def listed(x: Cli, record_id: str) -> list[dict[str, Any]]:
    proc = x("attachments", record_id, "--json")
    assert proc.returncode == 0, proc.stderr
    result: list[dict[str, Any]] = json.loads(proc.stdout)
    return result


def one_line_error(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：") and "Traceback" not in proc.stderr
    assert CJK.search(lines[0]) and re.search(r"[A-Za-z]{4,}", lines[0])
    for fragment in fragments:
        assert fragment in lines[0]


def test_attach_prints_what_was_stored_and_lists_it(x: Cli, record_id: str, tmp_path: Path) -> None:
    big = tmp_path / "台账第01页.jpg"
    big.write_bytes(encode(quadrants(4000, 3000), "JPEG"))
    small = tmp_path / "举报信.png"
    small.write_bytes(encode(quadrants(400, 300), "PNG"))
    letter = tmp_path / "复印件.pdf"
    letter.write_bytes(pdf(padding=3000))

    proc = x("attach", record_id, str(big), str(small), str(letter))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 3
    assert "台账第01页.jpg → image/jpeg 3000×2250" in lines[0] and "已缩小 / downscaled" in lines[0]
    assert "举报信.png → image/png 400×300" in lines[1] and "未缩小 / not downscaled" in lines[1]
    assert "复印件.pdf → application/pdf" in lines[2] and "原样保存 / stored as given" in lines[2]

    found = listed(x, record_id)
    assert [a["filename"] for a in found] == ["台账第01页.jpg", "举报信.png", "复印件.pdf"]
    assert [a["id"] for a in found] == [line.rsplit(maxsplit=1)[-1] for line in lines]
    first = found[0]
    assert (first["media_type"], first["width"], first["height"], first["downscaled"]) == ("image/jpeg", 3000, 2250,
                                                                                           True)
    assert first["record_id"] == record_id and first["stored_name"] == "台账第01页.jpg"
    assert re.fullmatch(r"[0-9a-f]{64}", first["sha256"]) and first["byte_size"] < first["original_size"]
    assert found[2]["width"] is None and found[2]["byte_size"] == letter.stat().st_size

    proc = x("attachments", record_id)
    assert proc.returncode == 0 and len(proc.stdout.strip().splitlines()) == 3
    assert "3000×2250" in proc.stdout


def test_a_refused_file_stores_none_of_the_batch(x: Cli, record_id: str, tmp_path: Path) -> None:
    good, bad = tmp_path / "第1页.jpg", tmp_path / "第2页.jpg"
    good.write_bytes(photo())
    bad.write_bytes(TEXT)
    one_line_error(x("attach", record_id, str(good), str(bad)), "“第2页.jpg”未添加", "文本文件", "text file")
    one_line_error(x("attach", record_id, str(tmp_path / "没有这个文件.jpg")), "找不到该文件", "not found")
    assert listed(x, record_id) == []


def test_a_wrong_record_is_refused(x: Cli, tmp_path: Path) -> None:
    path = tmp_path / "a.jpg"
    path.write_bytes(photo())
    one_line_error(x("attach", "no-such-record", str(path)), "找不到该记录", "no such record")
    one_line_error(x("attachments", "no-such-record", "--json"), "找不到该记录")


@pytest.mark.parametrize("args", [["attach"], ["attach", "some-record"], ["attachments"]])
def test_usage_errors_exit_2(x: Cli, args: list[str]) -> None:
    proc = x(*args)
    assert proc.returncode == 2 and "usage:" in proc.stderr
