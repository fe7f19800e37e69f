"""SearchService on real vaults: Chinese words and phrases, filters, updates, deletes, protected values, and
input that must never break the query."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.capture.search import SearchService
from app.core.domain import Record, RecordKind, now_utc
from app.core.errors import XunchaError
from app.vault.session import Session
from storage import record_repo, search_repo, search_text


def add(session: Session, title: str, body: dict[str, Any] | None = None, kind: str = "interview",
        **columns: Any) -> Record:
    """A record with list columns set, written as the capture services write it (record_repo.insert)."""
    rnd = session.current_round()
    assert rnd is not None
    record = Record(kind=kind, round_id=rnd.id, title=title, body=body or {}, **columns)
    with session.vault.transaction() as conn:
        record_repo.insert(conn, record)
    return record


def edit(session: Session, record: Record) -> None:
    """`record` saved as its next revision, as RecordService.update writes it (record_repo.update)."""
    record.revision += 1
    record.updated_at = now_utc()
    with session.vault.transaction() as conn:
        record_repo.update(conn, record)


def found(session: Session, text: str, **filters: Any) -> list[str]:
    """Titles of the hits, in order."""
    return [hit.title for hit in SearchService(session).query(text, **filters)]


@pytest.fixture
def notes(round_session: Session) -> Session:
    add(round_session, "与东坪村会计谈话", {"notes": "反映2023年扶贫资金被挪用，涉及GPS定位设备采购"})
    add(round_session, "村道硬化问题", {"facts": "村道硬化工程拆分合同，规避公开招标"}, kind="paper")
    add(round_session, "低保评定来信", {"summary": "反映低保评定优亲厚友"}, kind="petition")
    add(round_session, "走访记录", {"notes": "扶持贫困户的资金到位情况"})
    return round_session


@pytest.mark.parametrize(
    ("typed", "titles"),
    [
        ("扶贫", ["与东坪村会计谈话"]),
        ("工程", ["村道硬化问题"]),
        ("低保", ["低保评定来信"]),  # in the title: the only hit
        ("扶贫资金", ["与东坪村会计谈话"]),  # and not 扶持贫困户的资金, the same characters scattered
        ("优亲厚友", ["低保评定来信"]),
        ("资金", ["与东坪村会计谈话", "走访记录"]),
        ("gps", ["与东坪村会计谈话"]),
        ("ＧＰＳ", ["与东坪村会计谈话"]),
        ("2023", ["与东坪村会计谈话"]),
        ("资金 2023", ["与东坪村会计谈话"]),  # words AND together
        ("资金 工程", []),
        ("挪", ["与东坪村会计谈话"]),  # one character
    ],
)
def test_words_and_phrases(notes: Session, typed: str, titles: list[str]) -> None:
    assert sorted(found(notes, typed)) == sorted(titles)


def test_heading_matches_come_first_then_the_newest(round_session: Session) -> None:
    add(round_session, "旧的谈话", {"notes": "提到三资问题"})
    add(round_session, "三资台账", {"notes": "台账不全"})
    add(round_session, "新的谈话", {"notes": "又提到三资问题"})
    assert found(round_session, "三资") == ["三资台账", "新的谈话", "旧的谈话"]
    # Pages of one stable order.
    assert found(round_session, "三资", limit=1, offset=1) == ["新的谈话"]
    assert found(round_session, "三资", limit=2, offset=1) == ["新的谈话", "旧的谈话"]
    assert found(round_session, "三资", limit=5, offset=3) == []


def test_pages_follow_one_order_across_windows(round_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """Many small windows (the walk widens them), edits that move a record to the front, and deletes that
    leave gaps: every page is a slice of the one order, heading matches first, newest first."""
    monkeypatch.setattr(search_repo, "_FIRST_WINDOW", 2)
    written: list[Record] = []  # in the order of their last write
    for i in range(40):
        title = f"三资台账{i}" if i % 3 == 0 else f"谈话{i}"
        body = {"notes": "提到三资" if i % 2 == 0 else "无关内容"}
        written.append(add(round_session, title, body, kind="paper" if i % 4 == 0 else "interview"))
    for record in written[5:12]:
        written.remove(record)
        if record.title == "谈话7":
            round_session.records.delete(record.id)
        else:
            record.body = {"notes": "改为提到三资"}
            edit(round_session, record)
            written.append(record)

    def expected(kind: str | None) -> list[str]:
        kept = [r for r in reversed(written) if kind in (None, r.kind)]
        heads = [r.id for r in kept if "三资" in r.title]
        return heads + [r.id for r in kept if "三资" not in r.title and "三资" in r.body["notes"]]

    for kind in (None, "paper"):
        want = expected(kind)
        assert len(want) >= 10
        everything = [h.record_id for h in SearchService(round_session).query("三资", kind=kind, limit=500)]
        assert everything == want
        pages = [h.record_id for offset in range(0, len(want) + 7, 7)
                 for h in SearchService(round_session).query("三资", kind=kind, limit=7, offset=offset)]
        assert pages == want


def test_hits_carry_the_record_and_a_snippet_around_the_match(round_session: Session) -> None:
    long_notes = "开场白" * 30 + "其中反映扶贫资金被挪用" + "结束语" * 30
    record = add(round_session, "与会计谈话", {"notes": long_notes}, number="谈-0007", subtitle="东坪村",
                 status="signed", occurred_on="2026-09-06")
    (hit,) = SearchService(round_session).query("扶贫资金")
    assert (hit.record_id, hit.kind, hit.number, hit.title, hit.subtitle, hit.status, hit.occurred_on) == (
        record.id, "interview", "谈-0007", "与会计谈话", "东坪村", "signed", "2026-09-06")
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…") and len(hit.snippet) <= 82
    (start, end), = hit.marks
    assert hit.snippet[start:end] == "扶贫资金"
    # A match in the heading only: the snippet shows where.
    (by_number,) = SearchService(round_session).query("谈-0007")
    assert by_number.snippet[slice(*by_number.marks[0])] == "谈-0007"


def test_filters_one_by_one_and_combined(round_session: Session) -> None:
    me, other = (m.id for m in round_session.members())
    add(round_session, "甲", {"notes": "三资"}, kind="interview", status="signed", category="3.4",
        author_id=me, occurred_on="2026-09-01")
    add(round_session, "乙", {"notes": "三资"}, kind="petition", status="logged", category="3.5",
        author_id=other, occurred_on="2026-09-05T16:30:00+08:00")
    add(round_session, "丙", {"notes": "三资"}, kind="petition", status="closed", category="2.1",
        author_id=me, occurred_on="2026-09-10")
    add(round_session, "丁", {"notes": "三资"}, kind="paper")
    assert sorted(found(round_session, "三资")) == ["丁", "丙", "乙", "甲"]
    assert sorted(found(round_session, "三资", kind="petition")) == ["丙", "乙"]
    assert found(round_session, "三资", status="logged") == ["乙"]
    assert sorted(found(round_session, "三资", category="3")) == ["乙", "甲"]  # sub-codes too
    assert found(round_session, "三资", category="3.5") == ["乙"]
    assert sorted(found(round_session, "三资", author_id=me)) == ["丙", "甲"]
    assert sorted(found(round_session, "三资", date_from="2026-09-05")) == ["丙", "乙"]
    assert sorted(found(round_session, "三资", date_to=date(2026, 9, 5))) == ["乙", "甲"]  # the whole day
    assert found(round_session, "三资", date_from="2026-09-02", date_to="2026-09-09") == ["乙"]
    assert found(round_session, "三资", kind="petition", author_id=me, category="2") == ["丙"]
    assert found(round_session, "三资", kind="petition", author_id=me, category="3") == []
    # Filters alone list what they admit, the most recently changed first; blank filters do not filter.
    assert found(round_session, "  ", kind="petition") == ["丙", "乙"]
    assert found(round_session, "", kind="", status=" ") == []


def test_blank_or_unsearchable_text_without_filters_finds_nothing(notes: Session) -> None:
    for typed in ("", "   ", "\t\n", "***", "“”", "()"):
        assert SearchService(notes).query(typed) == []


@pytest.mark.parametrize(
    ("filters", "zh", "en"),
    [
        ({"kind": "lead"}, "未知的记录类型", "unknown record kind"),
        ({"date_from": "2026-13-01"}, "起始日期格式不对", "from date is not a date"),
        ({"date_to": "上周"}, "截止日期格式不对", "to date is not a date"),
        ({"date_from": "2026-09-10", "date_to": "2026-09-01"}, "截止日期早于起始日期", "before the from date"),
        ({"category": "9.9"}, "没有代码 9.9", "no category 9.9"),
        ({"author_id": "nobody"}, "没有该成员", "no such member"),
        ({"limit": 0}, "1 到 500", "1 to 500"),
        ({"limit": 501}, "1 到 500", "1 to 500"),
        ({"offset": -1}, "不能为负数", "must not be negative"),
    ],
)
def test_bad_filters_say_what_is_wrong(notes: Session, filters: dict[str, Any], zh: str, en: str) -> None:
    with pytest.raises(XunchaError) as caught:
        SearchService(notes).query("扶贫", **filters)
    assert zh in caught.value.zh and en in caught.value.en


def test_too_long_or_too_many_words(notes: Session) -> None:
    with pytest.raises(XunchaError, match=r"过长.*too long"):
        SearchService(notes).query("扶" * 201)
    with pytest.raises(XunchaError, match=r"过多.*too many"):
        SearchService(notes).query(" ".join(f"词{i}" for i in range(17)))


NASTY = ['"', '""', '"扶贫', '扶贫"', "AND", "OR", "NOT", "扶贫 AND", "AND 扶贫", "扶贫 OR 工程", "NOT 扶贫",
         "NEAR", "NEAR(扶贫 资金, 2)", "*", "扶*", "*扶贫", "(", ")", "(扶贫", "扶贫)", "{head}: 扶贫", "head:扶贫",
         "body : 工程", "^扶贫", "-扶贫", "+", "'", "\\", "\x00", "扶贫\x00资金", "%", "_", "'; DROP TABLE records; --",
         "\u202e扶贫", "扶\u200b贫"]


@pytest.mark.parametrize("typed", NASTY)
def test_query_syntax_in_the_input_never_raises(notes: Session, typed: str) -> None:
    hits = SearchService(notes).query(typed)
    assert isinstance(hits, list)
    if typed in ('"扶贫', "扶贫)", "(扶贫", "^扶贫", "-扶贫", "*扶贫", "\u202e扶贫", "扶\u200b贫"):
        assert [h.title for h in hits] == ["与东坪村会计谈话"]  # punctuation aside, the word is found
    if typed in ("扶贫 AND", "{head}: 扶贫"):
        assert hits == []  # operators are words like any other, and no record holds "and" or "head"


def test_an_edited_record_is_found_by_its_new_words_only(notes: Session) -> None:
    record = add(notes, "工作底稿", {"facts": "征地拆迁补偿款发放不透明"}, kind="paper")
    assert found(notes, "征地拆迁") == ["工作底稿"]
    record.body = {"facts": "危房改造补助被虚报冒领"}
    record.title = "改后的底稿"
    edit(notes, record)
    assert found(notes, "征地拆迁") == [] and found(notes, "工作底稿") == []
    assert found(notes, "虚报冒领") == ["改后的底稿"]


def test_a_deleted_record_leaves_the_index(notes: Session) -> None:
    record = add(notes, "待删记录", {"notes": "光伏扶贫电站收益"})
    assert found(notes, "光伏") == ["待删记录"]
    notes.records.delete(record.id)
    assert found(notes, "光伏") == [] and found(notes, "待删记录") == []
    assert notes.vault.query("SELECT count(*) FROM search_docs WHERE record_id = ?", (record.id,)) == [(0,)]


def test_a_record_and_its_index_entry_land_together_or_not_at_all(round_session: Session) -> None:
    rnd = round_session.current_round()
    assert rnd is not None
    with pytest.raises(RuntimeError), round_session.vault.transaction() as conn:
        record_repo.insert(conn, Record(kind="interview", round_id=rnd.id, title="未保存", body={"x": "危房改造"}))
        raise RuntimeError("the save failed after the insert")
    assert found(round_session, "危房改造") == [] and found(round_session, "未保存") == []
    assert round_session.vault.query("SELECT count(*) FROM search_docs") == [(0,)]


def test_a_record_deleted_outright_takes_its_index_entry(notes: Session) -> None:
    with notes.vault.transaction() as conn:
        conn.execute("DELETE FROM rounds")  # cascades to members, units and records
    assert notes.vault.query("SELECT count(*) FROM search_docs") == [(0,)]
    for table in ("search_index", "search_head"):
        assert notes.vault.query(f"SELECT count(*) FROM {table}_docsize") == [(0,)]


PETITIONER, CONTACT = "欧阳秀英", "13912345678"
_ANY_CHAR = st.characters(codec="utf-8", exclude_categories=("Cs",))


def test_protected_values_are_never_found_nor_shown(round_session: Session) -> None:
    rnd = round_session.current_round()
    assert rnd is not None
    record = Record(kind="petition", round_id=rnd.id, title="举报箱来信", body={"summary": "反映村会计挪用低保金"},
                    number="信-0001")
    with round_session.vault.transaction() as conn:
        record_repo.insert(conn, record)
        conn.executemany(
            "INSERT INTO protected_values (record_id, field, value, updated_at) VALUES (?, ?, ?, '2026-09-06')",
            [(record.id, "petitioner_name", PETITIONER), (record.id, "petitioner_contact", CONTACT)],
        )
    service = SearchService(round_session)
    for typed in (PETITIONER, "欧阳", "秀英", CONTACT, "petitioner_name"):
        assert service.query(typed) == [], typed
    (hit,) = service.query("低保")
    for fragment in (PETITIONER, "秀英", CONTACT):
        assert fragment not in repr(hit)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=_ANY_CHAR, max_size=60))
def test_any_input_is_answered(round_session: Session, typed: str) -> None:
    assume(len(search_text.query_words(typed)) <= search_text.MAX_QUERY_WORDS)
    assert isinstance(SearchService(round_session).query(typed), list)


_TITLE = st.text(alphabet=st.one_of(st.sampled_from("扶贫资金低保工程三资征地拆迁村镇〇"), _ANY_CHAR),
                 min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=_TITLE, kind=st.sampled_from([k.value for k in RecordKind]))
def test_any_title_finds_its_record(round_session: Session, title: str, kind: str) -> None:
    assume(search_text.has_searchable_text(title))
    assume(len(search_text.query_words(title)) <= search_text.MAX_QUERY_WORDS)
    record = add(round_session, title, {"notes": "其他内容"}, kind=kind)
    assert record.id in [hit.record_id for hit in SearchService(round_session).query(title, limit=500)]


def test_snippets_read_as_the_form_does_not_as_stored_codes(round_session: Session) -> None:
    """A site visit's snippet shows 实地了解's words and the names, not 'site' or 'open'."""
    from app.demo import scenario as demo

    demo.fill(round_session, 3)
    hits = SearchService(round_session).query("", kind="review", limit=50)
    assert hits
    for hit in hits:
        parts = hit.snippet.strip("…").split(" / ")
        assert not {"site", "documents", "meeting", "open", "done", "yes", "no"} & set(parts), hit.snippet


def test_an_amount_in_a_snippet_reads_as_the_documents_write_it(round_session: Session) -> None:
    """1,992,663.00元, as in the issue list, never 1992663.0."""
    round_session.records.add("paper", {"title": "村道工程拆分发包", "facts": "工程拆分发包规避招标",
                                        "amount": 1992663.0})
    [hit] = SearchService(round_session).query("拆分发包", kind="paper")
    assert "1,992,663.00元" in hit.snippet and "1992663" not in hit.snippet
