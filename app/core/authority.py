"""Who may change what (DOMAIN.md, roles and states), as one table and a few small rules: the local services
ask it before a change, and the bundle importer asks it of every change a bundle brings, by the sender's
role on this vault's roster. app/exchange/bundle_policy.py decides what a bundle may carry out; this decides
what one may change on the way in (it lives in app/core so that every service can ask it).

The rules:

- Content (a record's title and fields): its author, whoever the leader assigned it to (a record the leader
  shared with a local member, app/exchange/sharing.py), or the leader.
- Status: along the kind's workflow only, each step by the role that holds it (三审 for working papers:
  the author submits, the deputy or the leader checks or sends back, only the leader signs). Kinds whose
  status is an ordinary field (petitions, document reviews) follow the content rule.
- The review stamps on a paper (`checked_by`, `signed_by`, `unit_confirmed_at`) change only with their
  step, and name who took it.
- Sensitivity: raised by its author or the leader, lowered only by the leader.
- Deletion and restoration: the author or the leader.
- A new record arriving in a bundle is written by its sender; its status is one its sender could have set.
- Creation: briefing material (巡前通报) and the entries of the three lists (政策清单, 问题清单, 基本情况清单) by the
  leader or the office (the lists are formed before entry and come in the round package); a group meeting's
  minute (组务会纪要) by the leader or the deputy; a member's appraisal (工作鉴定) by the leader (the office
  relays it); every other kind by any member of the group.
- The three lists are kept up to date on site by the whole group (随时动态更新, seed 004): the leader, the deputy
  and every member may change any entry's content and state; a local member only an entry shared with them.
- An interview note becomes final (定稿) only with each of its three required heads written (text or 无), on
  this laptop or in a bundle.
- Questionnaire sheets: entered by the leader, the deputy and members, never by a local member; an exclusion
  is the leader's decision.
- The rectification ledger (整改台账, docs/lifecycle.md): items are made and kept by the leader and the office;
  the unit's request for close-out (申请销号) is recorded by either; only the office closes an item out (销号,
  dated and signed with its own name) or sends it back with a reason (退回). The leader relays no close-out: a
  bundle from the leader that closes an item is refused, as is a close-out stamp that names someone else.
- Look-back checks (回头看核查, docs/lifecycle.md): seeded from an earlier round's ledger by the office or the
  leader of the look-back round (they hold the earlier ledger); the verdict, its note and date are kept up to
  date by the whole group, as the three lists are (the leader, the deputy and every member); a local member
  sees an item shared with them and records no verdict; a verdict names who checked: its sender (relayed: a
  member of the round); what the earlier ledger said (the seeded fields) only the office or the leader changes.
- The round's state (docs/lifecycle.md): moved forward only, by the leader or the office; a move that skips
  states needs a reason.
- 回避 (app/method/conflicts.py): a member's declarations are recorded by the leader or the office; assigning
  a member as interviewer or author on a record about a person or unit they declared needs the leader's
  decision, with a reason.
- A problem lead's status: forward along its states one step at a time, by the leader; the hand-over and
  the receiver's feedback also by the office; a bundle from the leader or the office may carry several
  steps taken since the last one, never a step back.

The leader and the office relay the group's work (the leader's bundles to the office carry every member's
records, with each step as it was taken), so what they send is checked against the workflow, not against
who took each step: a relayed stamp must name a member of the round.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from app.core.domain import LeadStatus, Record, RecordKind, Role, RoundStatus, Sensitivity
from app.core.kinds import KINDS, checklists, schema_for
from app.core.kinds import interview as interview_kind
from app.core.kinds import lookback as lookback_kind
from app.core.kinds import paper as paper_kind
from app.core.kinds import rectification as ledger_kind

AUTHOR = "author"  # a who-token beside the roles: the record's own author
RELAYS = frozenset({Role.LEADER, Role.OFFICE})
STATUS_KEY = "status"
# A paper's stamps, each set by one step of 三审 (app/capture/papers.py): step status → stamp.
STAMPS = {"checked": "checked_by", "signed": "signed_by", "confirmed": "unit_confirmed_at"}
STAMP_LABELS = {"checked_by": "复核人", "signed_by": "审签人", "unit_confirmed_at": "单位确认日期"}
# Body keys a record holds beside its kind's fields: the status, the stamps and the re-review mark.
EXTRA_KEYS: dict[str, frozenset[str]] = {
    RecordKind.PAPER.value: frozenset({STATUS_KEY, paper_kind.EDITED_AFTER_REVIEW, *STAMPS.values()}),
    RecordKind.RECTIFICATION.value: frozenset({STATUS_KEY, *ledger_kind.STAMPS}),
}
_REVIEWERS = frozenset({Role.DEPUTY, Role.LEADER})
_LEADER = frozenset({Role.LEADER})

# Kinds only some roles create (a kind not named here: anyone in the group; a kind unknown here: a relay).
CREATORS: dict[str, frozenset[Role]] = {
    RecordKind.BRIEFING.value: RELAYS,
    **{kind: RELAYS for kind in checklists.LIST_KINDS},
    RecordKind.MINUTE.value: frozenset({Role.LEADER, Role.DEPUTY, Role.OFFICE}),
    RecordKind.RECTIFICATION.value: RELAYS,
    RecordKind.APPRAISAL.value: RELAYS,
    RecordKind.LOOKBACK.value: RELAYS,
}
_CREATOR_WORDS = {
    RecordKind.BRIEFING.value: ("巡前通报材料只能由巡察办或组长提供",
                                "briefing material comes from the office or the leader"),
    RecordKind.MINUTE.value: ("组务会纪要只能由组长或副组长登记",
                              "only the leader or the deputy records a group meeting"),
    RecordKind.RECTIFICATION.value: ("整改台账只能由组长或巡察办建立",
                                     "only the leader or the office makes rectification ledger items"),
    RecordKind.APPRAISAL.value: ("工作鉴定由组长作出", "the leader writes the appraisals"),
    RecordKind.LOOKBACK.value: ("回头看核查事项由巡察办或组长从上一轮整改台账生成，组员可以记录核查结论",
                                "the office or the leader seeds look-back checks from the earlier ledger; "
                                "members record the verdicts"),
}
# Kinds whose content the relays keep (the ledger: the leader and the office follow the unit's rectification).
RELAY_KEPT = frozenset({RecordKind.RECTIFICATION.value})
_OFFICE = frozenset({Role.OFFICE})
# Kinds whose content and state the whole group keeps up to date (the three lists, the look-back checks),
# local members aside.
GROUP_KEPT = frozenset({*checklists.LIST_KINDS, RecordKind.LOOKBACK.value})
GROUP_KEEPERS = frozenset({Role.LEADER, Role.DEPUTY, Role.MEMBER})

# The workflow moves of the kinds whose status only the workflow moves: (from, to) → who may take it.
MOVES: dict[str, dict[tuple[str, str], frozenset[Any]]] = {
    RecordKind.PAPER.value: {
        ("draft", "submitted"): frozenset({AUTHOR}),
        ("returned", "submitted"): frozenset({AUTHOR}),
        ("submitted", "returned"): _REVIEWERS,
        ("checked", "returned"): _REVIEWERS,
        ("signed", "returned"): _REVIEWERS,
        ("submitted", "checked"): _REVIEWERS,
        ("checked", "checked"): _REVIEWERS,  # a re-check after an edit
        ("signed", "checked"): _REVIEWERS,  # the same, for a signed paper edited since
        ("checked", "signed"): _LEADER,
        ("signed", "confirmed"): _LEADER,
        ("confirmed", "in_report"): _LEADER,
        ("in_report", "archived"): _LEADER,
    },
    RecordKind.RECTIFICATION.value: {
        (ledger_kind.OPEN, ledger_kind.REQUESTED): RELAYS,  # 申请销号: the unit asks, the leader or office records it
        (ledger_kind.REQUESTED, ledger_kind.CLOSED): _OFFICE,  # 销号
        (ledger_kind.REQUESTED, ledger_kind.OPEN): _OFFICE,  # 退回, with a reason
    },
    RecordKind.INTERVIEW.value: {
        ("draft", "final"): frozenset({AUTHOR, Role.LEADER}),  # 定稿
        ("final", "draft"): frozenset({AUTHOR, Role.LEADER}),  # reopened, with a reason
    },
}


@dataclass(frozen=True)
class Actor:
    """Who asks for a change, as this vault knows them: from its own owner, or from the roster."""

    role: Role
    name: str
    member_id: str | None  # their row in the round's members on this vault, if any
    fingerprint: str

    @property
    def relay(self) -> bool:
        return self.role in RELAYS


@dataclass(frozen=True)
class Refusal:
    """Why a change is not allowed, in both languages."""

    zh: str
    en: str


def is_author(actor: Actor, record: Record, origin: str | None, own_fingerprint: str) -> bool:
    """Whether `actor` wrote `record`: its author field names them on this vault; or, a record whose author
    is no member here, it was first sent here by them (`origin`), or made here by this vault's owner."""
    if record.author_id is not None:
        return actor.member_id is not None and record.author_id == actor.member_id
    if origin is not None:
        return origin == actor.fingerprint
    return actor.fingerprint == own_fingerprint


def _label(kind: str, status: str) -> str:
    return KINDS[kind].status_label(status) if kind in KINDS else status


def _allowed(who: frozenset[Any], actor: Actor, author: bool) -> bool:
    return actor.role in who or (author and AUTHOR in who)


def content_of(body: dict[str, Any]) -> dict[str, Any]:
    """A record body without its status, stamps and re-review mark: what the content rule covers."""
    return {k: v for k, v in body.items()
            if k not in (STATUS_KEY, paper_kind.EDITED_AFTER_REVIEW, *STAMPS.values(), *ledger_kind.STAMPS)}


def may_create_kind(role: Role, kind: str) -> Refusal | None:
    """Whether a person of `role` may create a record of `kind` at all (CREATORS)."""
    creators = CREATORS.get(kind, None if kind in KINDS else RELAYS)
    if creators is None or role in creators:
        return None
    if kind in _CREATOR_WORDS:
        return Refusal(*_CREATOR_WORDS[kind])
    if kind in GROUP_KEPT:
        label = KINDS[kind].label
        return Refusal(f"{label}的条目由组长建立（或随巡察办的轮次材料下发），组员可以随时更新",
                       f"the leader (or the office) creates the entries of the {kind} list; members update them")
    return Refusal(*_CREATOR_WORDS[RecordKind.BRIEFING.value])


def interview_heads(body: dict[str, Any]) -> Refusal | None:
    """An interview note may be final only when each of its three required heads holds text (or 无)."""
    empty = interview_kind.empty_heads(body)
    if not empty:
        return None
    labels = "、".join(f"“{f.label}”" for f in empty)
    names = ", ".join(f.name for f in empty)
    nothing = interview_kind.NOTHING
    return Refusal(f"谈话记录定稿前，三项必谈内容都要记录（谈话对象没有谈到的写“{nothing}”）：{labels}尚未填写",
                   f"an interview note is final only when each of its three required heads holds text or "
                   f"{interview_kind.NOTHING}: {names} empty")


def may_edit(actor: Actor, author: bool, assigned: bool = False, kind: str = "") -> Refusal | None:
    if author or assigned or actor.role == Role.LEADER:
        return None
    if kind in GROUP_KEPT and actor.role in GROUP_KEEPERS:
        return None
    if kind in RELAY_KEPT:
        if actor.relay:
            return None
        return Refusal("整改台账只能由组长或巡察办修改",
                       "only the leader or the office changes the rectification ledger")
    return Refusal("只有记录人本人或组长可以修改这条记录", "only the record's author or the leader may change it")


def may_move(actor: Actor, kind: str, before: str, after: str, author: bool, assigned: bool = False
             ) -> Refusal | None:
    """A status change from `before` to `after`."""
    if before == after and kind not in MOVES:
        return None
    if kind not in MOVES:
        return may_edit(actor, author, assigned, kind)
    step = f"“{_label(kind, before)}”→“{_label(kind, after)}”"
    # One bundle may carry several steps (submitted and checked on the deputy's own paper): the actor must be
    # able to take each step of some path from `before` to `after`.
    if after in _reachable(kind, before, actor, author):
        return None
    if after not in _reachable(kind, before, replace(actor, role=Role.LEADER), True) | _reachable(
            kind, before, replace(actor, role=Role.OFFICE), True):
        return Refusal(f"状态不能从{step}", f"no such step: {before} → {after}")
    who = MOVES[kind].get((before, after)) or next(w for (_b, a), w in MOVES[kind].items() if a == after)
    names = "、".join("记录人" if w == AUTHOR else w.label for w in sorted(who, key=str))
    roles = ", ".join(sorted(map(str, who)))
    return Refusal(f"状态{step}只能由{names}操作", f"only {roles} may move {before} → {after}")


def may_stamp(actor: Actor, kind: str, before: dict[str, Any], after: dict[str, Any], members: set[str],
              author: bool = False) -> Refusal | None:
    """The review stamps change only with their step, and name who took it (or, relayed, a member)."""
    if kind == RecordKind.RECTIFICATION.value:
        return ledger_stamps(actor, before, after)
    if kind == RecordKind.LOOKBACK.value:
        return lookback_verdict(actor, before, after, members)
    if kind != RecordKind.PAPER.value:
        return None
    status, was = after.get(STATUS_KEY), str(before.get(STATUS_KEY))
    for step, stamp in STAMPS.items():
        if (stamp in before, before.get(stamp)) == (stamp in after, after.get(stamp)):
            continue  # (a stamp added as null is a change too: the body is not the same)
        label = STAMP_LABELS[stamp]
        if status != step or (was == step and step != "checked") or step not in _reachable(kind, was, actor, author):
            return Refusal(f"“{label}”只能随相应的审核步骤改变", f"{stamp} changes only with its review step")
        if stamp == "unit_confirmed_at":
            continue
        value = after.get(stamp)
        if value != actor.name and not (actor.relay and value in members):
            return Refusal(f"“{label}”写的不是操作人本人", f"{stamp} does not name who took the step")
    mark = paper_kind.EDITED_AFTER_REVIEW
    if (mark in before, before.get(mark)) != (mark in after, after.get(mark)):
        # The mark is set by an edit of the content and cleared by the (re-)check; nothing else writes it.
        set_by_edit = after.get(mark) is True and content_of(before) != content_of(after)
        rechecked = not after.get(mark) and status == "checked" and "checked" in _reachable(kind, was, actor, author)
        if before.get(mark) and not after.get(mark) and not rechecked:
            return Refusal("复核后修改过的底稿须重新复核，不能直接去掉待复核标记",
                           "a paper edited after its check must be checked again; the mark cannot just be cleared")
        if not (set_by_edit or rechecked):
            return Refusal("待复核标记只能随底稿内容的修改或复核改变",
                           "the re-check mark changes only with an edit of the paper's content or its check")
    return None


def ledger_stamps(actor: Actor, before: dict[str, Any], after: dict[str, Any]) -> Refusal | None:
    """A ledger item's stamps: the request's by the leader or the office, naming themselves; the close-out's
    and the return's by the office only, naming itself, a close-out only on a closed item, a return with its
    reason. (Several steps may travel in one bundle: each group of stamps is checked on its own.)"""
    def changed(*keys: str) -> bool:
        return any((k in before, before.get(k)) != (k in after, after.get(k)) for k in keys)

    status, office = after.get(STATUS_KEY), actor.role == Role.OFFICE
    requested_by = after.get(ledger_kind.REQUESTED_BY)
    if changed(ledger_kind.REQUESTED_ON, ledger_kind.REQUESTED_BY) and (
            not actor.relay or requested_by not in (actor.name, None)):
        return Refusal("“申请销号”只能由组长或巡察办登记，并写明登记人本人",
                       "a close-out request is recorded by the leader or the office, under their own name")
    if changed(ledger_kind.CLOSED_ON, ledger_kind.CLOSED_BY) and (
            not office or status != ledger_kind.CLOSED or after.get(ledger_kind.CLOSED_BY) != actor.name):
        return Refusal("只有巡察办可以销号，销号须注明日期并由巡察办署名",
                       "only the office closes an item out, dated and under its own name")
    reason = str(after.get(ledger_kind.RETURN_REASON) or "").strip()
    if changed(ledger_kind.RETURNED_ON, ledger_kind.RETURNED_BY, ledger_kind.RETURN_REASON) and (
            not office or after.get(ledger_kind.RETURNED_BY) != actor.name or not reason):
        return Refusal("只有巡察办可以退回销号申请，并须写明理由",
                       "only the office sends a close-out request back, with a reason")
    return None


VERDICT_KEYS = (STATUS_KEY, "checked_on", "checked_by", "note")


def lookback_verdict(actor: Actor, before: dict[str, Any], after: dict[str, Any], members: set[str]
                     ) -> Refusal | None:
    """A look-back check's verdict (its state, note, date and who checked): never a local member's, and
    under the name of who recorded it (relayed by the leader or the office: a member of the round). What the
    earlier ledger said (the fields seeded from it) is the seeder's: the office or the leader."""
    seeded = [f.name for f in lookback_kind.FIELDS if f.name not in VERDICT_KEYS]
    if not actor.relay and any(before.get(k) != after.get(k) for k in seeded):
        return Refusal("回头看核查事项的原台账内容只能由巡察办或组长修改，组员只记录核查结论",
                       "what the earlier ledger said is kept by the office or the leader; members record verdicts")
    if all(before.get(k) == after.get(k) for k in VERDICT_KEYS):
        return None
    if actor.role == Role.LOCAL:
        return Refusal("本地人员不记录“回头看”核查结论", "a local member does not record look-back verdicts")
    checked_by = after.get("checked_by") or ""
    if after.get(STATUS_KEY) == lookback_kind.UNCHECKED and not checked_by:
        return None
    if checked_by != actor.name and not (actor.relay and checked_by in members):
        return Refusal("“核查人”写的不是记录核查结论的本人", "checked_by does not name who recorded the verdict")
    return None


def may_change_sensitivity(actor: Actor, before: Sensitivity, after: Sensitivity, author: bool) -> Refusal | None:
    if before == after or actor.role in RELAYS:
        return None
    if after.rank > before.rank and author:
        return None
    if after.rank < before.rank:
        return Refusal("只有组长可以降低记录的密级", "only the leader may lower a record's sensitivity")
    return Refusal("只有记录人本人或组长可以提高记录的密级", "only the author or the leader may raise its sensitivity")


def may_delete(actor: Actor, author: bool, restore: bool = False) -> Refusal | None:
    if author or actor.role in RELAYS:
        return None
    if restore:
        return Refusal("只有记录人本人或组长可以恢复已删除的记录", "only the author or the leader may restore a record")
    return Refusal("只有记录人本人或组长可以删除这条记录", "only the record's author or the leader may delete it")


def may_create(actor: Actor, kind: str, status: str, body: dict[str, Any], members: set[str]) -> Refusal | None:
    """A new record from `actor` (its author): of a kind their role may create (CREATORS; material of a kind
    unknown here comes from the office or the leader), its status one its author could have set."""
    refusal = may_create_kind(actor.role, kind)
    if refusal is not None or kind not in KINDS:
        return refusal
    schema = schema_for(kind)
    if kind == RecordKind.INTERVIEW.value and status == interview_kind.FINAL and not actor.relay:
        # (The leader and the office relay notes finalised elsewhere, checked when they first arrived, and
        # notes finalised before this rule: those are not refused on their way to the office.)
        refusal = interview_heads(body)
        if refusal is not None:
            return refusal
    if kind in MOVES and status != schema.initial_status and status not in _reachable(
            kind, schema.initial_status, actor, True):
        label = schema.status_label(status)
        return Refusal(f"新记录不能由{actor.role.label}直接设为“{label}”",
                       f"a new record cannot arrive as {status} from a {actor.role.value}")
    for stamp in ("checked_by", "signed_by"):
        value = body.get(stamp)
        if value and value != actor.name and not (actor.relay and value in members):
            label = STAMP_LABELS[stamp]
            return Refusal(f"“{label}”写的不是操作人本人", f"{stamp} does not name who took the step")
    if body.get("unit_confirmed_at") and not actor.relay:
        return Refusal("单位确认只能由组长登记", "only the leader records the unit's confirmation")
    if kind == RecordKind.RECTIFICATION.value:
        return ledger_stamps(actor, {}, {**body, STATUS_KEY: status})
    return None


def _reachable(kind: str, start: str, actor: Actor, author: bool) -> set[str]:
    """The statuses `actor` can take a record of `kind` to from `start`, each step one they may take (a relay:
    any step of the workflow). `start` itself is in it only if a path returns to it."""
    found: set[str] = set()
    todo = [start]
    while todo:
        here = todo.pop()
        for (before, after), who in MOVES[kind].items():
            # A relay passes on any step of the workflow but the office's own (销号 and its return).
            relayed = actor.relay and who != _OFFICE
            if before == here and after not in found and (relayed or _allowed(who, actor, author)):
                found.add(after)
                todo.append(after)
    return found


def check_change(actor: Actor, local: Record, incoming: Record, author: bool, members: set[str],
                 assigned: bool = False) -> Refusal | None:
    """The first rule an update of `local` to `incoming` by `actor` breaks, or None. `assigned`: the leader
    assigned the record to `actor` (content only: not its sensitivity, deletion or workflow)."""
    if incoming.deleted != local.deleted:
        refusal = may_delete(actor, author, restore=local.deleted)
        if refusal:
            return refusal
    if (incoming.title, content_of(incoming.body)) != (local.title, content_of(local.body)):
        refusal = may_edit(actor, author, assigned, local.kind)
        if refusal:
            return refusal
    if local.kind == RecordKind.INTERVIEW.value and incoming.status == interview_kind.FINAL \
            and local.status != interview_kind.FINAL:
        refusal = interview_heads(incoming.body)
        if refusal:
            return refusal
    refusal = (may_move(actor, local.kind, local.status, incoming.status, author, assigned)
               if incoming.status != local.status else None)
    if refusal:
        return refusal
    refusal = may_stamp(actor, local.kind, local.body, incoming.body, members, author)
    if refusal:
        return refusal
    return may_change_sensitivity(actor, local.sensitivity, incoming.sensitivity, author)


# ---- questionnaires ---------------------------------------------------------------------------------------

SHEET_ROLES = frozenset({Role.LEADER, Role.DEPUTY, Role.MEMBER, Role.OFFICE})
EXCLUSION_ROLES = frozenset({Role.LEADER, Role.OFFICE})  # the office only relays the leader's decisions


def may_enter_sheets(role: Role) -> Refusal | None:
    if role in SHEET_ROLES:
        return None
    return Refusal("本地人员不录入问卷答卷", "a local member does not enter questionnaire sheets")


def may_exclude(role: Role) -> Refusal | None:
    if role in EXCLUSION_ROLES:
        return None
    return Refusal("只有组长可以剔除或恢复答卷", "only the leader excludes or restores a sheet")


# ---- the round's life cycle (docs/lifecycle.md) -----------------------------------------------------------

ROUND_ROLES = frozenset({Role.LEADER, Role.OFFICE})


def next_round_status(status: RoundStatus) -> RoundStatus | None:
    """The state after `status`, or None for the last."""
    order = list(RoundStatus)
    i = order.index(status)
    return order[i + 1] if i + 1 < len(order) else None


def skipped_round_states(before: RoundStatus, after: RoundStatus) -> list[RoundStatus]:
    order = list(RoundStatus)
    return order[order.index(before) + 1:order.index(after)]


def may_move_round(role: Role, before: RoundStatus, after: RoundStatus, reason: str = "") -> Refusal | None:
    """A round's move from `before` to `after`: forward only, by the leader or the office, with a reason
    when it skips states."""
    if role not in ROUND_ROLES:
        return Refusal("只有组长或巡察办可以推进轮次阶段", "only the leader or the office may move a round's state")
    order = list(RoundStatus)
    if order.index(after) <= order.index(before):
        return Refusal(f"轮次阶段不能从“{before.label}”回到“{after.label}”",
                       f"a round's state moves forward only: not {before.value} → {after.value}")
    skipped = skipped_round_states(before, after)
    if skipped and not reason.strip():
        names = "、".join(f"“{s.label}”" for s in skipped)
        return Refusal(f"从“{before.label}”直接进入“{after.label}”将跳过{names}，须写明理由",
                       f"moving {before.value} → {after.value} skips {', '.join(s.value for s in skipped)}:"
                       " give a reason")
    return None


# ---- problem leads --------------------------------------------------------------------------------------------

LEAD_ROLES = frozenset({Role.LEADER})
# The hand-over and its feedback: the office (巡察办) hands leads over to 纪委监委 / 组织部 and receives their
# feedback (seed 003), so it takes these two steps too; every other step is the leader's.
HANDOVER_ROLES = frozenset({Role.LEADER, Role.OFFICE})
HANDOVER_STEPS = frozenset({(LeadStatus.APPROVED, LeadStatus.HANDED_OVER),
                            (LeadStatus.HANDED_OVER, LeadStatus.FEEDBACK)})


def next_lead_status(status: LeadStatus) -> LeadStatus | None:
    order = list(LeadStatus)
    i = order.index(status)
    return order[i + 1] if i + 1 < len(order) else None


def may_move_lead(role: Role, before: LeadStatus, after: LeadStatus, relayed: bool = False) -> Refusal | None:
    """A lead's status from `before` to `after`. Taken here: the leader, one step forward. Relayed in a bundle
    (from the leader or the office): any number of steps forward, never back."""
    if before == after:
        return None
    order = list(LeadStatus)
    forward = order.index(after) > order.index(before)
    step = f"“{before.label}”→“{after.label}”"
    if relayed:
        if role not in RELAYS:
            return Refusal("问题线索只能来自组长或巡察办", "leads may come from the leader or the office only")
        if forward:
            return None
        return Refusal(f"问题线索状态不能倒退：{step}", f"a lead's status does not move back: {before} → {after}")
    if role not in LEAD_ROLES and not (role in HANDOVER_ROLES and (before, after) in HANDOVER_STEPS):
        if role in HANDOVER_ROLES:
            return Refusal("巡察办只登记问题线索的移交和反馈，其余状态由组长改变",
                           "the office records a lead's hand-over and feedback only; the leader moves the rest")
        return Refusal("只有组长可以改变问题线索的状态", "only the leader may move a lead's status")
    if after == next_lead_status(before):
        return None
    expected = next_lead_status(before)
    if expected is None:
        return Refusal(f"问题线索已“{before.label}”，状态不能再改变", f"the lead is {before}: its status is final")
    return Refusal(f"问题线索状态不能从{step}，下一步应为“{expected.label}”",
                   f"a lead's status moves one step at a time: {before} → {expected}, not {after}")


DECLARATION_ROLES = frozenset({Role.LEADER, Role.OFFICE})


def may_declare(role: Role) -> Refusal | None:
    """Who records a member's 回避 declarations: the leader, or the office that sets the round up."""
    if role in DECLARATION_ROLES:
        return None
    return Refusal("回避申报由组长或巡察办登记", "the leader or the office records the declarations")


def may_override_conflict(role: Role) -> Refusal | None:
    """Only the leader decides that a member with a declared tie may still be assigned (不回避)."""
    if role in _LEADER:
        return None
    return Refusal("只有组长可以决定不回避", "only the leader may assign a member despite a declared tie")
