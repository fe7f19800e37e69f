"""Property: random JSON (random structures, any Unicode including lone surrogates and control characters,
deep nesting, huge numbers, duplicate keys, bytes that are not UTF-8) given to `xuncha add`, `xuncha response
add` and the check the bundle importer calls (app.core.kinds.check_incoming) ends in a clean record or a
clean refusal: exit code 0 with the record, or exit code 1 with one line in Chinese; never a traceback.

The command line runs in this process (`app.cli.main.main` with its standard input and output swapped),
so an example costs one unlock of a small vault, not a Python start. The default run is short; the slow
variants run many more examples.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from capture_data import INTERVIEW, PAPER, PETITION, REVIEW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from vault_fixtures import FAST_KDF, OWNER, PASSWORD

from app.cli.main import main
from app.core.domain import Role
from app.core.errors import XunchaError
from app.core.inputs import InputRefused, is_clean, parse_json
from app.core.kinds import KINDS, check_incoming
from app.vault.session import Session
from storage import record_repo

# tests/unit/test_form_definition.py's form: every question type.
SMALL: dict[str, Any] = {
    "id": "small", "version": 1, "title": "小问卷", "kind": "questionnaire",
    "scales": {"yn": [{"value": "y", "label": "是"}, {"value": "n", "label": "否"}]},
    "questions": [
        {"name": "q1", "type": "single", "label": "是否了解", "choices": "yn", "required": True},
        {"name": "q2", "type": "multiple", "label": "哪些方面", "relevant": "${q1} = 'y'",
         "choices": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}, {"value": "c", "label": "丙"}],
         "max_choices": 2},
        {"name": "q3", "type": "number", "label": "次数", "integer": True, "min": 0, "max": 10,
         "constraint": ". != 7", "constraint_message": "不能是 7"},
        {"name": "q4", "type": "matrix", "label": "评价", "items": [{"name": "i1", "label": "一"},
                                                                 {"name": "i2", "label": "二"}],
         "choices": [{"value": "h", "label": "好", "score": 2}, {"value": "c", "label": "差", "score": 1}]},
        {"name": "q5", "type": "date", "label": "日期"},
        {"name": "q6", "type": "text", "label": "意见"},
    ],
}
SAMPLES = {"interview": INTERVIEW, "petition": PETITION, "review": REVIEW, "paper": PAPER}
QUICK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])
LONG = settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                          HealthCheck.too_slow])

# ---- random JSON, as text (so it can say what json.dumps never would: duplicates, huge literals) -----------

# Any code point: lone surrogates and every control character included.
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=30)
FIELD_NAMES = sorted({f.name for schema in KINDS.values() for f in schema.fields} | {"sheet", "group", "answers"}
                     | {q["name"] for q in SMALL["questions"]} | {"i1", "i2"})
KEYS = st.one_of(st.sampled_from(FIELD_NAMES), ANY_TEXT)
HUGE_NUMBERS = st.one_of(
    st.integers(1, 6000).map(lambda n: "9" * n), st.integers(1, 6000).map(lambda n: "-1" + "0" * n),
    st.integers(1, 400).map(lambda n: f"1e{n}"), st.just("1e999"), st.just("-0.0"), st.just("NaN"),
    st.just("Infinity"), st.integers(1, 60).map(lambda n: "0." + "3" * n),
)
SCALARS = st.one_of(
    st.none().map(json.dumps), st.booleans().map(json.dumps), st.integers().map(json.dumps),
    st.floats(allow_nan=False, allow_infinity=False).map(json.dumps), ANY_TEXT.map(json.dumps),
    ANY_TEXT.map(lambda t: json.dumps(t, ensure_ascii=False)), HUGE_NUMBERS,
    st.sampled_from(["2026-09-06T06:30Z", "2026-09-06T06:30+08:00", "2026-09-06", "y", "h", "letter", "3.6",
                     "王建国", "张志远"]).map(json.dumps),
)


def _object(pairs: list[tuple[str, str]]) -> str:
    return "{" + ",".join(f"{json.dumps(k)}:{v}" for k, v in pairs) + "}"


JSON_TEXT = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=6).map(lambda xs: "[" + ",".join(xs) + "]"),
                            st.lists(st.tuples(KEYS, inner), max_size=6).map(_object)),
    max_leaves=20,
)
DEEP = st.integers(50, 100_000).flatmap(lambda n: st.sampled_from(["[" * n + "]" * n, '{"a":' * n + "1" + "}" * n]))


@st.composite
def record_text(draw: st.DrawFn, kind: str) -> str:
    """Mostly a valid record with a few fields changed or added (so validation runs deep), sometimes
    anything at all."""
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(JSON_TEXT)
    if choice == 1:
        return draw(DEEP)
    base = [(k, json.dumps(v, ensure_ascii=False)) for k, v in SAMPLES[kind].items()]
    changes = draw(st.lists(st.tuples(KEYS, JSON_TEXT), max_size=3))
    keep_duplicates = draw(st.booleans())
    names = {k for k, _ in changes}
    pairs = (base if keep_duplicates else [p for p in base if p[0] not in names]) + changes
    return _object(pairs)


@st.composite
def sheets_text(draw: st.DrawFn) -> str:
    choice = draw(st.integers(0, 9))
    if choice == 0:
        return draw(JSON_TEXT)
    if choice == 1:
        return draw(DEEP)
    answers = {"q1": '"y"', "q2": '["a"]', "q3": "3", "q4": '{"i1":"h"}', "q5": '"2026-09-06"', "q6": '"好"'}
    changes = draw(st.lists(st.tuples(KEYS, JSON_TEXT), max_size=3))
    pairs = [*answers.items(), *changes]
    sheet = _object([("sheet", json.dumps(str(draw(st.integers(1, 10**6))))), ("answers", _object(pairs))])
    return sheet if draw(st.booleans()) else f"[{sheet}]"


STDIN_BYTES = st.one_of(st.binary(max_size=200), ANY_TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))

# ---- the command line in this process -------------------------------------------------------------------


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    vault = tmp_path / "vault.xuncha"
    session = Session.create(vault, PASSWORD, OWNER, Role.LEADER, kdf=FAST_KDF)
    session.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
    session.add_member(OWNER, Role.LEADER, "市委巡察办", "")
    session.add_member("张志远", Role.MEMBER, "云溪县委巡察办", "")
    _import_small(session, tmp_path)
    session.lock()
    monkeypatch.setenv("XUNCHA_PASSWORD", PASSWORD)

    def run(args: list[str], stdin: bytes = b"") -> Outcome:
        saved = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["--vault", str(vault), *args])
        finally:
            sys.stdin = saved
        return Outcome(code, out.getvalue(), err.getvalue())

    yield run


def _import_small(session: Session, folder: Path) -> None:
    path = folder / "small.json"
    path.write_text(json.dumps(SMALL, ensure_ascii=False), encoding="utf-8")
    session.forms.import_file(path)


def _clean_outcome(result: Outcome) -> None:
    """A record printed, or one line of refusal in Chinese (and English), exit code 1 (or 3, 4 when the bytes were
    read as a wrong password, or too many of them); never anything else."""
    assert "Traceback" not in result.err
    if result.code == 0:
        assert result.err == ""
        return
    assert result.code in (1, 3, 4), result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("错误："), result.err
    assert is_clean(lines[0]), lines[0]  # whatever the input held, the message shows it neutralised


def _check_add(cli: Any, kind: str, text: str) -> None:
    result = cli(["add", kind, "--json", "-"], text.encode("utf-8", "surrogatepass"))
    _clean_outcome(result)
    if result.code == 0:
        record = json.loads(result.out)
        assert record["kind"] == kind
        _all_clean(record)


def _all_clean(value: Any) -> None:
    if isinstance(value, str):
        assert is_clean(value), value
    elif isinstance(value, list):
        for item in value:
            _all_clean(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _all_clean(key)
            _all_clean(item)


@QUICK
@given(data=st.data())
def test_add_takes_any_json_cleanly(cli: Any, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(list(SAMPLES)))
    _check_add(cli, kind, data.draw(record_text(kind)))


@QUICK
@given(text=sheets_text())
def test_response_add_takes_any_json_cleanly(cli: Any, text: str) -> None:
    _clean_outcome(cli(["response", "add", "small", "--json", "-"], text.encode("utf-8", "surrogatepass")))


@QUICK
@given(stdin=STDIN_BYTES)
def test_any_bytes_on_stdin_end_cleanly(cli: Any, stdin: bytes) -> None:
    _clean_outcome(cli(["add", "petition", "--json", "-"], stdin))
    _clean_outcome(cli(["--password-stdin", "list", "petition"], stdin))


@pytest.mark.slow
@LONG
@given(data=st.data())
def test_add_and_response_add_take_any_json_cleanly_long(cli: Any, data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(list(SAMPLES)))
    _check_add(cli, kind, data.draw(record_text(kind)))
    text = data.draw(sheets_text())
    _clean_outcome(cli(["response", "add", "small", "--json", "-"], text.encode("utf-8", "surrogatepass")))


# ---- what the bundle importer calls on each record ------------------------------------------------------


def _incoming(kind: str, text: str) -> None:
    """As the importer should take a record: parse_json on the member's bytes, then check_incoming on its
    body. Either refuses with a XunchaError, or what passes is clean and storable."""
    try:
        body = parse_json(text.encode("utf-8", "surrogatepass"))
        check_incoming(kind, body)
    except (InputRefused, XunchaError) as exc:
        assert exc.zh and is_clean(exc.zh)
        return
    _all_clean(body)
    json.dumps(body, ensure_ascii=False).encode("utf-8")  # storable as the vault stores it


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_importers_check_takes_any_json_cleanly(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(list(SAMPLES)))
    _incoming(kind, data.draw(record_text(kind)))


@pytest.mark.slow
@settings(max_examples=5000, deadline=None)
@given(data=st.data())
def test_the_importers_check_takes_any_json_cleanly_long(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(list(SAMPLES)))
    _incoming(kind, data.draw(record_text(kind)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_what_the_app_saves_the_importer_takes(round_session: Session, data: st.DataObject) -> None:
    """Consistency of the two checks: any record the record service accepts and stores passes
    check_incoming as stored, so a member's clean record never bounces at the leader's."""
    kind = data.draw(st.sampled_from(list(SAMPLES)))
    try:
        doc = parse_json(data.draw(record_text(kind)).encode("utf-8", "surrogatepass"))
        record, _ = round_session.records.add(kind, doc)
    except XunchaError:
        return
    check_incoming(kind, record.body)


# ---- the importer itself, end to end --------------------------------------------------------------------


def test_a_bundle_carrying_a_hostile_record_is_refused(group: dict[str, Session], stick: Path) -> None:
    """A member's vault from an older version holds a record with ESC and U+202E (stored before these
    checks); its bundle reaches the leader, whose import refuses it, naming the record, and stores nothing."""
    member, leader = group["member"], group["leader"]
    record, _ = member.records.add("interview", {**INTERVIEW, "interviewers": ["张志远", "王建国"],
                                                  "recorder": "张志远"})
    with member.vault.transaction() as conn:
        stored = record_repo.get(conn, record.id)
        assert stored is not None
        stored.body["notes_leadership"] = "村道硬化\x1b[2J工程\u202e"
        stored.revision += 1
        record_repo.update(conn, stored)
    sent, _ = member.bundles.export(["王建国"], stick)
    held = leader.records.list_ids("interview")
    with pytest.raises(XunchaError):
        leader.bundles.import_(sent.path)
    assert leader.records.list_ids("interview") == held
