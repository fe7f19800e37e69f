"""Petitions: likely repeats of earlier ones, by the person reported and by the wording of the matter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.core.changes import Changes
from app.core.domain import ListQuery, RecordKind
from app.core.errors import XunchaError

if TYPE_CHECKING:
    from app.vault.session import Session

THRESHOLD = 0.35
SAME_PERSON = 0.5
OTHER_PERSON = 0.5
CANDIDATES = 3000  # the newest petitions compared; a round has hundreds, the benchmark 100,000
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass(frozen=True)
class RepeatSuggestion:
    record_id: str
    number: str
    title: str
    score: float  # 0..1
    same_person: bool
    similarity: float


def bigrams(text: str) -> set[str]:
    """Character bigrams of the text without spaces and punctuation: a fair measure of Chinese wording."""
    cleaned = _NOISE.sub("", text.lower())
    return {cleaned[i:i + 2] for i in range(len(cleaned) - 1)} or ({cleaned} if cleaned else set())


def similarity(a: str, b: str) -> float:
    """Overlap of bigrams relative to the shorter text (a short call about a long letter still matches)."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def _person(name: str) -> str:
    return _NOISE.sub("", name)


class PetitionService:
    """Reached as `session.petitions`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def suggest_repeats(self, reported_person: str, summary: str, exclude: str | None = None,
                        limit: int = 5) -> list[RepeatSuggestion]:
        """Earlier petitions that likely concern the same matter, best first."""
        records = self.session.records
        ids = records.list_ids(RecordKind.PETITION, ListQuery(sort="occurred_on"))[:CANDIDATES]
        person = _person(reported_person)
        found = []
        for rid in ids:
            if rid == exclude:
                continue
            other = records.get(rid)
            theirs = _person(other.body.get("reported_person", ""))
            same = bool(person) and theirs == person
            sim = similarity(summary, other.body.get("summary", ""))
            if same:
                score = SAME_PERSON + sim * (1 - SAME_PERSON)
            elif person and theirs:
                score = sim * OTHER_PERSON  # two different people named: similar wording alone is weak
            else:
                score = sim
            if score >= THRESHOLD:
                found.append(RepeatSuggestion(rid, other.number, other.title, round(score, 3), same, round(sim, 3)))
        found.sort(key=lambda s: s.score, reverse=True)
        return found[:limit]

    def suggest_for(self, record_id: str, limit: int = 5) -> list[RepeatSuggestion]:
        record = self.session.records.get(record_id)
        if record.kind != RecordKind.PETITION:
            raise XunchaError("只有信访件可以查找重复件", "only petitions have repeats")
        already = set(self.session.records.links(record_id, "repeat_of"))
        return [s for s in self.suggest_repeats(record.body.get("reported_person", ""),
                                                record.body.get("summary", ""), exclude=record_id, limit=limit + 5)
                if s.record_id not in already][:limit]

    def mark_repeat(self, record_id: str, of_id: str) -> Changes:
        """Record that petition `record_id` repeats the earlier petition `of_id`."""
        for rid in (record_id, of_id):
            if self.session.records.get(rid).kind != RecordKind.PETITION:
                raise XunchaError("重复件只能关联到信访件", "a repeat links petitions only")
        return self.session.records.link(record_id, of_id, "repeat_of")
