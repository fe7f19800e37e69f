"""`xuncha report | compile | lead | unmask | exports` as real processes."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from documents_data import LEAD_PERSON, PETITIONER, compile_round
from vault_fixtures import PASSWORD, ROOT, cli_env

from app.vault.session import Session

Cli = Callable[..., subprocess.CompletedProcess[str]]
ENV = {"XUNCHA_PASSWORD": PASSWORD}


@pytest.fixture
def vault(round_session: Session, vault_path: Path) -> Path:
    compile_round(round_session)
    round_session.lock()
    return vault_path


@pytest.fixture
def x(run_cli: Cli, vault: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    def run(*args: str, input: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault), *args, env={**ENV, **env}, input=input)

    return run


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_report_writes_a_masked_document_for_a_recipient(x: Cli, tmp_path: Path) -> None:
    out = tmp_path / "清单.docx"
    said = ok(x("report", "petitions", "--format", "docx", "--out", str(out), "--recipient", "组务会"))
    assert "2026-3-0001" in said and "已隐去" in said
    text = "\n".join(c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells)
    assert PETITIONER not in text and LEAD_PERSON not in text and "某某（编号" in text
    ref = text.split("某某（编号")[1][:4]
    assert ok(x("unmask", ref)).strip() in (PETITIONER, LEAD_PERSON)
    register = json.loads(ok(x("exports", "--json")))
    assert register[0]["recipient"] == "组务会" and register[0]["masked"] == 1


def test_compile_and_lead_commands(x: Cli, tmp_path: Path) -> None:
    issues = json.loads(ok(x("compile", "list", "--json")))
    numbers = [i["number"] for i in issues]
    ok(x("compile", "merge", numbers[1], numbers[2]))
    ok(x("compile", "mark", numbers[1], "--fix"))
    merged = {i["number"]: i for i in json.loads(ok(x("compile", "list", "--json")))}
    assert merged[numbers[1]]["merged"] == [numbers[2]] and merged[numbers[1]]["immediate"]
    ok(x("lead", "add", "--json", "-", input=json.dumps({"person": "孙德明", "post": "西河村会计",
                                                         "facts": "私存集体收入", "receiver": "jw"})))
    jump = x("lead", "update", "线-0002", "--json", "-", input='{"status": "approved"}')
    assert jump.returncode == 1 and "下一步应为“组务会已研究”" in jump.stderr  # one step at a time
    refused = x("lead", "update", "线-0002", "--json", "-", input='{"status": "discussed"}')
    assert refused.returncode == 1 and "请先在组务会纪要中记录对这条线索的决定" in refused.stderr
    added = next(lead for lead in json.loads(ok(x("lead", "list", "--json"))) if lead["number"] == "线-0002")
    ok(x("add", "minute", "--json", "-", input=json.dumps({
        "held_at": "2026-09-20T19:30", "present": ["王建国"], "agenda": ["研究问题线索"],
        "decisions": [{"target": added["id"], "decision": "拟移交纪委监委"}]})))
    for status in ("discussed", "proposed", "approved"):
        ok(x("lead", "update", "线-0002", "--json", "-", input=json.dumps({"status": status})))
    leads = json.loads(ok(x("lead", "list", "--json")))
    assert [lead["number"] for lead in leads] == ["线-0001", "线-0002"] and leads[1]["approved_by"] == "王建国"
    ok(x("lead", "grant", "李明华"))
    assert ok(x("lead", "grants")).split() == ["李明华"]
    out = tmp_path / "fixes.pdf"
    ok(x("report", "fixes", "--format", "pdf", "--out", str(out)))
    assert out.read_bytes().startswith(b"%PDF")


def test_report_refusals_are_one_line_and_leave_nothing(x: Cli, tmp_path: Path) -> None:
    for args, words in (
        (("tally:民主测评",), "民主测评"), (("memo",), "没有这种文书"), (("paper",), "需要指明记录"),
    ):
        proc = x("report", *args, "--format", "pdf", "--out", str(tmp_path / "o.pdf"))
        assert proc.returncode == 1 and words in proc.stderr and "Traceback" not in proc.stderr
    proc = x("report", "issues", "--format", "pdf", "--out", str(tmp_path / "o.pdf"), XUNCHA_FONT_DIRS=str(tmp_path))
    assert proc.returncode == 1 and "找不到可嵌入 PDF 的中文 TrueType 字体" in proc.stderr
    proc = x("lead", "add", "--json", "-", input='{"post": "会计"}')
    assert proc.returncode == 1 and "被反映人" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "home"]  # the vault's, the CLI's home


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead of killing us
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_leaves_no_half_written_document(vault: Path, tmp_path: Path) -> None:
    """The document does not fit (RLIMIT_FSIZE, as on a full stick): a clear message, no file at all, and
    the export is not in the register."""
    out_dir = tmp_path / "stick"
    out_dir.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "--vault", str(vault), "report", "paper:底-0001", "--format", "pdf",
         "--out", str(out_dir / "底稿.pdf")],
        cwd=ROOT, env=cli_env(home, **ENV), capture_output=True, text=True, stdin=subprocess.DEVNULL,
        preexec_fn=_limit_file_size(40_000), timeout=120,
    )
    assert proc.returncode == 8, proc.stderr  # disk full's own exit code
    assert "磁盘空间不足" in proc.stderr and "Traceback" not in proc.stderr
    assert list(out_dir.iterdir()) == []
    session = Session.unlock(vault, PASSWORD)
    try:
        assert session.documents.exported() == []
    finally:
        session.lock()
