"""Search text: which words of a record go into the full-text index, and how a typed query is matched.

Pure functions, no I/O. The FTS5 table uses the `ascii` tokenizer, which splits only on ASCII spaces and
punctuation; everything it indexes is the space-separated token stream built here, so this module alone
decides what matches (see docs/search.md):

- Text is normalised with NFKC (full-width ＧＰＳ２０２３ becomes GPS2023) and case-folded.
- A run of Chinese characters becomes its overlapping bigrams plus its last character alone:
  扶贫资金 → 扶贫 贫资 资金 金. Bigrams make two-character words (扶贫, 低保, 工程) findable without a
  dictionary; the trailing single character lets a one-character query find a character at the end of a
  run (a one-character query is a prefix match, so it also finds every bigram starting with it).
- A run of other letters or digits is one token, folded to lower case without diacritics: 2023, gps.
- A typed word of n Chinese characters becomes the phrase of its n-1 bigrams, so 扶贫资金 matches those
  four characters in a row and never the same characters scattered apart. Several words are ANDed.
- Nothing the user types reaches FTS5 as syntax: every token is quoted, and quotes, operators (AND, OR,
  NOT, NEAR), stars, brackets and colons are either separators or plain words.

Bump INDEX_VERSION whenever the token stream changes: vaults rebuild their index at the next unlock.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

INDEX_VERSION = 1

# Han ideographs (the BMP blocks, the compatibility block and the supplementary planes) and 〇 (used in
# dates: 二〇二三年). Kana and Hangul are left to the letter runs: this is a Chinese application.
CJK_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
_CJK_RUN = f"[{CJK_CLASS}]+"
# Letters and digits of any other script; underscore and Chinese are excluded.
_WORD_CHAR = f"[^\\W_{CJK_CLASS}]"
_RUNS = re.compile(f"({_CJK_RUN})|({_WORD_CHAR}+)")
_HAS_WORD = re.compile(r"[^\W_]")
# Unicode's format characters (category Cf); tests/unit/test_search_text.py checks the list is complete.
_FORMAT = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
# Characters NFKC and case folding map one to one (none vanishes, none composes with another): ASCII, Han,
# CJK punctuation, full-width forms, curly quotes and dashes. Runs of them need no per-character map.
_ONE_TO_ONE = f"\\x00-\\x7f{CJK_CLASS}\\u3000-\\u3029\\u3030-\\u303f\\uff01-\\uff5e\\u2010-\\u2027"
_SEGMENTS = re.compile(f"(?P<plain>[{_ONE_TO_ONE}]+)|(?P<other>.)", re.DOTALL)

MAX_TOKEN_CHARS = 64  # longer letter/digit runs are cut, the same way on both sides
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16

# Identifiers of linked records in a body are references, not text anyone reads or searches for.
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)


def normalise(text: str) -> str:
    """NFKC and case folding: full-width letters and digits become ASCII, capitals become small. Invisible
    format characters (zero-width space, BOM, soft hyphen, direction marks) come with pasted text and
    are dropped, so that they never split a word."""
    return _FORMAT.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _strip_diacritics(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _fold(word: str) -> str:
    """Drop diacritics from a letter run (é → e) and cut it to MAX_TOKEN_CHARS."""
    return _strip_diacritics(word)[:MAX_TOKEN_CHARS]


def _runs(normalised: str) -> Iterator[tuple[bool, str]]:
    """(is_chinese, run) for each maximal run of Chinese characters or of other letters and digits."""
    for match in _RUNS.finditer(normalised):
        if match[1]:
            yield True, match[1]
        elif folded := _fold(match[2]):
            yield False, folded


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> list[str]:
    """The tokens one piece of text contributes to the index, in order."""
    tokens: list[str] = []
    for chinese, run in _runs(normalise(text)):
        if chinese:
            tokens += _bigrams(run)
            tokens.append(run[-1])
        else:
            tokens.append(run)
    return tokens


def index_text(pieces: list[str]) -> str:
    """The space-separated token stream of several pieces of text (what one FTS5 column holds)."""
    return " ".join(token for piece in pieces for token in index_tokens(piece))


# ---- what a record contributes ----------------------------------------------------------------------


def body_strings(value: Any) -> list[str]:
    """Every string in a JSON body, depth first in key order; numbers count as text, keys and ids do not."""
    found: list[str] = []
    if isinstance(value, dict):
        for key in sorted(value):
            found += body_strings(value[key])
    elif isinstance(value, list):
        for item in value:
            found += body_strings(item)
    elif isinstance(value, str):
        if value.strip() and not _UUID.fullmatch(value.strip()):
            found.append(value)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found.append(str(value))
    return found


def head_strings(title: str, number: str, subtitle: str) -> list[str]:
    """A record's heading: title, number and subtitle."""
    return [s for s in (title, number, subtitle) if s]


# Protected values (a petitioner's name and contact) are not part of Record at all: they live in their
# own table, which nothing here reads. That is what keeps them out of the index and out of snippets.


# ---- queries -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryWord:
    """One typed word as a phrase of index tokens; `prefix` when its last token is a single character."""

    tokens: tuple[str, ...]
    prefix: bool
    runs: tuple[tuple[bool, str], ...]  # (is_chinese, normalised run), to find the word in a record's text

    def fts(self) -> str:
        quoted = '"' + " ".join(t.replace('"', '""') for t in self.tokens) + '"'
        return f"{quoted} *" if self.prefix else quoted

    def pattern(self) -> re.Pattern[str]:
        """Where this word occurs in text normalised by `normalise_mapped` (the same rule as the index:
        Chinese anywhere, letters and digits as whole words, any separators between the runs)."""
        parts = [
            re.escape(run) if chinese else f"(?<!{_WORD_CHAR}){re.escape(run)}(?!{_WORD_CHAR})"
            for chinese, run in self.runs
        ]
        return re.compile(r"[\W_]*".join(parts))


def query_words(text: str) -> list[QueryWord]:
    """The words of a typed query that can match anything, deduplicated, in the order typed."""
    words: list[QueryWord] = []
    for raw in normalise(text).split():
        word = _query_word(raw)
        if word is not None and word not in words:
            words.append(word)
    return words


def _query_word(raw: str) -> QueryWord | None:
    runs = list(_runs(raw))
    tokens: list[str] = []
    prefix = False
    for i, (chinese, run) in enumerate(runs):
        last = i == len(runs) - 1
        if not chinese:
            tokens.append(run)
        elif len(run) == 1:
            # Alone at the end: any bigram starting with it, or itself at the end of a run. Followed by
            # letters or digits: it ends its run in the text too, where the index holds it alone.
            tokens.append(run)
            prefix = last
        else:
            tokens += _bigrams(run)
            if not last:
                tokens.append(run[-1])  # the run ends here; the index holds its last character alone
    if not tokens:
        return None
    return QueryWord(tuple(tokens), prefix, tuple(runs))


def fts_query(words: list[QueryWord]) -> str:
    """The FTS5 MATCH expression: every word as a quoted phrase, all of them required."""
    return " AND ".join(word.fts() for word in words)


def has_searchable_text(text: str) -> bool:
    """Whether `text` holds at least one letter, digit or Chinese character."""
    return bool(_HAS_WORD.search(normalise(text)))


def normalise_mapped(text: str) -> tuple[str, Sequence[int]]:
    """`text` normalised as the index normalises it, and for each character of the result the index of
    the character of `text` it came from (to cut snippets from the original text)."""
    parts: list[str] = []
    origin: list[int] = []
    same = True  # every character so far became exactly one
    for match in _SEGMENTS.finditer(text):
        run = match.group()
        folded = normalise(run) if match.lastgroup == "plain" else _fold_char(run)
        if same and len(folded) == len(run):
            parts.append(folded)
            continue
        if same:
            same, origin = False, list(range(sum(map(len, parts))))
        if match.lastgroup == "plain" and len(folded) != len(run):  # a format character in the run
            for i, char in enumerate(run, match.start()):
                folded_char = _fold_char(char)
                parts.append(folded_char)
                origin += [i] * len(folded_char)
            continue
        parts.append(folded)
        origin += range(match.start(), match.end()) if len(folded) == len(run) else [match.start()] * len(folded)
    return "".join(parts), range(len(text)) if same else origin


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return _strip_diacritics(normalise(char))
