"""The record kinds captured in the field, as data: fields, states and list projections."""

from __future__ import annotations

from typing import Any

from app.core.errors import XunchaError
from app.core.kinds import (
    appraisal,
    briefing,
    checklists,
    fields,
    interview,
    lookback,
    minute,
    paper,
    petition,
    rectification,
    review,
)
from app.core.kinds.schema import KindSchema

KINDS: dict[str, KindSchema] = {
    s.kind.value: s for s in (interview.SCHEMA, petition.SCHEMA, review.SCHEMA, paper.SCHEMA, briefing.SCHEMA,
                              checklists.POLICY, checklists.PROBLEM, checklists.PROFILE, minute.SCHEMA,
                              rectification.SCHEMA, appraisal.SCHEMA, lookback.SCHEMA)
}


def schema_for(kind: str) -> KindSchema:
    """The schema of `kind`; a clear error naming the kinds that exist otherwise."""
    try:
        return KINDS[kind]
    except KeyError:
        names = ", ".join(KINDS)
        raise XunchaError(
            f"没有这类记录：{kind}（可用：{names}）", f"no record kind {kind!r} (one of: {names})"
        ) from None


def check_incoming(kind: str, body: Any, protected: Any = None) -> None:
    """The input hygiene of a record that arrives from another laptop (app/exchange/bundle_import.py):
    `body` and the `protected` values (field -> value) as clean as this app's editors save them, nothing
    changed. Raises XunchaError (ValidationError naming the field by its label) otherwise; see
    fields.check_incoming for what is let through."""
    if protected is not None and not isinstance(protected, dict):
        raise XunchaError("受保护信息应为 JSON 对象", "protected values must be a JSON object")
    fields.check_incoming(schema_for(kind).fields, body, protected)
