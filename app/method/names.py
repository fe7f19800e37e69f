"""How records name a party organisation. The office enters a unit by its full name (中共青石镇委员会), the group
writes it as everyone says it (青石镇党委): both are the same unit. `org_key` gives one form for both, so the
coverage (which unit a roster, a petition or a problem is about) and the 回避 check (whether a record names a
declared unit) match them; names that are not organisations' pass through with their spaces removed."""

from __future__ import annotations

_PREFIXES = ("中国共产党", "中共")
# The long form and the short one, in this order: 中共青石镇委员会 → 青石镇委, 青石镇党委 → 青石镇委,
# 东坪村党支部 → 东坪村支部 (which 中共东坪村支部委员会 → 东坪村支部委 holds).
_SHORT = (("委员会", "委"), ("党委", "委"), ("党总支", "总支"), ("党支部", "支部"))


def org_key(name: str) -> str:
    """The comparable form of a person's or unit's name: spaces removed; for an organisation the party prefix
    dropped and 委员会 / 党委 / 党支部 shortened alike."""
    text = "".join((name or "").split())
    for prefix in _PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 1:
            text = text[len(prefix):]
            break
    for long, short in _SHORT:
        text = text.replace(long, short)
    return text
