"""The record kinds captured in the field, as data: fields, states and list projections."""

from __future__ import annotations

from app.core.errors import XunchaError
from app.core.kinds import interview, paper, petition, review
from app.core.kinds.schema import KindSchema

KINDS: dict[str, KindSchema] = {
    s.kind.value: s for s in (interview.SCHEMA, petition.SCHEMA, review.SCHEMA, paper.SCHEMA)
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
