"""The round guide (一册一指引, seed 004: "按照巡察工作六大环节，细化关键步骤"): the steps of a round, phase by
phase, each with what shows it done, and where the round stands against them.

A guide is data: resources/guides/<round type>.json ships one per round type (a type without its own uses
the 常规巡察 guide); the office (or a leader) may import its own for a round type, validated in full before
anything is stored (docs/method.md, "The round guide"). A step is done when

- `record`: the round holds at least `count` records of a kind (in one of `status`, if given);
- `state`: the round has reached a state;
- `document`: an official document of a kind was written for the round (the register of exports);
- `tick`: someone ticked it by hand with a date (kept on this vault, logged).

A step of the round's current phase that is not done is due; one of an earlier phase is overdue; a later
phase's step is not yet due. The service reads facts from indexes (a count by state per record kind the guide
names), the register of documents and the ticks, whatever the round holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.compile.documents import KINDS as DOCUMENT_KINDS
from app.core.changes import Changes
from app.core.domain import AuditAction, LabelledEnum, Role, Round, RoundStatus, RoundType, now_utc
from app.core.errors import XunchaError
from app.core.kinds import KINDS
from storage import audit, guide_repo

if TYPE_CHECKING:
    from app.vault.session import Session

FORMAT = 1
STEP_KINDS = {"record": "有记录", "state": "到达阶段", "document": "写出文书", "tick": "手动勾选"}
MAX_STEPS = 500
MAX_TEXT = 400
MAX_GUIDE_BYTES = 1_000_000
GUIDE_ROLES = frozenset({Role.LEADER, Role.DEPUTY, Role.OFFICE})  # who may tick a step
IMPORT_ROLES = frozenset({Role.LEADER, Role.OFFICE})  # who may import a guide
PHASES = list(RoundStatus)


class GuideError(XunchaError):
    """A guide file that cannot be used; nothing was stored."""

    def __init__(self, where: str, zh: str, en: str) -> None:
        prefix_zh = f"工作指引{where}：" if where else "工作指引："
        prefix_en = f"guide {where}: " if where else "guide: "
        super().__init__(prefix_zh + zh, prefix_en + en)


@dataclass(frozen=True)
class DoneWhen:
    """What shows a step done."""

    kind: str  # one of STEP_KINDS
    record_kind: str = ""
    statuses: tuple[str, ...] = ()
    count: int = 1
    state: RoundStatus | None = None
    document: str = ""

    def describe(self) -> str:
        """In Chinese, for the screen: 有 3 条巡前通报材料（已研判）."""
        if self.kind == "record":
            schema = KINDS[self.record_kind]
            labels = "、".join(schema.status_label(s) for s in self.statuses)
            return f"有 {self.count} 条{schema.label}" + (f"（{labels}）" if labels else "")
        if self.kind == "state":
            assert self.state is not None
            return f"轮次进入“{self.state.label}”"
        if self.kind == "document":
            return f"写出{DOCUMENT_KINDS[self.document]}"
        return "手动勾选并注明日期"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "record":
            out.update(record=self.record_kind, count=self.count)
            if self.statuses:
                out["status"] = list(self.statuses)
        elif self.kind == "state":
            out["state"] = self.state.value if self.state else ""
        elif self.kind == "document":
            out["document"] = self.document
        return out


@dataclass(frozen=True)
class GuideStep:
    id: str
    phase: RoundStatus
    title: str
    done_when: DoneWhen
    depends_on: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True)
class Guide:
    round_type: RoundType
    title: str
    steps: tuple[GuideStep, ...]
    source: str = "shipped"  # or "office": imported on this vault
    digest: str = ""

    def step(self, step_id: str) -> GuideStep:
        found = next((s for s in self.steps if s.id == step_id), None)
        if found is None:
            known = "、".join(s.id for s in self.steps[:12])
            raise XunchaError(f"工作指引中没有这一步：{step_id}（如：{known}…）",
                              f"the guide has no step {step_id!r}")
        return found


class StepState(LabelledEnum):
    OVERDUE = "overdue", "逾期"
    DUE = "due", "待办"
    LATER = "later", "未到阶段"
    DONE = "done", "已完成"


@dataclass(frozen=True)
class Tick:
    on: str  # the day it was done
    by: str
    at: str  # when it was ticked


@dataclass(frozen=True)
class StepProgress:
    step: GuideStep
    state: StepState
    progress: str  # 2/3 for a record step, '' otherwise
    waiting_on: tuple[str, ...] = ()  # titles of the undone steps it depends on
    tick: Tick | None = None

    @property
    def done(self) -> bool:
        return self.state is StepState.DONE


@dataclass(frozen=True)
class GuideView:
    """Where the round stands against its guide."""

    round: Round
    guide: Guide
    steps: list[StepProgress] = field(default_factory=list)

    def count(self, state: StepState) -> int:
        return sum(1 for s in self.steps if s.state is state)

    def left(self) -> list[StepProgress]:
        """The steps not done, most urgent first: overdue, then due, then later. Among the overdue and the
        due, the steps whose dependencies are done come first, then by phase and the guide's order; the later
        ones go by phase first."""
        order = {s: i for i, s in enumerate(StepState)}
        position = {p.step.id: i for i, p in enumerate(self.steps)}
        undone = [p for p in self.steps if not p.done]

        def urgency(p: StepProgress) -> tuple[int, ...]:
            phase, waiting = PHASES.index(p.step.phase), int(bool(p.waiting_on))
            if p.state is StepState.LATER:  # what is ahead, in the order the phases come
                return order[p.state], phase, waiting, position[p.step.id]
            return order[p.state], waiting, phase, position[p.step.id]

        return sorted(undone, key=urgency)

    def urgent(self, n: int = 3) -> list[StepProgress]:
        return [p for p in self.left() if p.state is not StepState.LATER][:n]


# ---- reading a guide ---------------------------------------------------------------------------------------------


def _text(value: Any, where: str, name: str, required: bool = True) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise GuideError(where, f"“{name}”须为非空文字", f"{name!r} must be non-empty text")
    if len(value) > MAX_TEXT:
        raise GuideError(where, f"“{name}”过长（最多 {MAX_TEXT} 字）", f"{name!r} is too long (at most {MAX_TEXT})")
    return value.strip()


def _phase(value: Any, where: str, name: str) -> RoundStatus:
    try:
        return RoundStatus(value)
    except ValueError:
        names = "、".join(s.value for s in PHASES)
        raise GuideError(where, f"没有这个阶段：{value!r}（可选：{names}）",
                         f"unknown phase {value!r} in {name!r} (one of: {', '.join(s.value for s in PHASES)})"
                         ) from None


def _done_when(value: Any, where: str) -> DoneWhen:
    if not isinstance(value, dict):
        raise GuideError(where, "“done”须为对象，写明这一步怎样算完成",
                         "'done' must be an object saying what shows it done")
    kind = value.get("kind")
    if kind not in STEP_KINDS:
        names = "、".join(f"{k}（{v}）" for k, v in STEP_KINDS.items())
        raise GuideError(where, f"未知的步骤类型：{kind!r}（可选：{names}）",
                         f"unknown step kind {kind!r} (one of: {', '.join(STEP_KINDS)})")
    if kind == "record":
        record_kind = value.get("record")
        if record_kind not in KINDS:
            raise GuideError(where, f"没有这类记录：{record_kind!r}（可选：{'、'.join(KINDS)}）",
                             f"unknown record kind {record_kind!r} (one of: {', '.join(KINDS)})")
        raw = value.get("status", [])
        statuses = (raw,) if isinstance(raw, str) else raw
        if not isinstance(statuses, (list, tuple)) or not all(isinstance(s, str) for s in statuses):
            raise GuideError(where, "“status”须为状态或状态的列表", "'status' must be a state or a list of states")
        schema = KINDS[record_kind]
        known = [c.value for c in schema.statuses]
        bad = [s for s in statuses if s not in known]
        if bad:
            raise GuideError(where, f"{schema.label}没有状态 {bad[0]!r}（可选：{'、'.join(known)}）",
                             f"{record_kind} has no state {bad[0]!r} (one of: {', '.join(known)})")
        count = value.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 100_000:
            raise GuideError(where, "“count”须为 1 至 100000 的整数", "'count' must be a whole number from 1 to 100000")
        return DoneWhen("record", record_kind=record_kind, statuses=tuple(statuses), count=count)
    if kind == "state":
        return DoneWhen("state", state=_phase(value.get("state"), where, "state"))
    if kind == "document":
        doc = value.get("document")
        if doc not in DOCUMENT_KINDS:
            raise GuideError(where, f"没有这种文书：{doc!r}（可选：{'、'.join(DOCUMENT_KINDS)}）",
                             f"unknown document kind {doc!r} (one of: {', '.join(DOCUMENT_KINDS)})")
        return DoneWhen("document", document=doc)
    return DoneWhen("tick")


def _cycle(steps: list[GuideStep]) -> list[str] | None:
    """A cycle in depends_on, as the ids around it (first repeated at the end), or None."""
    deps = {s.id: s.depends_on for s in steps}
    colour: dict[str, int] = {}  # 1: on the path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        colour[node] = 1
        path.append(node)
        for nxt in deps[node]:
            if colour.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in colour:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        colour[node] = 2
        return None

    for s in steps:
        if s.id not in colour:
            found = visit(s.id)
            if found:
                return found
    return None


def parse_guide(data: Any, source: str = "office") -> Guide:
    """A guide from its JSON value, checked in full: GuideError names the first fault (unknown step kind,
    unknown phase, a dependency on no step or in a cycle, a repeated id...)."""
    if not isinstance(data, dict):
        raise GuideError("", "须为一个 JSON 对象", "must be a JSON object")
    if data.get("format") != FORMAT:
        raise GuideError("", f"“format”须为 {FORMAT}", f"'format' must be {FORMAT}")
    try:
        round_type = RoundType(str(data.get("round_type")))
    except ValueError:
        names = "、".join(f"{t.value}（{t.label}）" for t in RoundType)
        raise GuideError("", f"没有这种巡察类型：{data.get('round_type')!r}（可选：{names}）",
                         f"unknown round type {data.get('round_type')!r}") from None
    title = _text(data.get("title"), "", "title")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise GuideError("", "“steps”须为非空列表", "'steps' must be a non-empty list")
    if len(raw_steps) > MAX_STEPS:
        raise GuideError("", f"步骤过多（最多 {MAX_STEPS} 步）", f"too many steps (at most {MAX_STEPS})")
    steps: list[GuideStep] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_steps, 1):
        where = f"第 {i} 步"
        if not isinstance(raw, dict):
            raise GuideError(where, "须为对象", "must be an object")
        step_id = _text(raw.get("id"), where, "id")
        where = f"第 {i} 步（{step_id}）"
        if step_id in seen:
            raise GuideError(where, "步骤编号重复", "the id is used twice")
        seen.add(step_id)
        phase = _phase(raw.get("phase"), where, "phase")
        depends = raw.get("depends_on", [])
        if not isinstance(depends, list) or not all(isinstance(d, str) for d in depends):
            raise GuideError(where, "“depends_on”须为步骤编号的列表", "'depends_on' must be a list of step ids")
        steps.append(GuideStep(step_id, phase, _text(raw.get("title"), where, "title"),
                               _done_when(raw.get("done"), where), tuple(dict.fromkeys(depends)),
                               _text(raw.get("hint"), where, "hint", required=False)))
    for s in steps:
        missing = [d for d in s.depends_on if d not in seen]
        if missing:
            raise GuideError(f"步骤 {s.id}", f"依赖的步骤不存在：{missing[0]}",
                             f"depends on no such step: {missing[0]}")
    cycle = _cycle(steps)
    if cycle:
        raise GuideError("", f"步骤之间的依赖成环：{' → '.join(cycle)}", f"depends_on has a cycle: {' → '.join(cycle)}")
    canonical = json.dumps(guide_json_of(round_type, title, steps), ensure_ascii=False, sort_keys=True)
    return Guide(round_type, title, tuple(steps), source, hashlib.sha256(canonical.encode()).hexdigest())


def guide_json_of(round_type: RoundType, title: str, steps: list[GuideStep] | tuple[GuideStep, ...]
                  ) -> dict[str, Any]:
    return {"format": FORMAT, "round_type": round_type.value, "title": title, "steps": [
        {"id": s.id, "phase": s.phase.value, "title": s.title, "depends_on": list(s.depends_on),
         "done": s.done_when.to_json(), **({"hint": s.hint} if s.hint else {})} for s in steps]}


def guide_json(guide: Guide) -> dict[str, Any]:
    """The guide as its file holds it (a guide written back is read the same)."""
    return guide_json_of(guide.round_type, guide.title, guide.steps)


def read_guide_text(text: str, source: str = "office") -> Guide:
    if len(text.encode("utf-8")) > MAX_GUIDE_BYTES:
        raise GuideError("", "文件过大", f"the file is too large (at most {MAX_GUIDE_BYTES} bytes)")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise GuideError("", f"不是有效的 JSON（{exc}）", f"not valid JSON ({exc})") from None
    except RecursionError:  # nesting deeper than the reader's stack: no guide is built like that
        raise GuideError("", "JSON 嵌套层次过深", "the JSON is nested too deeply") from None
    return parse_guide(data, source)


def shipped_guide(round_type: RoundType) -> Guide | None:
    """The guide shipped for a round type (resources/guides/TYPE.json), or None."""
    path = resources.files("resources").joinpath(f"guides/{round_type.value}.json")
    if not path.is_file():
        return None
    return read_guide_text(path.read_text(encoding="utf-8"), "shipped")


# ---- where a round stands ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """What the steps are measured against, read in one go."""

    status: RoundStatus
    counts: dict[tuple[str, str], int]
    documents: set[str]
    ticks: dict[str, Tick]


def measure(guide: Guide, rnd: Round, facts: Facts) -> GuideView:
    """Each step done, due, overdue or not yet due (pure: no vault)."""
    current = PHASES.index(facts.status)
    done: dict[str, bool] = {}
    progress: dict[str, str] = {}
    for step in guide.steps:
        rule = step.done_when
        if rule.kind == "record":
            have = sum(n for (kind, status), n in facts.counts.items()
                       if kind == rule.record_kind and (not rule.statuses or status in rule.statuses))
            done[step.id] = have >= rule.count
            progress[step.id] = f"{min(have, rule.count)}/{rule.count}"
        elif rule.kind == "state":
            assert rule.state is not None
            done[step.id] = current >= PHASES.index(rule.state)
        elif rule.kind == "document":
            done[step.id] = rule.document in facts.documents
        else:
            done[step.id] = step.id in facts.ticks
    titles = {s.id: s.title for s in guide.steps}
    out = []
    for step in guide.steps:
        if done[step.id]:
            state = StepState.DONE
        else:
            phase = PHASES.index(step.phase)
            state = StepState.OVERDUE if phase < current else StepState.DUE if phase == current else StepState.LATER
        waiting = tuple(titles[d] for d in step.depends_on if not done[d])
        out.append(StepProgress(step, state, progress.get(step.id, ""), waiting, facts.ticks.get(step.id)))
    return GuideView(rnd, guide, out)


class GuideService:
    """Reached as `session.guide`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- the guide in use ------------------------------------------------------------------------------------

    def guide_for(self, round_type: RoundType) -> Guide:
        """The office's own guide for the type if one was imported here, else the shipped one (a type with
        none of its own uses the 常规巡察 guide)."""
        with self.session.vault.lock:
            text = guide_repo.custom_guide(self.session.vault.conn, round_type.value)
        if text is not None:
            return read_guide_text(text, "office")
        shipped = shipped_guide(round_type) or shipped_guide(RoundType.REGULAR)
        assert shipped is not None, "resources/guides/regular.json is missing"
        return shipped

    def import_guide(self, text: str) -> tuple[Guide, Changes]:
        """Take an office's own guide for its round type (validated in full; nothing is stored on a fault)."""
        if self.session.owner_role not in IMPORT_ROLES:
            raise XunchaError("只有巡察办或组长可以导入工作指引", "only the office or the leader may import a guide")
        guide = read_guide_text(text, "office")
        stored = json.dumps(guide_json(guide), ensure_ascii=False, indent=1)
        with self.session.vault.transaction() as conn:
            guide_repo.put_custom_guide(conn, guide.round_type.value, stored)
            audit.append(conn, self.session.owner_name, AuditAction.GUIDE_IMPORT, f"guide:{guide.round_type.value}",
                         {"round_type": guide.round_type.value, "round_type_label": guide.round_type.label,
                          "title": guide.title, "steps": len(guide.steps), "sha256": guide.digest})
        return guide, Changes.GUIDE | Changes.AUDIT

    def import_guide_file(self, path: Path) -> tuple[Guide, Changes]:
        """`import_guide` from a UTF-8 JSON file."""
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_GUIDE_BYTES + 1)
        except OSError as exc:
            raise XunchaError(f"无法读取文件：{path}（{exc.strerror}）", f"cannot read {path}: {exc.strerror}") from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise GuideError("", "文件不是 UTF-8 文本", "the file is not UTF-8 text") from None
        return self.import_guide(text)

    def reset_guide(self, round_type: RoundType) -> Changes:
        """Go back to the shipped guide for a round type."""
        if self.session.owner_role not in IMPORT_ROLES:
            raise XunchaError("只有巡察办或组长可以更换工作指引", "only the office or the leader may change the guide")
        with self.session.vault.transaction() as conn:
            if not guide_repo.drop_custom_guide(conn, round_type.value):
                raise XunchaError(f"{round_type.label}已在使用内置工作指引",
                                  f"{round_type.value} uses the shipped guide")
            audit.append(conn, self.session.owner_name, AuditAction.GUIDE_RESET, f"guide:{round_type.value}",
                         {"round_type": round_type.value, "round_type_label": round_type.label})
        return Changes.GUIDE | Changes.AUDIT

    # ---- where the round stands ----------------------------------------------------------------------------------

    def facts(self, rnd: Round, guide: Guide) -> Facts:
        kinds = [s.done_when.record_kind for s in guide.steps if s.done_when.kind == "record"]
        with self.session.vault.lock:
            conn = self.session.vault.conn
            counts = guide_repo.record_counts(conn, rnd.id, kinds)
            documents = guide_repo.document_kinds(conn, rnd.id)
            ticks = guide_repo.ticks(conn, rnd.id)
        return Facts(rnd.status, counts, documents, {
            k: Tick(str(v.get("on", "")), str(v.get("by", "")), str(v.get("at", ""))) for k, v in ticks.items()})

    def view(self, rnd: Round | None = None) -> GuideView:
        """The round's (default: the one in use) steps, each done / due / overdue / not yet due."""
        rnd = rnd or self.session.require_round()
        guide = self.guide_for(rnd.round_type)
        return measure(guide, rnd, self.facts(rnd, guide))

    def urgent(self, n: int = 3) -> list[StepProgress]:
        """The `n` most urgent steps left of the round in use (none without a round)."""
        rnd = self.session.current_round()
        return self.view(rnd).urgent(n) if rnd is not None else []

    # ---- ticks -------------------------------------------------------------------------------------------------

    def tick(self, step_id: str, on: date | None = None) -> tuple[StepProgress, Changes]:
        """Mark a step that is done by hand (kind `tick`) as done on `on` (default today), on this vault."""
        rnd = self.session.require_round()
        step = self._tickable(rnd, step_id)
        day = on or now_utc().date()
        if day > now_utc().date():
            raise XunchaError(f"完成日期 {day.isoformat()} 晚于今天", f"{day.isoformat()} is in the future")
        with self.session.vault.transaction() as conn:
            ticks = guide_repo.ticks(conn, rnd.id)
            if step.id in ticks:
                raise XunchaError(f"“{step.title}”已于 {ticks[step.id].get('on', '')} 勾选完成",
                                  f"{step.id} is already ticked")
            ticks[step.id] = {"on": day.isoformat(), "by": self.session.owner_name, "at": now_utc().isoformat()}
            guide_repo.put_ticks(conn, rnd.id, ticks)
            audit.append(conn, self.session.owner_name, AuditAction.GUIDE_TICK, f"round:{rnd.id}",
                         {"step": step.id, "title": step.title, "on": day.isoformat()})
        progress = next(p for p in self.view(rnd).steps if p.step.id == step.id)
        return progress, Changes.GUIDE | Changes.AUDIT

    def untick(self, step_id: str) -> Changes:
        rnd = self.session.require_round()
        step = self._tickable(rnd, step_id)
        with self.session.vault.transaction() as conn:
            ticks = guide_repo.ticks(conn, rnd.id)
            if ticks.pop(step.id, None) is None:
                raise XunchaError(f"“{step.title}”尚未勾选", f"{step.id} is not ticked")
            guide_repo.put_ticks(conn, rnd.id, ticks)
            audit.append(conn, self.session.owner_name, AuditAction.GUIDE_UNTICK, f"round:{rnd.id}",
                         {"step": step.id, "title": step.title})
        return Changes.GUIDE | Changes.AUDIT

    def _tickable(self, rnd: Round, step_id: str) -> GuideStep:
        if self.session.owner_role not in GUIDE_ROLES:
            raise XunchaError("只有组长、副组长或巡察办可以勾选工作指引的步骤",
                              "only the leader, a deputy or the office may tick a step of the guide")
        step = self.guide_for(rnd.round_type).step(step_id.strip())
        if step.done_when.kind != "tick":
            raise XunchaError(f"“{step.title}”在{step.done_when.describe()}时自动完成，不能手动勾选",
                              f"{step.id} is done by its {step.done_when.kind}, not by a tick")
        return step


def step_json(p: StepProgress) -> dict[str, Any]:
    """One step and where it stands, as `xuncha guide --json` prints it."""
    out: dict[str, Any] = {"id": p.step.id, "phase": p.step.phase.value, "phase_label": p.step.phase.label,
                           "title": p.step.title, "state": p.state.value, "state_label": p.state.label,
                           "depends_on": list(p.step.depends_on), "done": p.step.done_when.to_json(),
                           "done_label": p.step.done_when.describe()}
    if p.progress:
        out["progress"] = p.progress
    if p.waiting_on:
        out["waiting_on"] = list(p.waiting_on)
    if p.tick:
        out["ticked"] = {"on": p.tick.on, "by": p.tick.by, "at": p.tick.at}
    if p.step.hint:
        out["hint"] = p.step.hint
    return out


def view_json(view: GuideView) -> dict[str, Any]:
    return {
        "round": view.round.code, "phase": view.round.status.value, "phase_label": view.round.status.label,
        "guide": {"title": view.guide.title, "round_type": view.guide.round_type.value, "source": view.guide.source},
        "counts": {s.value: view.count(s) for s in StepState},
        "urgent": [p.step.id for p in view.urgent()],
        "left": [p.step.id for p in view.left()],
        "steps": [step_json(p) for p in view.steps],
    }
