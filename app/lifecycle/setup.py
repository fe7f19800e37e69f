"""A round's set-up from JSON, and back: rounds, group members and inspected units as plain objects, so an
office can script a year's plan (`xuncha round new`, `member add`, `unit add`; docs/lifecycle.md). Each
object is checked whole before anything is stored: an unknown field, a wrong type or an unknown value is
refused with its name. The rows are written by the Session's own methods, with their audit entries.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from app.core import authority
from app.core.domain import InspectedUnit, Member, Role, Round, RoundTransition, RoundType
from app.core.errors import XunchaError
from app.method.conflicts import check_declarations, declaration_json

if TYPE_CHECKING:
    from app.vault.session import Session

ROUND_FIELDS = {"code": "轮次编号", "name": "名称", "group_name": "巡察组", "round_type": "巡察类型",
                "auth_doc_no": "授权文号", "start_date": "开始日期", "end_date": "结束日期"}
MEMBER_FIELDS = {"name": "姓名", "role": "角色", "home_unit": "原单位", "phone": "电话", "conflicts": "回避说明",
                 "declarations": "回避申报"}
UNIT_FIELDS = {"name": "单位名称", "kind": "类别", "parent": "上级单位"}
MAX_OBJECTS = 1000


def objects(data: Any, what_zh: str) -> list[dict[str, Any]]:
    """One object, or a list of them (a year's plan in one file)."""
    items = data if isinstance(data, list) else [data]
    if not items or not all(isinstance(i, dict) for i in items):
        raise XunchaError(f"{what_zh}的 JSON 应为一个对象或对象列表", "the JSON must be an object or a list of objects")
    if len(items) > MAX_OBJECTS:
        raise XunchaError(f"一次最多 {MAX_OBJECTS} 项", f"at most {MAX_OBJECTS} objects at once")
    return items


def _fields(data: dict[str, Any], labels: dict[str, str], required: tuple[str, ...]) -> dict[str, str]:
    unknown = sorted(set(data) - set(labels))
    if unknown:
        raise XunchaError(f"没有这些字段：{'、'.join(unknown)}（可用：{'、'.join(labels)}）",
                          f"unknown fields: {', '.join(unknown)}")
    values: dict[str, str] = {}
    for name, value in data.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise XunchaError(f"“{labels[name]}”（{name}）应为文字", f"field {name}: expected text")
        values[name] = value.strip()
    for name in required:
        if not values.get(name):
            raise XunchaError(f"“{labels[name]}”（{name}）必须填写", f"field {name} is required")
    return values


def _day(values: dict[str, str], name: str) -> date | None:
    if not values.get(name):
        return None
    try:
        return date.fromisoformat(values[name])
    except ValueError:
        raise XunchaError(f"“{ROUND_FIELDS[name]}”（{name}）格式不对，应如 2026-09-01",
                          f"field {name}: not a date like 2026-09-01") from None


def _choice(enum: Any, value: str, name: str, label: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = "、".join(f"{m.value}（{m.label}）" for m in enum)
        raise XunchaError(f"“{label}”（{name}）不在可选范围内：{value}；可选 {allowed}",
                          f"field {name}: {value} is not one of {', '.join(m.value for m in enum)}") from None


def check_round(data: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of Session.create_round for one round object."""
    values = _fields(data, ROUND_FIELDS, ("code", "name", "group_name"))
    return {"code": values["code"], "name": values["name"], "group_name": values["group_name"],
            "round_type": _choice(RoundType, values.get("round_type") or RoundType.REGULAR.value, "round_type",
                                  ROUND_FIELDS["round_type"]),
            "auth_doc_no": values.get("auth_doc_no", ""), "start": _day(values, "start_date"),
            "end": _day(values, "end_date")}


def new_rounds(session: Session, data: Any, use: bool = True) -> list[Round]:
    """Create each round of `data`, every object checked before the first is stored. With `use`, the last
    becomes the round in use."""
    checked = [check_round(item) for item in objects(data, "轮次")]
    codes = [c["code"] for c in checked]
    if len(set(codes)) != len(codes):
        raise XunchaError("同一文件中轮次编号重复", "the same round code appears twice")
    have = {r.code for r in session.rounds.all()}
    taken = [c for c in codes if c in have]
    if taken:
        raise XunchaError(f"轮次编号已存在：{'、'.join(taken)}", f"round codes already exist: {', '.join(taken)}")
    made = []
    for i, kwargs in enumerate(checked):
        rnd, _ = session.create_round(**kwargs, use=use and i == len(checked) - 1)
        made.append(rnd)
    return made


def add_members(session: Session, data: Any) -> list[Member]:
    """Add each member of `data` to the round the session works on."""
    checked = []
    for item in objects(data, "成员"):
        declared = item.get("declarations") or []
        if not isinstance(declared, list):
            raise XunchaError("“回避申报”（declarations）应为列表，每项 {subject, relation, note}",
                              "field declarations: expected a list of {subject, relation, note}")
        values = _fields({k: v for k, v in item.items() if k != "declarations"}, MEMBER_FIELDS, ("name", "role"))
        role = _choice(Role, values["role"], "role", MEMBER_FIELDS["role"])
        if role is Role.OFFICE:
            raise XunchaError("巡察办不是巡察组成员", "the office is not a member of the group")
        try:
            declarations = check_declarations(declared)
        except XunchaError as exc:
            raise XunchaError(f"{values['name']}：{exc.zh}", f"{values['name']}: {exc.en}") from None
        checked.append((values["name"], role, values.get("home_unit", ""), values.get("phone", ""),
                        values.get("conflicts", ""), declarations))
    session.require_round()
    if any(args[5] for args in checked):
        refusal = authority.may_declare(session.owner_role)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)
    return [session.add_member(*args)[0] for args in checked]


def add_units(session: Session, data: Any) -> list[InspectedUnit]:
    """Add each inspected unit of `data` to the round the session works on. `parent` names a unit of the
    round (or one listed earlier in `data`) by name or id."""
    items = [_fields(item, UNIT_FIELDS, ("name",)) for item in objects(data, "被巡察单位")]
    session.require_round()
    known = {u.name: u.id for u in session.units()} | {u.id: u.id for u in session.units()}
    listed = {v["name"] for v in items}
    for v in items:
        parent = v.get("parent")
        if parent and parent not in known and parent not in listed:
            raise XunchaError(f"找不到上级单位：{parent}", f"no such parent unit: {parent}")
    made = []
    for v in items:
        parent = v.get("parent")
        unit, _ = session.add_unit(v["name"], v.get("kind", ""), known.get(parent) if parent else None)
        known[unit.name] = unit.id
        made.append(unit)
    return made


# ---- out ------------------------------------------------------------------------------------------------------


def round_json(rnd: Round) -> dict[str, Any]:
    return {"id": rnd.id, "code": rnd.code, "name": rnd.name, "group_name": rnd.group_name,
            "round_type": rnd.round_type.value, "round_type_label": rnd.round_type.label,
            "status": rnd.status.value, "status_label": rnd.status.label, "auth_doc_no": rnd.auth_doc_no,
            "start_date": rnd.start_date.isoformat() if rnd.start_date else None,
            "end_date": rnd.end_date.isoformat() if rnd.end_date else None}


def member_json(m: Member) -> dict[str, Any]:
    """A member without the phone number (protected: revealed one at a time, logged)."""
    return {"id": m.id, "round_id": m.round_id, "name": m.name, "role": m.role.value, "role_label": m.role.label,
            "home_unit": m.home_unit, "conflicts": m.conflicts,
            "declarations": [declaration_json(d) for d in m.declarations]}


def unit_json(u: InspectedUnit) -> dict[str, Any]:
    return {"id": u.id, "round_id": u.round_id, "name": u.name, "kind": u.kind, "parent_id": u.parent_id}


def transition_json(t: RoundTransition) -> dict[str, Any]:
    return {"from": t.from_status.value, "to": t.to_status.value, "to_label": t.to_status.label,
            "on": t.on_date.isoformat(), "by": t.by_name, "role": t.by_role.value, "reason": t.reason,
            "recorded_at": t.recorded_at}
