"""A briefing's body from a title and up to two texts: the fault and vault tests' quickest way to store a
record of some size (briefings are stored by the leader or the office, as the tests' sessions are)."""

from __future__ import annotations


def briefing(title: str, texts: dict[str, str] | None = None) -> dict[str, str]:
    values = list((texts or {}).values())
    body = {"title": title, "source": "市纪委监委"}
    if values:
        body["summary"] = values[0]
    if len(values) > 1:
        body["assessment"] = values[1]
    return body
