"""Search: one box that finds any record of the current round by any text in it, with filters.

The index lives inside the vault (storage/search_repo.py); how text becomes tokens is in
storage/search_text.py and docs/search.md. Searching reads only: it writes nothing, logs nothing, and the
words searched for are kept nowhere.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Protocol

from app.core.domain import Record, RecordKind, Round, SearchHit
from app.core.errors import XunchaError
from app.core.kinds import KINDS
from app.core.kinds.fields import FieldType, money_text
from storage import record_repo, round_repo, search_repo, search_text
from storage.search_text import QueryWord
from storage.vault import Vault

MAX_LIMIT = 500
SNIPPET_CHARS = 80
SNIPPET_LEAD = 16  # characters shown before the first match
_SPACES = re.compile(r"\s+")


class OpenRound(Protocol):
    """What a search needs of a session: the open vault and its current round (a Session is one)."""

    vault: Vault

    def current_round(self) -> Round | None: ...


class SearchService:
    """Full-text search over the records of the session's current round. Reads only."""

    def __init__(self, session: OpenRound) -> None:
        self._session = session

    def query(
        self, text: str, *, kind: str | None = None, status: str | None = None, category: str | None = None,
        author_id: str | None = None, date_from: date | str | None = None, date_to: date | str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> list[SearchHit]:
        """Records whose text holds every word of `text` and that pass every filter given: first those whose
        title, number or subtitle hold every word, then the others, each group most recently written first.

        Chinese matches as typed (扶贫 finds 扶贫资金, never 扶持贫困); letters and digits match whole words,
        ignoring case and full-width forms. A blank `text` with filters lists what the filters admit; a
        blank `text` without filters returns nothing. Filters left None or blank do not filter. Raises
        XunchaError for an unknown kind, category or author, a bad date, or a limit out of range.
        """
        words = _words(text)
        kind, status, category, author_id = (_blank_to_none(v) for v in (kind, status, category, author_id))
        start, end = _date(date_from, "起始日期", "from date"), _date(date_to, "截止日期", "to date")
        _check_page(limit, offset)
        if kind is not None and kind not in {k.value for k in RecordKind}:
            known = ", ".join(k.value for k in RecordKind)
            raise XunchaError(
                f"未知的记录类型：{kind}（可选：{known}）", f"unknown record kind: {kind} (known: {known})"
            )
        if start is not None and end is not None and end < start:
            raise XunchaError("截止日期早于起始日期", "the to date is before the from date")
        has_filter = any(v is not None for v in (kind, status, category, author_id, start, end))
        if words is None or (not words and not has_filter):
            return []  # nothing searchable typed, or nothing asked at all
        rnd = self._session.current_round()
        if rnd is None:
            return []
        vault = self._session.vault
        with vault.lock:
            conn = vault.conn
            if category is not None and category not in {n.code for n in round_repo.list_taxonomy(conn, rnd.id)}:
                raise XunchaError(f"本轮问题分类中没有代码 {category}", f"no category {category} in this round")
            if author_id is not None and not _is_member(conn, rnd.id, author_id):
                raise XunchaError("本轮没有该成员", "no such member in this round")
            filters = search_repo.SearchFilters(rnd.id, kind, status, category, author_id, start, end)
            match = search_text.fts_query(words) if words else None
            ids = search_repo.search(conn, match, filters, limit, offset)
            records = record_repo.get_many(conn, ids)
        return [_hit(record, words) for record in records]


def _words(text: str) -> list[QueryWord] | None:
    """The query's words; None when something was typed but none of it can match (only punctuation)."""
    if not isinstance(text, str):
        raise XunchaError("搜索内容必须是文字", "the search text must be a string")
    if len(text) > search_text.MAX_QUERY_CHARS:
        raise XunchaError(
            f"搜索内容过长（最多 {search_text.MAX_QUERY_CHARS} 个字符）",
            f"the search text is too long (at most {search_text.MAX_QUERY_CHARS} characters)",
        )
    words = search_text.query_words(text)
    if len(words) > search_text.MAX_QUERY_WORDS:
        raise XunchaError(
            f"搜索词过多（最多 {search_text.MAX_QUERY_WORDS} 个）",
            f"too many search words (at most {search_text.MAX_QUERY_WORDS})",
        )
    if not words and text.strip():
        return None
    return words


def _blank_to_none(value: str | None) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise XunchaError("筛选条件必须是文字", "a filter must be a string")
    return value.strip() or None


def _date(value: date | str | None, zh: str, en: str) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise XunchaError(
            f"{zh}格式不对，应为 年-月-日，如 2026-09-01：{value}",
            f"the {en} is not a date like 2026-09-01: {value}",
        ) from None


def _check_page(limit: int, offset: int) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise XunchaError(f"每次最多返回 1 到 {MAX_LIMIT} 条", f"the limit must be 1 to {MAX_LIMIT}")
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise XunchaError("起始位置不能为负数", "the offset must not be negative")


def _is_member(conn: object, round_id: str, member_id: str) -> bool:
    return any(m.id == member_id for m in round_repo.list_members(conn, round_id))


# ---- snippets -------------------------------------------------------------------------------------------


_READABLE = (FieldType.TEXT, FieldType.LONGTEXT, FieldType.TEXTS, FieldType.MEMBER, FieldType.MEMBERS,
             FieldType.MONEY)


def _readable_strings(record: Record) -> list[str]:
    """What a person reads in the record, in the order its form shows it: its text, the labels of its
    choices, names and amounts; not the stored codes, dates, flags or linked ids (the heading shows those
    that matter). A kind without a schema gives every string of its body."""
    if record.kind not in KINDS:
        return search_text.body_strings(record.body)
    found: list[str] = []
    for field in KINDS[record.kind].fields:
        value = record.body.get(field.name)
        if field.type == FieldType.CHOICE:
            found += [c.label for c in field.choices if c.value == value]
        elif field.type == FieldType.MONEY:  # as the documents write it: 1,992,663.00元, not 1992663.0
            found += [money_text(value)] if money_text(value) else []
        elif field.type in _READABLE:
            found += search_text.body_strings(value)
    return found


def _hit(record: Record, words: list[QueryWord]) -> SearchHit:
    head = " ".join(search_text.head_strings(record.title, record.number, record.subtitle))
    # The readable text first; the stored codes only when the words matched nothing else.
    readable = " / ".join(_SPACES.sub(" ", s).strip() for s in _readable_strings(record))
    snippet, marks = _snippet(readable, words)
    if not marks and words:
        everything = " / ".join(_SPACES.sub(" ", s).strip() for s in search_text.body_strings(record.body))
        in_body = _snippet(everything, words)
        if in_body[1] or not snippet:
            snippet, marks = in_body
    if not marks:
        in_head = _snippet(head, words)
        if in_head[1]:
            snippet, marks = in_head
    if not snippet:
        snippet = _snippet(head, [])[0]
    return SearchHit(
        record_id=record.id, kind=record.kind, number=record.number, title=record.title,
        subtitle=record.subtitle, status=record.status, occurred_on=record.occurred_on, snippet=snippet,
        marks=marks,
    )


def _snippet(text: str, words: list[QueryWord]) -> tuple[str, tuple[tuple[int, int], ...]]:
    """About SNIPPET_CHARS characters of `text` around its first match, and where the matches are in it.
    Without a match, the start of `text` and no marks."""
    normalised, origin = search_text.normalise_mapped(text)
    found: list[tuple[int, int]] = []
    for word in words:
        for m in word.pattern().finditer(normalised):
            if m.end() > m.start():
                found.append((origin[m.start()], origin[m.end() - 1] + 1))
    found.sort()
    first = found[0][0] if found else 0
    start = max(0, min(first - SNIPPET_LEAD, len(text) - SNIPPET_CHARS))
    end = min(len(text), start + SNIPPET_CHARS)
    lead = "…" if start > 0 else ""
    snippet = lead + text[start:end] + ("…" if end < len(text) else "")
    marks: list[tuple[int, int]] = []
    for a, b in found:
        if a >= end or b <= start:
            continue
        a, b = max(a, start) - start + len(lead), min(b, end) - start + len(lead)
        if marks and a <= marks[-1][1]:  # overlapping or touching words: one mark
            marks[-1] = (marks[-1][0], max(b, marks[-1][1]))
        else:
            marks.append((a, b))
    return snippet, tuple(marks)
