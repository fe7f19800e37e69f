"""The office's statistics (巡察工作情况统计), issue 11 item 7; docs/lifecycle.md "The office's statistics".

Per round, group, unit and category, over one round or the rounds of a period: the problems found (the
compiled issues), the money they involve (涉及金额, the working papers' amounts), 立行立改, the leads and the
persons they involve by receiver (纪委监委 / 组织部 / 其他), the ledger's problem items with the rectification
rate (closed / due), the overdue items, and the money recovered (清退追缴, the ledger items' `recovered`).
The seeds' totals read this way: "发现问题1378个，干部问题线索134件257人", "整改完成率达98.6%".

The rows come from storage/stats_repo.py in one query per table for all the chosen rounds (no JSON taken
apart in SQL: under the vault's memory hardening that costs ten times the read, see there) and are summed
here by round, category and unit, then cut by round, group, unit and category. Counts only: no person's
name leaves here.
Lead figures are given only where this vault may see leads (the leader, the office).
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core.domain import LeadReceiver, LeadStatus, Role
from app.core.errors import XunchaError
from app.core.kinds import rectification as ledger_kind
from storage import stats_repo

if TYPE_CHECKING:
    from app.compile.documents import CancelCheck, ExportResult, Progress
    from app.core.changes import Changes
    from app.vault.session import Session

UNFILED = "未分类"
HANDED = {LeadStatus.HANDED_OVER.value, LeadStatus.FEEDBACK.value, LeadStatus.CLOSED.value}
_NAMES = re.compile(r"[、，,；;\s]+")


@dataclass
class Figures:
    """The figures of one cut (a round, a group, a unit, a category, or the whole)."""

    problems: int = 0  # 发现问题 (compiled issues)
    amount: float = 0.0  # 涉及金额, yuan
    immediate: int = 0  # 立行立改
    leads: int = 0  # 问题线索 (件)
    persons: int = 0  # 涉及人数 (人)
    leads_handed: int = 0  # of them handed over (已移交 or later)
    leads_jw: int = 0
    persons_jw: int = 0
    leads_zzb: int = 0
    persons_zzb: int = 0
    leads_other: int = 0
    persons_other: int = 0
    items: int = 0  # the ledger's problem items
    due: int = 0  # closed, or past the deadline
    closed: int = 0  # 已销号
    overdue: int = 0  # past the deadline and still 整改中 (ledger_kind.is_overdue)
    recovered: float = 0.0  # 清退追缴, yuan

    @property
    def rate(self) -> float | None:
        """整改完成率: closed / due (None when nothing is due yet)."""
        return self.closed / self.due if self.due else None

    def add(self, other: Figures) -> None:
        mine = self.__dict__  # plain attributes: summing thousands of cells stays cheap
        for name, value in other.__dict__.items():
            mine[name] += value

    def as_json(self, with_leads: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self)
        data["amount"], data["recovered"] = round(self.amount, 2), round(self.recovered, 2)
        data["rate"] = None if self.rate is None else round(self.rate, 4)
        if not with_leads:
            for key in [k for k in data if k.startswith(("leads", "persons"))]:
                data[key] = None
        return data


@dataclass(frozen=True)
class Cut:
    """One line of a table: its key and label (a round's code and name, a group, a unit, a category)."""

    key: str
    label: str
    figures: Figures
    group: str = ""  # a round's group


@dataclass(frozen=True)
class Scope:
    """What the figures cover."""

    rounds: tuple[str, ...]  # round codes, by day
    all_rounds: bool
    date_from: date | None
    date_to: date | None
    group: str
    unit: str
    today: date


@dataclass
class Stats:
    scope: Scope
    total: Figures
    by_round: list[Cut] = field(default_factory=list)
    by_group: list[Cut] = field(default_factory=list)
    by_unit: list[Cut] = field(default_factory=list)
    by_category: list[Cut] = field(default_factory=list)
    with_leads: bool = True

    CUTS = (("by_round", "轮次"), ("by_group", "巡察组"), ("by_unit", "被巡察单位"), ("by_category", "问题类别"))

    def table(self, name: str, full: bool = False) -> tuple[list[str], list[list[str]]]:
        """The columns and rows of one cut (`by_round`, …) with a 合计 row: every column (`full`: the screen,
        a spreadsheet) or the eight of the written report."""
        label = dict(self.CUTS)[name]
        columns = FULL_COLUMNS if full else SHORT_COLUMNS
        row = full_row if full else short_row
        rows = [[cut_label(c, name), *row(c.figures, self.with_leads)] for c in getattr(self, name)]
        rows.append(["合计", *row(self.total, self.with_leads)])
        return [label, *columns], rows

    def summary(self) -> list[str]:
        return summary(self)

    def scope_text(self) -> str:
        return scope_text(self.scope)

    def as_json(self) -> dict[str, Any]:
        """What `xuncha stats --json` prints."""
        s = self.scope

        def cuts(items: list[Cut], name: str) -> list[dict[str, Any]]:
            return [{name: c.key, "label": c.label, **({"group": c.group} if name == "round" else {}),
                     **c.figures.as_json(self.with_leads)} for c in items]

        return {
            "scope": {"rounds": list(s.rounds), "all": s.all_rounds,
                      "from": s.date_from.isoformat() if s.date_from else None,
                      "to": s.date_to.isoformat() if s.date_to else None,
                      "group": s.group or None, "unit": s.unit or None, "today": s.today.isoformat()},
            "leads_visible": self.with_leads,
            "total": self.total.as_json(self.with_leads),
            "by_round": cuts(self.by_round, "round"), "by_group": cuts(self.by_group, "group"),
            "by_unit": cuts(self.by_unit, "unit"), "by_category": cuts(self.by_category, "category"),
        }


def persons_in(text: str) -> int:
    """How many persons a lead names: 张三、李四 is two (a lead about one person names one)."""
    return len([n for n in _NAMES.split(text or "") if n]) or 1


class StatsService:
    """Reached as `session.stats`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def options(self) -> tuple[list[tuple[str, str, str, str, str]], list[str], list[str]]:
        """What the filters offer: the rounds (id, code, name, group, day), the groups, the units."""
        with self.session.vault.lock:
            conn = self.session.vault.conn
            rounds = stats_repo.rounds(conn)
            units = sorted(stats_repo.unit_names(conn))
        groups = sorted({r[3] for r in rounds if r[3]})
        return rounds, groups, units

    def from_spec(self, arg: str, today: date | None = None) -> Stats:
        """The figures a document spec names (`stats:…`, `spec_of`)."""
        return self.compute(**parse_spec(arg), today=today)

    def export(self, out: Path, fmt: str = "docx", recipient: str = "", overwrite: bool = False,
               classification: str | None = None, progress: Progress | None = None,
               cancel: CancelCheck | None = None, **filters: Any) -> tuple[ExportResult, Changes]:
        """巡察工作情况统计报告 as DOCX or PDF (GB/T 9704), or the tables as an XLSX workbook: a document like
        every other (session.documents.export: numbered, masked, registered, logged, written whole)."""
        spec = spec_of(**filters)
        self.compute(**filters)  # a bad filter is refused before a file is touched
        return self.session.documents.export(spec, fmt, out, recipient, classification, overwrite=overwrite,
                                             progress=progress, cancel=cancel)

    def compute(self, round_ref: str | None = None, all_rounds: bool = False, date_from: date | None = None,
                date_to: date | None = None, group: str = "", unit: str = "",
                today: date | None = None) -> Stats:
        """The figures of one round (`round_ref`, an id or a code; default: the round in use) or, with
        `all_rounds` or a period or a group, of every round whose day (start date, else end date, else the
        day it was set up) falls in the period [date_from, date_to] and that belongs to `group`; `unit` keeps
        one unit's figures. Refused with a message: from after to, a group, unit or round this vault lacks."""
        day = today or date.today()
        group, unit = (group or "").strip(), (unit or "").strip()
        if date_from and date_to and date_from > date_to:
            raise XunchaError(f"统计期间的开始日期（{date_from.isoformat()}）晚于结束日期（{date_to.isoformat()}）",
                              f"the period starts ({date_from.isoformat()}) after it ends ({date_to.isoformat()})")
        rounds, groups, units = self.options()
        if group and group not in groups:
            raise XunchaError(f"本机没有这个巡察组的轮次：{group}（现有：{'、'.join(groups) or '无'}）",
                              f"no round of this group on this vault: {group}")
        across = all_rounds or bool(date_from or date_to or group)
        if round_ref and across:
            raise XunchaError("指定了一个轮次（--round）就不能再按期间、巡察组或全部轮次统计",
                              "--round names one round: leave out --all, --from, --to and --group")
        if across:
            chosen = [r for r in rounds if (not group or r[3] == group)
                      and (not date_from or r[4] >= date_from.isoformat())
                      and (not date_to or r[4] <= date_to.isoformat())]
        else:
            rnd = self.session.rounds.find(round_ref) if round_ref else self.session.require_round()
            chosen = [r for r in rounds if r[0] == rnd.id]
        with self.session.vault.lock:
            rows = stats_repo.rows(self.session.vault.conn, [r[0] for r in chosen])
        stats = _assemble(chosen, rows, unit, set(units), day.isoformat())
        stats.scope = Scope(tuple(r[1] for r in chosen), across, date_from, date_to, group, unit, day)
        stats.with_leads = self.session.owner_role in (Role.LEADER, Role.OFFICE)
        if not stats.with_leads:
            for f in [stats.total, *(c.figures for cs in (stats.by_round, stats.by_group, stats.by_unit,
                                                          stats.by_category) for c in cs)]:
                for name in [n.name for n in fields(f) if n.name.startswith(("leads", "persons"))]:
                    setattr(f, name, 0)
        return stats


def _assemble(chosen: list[tuple[str, str, str, str, str]], rows: dict[str, list[tuple[Any, ...]]],
              unit: str, units: set[str], today: str) -> Stats:
    """Sum the rows by round, category and unit, then cut them by round, group, unit and top-level category
    (by its name, so the same category of two rounds is one line). `unit`, if given, must be one of `units`
    (the vault's inspected units) or a unit the chosen rounds' problems name."""
    top: dict[str, str] = {}
    for rid, name in rows["top_units"]:
        top.setdefault(rid, name)
    names = {(rid, code): name for rid, code, name in rows["taxonomy"]}
    heads: dict[tuple[str, str], str] = {}

    def category(rid: str, code: str) -> str:
        key = (rid, code or "")
        if key not in heads:
            head = (code or "").split(".")[0]
            heads[key] = names.get((rid, head), head) if head else UNFILED
        return heads[key]

    cells: dict[tuple[str, str, str], Figures] = {}

    def cell(rid: str, code: str, where: str) -> Figures:
        key = (rid, category(rid, code), where or top.get(rid, ""))
        found = cells.get(key)
        if found is None:
            found = cells[key] = Figures()
        return found

    # A problem found is an issue of the compilation: a paper not merged into another (live) paper.
    papers = {pid: (rid, code, json.loads(body)) for pid, rid, code, body in rows["papers"]}
    entries = {pid: (into, immediate) for pid, into, immediate in rows["entries"]}
    where_of: dict[str, tuple[str, str]] = {}
    for pid, (rid, code, body) in papers.items():
        into, immediate = entries.get(pid, (None, 0))
        where = str(body.get("unit") or "")
        where_of[pid] = (code, where)
        if into and into in papers:
            continue
        f = cell(rid, code, where)
        f.problems += 1
        f.amount += float(body.get("amount") or 0)
        f.immediate += bool(immediate)
    # The ledger's problem items (the round's 整改报告 item is not a problem): closed, due (closed, or past
    # the deadline), overdue (the ledger's own rule: past the deadline and still 整改中), the money recovered
    # (清退追缴).
    day = date.fromisoformat(today)
    for rid, code, status, due_on, text in rows["ledger"]:
        body = json.loads(text)
        if body.get("entry") != ledger_kind.PROBLEM:
            continue
        f = cell(rid, code, str(body.get("unit") or ""))
        closed = status == ledger_kind.CLOSED
        late = bool(due_on) and due_on < today
        f.items += 1
        f.closed += closed
        f.due += closed or late
        f.overdue += ledger_kind.is_overdue(status, due_on, day)
        f.recovered += float(body.get(ledger_kind.RECOVERED) or 0)
    # Leads count under the category and unit of the paper they came from (none: unfiled, the top unit).
    for rid, paper_id, receiver, status, person in rows["leads"]:
        code, where = where_of.get(paper_id or "", ("", ""))
        f = cell(rid, code, where)
        n = persons_in(person)
        f.leads += 1
        f.persons += n
        f.leads_handed += status in HANDED
        suffix = receiver if receiver in (LeadReceiver.JW.value, LeadReceiver.ZZB.value) else "other"
        setattr(f, f"leads_{suffix}", getattr(f, f"leads_{suffix}") + 1)
        setattr(f, f"persons_{suffix}", getattr(f, f"persons_{suffix}") + n)

    if unit and unit not in units and unit not in {where for _rid, _cat, where in cells}:
        raise XunchaError(f"本机没有这个被巡察单位：{unit}", f"no such inspected unit on this vault: {unit}")
    info = {r[0]: r for r in chosen}
    total = Figures()
    by_round = {r[0]: Figures() for r in chosen}
    by_group: dict[str, Figures] = {}
    by_unit: dict[str, Figures] = {}
    by_category: dict[str, Figures] = {}
    for (rid, cat, where), f in cells.items():
        if unit and where != unit:
            continue
        total.add(f)
        by_round[rid].add(f)
        by_group.setdefault(info[rid][3], Figures()).add(f)
        by_unit.setdefault(where, Figures()).add(f)
        by_category.setdefault(cat, Figures()).add(f)
    groups = list(dict.fromkeys(r[3] for r in chosen))  # in the order of their first round

    def ordered(cuts: dict[str, Figures]) -> list[Cut]:
        return [Cut(k, k or UNFILED, v) for k, v in sorted(cuts.items(), key=lambda kv: (-kv[1].problems, kv[0]))]

    categories = sorted(by_category.items(), key=lambda kv: (kv[0] == UNFILED, _category_order(kv[0], names)))
    return Stats(
        scope=Scope((), False, None, None, "", "", date.today()), total=total,
        by_round=[Cut(r[1], r[2], by_round[r[0]], r[3]) for r in chosen],
        by_group=[Cut(g, g, by_group.get(g, Figures())) for g in groups],
        by_unit=ordered(by_unit),
        by_category=[Cut(k, k, v) for k, v in categories],
    )


def _category_order(name: str, names: dict[tuple[str, str], str]) -> tuple[int, str]:
    """A category by its code where a round names it so (1 政治建设 before 2 …), else by name."""
    codes = [code for (_rid, code), n in names.items() if n == name]
    first = min(codes, key=lambda c: (len(c), c)) if codes else ""
    return (int(first) if first.isdigit() else 10_000, name)


# ---- the filters as a document's spec (stats:…), the tables the screen, documents and sheets show -----------

SPEC_KEYS = ("round", "from", "to", "group", "unit")
SPEC_HELP = "stats:from=DATE,to=DATE,group=NAME,unit=NAME,round=ID"


def spec_of(round_ref: str | None = None, all_rounds: bool = False, date_from: date | None = None,
            date_to: date | None = None, group: str = "", unit: str = "") -> str:
    """The document spec of a set of filters: `stats` (the round in use), `stats:all`,
    `stats:from=2026-01-01,to=2026-12-31,group=第二巡察组`, `stats:round=2026-3,unit=…`."""
    parts = [f"{k}={v}" for k, v in (("round", round_ref or ""), ("from", date_from.isoformat() if date_from else ""),
                                      ("to", date_to.isoformat() if date_to else ""), ("group", group or ""),
                                      ("unit", unit or "")) if v]
    if all_rounds and not any(p.startswith(("from=", "to=", "group=")) for p in parts):
        parts.insert(0, "all")
    return "stats" + (":" + ",".join(parts) if parts else "")


def parse_spec(arg: str) -> dict[str, Any]:
    """The filters of a spec's argument (what follows `stats:`), as `StatsService.compute` takes them."""
    found: dict[str, Any] = {}
    for part in (p.strip() for p in arg.split(",") if p.strip()):
        if part == "all":
            found["all_rounds"] = True
            continue
        key, sep, value = part.partition("=")
        if not sep or key not in SPEC_KEYS or not value.strip():
            raise XunchaError(f"统计报告的条件应写作 {SPEC_HELP} 或 stats:all（不认识：{part}）",
                              f"a statistics spec is {SPEC_HELP} or stats:all (not understood: {part})")
        value = value.strip()
        if key in ("from", "to"):
            found["date_" + key] = parse_day(value)
        else:
            found["round_ref" if key == "round" else key] = value
    return found


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise XunchaError(f"日期格式不对：{value}，应如 2026-01-01", f"not a date like 2026-01-01: {value}") from None


def wan(value: float) -> str:
    """Yuan in 万元 with two decimals: 126000 → 12.60."""
    return f"{value / 10_000:,.2f}"


def rate_text(figures: Figures) -> str:
    return "—" if figures.rate is None else f"{figures.rate * 100:.1f}%"


def both(count: int, persons: int) -> str:
    return f"{count}/{persons}" if count or persons else "0"


# The columns of a table of cuts: the screen and the spreadsheet show them all, the written report the
# short ones (A4 has room for eight).
# The leads by the body they go to (a lead's receiver, whether handed over yet or not: 已移交 counts those).
FULL_COLUMNS = ("发现问题", "立行立改", "涉及金额（万元）", "问题线索（件）", "涉及人数", "纪委监委（件）",
                "纪委监委（人）", "组织部（件）", "组织部（人）", "其他单位（件）", "其他单位（人）",
                "整改事项", "应完成", "已销号", "整改完成率", "逾期", "清退追缴（万元）")
SHORT_COLUMNS = ("发现问题", "立行立改", "线索（件/人）", "已销号/应完成", "完成率", "逾期", "涉及金额（万元）",
                 "清退追缴（万元）")


def full_row(f: Figures, with_leads: bool = True) -> list[str]:
    lead = (lambda v: str(v)) if with_leads else (lambda _v: "—")
    return [str(f.problems), str(f.immediate), wan(f.amount), lead(f.leads), lead(f.persons), lead(f.leads_jw),
            lead(f.persons_jw), lead(f.leads_zzb), lead(f.persons_zzb), lead(f.leads_other), lead(f.persons_other),
            str(f.items), str(f.due), str(f.closed), rate_text(f), str(f.overdue), wan(f.recovered)]


def short_row(f: Figures, with_leads: bool = True) -> list[str]:
    return [str(f.problems), str(f.immediate), both(f.leads, f.persons) if with_leads else "—",
            f"{f.closed}/{f.due}", rate_text(f), str(f.overdue), wan(f.amount), wan(f.recovered)]


def cut_label(cut: Cut, name: str) -> str:
    return f"{cut.key} {cut.label}" if name == "by_round" else cut.label


def summary(stats: Stats) -> list[str]:
    """The totals in the seeds' words: 发现问题…个，…; one sentence per subject."""
    t = stats.total
    if not stats.scope.rounds:
        return ["所选范围内没有巡察轮次（期间按轮次的开始日期计）。"]
    lines = [f"共发现问题{t.problems}个，其中立行立改{t.immediate}个，涉及金额{wan(t.amount)}万元。"]
    if stats.with_leads:
        lines.append(f"发现干部问题线索{t.leads}件{t.persons}人，按移交单位分：纪委监委{t.leads_jw}件{t.persons_jw}人、"
                     f"组织部{t.leads_zzb}件{t.persons_zzb}人、其他单位{t.leads_other}件{t.persons_other}人；"
                     f"已移交{t.leads_handed}件。")
    rate = "尚无到期事项" if t.rate is None else f"整改完成率{t.rate * 100:.1f}%"
    lines.append(f"整改台账共{t.items}项，应完成{t.due}项，已销号{t.closed}项，{rate}，逾期未完成{t.overdue}项；"
                 f"清退追缴资金{wan(t.recovered)}万元。")
    return lines


def scope_text(scope: Scope) -> str:
    """What the figures cover, in words: 2026年1月1日至2026年12月31日（第二巡察组，12轮）."""
    def cn(day: date) -> str:
        return f"{day.year}年{day.month}月{day.day}日"

    if scope.date_from or scope.date_to:
        head = (f"{cn(scope.date_from) if scope.date_from else '起始'}至"
                f"{cn(scope.date_to) if scope.date_to else '今'}")
    elif scope.all_rounds or scope.group:
        head = "全部轮次"
    else:  # one round
        return f"轮次{scope.rounds[0]}" + (f"（{scope.unit}）" if scope.unit else "") if scope.rounds else "本轮"
    extra = [x for x in (scope.group, scope.unit) if x]
    count = f"{len(scope.rounds)}轮" if len(scope.rounds) != 1 else f"轮次{scope.rounds[0]}"
    return f"{head}（{'，'.join([*extra, count])}）"
