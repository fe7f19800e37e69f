"""五必谈 and 四必查 (seed 004, 历下: "五必谈四必查"): who must be interviewed in each unit and what must be
checked there, and how far the round has got (docs/method.md, "Coverage").

五必谈: the people to interview come from the rosters on the 基本情况清单 (a profile entry with a 名单类别 and a
名单, one person a line), plus any the round's coverage plan names; an interview covers a person when its
谈话对象 is their name. 四必查: each check gathers the round's records about a unit and is met when every one
of them is looked into (a petition past 已登记, a 重点项目 or 资金 entry 已核实, a problem 已查实 or 已排除).

The plan (optional; kept on this vault, set by the leader or the office) narrows the units and the
categories, renames or adds categories, names more people, and chooses the checks. A plan naming a unit
outside the round is refused whole.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.changes import Changes
from app.core.domain import AuditAction, InspectedUnit, RecordKind, Role, Round
from app.core.errors import XunchaError
from app.core.inputs import MAX_JSON_BYTES, parse_json
from app.core.kinds import KINDS
from app.core.kinds.checklists import ROSTER, ROSTER_CATEGORIES, ROSTER_CATEGORY
from app.method.names import org_key
from storage import audit, guide_repo, round_repo

if TYPE_CHECKING:
    from app.vault.session import Session

PLAN_ROLES = frozenset({Role.LEADER, Role.OFFICE})
# The five of 五必谈, in the seed's order (the roster's 其他人员 is not required unless a plan asks for it).
DEFAULT_CATEGORIES = tuple((c.value, c.label) for c in ROSTER_CATEGORIES if c.value != "other")
MAX_PEOPLE = 5000
MAX_NAME = 60


@dataclass(frozen=True)
class CheckRule:
    """One of the 四必查: which records of a unit it gathers, and which states mean looked into."""

    key: str
    label: str
    kind: str
    unit_field: str
    done: tuple[str, ...]
    describe: str  # what 'looked into' means, for the screen

    def wants(self, row: dict[str, Any]) -> bool:
        if self.key == "projects":  # a roster is a list of people to talk to, not a fund to check
            return row.get("aspect") in ("projects", "finance") and not row.get(ROSTER_CATEGORY)
        if self.key == "targeted":
            return "测评" not in str(row.get("source") or "")
        if self.key == "tendencies":
            return "测评" in str(row.get("source") or "")
        return True


CHECKS = (
    CheckRule("petitions", "信访举报必查", RecordKind.PETITION.value, "reported_unit",
              ("assessed", "handling", "closed"), "被反映单位为本单位的信访件逐件研判"),
    CheckRule("projects", "重点项目、资金必查", RecordKind.PROFILE.value, "unit", ("verified",),
              "基本情况清单中本单位“重点项目和资金”“财务和‘三资’”各项已核实"),
    CheckRule("targeted", "点题的靶向问题必查", RecordKind.PROBLEM.value, "unit", ("confirmed", "cleared"),
              "问题清单中本单位的问题已查实或已排除"),
    CheckRule("tendencies", "测评中掌握的倾向性问题必查", RecordKind.PROBLEM.value, "unit", ("confirmed", "cleared"),
              "问题清单中来源含“测评”的本单位问题已查实或已排除"),
)
_CHECK_FIELDS = {"petitions": ("reported_unit", "reported_person"), "projects": ("unit", "aspect", ROSTER_CATEGORY),
                 "targeted": ("unit", "source", "title"), "tendencies": ("unit", "source", "title")}


class CoveragePlanError(XunchaError):
    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"必谈必查计划：{zh}", f"coverage plan: {en}")


@dataclass(frozen=True)
class PlannedPerson:
    unit: str
    category: str
    name: str
    post: str = ""


@dataclass(frozen=True)
class CoveragePlan:
    units: tuple[str, ...] = ()  # empty: every unit of the round
    categories: tuple[tuple[str, str], ...] = DEFAULT_CATEGORIES
    people: tuple[PlannedPerson, ...] = ()
    checks: tuple[str, ...] = tuple(c.key for c in CHECKS)

    def to_json(self) -> dict[str, Any]:
        return {"units": list(self.units), "categories": [{"key": k, "label": v} for k, v in self.categories],
                "people": [{"unit": p.unit, "category": p.category, "name": p.name, **({"post": p.post} if p.post
                                                                                        else {})}
                           for p in self.people],
                "checks": list(self.checks)}


@dataclass(frozen=True)
class PersonDue:
    """One person who must be interviewed, and the interviews that covered them."""

    unit: str
    category: str
    category_label: str
    name: str
    post: str
    listed_in: str  # the number of the roster's entry, or 计划
    interviews: tuple[str, ...] = ()  # numbers

    @property
    def covered(self) -> bool:
        return bool(self.interviews)


@dataclass(frozen=True)
class CheckDue:
    """One of the 四必查 for one unit: the records it gathers, which are looked into, which are not."""

    key: str
    label: str
    describe: str
    covering: tuple[str, ...]  # numbers of the records looked into
    missing: tuple[str, ...]  # 信-0003（已登记）

    @property
    def covered(self) -> bool:
        return not self.missing

    @property
    def empty(self) -> bool:
        """Nothing of the unit to check yet (met, but say so)."""
        return not self.missing and not self.covering


@dataclass(frozen=True)
class UnitCoverage:
    unit: str
    people: tuple[PersonDue, ...]
    checks: tuple[CheckDue, ...]

    @property
    def interviewed(self) -> int:
        return sum(1 for p in self.people if p.covered)

    @property
    def missing_names(self) -> list[PersonDue]:
        return [p for p in self.people if not p.covered]

    @property
    def checks_met(self) -> int:
        return sum(1 for c in self.checks if c.covered)

    @property
    def percent(self) -> int:
        """五必谈 covered, in percent (100 with nobody listed yet is not claimed: 0)."""
        return round(100 * self.interviewed / len(self.people)) if self.people else 0


@dataclass(frozen=True)
class CoverageView:
    round: Round
    plan: CoveragePlan
    planned: bool  # a plan was set (else the defaults)
    units: list[UnitCoverage] = field(default_factory=list)
    stray_rosters: list[str] = field(default_factory=list)  # roster entries naming no unit in scope

    def unit(self, name: str) -> UnitCoverage:
        return next(u for u in self.units if u.unit == name)


# ---- the plan ------------------------------------------------------------------------------------------------


def _text(value: Any, what_zh: str, what_en: str, limit: int = MAX_NAME) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise CoveragePlanError(f"{what_zh}须为 1 至 {limit} 字的文字",
                                f"{what_en} must be text of 1 to {limit} characters")
    return value.strip()


def _categories(raw: Any) -> list[tuple[str, str]]:
    if raw is None:
        return list(DEFAULT_CATEGORIES)
    if not isinstance(raw, list) or not raw:
        raise CoveragePlanError("“categories”须为非空列表", "'categories' must be a non-empty list")
    labels = {c.value: c.label for c in ROSTER_CATEGORIES}
    categories: list[tuple[str, str]] = []
    for item in raw:
        if isinstance(item, str):
            if item not in labels:
                allowed = "、".join(f"{k}（{v}）" for k, v in labels.items())
                raise CoveragePlanError(f"没有这类必谈人员：{item}（可选：{allowed}；自定义的类别写成"
                                        " {\"key\": …, \"label\": …}）", f"unknown category {item!r}")
            categories.append((item, labels[item]))
        elif isinstance(item, dict):
            key = _text(item.get("key"), "类别的 key", "a category's key")
            if not re.fullmatch(r"[a-z][a-z0-9_]*", key):
                raise CoveragePlanError(f"类别的 key 只能用小写字母、数字和下划线：{key}",
                                        f"a category key is lower-case letters, digits and _: {key!r}")
            label = _text(item.get("label", labels.get(key)), "类别名称", "a category's label")
            categories.append((key, label))
        else:
            raise CoveragePlanError("类别须为 key 或 {\"key\": …, \"label\": …}", "a category is a key or an object")
    keys = [k for k, _ in categories]
    if len(set(keys)) != len(keys):
        raise CoveragePlanError("类别重复", "a category is listed twice")
    return categories


def _people(raw: Any, category_keys: set[str], unit_of: Callable[[Any], str]) -> list[PlannedPerson]:
    if not isinstance(raw, list) or len(raw) > MAX_PEOPLE:
        raise CoveragePlanError(f"“people”须为至多 {MAX_PEOPLE} 人的列表",
                                f"'people' must be a list of at most {MAX_PEOPLE}")
    people = []
    for i, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            raise CoveragePlanError(f"第 {i} 人须为对象", f"person {i} must be an object")
        category = item.get("category")
        if category not in category_keys:
            raise CoveragePlanError(f"第 {i} 人的类别 {category!r} 不在计划的类别中",
                                    f"person {i}: category {category!r} is not among the plan's categories")
        name = _text(item.get("name"), f"第 {i} 人的姓名", f"person {i}'s name")
        post = item.get("post", "")
        people.append(PlannedPerson(unit_of(item.get("unit")), str(category), name,
                                    _text(post, "职务", "a post", 200) if post else ""))
    return people


def _checks(raw: Any) -> tuple[str, ...]:
    if raw is None:
        return tuple(c.key for c in CHECKS)
    known = {c.key for c in CHECKS}
    if not isinstance(raw, list) or any(c not in known for c in raw):
        allowed = "、".join(f"{c.key}（{c.label}）" for c in CHECKS)
        raise CoveragePlanError(f"“checks”须为以下各项中的若干项：{allowed}",
                                f"'checks' must list some of {sorted(known)}")
    return tuple(dict.fromkeys(raw))


def parse_plan(data: Any, units: list[InspectedUnit]) -> CoveragePlan:
    """A plan from its JSON value, checked against the round's units: CoveragePlanError names the fault."""
    if not isinstance(data, dict):
        raise CoveragePlanError("须为一个 JSON 对象", "must be a JSON object")
    unknown = sorted(set(data) - {"units", "categories", "people", "checks"})
    if unknown:
        raise CoveragePlanError(f"不认识的项：{unknown[0]}", f"unknown key {unknown[0]!r}")
    names = {u.name for u in units}

    def unit_of(value: Any) -> str:
        name = _text(value, "单位", "a unit")
        if name not in names:
            known = "、".join(sorted(names)[:8]) or "（本轮尚无被巡察单位）"
            raise CoveragePlanError(f"单位“{name}”不是本轮的被巡察单位（本轮：{known}）",
                                    f"{name!r} is not an inspected unit of the round")
        return name

    raw_units = data.get("units", [])
    if not isinstance(raw_units, list):
        raise CoveragePlanError("“units”须为单位名称的列表", "'units' must be a list of unit names")
    plan_units = tuple(dict.fromkeys(unit_of(u) for u in raw_units))
    categories = _categories(data.get("categories"))
    people = _people(data.get("people", []), {k for k, _ in categories}, unit_of)
    return CoveragePlan(plan_units, tuple(categories), tuple(people), _checks(data.get("checks")))


# ---- where the round stands ---------------------------------------------------------------------------------------


def roster_line(line: str) -> tuple[str, str]:
    """"钱国平 党支部书记" → ("钱国平", "党支部书记"); also 钱国平（党支部书记）, 钱国平，党支部书记."""
    text = line.strip()
    match = re.match(r"([^\s,，、（(:：]+)[\s,，、:：]*[（(]?(.*?)[)）]?\s*$", text)
    if not match:
        return text, ""
    return match.group(1), match.group(2).strip()


def _person_key(name: str) -> str:
    return "".join(name.split())


@functools.lru_cache(maxsize=4096)
def _unit_for(text: str, units: tuple[str, ...]) -> str | None:
    """The unit of the round a record's 单位 text names: exactly, else by the same short form (青石镇党委 for
    中共青石镇委员会, app/method/names.py), else the one it is part of (东坪村 → 东坪村党支部) or that is part of it."""
    text = "".join((text or "").split())
    if not text:
        return None
    if text in units:
        return text
    key = org_key(text)
    keys = [(u, org_key(u)) for u in units]
    same = next((u for u, k in keys if k == key), None)
    if same is not None:
        return same
    return next((u for u, k in keys if len(key) >= 2 and len(k) >= 2 and (key in k or k in key)), None)


def _status_label(kind: str, status: str) -> str:
    return KINDS[kind].status_label(status)


class CoverageService:
    """Reached as `session.coverage`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def plan(self, rnd: Round | None = None) -> tuple[CoveragePlan, bool]:
        """The round's plan, and whether one was set (else the defaults: every unit, the five categories,
        the four checks)."""
        rnd = rnd or self.session.require_round()
        with self.session.vault.lock:
            stored = guide_repo.coverage_settings(self.session.vault.conn, rnd.id)
        if not stored:
            return CoveragePlan(), False
        try:
            return parse_plan(stored, self._units(rnd)), True
        except CoveragePlanError:  # a unit renamed or removed since: fall back to what still holds
            return CoveragePlan(), False

    def _units(self, rnd: Round) -> list[InspectedUnit]:
        with self.session.vault.lock:
            return round_repo.list_units(self.session.vault.conn, rnd.id)

    def set_plan(self, data: Any) -> tuple[CoveragePlan, Changes]:
        """Set the round's plan (checked in full against its units; nothing is stored on a fault)."""
        if self.session.owner_role not in PLAN_ROLES:
            raise XunchaError("只有组长或巡察办可以制定必谈必查计划",
                              "only the leader or the office may set the coverage plan")
        rnd = self.session.require_round()
        plan = parse_plan(data, self._units(rnd))
        value = plan.to_json()
        with self.session.vault.transaction() as conn:
            guide_repo.put_coverage_settings(conn, rnd.id, value)
            audit.append(conn, self.session.owner_name, AuditAction.COVERAGE_PLAN, f"round:{rnd.id}",
                         {"units": len(plan.units), "categories": [k for k, _ in plan.categories],
                          "people": len(plan.people), "checks": list(plan.checks)})
        return plan, Changes.GUIDE | Changes.AUDIT

    def set_plan_file(self, path: Path) -> tuple[CoveragePlan, Changes]:
        """`set_plan` from a UTF-8 JSON file (bounded as every JSON input is)."""
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_JSON_BYTES + 1)
        except OSError as exc:
            raise XunchaError(f"无法读取文件：{path}（{exc.strerror}）", f"cannot read {path}: {exc.strerror}") from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise CoveragePlanError("文件不是 UTF-8 文本", "the file is not UTF-8 text") from None
        return self.set_plan(parse_json(text))

    def view(self, rnd: Round | None = None) -> CoverageView:
        """Per unit: who must still be interviewed, and which of the 四必查 are not yet met."""
        rnd = rnd or self.session.require_round()
        plan, planned = self.plan(rnd)
        all_units = [u.name for u in self._units(rnd)]
        scope = list(plan.units) or all_units
        wanted_checks = [c for c in CHECKS if c.key in plan.checks]
        kinds: dict[str, tuple[str, ...]] = {RecordKind.PROFILE.value: ("unit", ROSTER_CATEGORY, ROSTER),
                                             RecordKind.INTERVIEW.value: ("interviewee",)}
        for rule in wanted_checks:  # each kind read once, with every field its checks want
            kinds[rule.kind] = tuple(dict.fromkeys((*kinds.get(rule.kind, ()), *_CHECK_FIELDS[rule.key])))
        with self.session.vault.lock:
            conn = self.session.vault.conn
            read = {kind: guide_repo.body_fields(conn, rnd.id, kind, names) for kind, names in kinds.items()}

        def rows_of(kind: str, names: tuple[str, ...]) -> list[Row]:
            at = [kinds[kind].index(n) for n in names]
            return [(r[0], r[1], r[2], *(r[3 + i] for i in at)) for r in read[kind]]

        rosters = rows_of(RecordKind.PROFILE.value, ("unit", ROSTER_CATEGORY, ROSTER))
        interviews = rows_of(RecordKind.INTERVIEW.value, ("interviewee",))
        gathered = {rule.key: rows_of(rule.kind, _CHECK_FIELDS[rule.key]) for rule in wanted_checks}
        people, stray = _people_due(plan, scope, all_units, rosters, interviews)
        checks: dict[str, list[CheckDue]] = {u: [] for u in scope}
        for rule in wanted_checks:
            for unit, due in _checks_due(rule, scope, gathered[rule.key]).items():
                checks[unit].append(due)
        return CoverageView(rnd, plan, planned, [UnitCoverage(u, tuple(people[u]), tuple(checks[u])) for u in scope],
                            stray)


Row = tuple[Any, ...]


def _people_due(plan: CoveragePlan, scope: list[str], all_units: list[str], rosters: list[Row], interviews: list[Row]
                ) -> tuple[dict[str, list[PersonDue]], list[str]]:
    """Per unit in scope, the people to interview (rosters, then the plan's own names), each with the
    interviews whose 谈话对象 is their name; and the roster entries naming no unit of the round."""
    labels = dict(plan.categories)
    by_name: dict[str, list[str]] = {}
    for _id, number, _status, interviewee in interviews:
        if isinstance(interviewee, str) and interviewee.strip():
            by_name.setdefault(_person_key(interviewee), []).append(str(number))
    people: dict[str, dict[tuple[str, str], PersonDue]] = {u: {} for u in scope}

    def add(unit: str, category: str, name: str, post: str, listed_in: str) -> None:
        key = (category, _person_key(name))
        if name and key not in people[unit]:
            people[unit][key] = PersonDue(unit, category, labels[category], name, post, listed_in,
                                          tuple(by_name.get(_person_key(name), ())))

    stray: list[str] = []
    for _id, number, _status, unit_text, category, roster in rosters:
        if category not in labels or not roster:
            continue
        unit = _unit_for(str(unit_text or ""), tuple(scope))
        if unit is None:
            if _unit_for(str(unit_text or ""), tuple(all_units)) is None:
                stray.append(f"{number}（{unit_text}）")
            continue
        for line in roster if isinstance(roster, list) else []:
            if isinstance(line, str) and line.strip():
                add(unit, category, *roster_line(line), str(number))
    for p in plan.people:
        if p.unit in people:
            add(p.unit, p.category, p.name, p.post, "计划")
    order = {k: i for i, (k, _) in enumerate(plan.categories)}
    return {u: sorted(found.values(), key=lambda p: order[p.category]) for u, found in people.items()}, stray


def _checks_due(rule: CheckRule, scope: list[str], rows: list[Row]) -> dict[str, CheckDue]:
    """One of the 四必查 for every unit in scope: the records it gathers there, looked into or not."""
    names = _CHECK_FIELDS[rule.key][1:]
    units = tuple(scope)
    per_unit: dict[str, tuple[list[str], list[str]]] = {u: ([], []) for u in scope}
    for _id, number, status, unit_text, *rest in rows:
        unit = _unit_for(str(unit_text or ""), units)
        if unit is None or not rule.wants(dict(zip(names, rest, strict=True))):
            continue
        covering, missing = per_unit[unit]
        if status in rule.done:
            covering.append(str(number))
        else:
            missing.append(f"{number}（{_status_label(rule.kind, str(status))}）")
    return {u: CheckDue(rule.key, rule.label, rule.describe, tuple(c), tuple(m)) for u, (c, m) in per_unit.items()}


def view_json(view: CoverageView) -> dict[str, Any]:
    """The coverage as `xuncha coverage --json` prints it."""
    return {
        "round": view.round.code, "planned": view.planned, "plan": view.plan.to_json(),
        "units": [{
            "unit": u.unit, "interviewed": u.interviewed, "required": len(u.people), "percent": u.percent,
            "missing": [{"name": p.name, "post": p.post, "category": p.category} for p in u.missing_names],
            "people": [{"name": p.name, "post": p.post, "category": p.category, "category_label": p.category_label,
                        "listed_in": p.listed_in, "interviews": list(p.interviews)} for p in u.people],
            "checks": [{"key": c.key, "label": c.label, "covered": c.covered, "empty": c.empty,
                        "covering": list(c.covering),
                        "missing": list(c.missing)} for c in u.checks],
        } for u in view.units],
        "stray_rosters": view.stray_rosters,
    }
