"""`session.forms` on a real vault: import and versions, distributions, entry, double entry, flags,
exclusions, tallies and exports read back with their own readers, and what the audit log and the vault
keep (and do not keep) about respondents."""

from __future__ import annotations

import csv
import io
import json
import re
import tarfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from test_bundles import _decrypt
from test_documents import pdf_text
from test_form_definition import SMALL

from app.core.changes import Changes
from app.core.domain import AuditAction
from app.core.errors import XunchaError
from app.questionnaires.forms_service import AnswerError, FormDefinitionError, normalise_sheet_no
from app.vault.session import Session
from forms import loader


@pytest.fixture
def forms(round_session: Session) -> Session:
    round_session.forms.import_definition(loader.load(SMALL))
    return round_session


def test_import_same_changed_and_versioned(round_session: Session, tmp_path: Path) -> None:
    svc = round_session.forms
    path = tmp_path / "small.json"
    path.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    result, changes = svc.import_file(path)
    assert (result.outcome, result.form.version, changes) == ("new", 1, Changes.FORMS | Changes.AUDIT)
    result, changes = svc.import_file(path)
    assert (result.outcome, changes) == ("unchanged", Changes.NONE)
    edited = dict(SMALL, title="小问卷（修订）")
    path.write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    result, _ = svc.import_file(path)  # no sheets yet: the version is replaced
    assert (result.outcome, result.form.version) == ("replaced", 1)
    svc.add_response("small", "1", {"q1": "n"})
    edited = dict(SMALL, title="小问卷（第二次修订）")
    result, _ = svc.import_definition(loader.load(edited))
    assert (result.outcome, result.form.version) == ("new_version", 2)
    assert "已录入的答卷仍属原版本" in result.zh
    infos = svc.forms()
    assert [(f.version, f.responses, f.latest) for f in infos] == [(1, 1, False), (2, 0, True)]
    assert svc.response("small", "1").version == 1
    assert svc.definition("small", 1).title == "小问卷（修订）"
    svc.add_response("small", "2", {"q1": "y"})
    assert svc.response("small", "2").version == 2
    assert svc.tally("small", 1).sheets == 1 and svc.tally("small").sheets == 1
    actions = [e for e in round_session.audit_entries() if e.action == AuditAction.FORM_IMPORT]
    assert [e.detail["outcome"] for e in actions] == ["new", "replaced", "new_version"]


def test_a_broken_file_is_refused_naming_the_place(round_session: Session, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(dict(SMALL, version="one")), encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        round_session.forms.import_file(path)
    assert "bad.json" in caught.value.zh and "version" in caught.value.zh
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(XunchaError, match="既不是"):
        round_session.forms.import_file(path)
    assert round_session.forms.forms() == []


def test_sheet_numbers() -> None:
    assert normalise_sheet_no("12") == normalise_sheet_no("0012") == "0012"
    assert normalise_sheet_no(" a-3 ") == "A-3"
    for bad in ("", "1 2", "x" * 21, "张三"):
        with pytest.raises(XunchaError):
            normalise_sheet_no(bad)


def test_entry_refuses_what_the_sheet_cannot_hold_and_keeps_nothing(forms: Session) -> None:
    svc = forms.forms
    with pytest.raises(AnswerError, match="不在可选范围内"):
        svc.add_response("small", "1", {"q1": "maybe"})
    with pytest.raises(XunchaError, match="第 2 张答卷"):
        svc.add_responses("small", [{"sheet": "1", "answers": {"q1": "y"}}, {"sheet": "2", "answers": {"q3": "x"}}])
    assert svc.responses("small") == []
    svc.add_response("small", "1", {"q1": "y"})
    with pytest.raises(XunchaError, match="已录入过"):
        svc.add_response("small", "001", {"q1": "n"})
    with pytest.raises(XunchaError, match="没有发放给"):
        svc.add_response("small", "2", {}, group="村干部")
    with pytest.raises(XunchaError, match="本轮没有表单"):
        svc.add_response("nope", "2", {})
    assert svc.next_sheet_no("small") == "0002"


def test_entry_keeps_soft_issues_and_they_are_flagged(forms: Session) -> None:
    svc = forms.forms
    response, issues, _ = svc.add_response("small", "5", {"q3": 7})
    assert [i.kind for i in issues] == ["required", "constraint"]
    assert response.answers == {"q3": 7}
    kinds = {f.kind for f in svc.flags("small")}
    assert kinds == {"out_of_constraint", "mostly_blank"}
    svc.add_response("small", "b-12", {"q1": "y"})
    assert svc.next_sheet_no("small") == "0006"  # numbered sheets go on; B-12 is not a number


def test_distribution_and_response_rate(forms: Session) -> None:
    svc = forms.forms
    d, _ = svc.add_distribution("small", "镇机关干部", 4, "2026-09-01")
    svc.add_distribution("small", "村干部", 2, "2026-09-02")
    svc.add_responses("small", [{"sheet": str(n), "group": "镇机关干部", "answers": {"q1": "y"}} for n in (1, 2, 3)])
    rows = svc.distributions("small")
    assert [(r.group, r.handed_out, r.returned, r.rate) for r in rows] == [("镇机关干部", 4, 3, 75.0),
                                                                          ("村干部", 2, 0, 0.0)]
    assert d.id == rows[0].id
    for bad in ((" ", 3, "2026-09-01"), ("x", 0, "2026-09-01"), ("x", 3, "9/1")):
        with pytest.raises(XunchaError):
            svc.add_distribution("small", *bad)
    tab = svc.crosstab("small", "q1")
    assert tab.rows == ["镇机关干部"] and tab.counts == [[3, 0]]


def test_double_entry_shows_differences_and_resolves(forms: Session) -> None:
    svc = forms.forms
    first = {"q1": "y", "q2": ["a", "b"], "q4": {"i1": "h", "i2": "c"}}
    svc.add_response("small", "7", first)
    differences, _ = svc.second_entry("small", "7", {"q1": "y", "q2": ["b", "a"], "q4": {"i1": "h", "i2": "c"}})
    assert differences == [] and svc.response("small", "7").check == "match"
    differences, _ = svc.second_entry("small", "7", {"q1": "y", "q2": ["a"], "q4": {"i1": "c", "i2": "c"}})
    assert [(d.question, d.item, d.first, d.second) for d in differences] == [
        ("q2", None, ["a", "b"], ["a"]), ("q4", "i1", "h", "c")]
    assert differences[1].label == "评价：一"
    assert (differences[0].first_text, differences[0].second_text) == ("1 甲、2 乙", "1 甲")
    assert (differences[1].first_text, differences[1].second_text) == ("1 好", "2 差")
    assert svc.response("small", "7").check == "differs"
    assert svc.response("small", "7").answers == first  # unchanged until resolved
    svc.resolve("small", "7", {"q1": "y", "q2": ["a"], "q4": {"i1": "h", "i2": "c"}})
    after = svc.response("small", "7")
    assert after.answers["q2"] == ["a"] and after.check == "resolved"
    assert svc.differences("small", "7") == []


def test_settling_keeps_the_chosen_entry_for_each_difference_down_to_a_matrix_row(forms: Session) -> None:
    svc = forms.forms
    svc.add_response("small", "8", {"q1": "y", "q2": ["a", "b"], "q4": {"i1": "h", "i2": "c"}})
    svc.second_entry("small", "8", {"q1": "y", "q2": ["a"], "q4": {"i1": "c"}})
    keys = [(d.question, d.item) for d in svc.differences("small", "8")]
    assert keys == [("q2", None), ("q4", "i1"), ("q4", "i2")]
    with pytest.raises(XunchaError, match="选定保留"):  # every difference needs a choice; nothing is written
        svc.settle("small", "8", {("q2", None): "second"})
    assert svc.response("small", "8").check == "differs"
    changes = svc.settle("small", "8", {("q2", None): "second", ("q4", "i1"): "first", ("q4", "i2"): "second"})
    after = svc.response("small", "8")
    # q2 from the second entry, matrix row i1 from the first, row i2 blank in the second: gone; q1 agreed.
    assert after.answers == {"q1": "y", "q2": ["a"], "q4": {"i1": "h"}}
    assert after.check == "resolved" and changes == Changes.FORMS | Changes.AUDIT
    assert svc.differences("small", "8") == []
    with pytest.raises(XunchaError, match="没有不一致"):
        svc.settle("small", "8", {})


def test_exclusion_needs_a_reason_and_leaves_the_tally(forms: Session) -> None:
    svc = forms.forms
    svc.add_responses("small", [{"sheet": str(n), "answers": {"q1": "y" if n < 3 else "n"}} for n in range(1, 5)])
    with pytest.raises(XunchaError, match="理由"):
        svc.exclude("small", "1", "  ")
    svc.exclude("small", "1", "一勾到底")
    result = svc.tally("small")
    assert result.sheets == 3 and result.question("q1").options[0].count == 1
    assert svc.tally("small", include_excluded=True).sheets == 4
    assert svc.response("small", "1").excluded == "一勾到底"
    svc.include("small", "1")
    assert svc.tally("small").sheets == 4
    with pytest.raises(XunchaError, match="未被剔除"):
        svc.include("small", "1")
    logged = [(e.action, e.detail) for e in forms.audit_entries()
              if e.action in (AuditAction.RESPONSE_EXCLUDE, AuditAction.RESPONSE_INCLUDE)]
    assert logged == [(AuditAction.RESPONSE_EXCLUDE, {"sheet": "0001", "reason": "一勾到底"}),
                      (AuditAction.RESPONSE_INCLUDE, {"sheet": "0001"})]


def test_the_audit_log_names_sheets_never_answers(forms: Session) -> None:
    svc = forms.forms
    svc.add_response("small", "3", {"q1": "y", "q6": "书记的亲戚吃低保"})
    svc.update_response("small", "3", {"q1": "y", "q6": "书记的亲戚吃低保，已核实"})
    svc.second_entry("small", "3", {"q1": "y", "q6": "书记的亲戚吃低保，已核实"})
    svc.delete_response("small", "3")
    svc.close_entry_days(date.today() + timedelta(days=1))  # the day is over
    entries = [e for e in forms.audit_entries() if str(e.action).startswith("response.")]
    # Changing and deleting name the sheet; entering and entering again are counted for the day.
    assert [(e.action, e.detail) for e in entries] == [
        (AuditAction.RESPONSE_EDIT, {"sheet": "0003"}), (AuditAction.RESPONSE_DELETE, {"sheet": "0003"}),
        (AuditAction.RESPONSE_ADD, {"day": date.today().isoformat(), "sheets": 1}),
        (AuditAction.RESPONSE_CHECK, {"day": date.today().isoformat(), "sheets": 1})]
    assert "低保" not in json.dumps([e.detail for e in forms.audit_entries()], ensure_ascii=False)


def test_no_sheet_is_ordered_in_time_finer_than_the_day(group: dict[str, Session], stick: Path) -> None:
    """Sheets entered one by one through the day: the log, the vault and a bundle hold the day and the
    count, never which sheet came when."""
    member, leader = group["member"], group["leader"]
    member.forms.import_definition(loader.load(SMALL))
    for sheet in ("7", "2", "9", "4"):  # entered in this order, at different moments
        member.forms.add_response("small", sheet, {"q1": "y"})
    member.forms.second_entry("small", "9", {"q1": "y"})
    today = date.today().isoformat()
    sheet_entries = [e for e in member.audit_entries() if e.action in (AuditAction.RESPONSE_ADD,
                                                                        AuditAction.RESPONSE_CHECK)]
    assert sheet_entries == []  # the day is not over: nothing logged yet, only counted
    member.forms.close_entry_days(date.today() + timedelta(days=1))
    member.forms.close_entry_days(date.today() + timedelta(days=2))  # a day is logged once
    logged = [(e.action, e.target, e.detail) for e in member.audit_entries()
              if e.action in (AuditAction.RESPONSE_ADD, AuditAction.RESPONSE_CHECK)]
    assert logged == [(AuditAction.RESPONSE_ADD, "form:small", {"day": today, "sheets": 4}),
                      (AuditAction.RESPONSE_CHECK, "form:small", {"day": today, "sheets": 1})]

    # The vault: the day only, and sheets read by number.
    conn = member.vault.conn
    days = conn.execute("SELECT entered_on FROM form_responses UNION SELECT entered_on FROM form_second_entries")
    assert {d for (d,) in days} == {today}
    assert [s.sheet_no for s in member.forms.responses("small")] == ["0002", "0004", "0007", "0009"]

    # The bundle: its material lists the sheets by number, with the day; its audit lines carry the counts.
    bundle, _ = member.bundles.export(["王建国"], stick)
    with tarfile.open(fileobj=io.BytesIO(_decrypt(bundle.path, leader))) as tar:
        files = {m.name.partition("/")[2]: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]
    material = json.loads(files["data/material.json"])
    sheets = [s for s in material["forms"]["responses"] if s["form_id"] == "small"]
    assert [s["sheet_no"] for s in sheets] == ["0002", "0004", "0007", "0009"]
    assert not re.search(r"\d{2}:\d{2}", json.dumps(sheets)), sheets
    audit_lines = [json.loads(line) for line in files["data/audit.jsonl"].splitlines()]  # [seq, ts, actor, ...]
    assert not [a for a in audit_lines if a[3].startswith("response.") and "sheet" in json.loads(a[5])]


def test_nothing_identifying_a_respondent_is_stored(forms: Session) -> None:
    conn = forms.vault.conn
    columns = {row[1] for row in conn.execute("PRAGMA table_info(form_responses)")}
    assert columns == {"id", "round_id", "form_id", "definition_id", "distribution_id", "sheet_no", "answers",
                       "entered_on"}
    forms.forms.add_response("small", "1", {"q1": "y"})
    entered_on = conn.execute("SELECT entered_on FROM form_responses").fetchone()[0]
    assert len(entered_on) == 10  # the day, not the time


def test_exports_read_back(forms: Session, tmp_path: Path) -> None:
    from docx import Document

    svc = forms.forms
    svc.add_distribution("small", "镇机关干部", 5, "2026-09-01")
    svc.add_responses("small", [
        {"sheet": "1", "group": "镇机关干部", "answers": {"q1": "y", "q4": {"i1": "h", "i2": "c"}}},
        {"sheet": "2", "group": "镇机关干部", "answers": {"q1": "n", "q4": {"i1": "h", "i2": "h"}}},
    ])
    docs = forms.documents
    result, _ = docs.export("tally:small", "csv", tmp_path / "t.csv", recipient="组务会")
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == ["小问卷统计结果"]
    assert rows[1][0] == f"编号：{result.number}" and "王建国 → 组务会" in rows[1][1]  # who sent it to whom
    assert ["是", "1", "50.0"] in rows and ["否", "1", "50.0"] in rows
    header = rows.index(["评价项目", "好（票）", "差（票）", "好（%）", "差（%）", "有效票", "平均分"])
    assert rows[header + 1] == ["一", "2", "0", "100.0", "0.0", "2", "2"]
    assert any("回收率 40.0%" in r[0] for r in rows if r)
    assert (tmp_path / "t.csv").stat().st_mode & 0o777 == 0o600  # work material: owner only
    docs.export("tally:small", "docx", tmp_path / "t.docx")
    document = Document(str(tmp_path / "t.docx"))
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    assert ["一", "2", "0", "100.0", "0.0", "2", "2"] in cells
    docs.export("tally:small", "pdf", tmp_path / "t.pdf")
    text = pdf_text(tmp_path / "t.pdf")  # without white space: the watermark crosses the lines
    assert "小问卷" in text and "回收率" in text
    assert "100%" in text and "1（50.0%）" in text  # the charts' labels: a stacked bar and a plain one
    with pytest.raises(XunchaError, match="不支持的导出格式"):
        docs.export("tally:small", "xls", tmp_path / "t.xls")
    with pytest.raises(XunchaError, match="CSV 只用于问卷统计"):
        docs.export("issues", "csv", tmp_path / "issues.csv")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(("t.", ".t"))) == ["t.csv", "t.docx",
                                                                                              "t.pdf"]
    # Each one numbered in the export register, with its audit entry, as every document.
    assert [(row[1], row[2], row[3]) for row in docs.exported()] == [
        ("tally", "csv", "组务会"), ("tally", "docx", "王建国"), ("tally", "pdf", "王建国")]
    exports = [e.detail for e in forms.audit_entries() if e.action == AuditAction.EXPORT]
    assert [d["format"] for d in exports] == ["csv", "docx", "pdf"]


def test_export_to_a_place_that_cannot_be_written_says_why(forms: Session, tmp_path: Path) -> None:
    with pytest.raises(XunchaError, match="输出文件夹不存在"):
        forms.documents.export("tally:small", "csv", tmp_path / "no-such-folder" / "t.csv")
    target = tmp_path / "t.csv"
    target.mkdir()  # a folder in the way
    with pytest.raises(XunchaError, match="文件夹"):
        forms.documents.export("tally:small", "csv", target, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "t.csv"]


def test_demo_forms(round_session: Session) -> None:
    from app.demo import sheets as demo_forms

    demo_forms.fill(round_session)
    infos = {f.form_id: f for f in round_session.forms.forms()}
    assert infos["mzcp-banzi"].responses == 112
    flags: dict[str, Any] = {}
    for f in round_session.forms.flags("mzcp-banzi"):
        flags.setdefault(f.kind, []).append(f.sheet_no)
    assert len(flags["straight_line"]) == 7 and len(flags["duplicate"]) == 2 and flags["mostly_blank"]
    rates = [d.rate for d in round_session.forms.distributions("mzcp-banzi")]
    assert rates[0] == 100.0 and all(50 < r <= 100 for r in rates)
    demo_forms.fill(round_session)  # again: nothing doubled
    assert round_session.forms.forms()[0].responses == infos[round_session.forms.forms()[0].form_id].responses
