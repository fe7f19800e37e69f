"""回避: each member's declared ties (spouse, close kin, a post or a direct superior in the last three years) to
persons and units, and the check that a record about a declared person or unit is not given to that member.

The rule (docs/method.md, "回避"): assigning a member as interviewer (or recorder) or as author on an
interview, a petition or a working paper whose unit, reported person or unit, interviewee or persons
involved match one of the member's declarations is refused with the declaration named, unless the leader
decides otherwise (不回避) with a reason; that decision is audit-logged, one entry per tie. An edit is checked
only for the ties it adds: a tie the stored revision already had was allowed when it was made.

The GUI's record editor and `xuncha add | edit` both reach this through RecordService; the declarations
themselves are recorded here (`session.conflicts.declare`) by the leader or the office, and travel in the
round package with the roster (app/exchange/round_package.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core import authority
from app.core.changes import Changes
from app.core.domain import AuditAction, Declaration, Member, RecordKind, Relation
from app.core.errors import XunchaError
from app.core.inputs import check_text
from app.core.kinds import schema_for
from app.core.kinds.fields import FieldType
from app.method.names import org_key
from storage import audit, round_repo

if TYPE_CHECKING:
    from app.vault.session import Session

# The kinds whose subject a member must not be assigned to when tied to it, and the fields naming that subject.
CHECKED_KINDS = frozenset({RecordKind.INTERVIEW.value, RecordKind.PETITION.value, RecordKind.PAPER.value})
SUBJECT_FIELDS = ("interviewee", "unit", "reported_person", "reported_unit", "persons_involved", "responsible")
MAX_DECLARATIONS = 50
MIN_MATCH = 2  # a name shorter than this is matched only whole


def relation_of(value: Any, n: int) -> Relation:
    """A relation by its value (spouse) or its label (配偶); a clear message naming declaration `n` otherwise."""
    allowed = "、".join(r.label for r in Relation)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise XunchaError(f"第 {n} 项回避申报没有填写关系（可选：{allowed}），未保存",
                          f"declaration {n} has no relation (one of: {', '.join(r.value for r in Relation)});"
                          " nothing was stored")
    text = str(value).strip()
    for r in Relation:
        if text in (r.value, r.label):
            return r
    raise XunchaError(f"第 {n} 项回避申报的关系“{text}”不在可选范围内（可选：{allowed}），未保存",
                      f"declaration {n}: unknown relation {text!r}; nothing was stored")


def check_declarations(items: Iterable[Any]) -> tuple[Declaration, ...]:
    """Declarations from plain objects ({subject, relation, note}), each checked; the first fault refuses all."""
    out: list[Declaration] = []
    for n, item in enumerate(items, 1):
        if n > MAX_DECLARATIONS:
            raise XunchaError(f"每位成员最多 {MAX_DECLARATIONS} 项回避申报", f"at most {MAX_DECLARATIONS} declarations")
        if isinstance(item, Declaration):
            item = {"subject": item.subject, "relation": item.relation.value, "note": item.note}
        if not isinstance(item, Mapping):
            raise XunchaError(f"第 {n} 项回避申报应为对象（subject、relation、note）",
                              f"declaration {n} must be an object (subject, relation, note)")
        unknown = sorted(set(item) - {"subject", "relation", "note"})
        if unknown:
            raise XunchaError(f"第 {n} 项回避申报没有这些字段：{'、'.join(unknown)}（可用：subject、relation、note）",
                              f"declaration {n}: unknown fields {', '.join(unknown)}")
        subject, note = item.get("subject"), item.get("note") or ""
        if not isinstance(subject, str) or not subject.strip():
            raise XunchaError(f"第 {n} 项回避申报没有填写对象（人员或单位），未保存",
                              f"declaration {n} names no person or unit; nothing was stored")
        if not isinstance(note, str):
            raise XunchaError(f"第 {n} 项回避申报的说明应为文字", f"declaration {n}: the note must be text")
        relation = relation_of(item.get("relation"), n)
        subject = check_text(subject.strip(), "回避对象", "declared person or unit", multiline=False)[:200]
        note = check_text(note.strip(), "回避说明", "declaration note")[:2000]
        out.append(Declaration(subject, relation, note))
    keys = [(d.subject, d.relation) for d in out]
    if len(set(keys)) != len(keys):
        raise XunchaError("同一对象、同一关系的回避申报重复", "the same person or unit and relation is declared twice")
    return tuple(out)


def declaration_json(d: Declaration) -> dict[str, str]:
    return {"subject": d.subject, "relation": d.relation.value, "relation_label": d.relation.label, "note": d.note}


@dataclass(frozen=True)
class Tie:
    """A member assigned to a record whose subject they declared a tie to."""

    member: str
    declaration: Declaration
    field_label: str  # where the record names the subject (单位, 谈话对象...)
    value: str

    @property
    def key(self) -> tuple[str, str, str]:
        return self.member, self.declaration.subject, self.declaration.relation.value

    def sentence(self) -> str:
        return (f"{self.member}申报与{self.declaration.subject}存在回避关系（{self.declaration.relation.label}），"
                "须组长说明理由后方可指派")


class ConflictOfInterest(XunchaError):
    """Refused: the record assigns a member to a subject they declared; nothing was stored."""

    def __init__(self, ties: list[Tie]) -> None:
        self.ties = ties
        zh = "；".join(t.sentence() for t in ties)
        en = "; ".join(f"{t.member} declared a tie to {t.declaration.subject} ({t.declaration.relation.value}):"
                       " the leader must give a reason to assign them" for t in ties)
        super().__init__(zh, en)


def _same(declared: str, named: str) -> bool:
    """Whether a name in a record points at a declared person or unit: the same name (青石镇党委 is
    中共青石镇委员会: app/method/names.py), or one holding the other (青石镇党委 in 青石镇党委办公室, 青石镇 in
    青石镇财政所), names of one character only whole."""
    a, b = org_key(declared), org_key(named)
    if not a or not b:
        return False
    if a == b:
        return True
    return (len(a) >= MIN_MATCH and a in b) or (len(b) >= MIN_MATCH and b in a)


def assigned(kind: str, body: Mapping[str, Any], author: str = "") -> list[str]:
    """The members a record assigns: its interviewers and recorder (the member fields), and its author."""
    names: list[str] = []
    for f in schema_for(kind).fields:
        value = body.get(f.name)
        if f.type in (FieldType.MEMBERS, FieldType.MEMBER) and value:
            names += [str(v) for v in (value if isinstance(value, list) else [value])]
    if author:
        names.append(author)
    return list(dict.fromkeys(n for n in names if n))


def ties(kind: str, body: Mapping[str, Any], members: Iterable[Member], author: str = "") -> list[Tie]:
    """Each declared tie between a member the record assigns and a person or unit the record is about."""
    if kind not in CHECKED_KINDS:
        return []
    schema = schema_for(kind)
    subjects: list[tuple[str, str]] = []
    for name in SUBJECT_FIELDS:
        if not schema.has_field(name):
            continue
        value = body.get(name)
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v.strip():
                subjects.append((schema.field(name).label, v.strip()))
    if not subjects:
        return []
    by_name = {m.name: m for m in members}
    found: dict[tuple[str, str, str], Tie] = {}
    for who in assigned(kind, body, author):
        member = by_name.get(who)
        if member is None:
            continue
        for d in member.declarations:
            for label, value in subjects:
                tie = Tie(who, d, label, value)
                if _same(d.subject, value) and tie.key not in found:
                    found[tie.key] = tie
    return list(found.values())


def new_ties(kind: str, body: Mapping[str, Any], members: list[Member], author: str = "",
             before: Mapping[str, Any] | None = None) -> list[Tie]:
    """The ties of `body` that the stored revision `before` did not already have."""
    had = {t.key for t in ties(kind, before, members, author)} if before is not None else set()
    return [t for t in ties(kind, body, members, author) if t.key not in had]


def override_reason(role: Any, reason: str | None, found: list[Tie]) -> str:
    """The leader's reason for assigning despite `found`, checked; ConflictOfInterest without one."""
    if reason is None:
        raise ConflictOfInterest(found)
    refusal = authority.may_override_conflict(role)
    if refusal is not None:
        raise XunchaError(f"{found[0].sentence()}；{refusal.zh}", f"{refusal.en}")
    text = check_text(reason.strip(), "不回避的理由", "reason", multiline=True)
    if not text:
        raise XunchaError(f"{found[0].sentence()}；请写明不回避的理由", "give the reason for the override")
    return text[:2000]


def log_overrides(conn: Any, owner: str, target: str, number: str, found: list[Tie], reason: str) -> None:
    """One audit entry per tie the leader let stand, in the transaction that stores the record."""
    for t in found:
        audit.append(conn, owner, AuditAction.CONFLICT_OVERRIDE, target,
                     {"number": number, "member": t.member, "subject": t.declaration.subject,
                      "relation": t.declaration.relation.value, "relation_label": t.declaration.relation.label,
                      "field": t.field_label, "value": t.value, "reason": reason})


class ConflictService:
    """Reached as `session.conflicts`: the members' declarations, and the check records meet."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def member(self, ref: str) -> Member:
        """A member of the round by name or id."""
        found = [m for m in self.session.members() if ref.strip() in (m.id, m.name)]
        if not found:
            raise XunchaError(f"本轮没有这位成员：{ref}", f"no such member in this round: {ref}")
        return found[0]

    def declare(self, ref: str, declarations: Iterable[Any], note: str | None = None,
                replace: bool = False) -> tuple[Member, Changes]:
        """Add `declarations` to a member's (or, with `replace`, set them); `note` replaces the free-text note.
        Checked whole first: a declaration with no relation refuses all of them."""
        refusal = authority.may_declare(self.session.owner_role)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)
        member = self.member(ref)
        given = check_declarations(declarations)
        kept = () if replace else member.declarations
        have = {(d.subject, d.relation) for d in kept}
        merged = (*kept, *(d for d in given if (d.subject, d.relation) not in have))
        check_declarations(merged)  # the limit holds for the whole list
        text = member.conflicts if note is None else check_text(note.strip(), "回避说明", "note")[:2000]
        with self.session.vault.transaction() as conn:
            round_repo.set_declarations(conn, member.id, text, merged)
            audit.append(conn, self.session.owner_name, AuditAction.DECLARE, f"member:{member.id}",
                         {"name": member.name, "count": len(merged)})
        changed = Member(member.id, member.round_id, member.name, member.role, member.home_unit, member.phone,
                         text, merged)
        return changed, Changes.MEMBERS | Changes.AUDIT

    def ties(self, kind: str, body: Mapping[str, Any], author: str = "",
             before: Mapping[str, Any] | None = None) -> list[Tie]:
        """The ties a record (new, or changed from `before`) would assign, for a warning before saving."""
        return new_ties(kind, body, self.session.members(), author, before)
