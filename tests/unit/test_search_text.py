"""Search tokens as pure functions: what a text puts into the index and what a typed query asks for."""

from __future__ import annotations

import sqlite3
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from storage import search_text
from storage.search_text import fts_query, index_text, index_tokens, query_words


def test_chinese_runs_become_bigrams_and_their_last_character() -> None:
    assert index_tokens("扶贫资金") == ["扶贫", "贫资", "资金", "金"]
    assert index_tokens("村") == ["村"]
    # Punctuation ends a run; letters and digits are whole, lower-cased tokens.
    assert index_tokens("低保，GPS定位2023年") == ["低保", "保", "gps", "定位", "位", "2023", "年"]


def test_full_width_forms_and_capitals_are_folded() -> None:
    assert index_tokens("ＧＰＳ２０２３") == ["gps2023"]
    assert index_tokens("Café STRASSE") == ["cafe", "strasse"]
    assert query_words("gps") == query_words("ＧＰＳ") == query_words("Gps")


def test_invisible_format_characters_never_split_a_word() -> None:
    assert index_tokens("扶\u200b贫\ufeff资\u00ad金") == index_tokens("扶贫资金")
    assert query_words("扶\u200b贫") == query_words("扶贫")
    every = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Cf"]
    assert [hex(c) for c in every if search_text.normalise(chr(c))] == []


def test_body_strings_take_every_string_and_number_but_no_keys_booleans_or_ids() -> None:
    body = {"summary": "三资台账", "amounts": [480.5, 12], "signed": True,
            "evidence": ["0f8fad5b-d9cb-469f-a165-70867728950e"], "nested": {"place": "东坪村"}, "blank": " "}
    assert search_text.body_strings(body) == ["480.5", "12", "东坪村", "三资台账"]  # in key order


@pytest.mark.parametrize(
    ("typed", "expression"),
    [
        ("扶贫", '"扶贫"'),
        ("扶贫资金", '"扶贫 贫资 资金"'),
        ("村", '"村" *'),
        ("2023年", '"2023 年" *'),
        ("信-0003", '"信 0003"'),
        ("GPS 低保", '"gps" AND "低保"'),
        ("低保 低保", '"低保"'),
        ('"AND" OR (x*) NEAR(a b)', '"and" AND "or" AND "x" AND "near a" AND "b"'),
    ],
)
def test_typed_words_become_quoted_phrases(typed: str, expression: str) -> None:
    assert fts_query(query_words(typed)) == expression


def test_nothing_searchable() -> None:
    assert query_words("  ***  ()") == []
    assert not search_text.has_searchable_text('"*"')
    assert search_text.has_searchable_text("*村*")


def _matches(text: str, typed: str) -> bool:
    """Whether `typed` finds `text` in a scratch FTS5 table built the way the vault's is."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'ascii', prefix = '1')")
    db.execute("INSERT INTO t (rowid, body) VALUES (1, ?)", (index_text([text]),))
    return bool(db.execute("SELECT count(*) FROM t WHERE t MATCH ?", (fts_query(query_words(typed)),)).fetchone()[0])


@pytest.mark.parametrize(
    ("text", "typed", "found"),
    [
        ("反映扶贫资金被挪用", "扶贫", True),
        ("反映扶贫资金被挪用", "扶贫资金", True),
        ("反映扶贫资金被挪用", "资金被", True),
        ("扶持贫困户的资金", "扶贫资金", False),  # the characters scattered apart are not the phrase
        ("扶贫，资金", "扶贫资金", False),  # nor across punctuation
        ("扶贫，资金", "扶贫 资金", True),  # two words: both anywhere
        ("反映扶贫资金被挪用", "用", True),  # the last character of a run
        ("反映扶贫资金被挪用", "挪", True),
        ("2023年度审计", "2023年", True),
        ("信访件0003号", "访件0003", True),
        ("信-0003", "信-0003", True),
        ("GPS定位", "gps", True),
        ("GPS定位", "gp", False),  # letters and digits match whole
        ("13900001234", "1390000", False),
    ],
)
def test_what_matches(text: str, typed: str, found: bool) -> None:
    assert _matches(text, typed) is found


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(_TEXT)
def test_any_typed_text_is_a_valid_expression(typed: str) -> None:
    words = query_words(typed)
    if words:
        _matches("扶贫资金", typed)  # raises on a syntax error


@given(st.text(alphabet=st.sampled_from("扶贫资金低保工程三资村aB9 ，、-"), min_size=1, max_size=30))
def test_a_text_finds_itself(text: str) -> None:
    if search_text.has_searchable_text(text):
        assert _matches(text, text)


_MIXED = st.text(alphabet=st.one_of(st.sampled_from("扶贫，。、“”（）ＧＰＳ２０…‥—\u200b\u00ad\ufeffé\u0301ﬁß İ"),
                                   st.characters(codec="utf-8", exclude_categories=("Cs",))), max_size=40)


@given(_MIXED)
def test_the_snippet_map_is_the_fold_of_each_character(text: str) -> None:
    folded, origin = search_text.normalise_mapped(text)
    expected = [(i, c) for i, char in enumerate(text) for c in search_text._fold_char(char)]
    assert folded == "".join(c for _, c in expected)
    assert list(origin) == [i for i, _ in expected]
