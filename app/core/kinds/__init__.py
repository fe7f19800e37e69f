"""The record kinds captured in the field, as data: fields, states and list projections."""

from __future__ import annotations

from typing import Any

from app.core import inputs
from app.core.domain import RecordKind
from app.core.errors import XunchaError
from app.core.kinds import briefing, checklists, fields, interview, minute, paper, petition, review
from app.core.kinds.schema import KindSchema

KINDS: dict[str, KindSchema] = {
    s.kind.value: s for s in (interview.SCHEMA, petition.SCHEMA, review.SCHEMA, paper.SCHEMA, briefing.SCHEMA,
                              checklists.POLICY, checklists.PROBLEM, checklists.PROFILE, minute.SCHEMA)
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


# Material of a kind without a schema (briefings, the office's set-up material): plain texts under short names.
MATERIAL_KINDS = frozenset(k.value for k in RecordKind if k.value not in KINDS)
MAX_MATERIAL_FIELDS = 50
MAX_MATERIAL_NAME = 64


def check_material(kind: str, title: str, texts: Any) -> dict[str, str]:
    """Material entered on this laptop (`RecordService.add_material`): a kind without a schema, a title of
    one line, and at most 50 texts under names of at most 64 characters, each clean and within a long text's
    length (the shape app/exchange/bundle_import.py accepts). Returns the texts, newlines normalised."""
    if kind not in MATERIAL_KINDS:
        raise XunchaError(f"{kind} 不是材料类记录，请按记录类型录入", f"{kind!r} is not material; add it as a record")
    if not title.strip() or len(title) > 200:
        raise XunchaError("材料标题不能为空，且不超过 200 字", "material needs a title of at most 200 characters")
    inputs.check_text(title, "标题", "title", multiline=False)
    if not isinstance(texts, dict) or len(texts) > MAX_MATERIAL_FIELDS:
        raise XunchaError(f"材料内容应为不超过 {MAX_MATERIAL_FIELDS} 项的文字",
                          f"material is at most {MAX_MATERIAL_FIELDS} named texts")
    clean: dict[str, str] = {}
    for name, value in texts.items():
        if not isinstance(name, str) or not name or len(name) > MAX_MATERIAL_NAME or not isinstance(value, str) \
                or len(value) > fields.MAX_LONGTEXT:
            raise XunchaError(f"材料内容“{str(name)[:64]}”格式错误", f"material text {str(name)[:64]!r} is malformed")
        inputs.check_text(name, "内容名称", "text name", multiline=False)
        clean[name] = inputs.check_text(inputs.normalise_newlines(value), name)
    return clean


def check_incoming(kind: str, body: Any, protected: Any = None) -> None:
    """The input hygiene of a record that arrives from another laptop (app/exchange/bundle_import.py):
    `body` and the `protected` values (field -> value) as clean as this app's editors save them, nothing
    changed. Raises XunchaError (ValidationError naming the field by its label) otherwise; see
    fields.check_incoming for what is let through."""
    if protected is not None and not isinstance(protected, dict):
        raise XunchaError("受保护信息应为 JSON 对象", "protected values must be a JSON object")
    fields.check_incoming(schema_for(kind).fields, body, protected)
