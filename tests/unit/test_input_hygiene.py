"""Input hygiene (app/core/inputs.py) wherever input arrives: the record and answer validation the editors,
the command line and the bundle importer share, the command line's JSON and arguments, and what it prints.

Each input issue 17 lists has its test here: a lone surrogate, invalid UTF-8 on standard input, a
5,000-digit number, JSON nested 100,000 deep, NUL, ESC, BEL and U+202E refused when stored and neutralised
when shown, a date-time with a zone, a duplicate JSON key. (The 79-megapixel PNG is in
test_attachment_intake.py; random input in tests/faults/test_fuzzed_input.py.)
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from capture_data import INTERVIEW, PAPER, PETITION
from test_form_definition import SMALL
from vault_fixtures import PASSWORD

from app.core import inputs
from app.core.errors import XunchaError
from app.core.inputs import InputRefused, parse_json
from app.core.kinds import KINDS, check_incoming
from app.core.kinds.fields import ValidationError
from app.demo import scenario
from app.vault.session import Session
from forms import answers, loader
from storage import record_repo

Cli = Callable[..., subprocess.CompletedProcess[str]]

# What a terminal must never receive raw, and what it shows instead.
HOSTILE = {"NUL": "\x00", "ESC": "\x1b", "BEL": "\x07", "U+202E": "\u202e", "DEL": "\x7f", "CSI (C1)": "\x9b",
           "U+2066": "\u2066", "lone surrogate": "\ud800"}
SHOWN = {"\x00": "\\x00", "\x1b": "\\x1b", "\x07": "\\x07", "\u202e": "\\u202e", "\x7f": "\\x7f", "\x9b": "\\x9b",
         "\u2066": "\\u2066", "\ud800": "\\ud800"}


# ---- JSON ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "fragment"), [
    ('{"summary": "a", "summary": "b"}', "键“summary”出现了不止一次"),
    ('{"amount": ' + "9" * 5000 + "}", "“amount”的数字过长"),
    ('[[{"amount": [1, -' + "1" * 5000 + "]}]]", "“amount”的数字过长"),
    ("9" * 5000, "数字过长"),
    ("[" * 100_000 + "]" * 100_000, "嵌套过深"),
    ('{"a": ' * 100_000 + "1" + "}" * 100_000, "嵌套过深"),
    ('{"amount": NaN}', "不允许 NaN"),
    ('{"amount": -Infinity}', "不允许 -Infinity"),
    ('{"amount": 1e999}', "数字过长或超出范围"),
    ("{not json", "JSON 格式错误：第 1 行第 2 列"),
])
def test_json_beyond_its_bounds_is_refused_in_chinese(text: str, fragment: str) -> None:
    with pytest.raises(InputRefused) as caught:
        parse_json(text)
    assert fragment in caught.value.zh and caught.value.en


def test_json_bytes_size_and_depth_limits() -> None:
    with pytest.raises(InputRefused, match="不是有效的 UTF-8"):
        parse_json(b'{"a": "\xff"}')
    with pytest.raises(InputRefused, match="JSON 过大"):
        parse_json(b"[" + b"1," * 600_000 + b"1]", max_bytes=1024 * 1024)
    assert parse_json("[" * 64 + "]" * 64) is not None
    with pytest.raises(InputRefused):
        parse_json("[" * 65 + "]" * 65)
    # Brackets inside strings are text, not nesting; escaped quotes do not end a string.
    assert parse_json(json.dumps({"a": "[" * 1000 + '\\"{' * 100})) == {"a": "[" * 1000 + '\\"{' * 100}


def test_json_within_bounds_parses_as_json_does() -> None:
    doc = {"summary": "反映\t低保\n问题", "amount": 126000.5, "n": -12, "big": 10**39, "list": [None, True, {}]}
    assert parse_json(json.dumps(doc, ensure_ascii=False)) == doc
    assert parse_json(json.dumps(doc).encode()) == doc


# ---- text ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(HOSTILE))
def test_display_neutralises_and_json_output_escapes(name: str) -> None:
    ch = HOSTILE[name]
    assert inputs.displayable(f"前{ch}后\n\t") == f"前{SHOWN[ch]}后\n\t"
    out = inputs.json_for_terminal({"s": f"前{ch}后"})
    assert ch not in out and json.loads(out) == {"s": f"前{ch}后"}
    out.encode("utf-8")  # a lone surrogate would not encode


# ---- records, as the editors, the command line and the importer validate them -------------------------


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_record_with_a_hostile_character_is_refused_naming_the_field(round_session: Session, name: str) -> None:
    ch = HOSTILE[name]
    records = round_session.records
    cases = [("petition", {**PETITION, "summary": f"反映{ch}低保"}, "summary", "反映的主要问题"),
             ("petition", {**PETITION, "reported_person": f"钱{ch}国平"}, "reported_person", "被反映人"),
             ("petition", {**PETITION, "petitioner_contact": f"139{ch}"}, "petitioner_contact", "信访人联系方式"),
             ("interview", {**INTERVIEW, "problems": ["工程拆分", f"截留{ch}"]}, "problems", "反映的问题")]
    for kind, data, field, label in cases:
        with pytest.raises(ValidationError) as caught:
            records.add(kind, data)
        error = caught.value.for_field(field)
        assert error is not None and error.label == label
        assert caught.value.zh.startswith(f"“{label}”")
        assert any(word in error.zh for word in ("控制字符", "双向文字控制符", "无效的 Unicode"))
        assert f"U+{ord(ch):04X}" in error.zh and ch not in caught.value.zh
    assert records.list_ids("petition") == [] and records.list_ids("interview") == []


def test_tabs_newlines_and_windows_line_ends_are_kept(round_session: Session) -> None:
    record, _ = round_session.records.add("petition", {**PETITION, "summary": "第一段\r\n第二段\r第三段\t完"})
    assert record.body["summary"] == "第一段\n第二段\n第三段\t完"
    with pytest.raises(ValidationError, match="应为一行文字"):
        round_session.records.add("petition", {**PETITION, "reported_person": "钱国平\r\n孙德明"})


@pytest.mark.parametrize(("given", "stored"), [
    ("2026-09-06T06:30Z", "2026-09-06T14:30"),  # UTC: eight hours later in China
    ("2026-09-06T06:30+00:00", "2026-09-06T14:30"),
    ("2026-09-06T22:30-05:00", "2026-09-07T11:30"),  # across midnight
    ("2026-09-06T06:30+08:00", "2026-09-06T06:30"),  # China Standard Time already
    ("2026-09-06T06:30", "2026-09-06T06:30"),  # no zone: as written
    ("2026-09-06 06:30:45", "2026-09-06T06:30"),
])
def test_a_date_time_with_a_zone_is_converted_to_china_time_never_stripped(
        round_session: Session, given: str, stored: str) -> None:
    record, _ = round_session.records.add("petition", {**PETITION, "received_at": given})
    assert record.body["received_at"] == stored
    assert record.occurred_on == stored


def test_a_date_with_a_zone_is_refused(round_session: Session) -> None:
    with pytest.raises(ValidationError, match="办理期限"):
        round_session.records.add("petition", {**PETITION, "due_on": "2026-09-20T00:00Z"})


@pytest.mark.parametrize("amount", [10**5000, -(10**5000), 10**13, float("inf"), float("nan"), -1],
                         ids=["5000-digits", "minus-5000-digits", "1e13", "inf", "nan", "negative"])
def test_an_amount_out_of_range_is_refused_before_any_conversion(round_session: Session, amount: Any) -> None:
    """A Python int of 5,000 digits (what a caller in the app could hand over) is compared, never converted:
    math.isfinite() of it would raise OverflowError."""
    with pytest.raises(ValidationError) as caught:
        round_session.records.add("paper", {**PAPER, "amount": amount})
    assert caught.value.for_field("amount") is not None and "涉及金额（元）" in caught.value.zh


# ---- questionnaire answers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "fragment"), [
    ({"q1": "y", "q6": "很好\x1b[2J"}, "控制字符 U+001B"),
    ({"q1": "y", "q6": "很好\u202e"}, "双向文字控制符"),
    ({"q1": "y", "q6": "\udc80"}, "孤立的代理项"),
    ({"q1": "y", "q6": 10**5000}, "数字超出范围"),
    ({"q1": "y", "q3": 10**5000}, "数字超出范围"),
    ({"q1": "y", "q3": "9" * 5000}, "数字过长"),
    ({"q1": "y", "q3": 1e300}, "数字超出范围"),
    ({"q1": "y\x07"}, "\\x07"),
    ({"q1": "y", "q4": {"i\x1b": "h"}}, "\\x1b"),
])
def test_an_answer_that_is_not_clean_is_refused_naming_the_question(raw: dict[str, Any], fragment: str) -> None:
    form = loader.load(SMALL)
    with pytest.raises(answers.AnswerError) as caught:
        answers.check(form, raw)
    assert fragment in caught.value.zh
    assert not any(ch in caught.value.zh for ch in HOSTILE.values())


def test_a_form_definition_with_a_hostile_label_is_refused() -> None:
    text = json.dumps({**SMALL, "title": "小问卷\u202e"})
    with pytest.raises(loader.FormDefinitionError, match="双向文字控制符"):
        loader.loads(text)
    with pytest.raises(loader.FormDefinitionError, match="出现了不止一次"):
        loader.loads('{"id": "a", "id": "b"}')


# ---- a record from another laptop (what the bundle importer calls) --------------------------------------


def test_every_record_this_app_saves_passes_the_importers_check(session: Session) -> None:
    """The demo round's records, moved through their workflows (final notes, signed papers, status and
    reviewers in the body), pass check_incoming as they are stored: the check refuses nothing the app
    writes."""
    scenario.fill(session, 3)
    ids = [i for kind in KINDS for i in session.records.list_ids(kind)]
    assert len(ids) >= 12
    for record_id in ids:
        record = session.records.get(record_id)
        check_incoming(record.kind, record.body, {"petitioner_name": "周秀英"} if record.kind == "petition" else {})


@pytest.mark.parametrize(("kind", "body", "fragment"), [
    ("petition", {**PETITION, "summary": "反映\x1b[31m"}, "“反映的主要问题”"),
    ("petition", {**PETITION, "received_at": "2026-09-06T06:30Z"}, "不是本软件保存的格式"),
    ("paper", {**PAPER, "amount": 10**5000}, "“涉及金额（元）”"),
    ("paper", {**PAPER, "amount": "126000"}, "涉及金额"),
    ("paper", {**PAPER, "checked_by": "张\u202e志远"}, "“checked_by”"),
    ("paper", {**PAPER, "status": ["\ud800"]}, "孤立的代理项"),
    ("paper", {**PAPER, "revision_note": 10**20}, "数字超出范围"),
    ("interview", {**INTERVIEW, "lead_raised": "yes"}, "谈出问题线索"),
])
def test_the_importers_check_refuses_what_no_editor_saves(kind: str, body: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_incoming(kind, body)
    assert fragment in caught.value.zh


def test_the_importers_check_lets_other_versions_through_and_checks_protected_values() -> None:
    check_incoming("petition", {**PETITION, "channel": "wechat_mini_app", "category": "9.9", "status": "logged"})
    check_incoming("interview", {"interviewee": "赵建华"})  # required fields missing: an older sender's
    with pytest.raises(ValidationError, match="信访人姓名"):
        check_incoming("petition", PETITION, {"petitioner_name": "周\x00秀英"})
    with pytest.raises(XunchaError, match="没有这类记录"):
        check_incoming("spying\x1b", {})


# ---- the command line (in process, as app.cli.main runs) ------------------------------------------------


@pytest.fixture
def x(run_cli: Cli, round_session: Session, vault_path: Path) -> Cli:
    round_session.lock()

    def run(*args: str, input: str | bytes | None = None, **env: str) -> subprocess.CompletedProcess[str]:
        return run_cli("--vault", str(vault_path), *args, env={"XUNCHA_PASSWORD": PASSWORD, **env}, input=input)

    return run


def _refused(proc: subprocess.CompletedProcess[Any], *fragments: str) -> str:
    err = proc.stderr if isinstance(proc.stderr, str) else proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误：")
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


def test_cli_refuses_bad_json_input_cleanly(x: Cli) -> None:
    def add(kind: str, data: dict[str, Any] | str) -> subprocess.CompletedProcess[str]:
        # json.dumps writes a lone surrogate or a control character as its \u escape, as a file would hold it
        return x("add", kind, "--json", "-", input=data if isinstance(data, str) else json.dumps(data))

    _refused(add("petition", {**PETITION, "source_ref": "\ud800转-12"}), "“转办单号”", "孤立的代理项 U+D800")
    _refused(add("paper", '{"amount": ' + "9" * 5000 + "}"), "“amount”的数字过长")
    _refused(add("petition", "[" * 100_000 + "]" * 100_000), "嵌套过深")
    _refused(add("petition", json.dumps(PETITION)[:-1] + ', "summary": "再写一遍"}'), "“summary”出现了不止一次")
    _refused(add("petition", {**PETITION, "备注\n\x1b[2J": "x"}), "“备注\\x0a\\x1b[2J”：不是这类记录的字段")
    for name in ("NUL", "ESC", "BEL", "U+202E"):
        _refused(add("petition", {**PETITION, "result": f"已核实{HOSTILE[name]}"}), "“办理结果”",
                 f"U+{ord(HOSTILE[name]):04X}")
    assert json.loads(x("list", "petition", "--json").stdout) == []  # nothing was stored
    stored = json.loads(x("add", "petition", "--json", "-", input=json.dumps(
        {**PETITION, "received_at": "2026-09-06T06:30Z"})).stdout)
    assert stored["received_at"] == "2026-09-06T14:30"


def test_cli_refuses_invalid_utf8_on_stdin(x: Cli, run_cli: Cli, vault_path: Path) -> None:
    as_json = x("add", "petition", "--json", "-", input=b'{"summary": "\xff\xfe"}')
    _refused(as_json, "标准输入不是 UTF-8 文本", "第 14 个字节")
    password = run_cli("--vault", str(vault_path), "--password-stdin", "info", input=b"\xc3(" + b"\n")
    _refused(password, "标准输入不是 UTF-8 文本")


def test_cli_refuses_a_hostile_argument(x: Cli) -> None:
    _refused(x("search", "钱国平\x1b[2J"), "“参数 text”", "U+001B")
    _refused(x("reopen", "谈-0001", "--reason", "理由\u202e"), "“参数 reason”", "双向文字控制符")


def test_what_an_older_version_stored_is_shown_neutralised(x: Cli, vault_path: Path) -> None:
    """Text that came in before these checks (stored raw) reaches the terminal as visible escapes, in `list`,
    `search`, `show` and their JSON, never as the characters themselves."""
    stored = json.loads(x("add", "petition", "--json", "-", input=json.dumps(PETITION, ensure_ascii=False)).stdout)
    hostile = "".join(HOSTILE[n] for n in ("NUL", "ESC", "BEL", "U+202E", "CSI (C1)"))
    session = Session.unlock(vault_path, PASSWORD)
    try:
        with session.vault.transaction() as conn:
            record = record_repo.get(conn, stored["id"])
            assert record is not None
            body = {**record.body, "reported_person": f"钱国平{hostile}[31m", "reported_unit": f"西河村{hostile}"}
            record_repo.update(conn, replace(record, body=body, title=f"钱国平{hostile}：低保", revision=2))
    finally:
        session.lock()
    outputs = [x("list", "petition"), x("search", "西河村"), x("show", stored["id"]), x("list", "petition", "--json"),
               x("search", "西河村", "--json"), x("show", stored["id"], "--json")]
    for proc in outputs:
        assert proc.returncode == 0, proc.stderr
        assert not any(ch in proc.stdout for ch in hostile), proc.stdout
        assert "钱国平" in proc.stdout
    assert "钱国平\\x00\\x1b\\x07\\u202e\\x9b[31m" in outputs[2].stdout  # shown, escaped, in `show`
    assert json.loads(outputs[5].stdout)["reported_person"] == f"钱国平{hostile}[31m"  # JSON round-trips
