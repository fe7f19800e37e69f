"""工作鉴定 / 双向评估: the group's evaluation form fitted to the round's members, tallied from real sheets, and
the leader's appraisal of a member written as a GB/T 9704 document (read back with python-docx and pdftotext)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Mm
from vault_fixtures import PASSWORD

from app.core.domain import Role
from app.core.errors import XunchaError
from app.method.appraisals import FORM_ID
from app.vault.session import Session

APPRAISAL = {
    "member": "张志远", "post": "第一谈话小组组长，负责东坪村、西河村",
    "quality": "发现西河村集体土地流转收入未入账等问题6个，其中问题线索2条，事实清楚、证据扎实。",
    "ability": "谈话准备充分，善于从“三资”台账中发现问题。",
    "discipline": "严格遵守巡察工作纪律，申报回避事项如实。", "summary": "工作扎实，作风过硬。",
    "grade": "excellent", "appraised_on": "2026-10-20", "status": "final",
}
# Five sheets: four rate 张志远 excellent on quality, one competent; one cannot judge his discipline.
SHEETS = [
    {"sheet": f"{n:04d}", "group": "巡察组成员互评", "answers": {
        "zhiliang": {"m1": "youxiu", "m2": "youxiu" if n < 5 else "chengzhi"},
        "nengli": {"m1": "chengzhi", "m2": "chengzhi"},
        "jilv": {"m1": "youxiu", **({"m2": "youxiu"} if n != 3 else {"m2": "buliaojie"})},
    }} for n in range(1, 6)
]


def test_the_form_lists_the_rounds_members_and_tallies_real_sheets(round_session: Session) -> None:
    s = round_session
    result, _ = s.appraisals.import_form()
    assert result.outcome == "new"
    form = s.forms.definition(FORM_ID)
    assert form.kind.value == "evaluation"
    assert [q.label for q in form.questions][:3] == ["发现问题的质量", "工作能力", "纪律作风"]
    assert [i.label for i in form.questions[0].items] == ["王建国", "张志远"]
    s.forms.add_distribution(FORM_ID, "巡察组成员互评", 6, "2026-10-18")
    s.forms.add_responses(FORM_ID, SHEETS)
    tally = s.forms.tally(FORM_ID)
    assert tally.sheets == 5
    sheets, heads = s.appraisals.scores("张志远")
    assert sheets == 5
    assert [(h.head, h.answered, h.average) for h in heads] == [
        ("发现问题的质量", 5, pytest.approx(3.8)), ("工作能力", 5, 3.0), ("纪律作风", 5, 4.0)]
    assert heads[0].counts == {"excellent": 4, "competent": 1, "basic": 0, "not_competent": 0}
    # A member added later: the form is brought up to date as a new version; the sheets stay on theirs.
    s.add_member("刘德胜", Role.LOCAL)
    assert s.appraisals.import_form()[0].outcome == "new_version"
    assert s.appraisals.scores("刘德胜") == (0, [])  # no sheet on the new version yet
    assert s.appraisals.scores("张志远")[0] == 5  # his scores stay those of the sheets entered


def test_only_the_leader_writes_an_appraisal(group: dict[str, Session]) -> None:
    with pytest.raises(XunchaError, match="工作鉴定由组长作出"):
        group["member"].records.add("appraisal", APPRAISAL)
    record, _ = group["leader"].records.add("appraisal", APPRAISAL)
    assert record.number == "鉴-0001" and record.sensitivity.value == "leader_only"
    assert record.title == "张志远的工作鉴定"


def test_the_appraisal_is_a_gbt_9704_document(round_session: Session, tmp_path: Path) -> None:
    s = round_session
    s.appraisals.import_form()
    s.forms.add_distribution(FORM_ID, "巡察组成员互评", 6, "2026-10-18")
    s.forms.add_responses(FORM_ID, SHEETS)
    record, _ = s.records.add("appraisal", APPRAISAL)
    out = tmp_path / "jianding.docx"
    result, _ = s.documents.export(f"appraisal:{record.number}", "docx", out)
    assert result.path == out
    document = docx.Document(str(out))
    section = document.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)  # A4
    text = [p.text for p in document.paragraphs]
    assert "巡察干部工作鉴定表" in text
    assert "一、发现问题的质量" in text and APPRAISAL["quality"] in text
    assert "三、纪律作风" in text and "鉴定等次：优秀。" in text
    assert "五、测评情况" in text
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["姓名", "张志远"] in cells and ["原单位", "云溪县委巡察办"] in cells
    assert ["发现问题的质量", "3.80", "4", "1", "0", "0"] in cells
    assert ["纪律作风", "4.00", "4", "0", "0", "0"] in cells
    pdf = tmp_path / "jianding.pdf"
    s.documents.export(f"appraisal:{record.id}", "pdf", pdf)
    flat = "".join(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                                  check=True).stdout.split())
    assert "巡察干部工作鉴定表" in flat and "2026年10月20日" in flat


def test_without_sheets_the_document_has_no_scores_and_a_paper_is_no_appraisal(round_session: Session,
                                                                              tmp_path: Path) -> None:
    s = round_session
    record, _ = s.records.add("appraisal", {"member": "张志远"})
    out = tmp_path / "a.docx"
    s.documents.export(f"appraisal:{record.number}", "docx", out)
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "五、测评情况" not in text and "鉴定等次：（未定）。" in text
    with pytest.raises(XunchaError, match="appraisal 需要指明记录"):
        s.documents.export("appraisal", "docx", tmp_path / "b.docx")
    interview, _ = s.records.add("review", {"review_type": "documents", "subject": "三资台账"})
    with pytest.raises(XunchaError, match="不是工作鉴定"):
        s.documents.export(f"appraisal:{interview.number}", "docx", tmp_path / "c.docx")
    assert not (tmp_path / "c.docx").exists()


Run = Callable[..., subprocess.CompletedProcess[str]]


def test_the_command_line_imports_the_form_scores_and_writes_the_appraisal(
        round_session: Session, run_cli: Run, tmp_path: Path) -> None:
    vault = round_session.vault.path
    round_session.lock()

    def x(*args: str) -> Any:
        proc = run_cli("--vault", str(vault), *args, env={"XUNCHA_PASSWORD": PASSWORD})
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    assert "已导入“巡察组成员工作测评表”" in x("evaluation", "form")
    sheets = tmp_path / "sheets.json"
    sheets.write_text(json.dumps(SHEETS, ensure_ascii=False), "utf-8")
    x("form", "distribute", FORM_ID, "--group", "巡察组成员互评", "--count", "6", "--date", "2026-10-18")
    x("response", "add", FORM_ID, "--json", str(sheets))
    [zhang] = json.loads(x("evaluation", "scores", "张志远", "--json"))
    assert [h["average"] for h in zhang["heads"]] == [pytest.approx(3.8), 3.0, 4.0]
    note = tmp_path / "appraisal.json"
    note.write_text(json.dumps(APPRAISAL, ensure_ascii=False), "utf-8")
    x("add", "appraisal", "--json", str(note))
    out = tmp_path / "张志远工作鉴定.docx"
    x("report", "appraisal:鉴-0001", "--format", "docx", "--out", str(out))
    assert "鉴定等次：优秀。" in [p.text for p in docx.Document(str(out)).paragraphs]
