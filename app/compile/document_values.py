"""The values each document template is filled with, gathered from the vault (app/compile/documents.py exports).

Values carry the real names: masking (exports/masking.py) replaces the protected ones afterwards for a
recipient without the right to them, so no template or value builder can forget to.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from app.core.domain import Issue, RecordKind, Role
from app.core.errors import XunchaError
from app.core.kinds import appraisal as appraisal_kind
from app.core.kinds import interview as interview_kind
from app.core.kinds import paper as paper_kind
from app.core.kinds import petition as petition_kind
from app.core.kinds import rectification as ledger_kind
from app.core.kinds.fields import money_text, wan_text
from app.core.kinds.schema import Body
from forms.tally import Chart
from storage import protected_repo

if TYPE_CHECKING:
    from app.vault.session import Session

Values = dict[str, Any]
FIX_DAYS = 15  # the 立行立改 notice asks for a written answer within this many days


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _when(value: str | None) -> str:
    if not value:
        return ""
    return value.replace("T", " ")[:16]


def _label(choices: tuple[Any, ...], value: Any) -> str:
    return next((c.label for c in choices if c.value == value), str(value or ""))


def _money(value: Any) -> str:
    return money_text(value, "") if value else ""


def common(session: Session, recipient: str, today: date) -> Values:
    rnd = session.require_round()
    units = session.units()
    top = next((u for u in units if u.parent_id is None), None)
    leaders = [m.name for m in session.members() if m.role == Role.LEADER]
    period = "巡察期间"
    if rnd.start_date and rnd.end_date:
        period = f"{cn_date(rnd.start_date)}至{cn_date(rnd.end_date)}"
    return {
        "round_name": rnd.name, "round_code": rnd.code, "group_name": rnd.group_name or "巡察组",
        "round_type": rnd.round_type.label, "auth_doc_no": rnd.auth_doc_no,
        "unit_name": top.name if top else "被巡察党组织", "period": period, "today": cn_date(today),
        "leader": leaders[0] if leaders else "", "recipient": recipient, "exporter": session.owner_name,
        "addressee": "市委巡察工作领导小组",
    }


def _categories(session: Session) -> dict[str, str]:
    return {n.code: n.name for n in session.taxonomy()}


def _issue_values(session: Session, issue: Issue, names: dict[str, str]) -> Values:
    papers = [session.records.get(issue.paper_id), *(session.records.get(m.id) for m in issue.merged)]
    facts = "\n".join(str(p.body.get("facts") or p.body.get("summary") or "") for p in papers).strip()
    amount = sum(float(p.body.get("amount") or 0) for p in papers)
    policy = "；".join(dict.fromkeys(str(p.body.get("policy_basis") or "").strip() for p in papers if
                                     p.body.get("policy_basis")))
    return {
        "title": issue.title, "facts": facts or issue.title, "amount": _money(amount),
        "amount_wan": wan_text(amount, "") if amount else "",  # the issue list's column: 273.97, not 2,739,741.54
        "papers": "、".join(p.number for p in papers), "category": issue.category,
        "category_name": names.get(issue.category, "未分类"), "policy_basis": policy.rstrip("。"),
        "status": issue.status_label, "lead": issue.lead_number,
    }


def _sections(session: Session, issues: list[Issue]) -> list[Values]:
    """Issues grouped under the top level of the taxonomy (the 三大问题), in the leader's order."""
    names = _categories(session)
    sections: dict[str, Values] = {}
    for issue in issues:
        top = issue.category.split(".")[0] if issue.category else ""
        section = sections.setdefault(top, {"code": top, "name": names.get(top, "其他问题"), "issues": []})
        section["issues"].append(_issue_values(session, issue, names))
    for section in sections.values():
        section["count"] = len(section["issues"])
    return list(sections.values())


def issues(session: Session, base: Values, drafts: bool = False) -> Values:
    """The issues past the deputy's check (复核); with `drafts`, the others too, each marked 草稿."""
    found = session.compilation.issues()
    if not found:
        raise XunchaError("本轮还没有问题底稿，无法生成问题清单", "the round has no working papers for an issue list")
    checked = {i.paper_id for i in found if _checked(session, i)}  # each paper read once
    if not drafts:
        found = [i for i in found if i.paper_id in checked]
        if not found:
            raise XunchaError("本轮还没有经复核的问题底稿；如需连同草稿一并列出，请选择“问题清单（含草稿）”",
                              "no working paper has been checked yet; ask for the issue list with drafts")
    # What is listed with drafts says so on its line (三审: a draft is no finding yet).
    found = [i if i.paper_id in checked else replace(i, title=f"{i.title}（草稿，未经复核）") for i in found]
    return {**base, "issue_count": len(found), "sections": _sections(session, found)}


def _stands(session: Session, issue: Issue) -> bool:
    """三审 as the paper stands now: signed, and not edited since (a mark made earlier does not carry an edit)."""
    paper = session.records.get(issue.paper_id)
    return paper_kind.may_enter_report(paper.status, paper.body)


def _checked(session: Session, issue: Issue) -> bool:
    """Past the deputy's check as it stands now: an edit after the check sends it back to the reviewers."""
    paper = session.records.get(issue.paper_id)
    return paper.status in paper_kind.REVIEWED and not paper.body.get(paper_kind.EDITED_AFTER_REVIEW)


def report(session: Session, base: Values) -> Values:
    found = [i for i in session.compilation.issues() if i.for_report and _stands(session, i)]
    if not found:
        raise XunchaError("还没有纳入报告的问题：请先在“汇总”中标记纳入报告",
                          "no issue is marked for the report yet; mark some in the compilation first")
    counts = session.dashboard().records_by_kind
    leads = session.leads.list() if session.leads.can_see() else []
    fixes = [i for i in session.compilation.issues() if i.immediate]
    return {
        **base, "sections": _sections(session, found), "issue_count": len(found),
        "interview_count": counts.get(RecordKind.INTERVIEW, 0), "petition_count": counts.get(RecordKind.PETITION, 0),
        "review_count": counts.get(RecordKind.REVIEW, 0), "paper_count": counts.get(RecordKind.PAPER, 0),
        "lead_count": len(leads), "fix_count": len(fixes),
    }


def fixes(session: Session, base: Values, today: date) -> Values:
    found = [i for i in session.compilation.issues() if i.immediate]
    if not found:
        raise XunchaError("还没有标记为立行立改的问题", "no issue is marked for immediate fixing yet")
    names = _categories(session)
    return {**base, "issue_count": len(found), "issues": [_issue_values(session, i, names) for i in found],
            "deadline": cn_date(today + timedelta(days=FIX_DAYS))}


def leads(session: Session, base: Values) -> Values:
    found = session.leads.list()
    if not found:
        raise XunchaError("本轮还没有问题线索", "the round has no problem leads")
    rows = []
    for lead in found:
        approval = f"{lead.approved_by} {lead.approved_at}审批" if lead.approved_by else lead.status.label
        handover = f"{lead.handed_over_at}移交{lead.handed_over_to}" if lead.handed_over_at else ""
        rows.append({"number": lead.number, "person": lead.person, "post": lead.post, "source": lead.source,
                     "facts": lead.facts, "receiver": lead.receiver_label, "approval": approval,
                     "handover": handover, "feedback": lead.feedback, "status": lead.status.label})
    return {**base, "lead_count": len(found), "leads": rows}


def handover(session: Session, base: Values, receiver: str, on: str) -> Values:
    """The hand-over letter (移交函): the leads handed over to `receiver` (a body's name) on `on`."""
    found = session.leads.handed_over_with(receiver, on)
    if not found:
        raise XunchaError(f"{on}没有移交{receiver}的问题线索", f"no lead was handed over to {receiver} on {on}")
    due = min(lead.feedback_due for lead in found if lead.feedback_due) if any(
        lead.feedback_due for lead in found) else ""
    rows = [{"number": lead.number, "person": lead.person, "post": lead.post, "source": lead.source,
             "facts": lead.facts, "approval": f"{lead.approved_by}\n{lead.approved_at}" if lead.approved_by else ""}
            for lead in found]
    sender = session.owner_name if session.owner_role == Role.OFFICE else base["group_name"]
    received_by = "、".join(dict.fromkeys(lead.handed_over_to for lead in found if lead.handed_over_to))
    return {**base, "receiver": receiver, "lead_count": len(found), "leads": rows, "sender": sender,
            "due": cn_date(date.fromisoformat(due)) if due else "三个月内",
            "handed_over_on": cn_date(date.fromisoformat(on)), "received_by": received_by,
            "handover_note": "；".join(x for x in (f"移交日期：{cn_date(date.fromisoformat(on))}",
                                                  f"接收人：{received_by}" if received_by else "") if x)}


def petitions(session: Session, base: Values) -> Values:
    records = session.records
    ids = records.list_ids(RecordKind.PETITION)
    if not ids:
        raise XunchaError("本轮还没有信访件", "the round has no petitions")
    rows = []
    for record in sorted((records.get(i) for i in ids), key=lambda r: r.number):
        body = record.body
        protected = _protected(session, record.id)
        name = protected.get("petitioner_name") or ("匿名" if body.get("anonymous") else "未留姓名")
        reported = "，".join(x for x in (body.get("reported_person", ""), body.get("reported_post", "")) if x)
        rows.append({
            "number": record.number, "received_at": _when(body.get("received_at")),
            "channel": _label(petition_kind.CHANNELS, body.get("channel")), "petitioner": name,
            "contact": protected.get("petitioner_contact", ""), "reported": reported or body.get("reported_unit", ""),
            "summary": body.get("summary", ""), "handling": _label(petition_kind.HANDLING, body.get("handling")),
            "status": _label(petition_kind.STATUSES, record.status),
        })
    return {**base, "petition_count": len(rows), "petitions": rows}


def _protected(session: Session, record_id: str) -> dict[str, str]:
    """A petition's protected values, read for the document (masking decides what stays): only those this
    vault may show, never one withheld from it (a value a local member typed into a shared petition before
    such fields were read-only stays unread, as in the editor)."""
    shown = session.records.protected_present(record_id)
    with session.vault.lock:
        conn = session.vault.conn
        return {f: (protected_repo.get(conn, record_id, f) or "") if f in shown else ""
                for f in ("petitioner_name", "petitioner_contact")}


def _fact_rows(schema_fields: tuple[Any, ...], body: Body, skip: set[str]) -> list[Values]:
    rows = []
    for f in schema_fields:
        if f.protected or f.name in skip:
            continue
        value = body.get(f.name)
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, list):
            text = "、".join(map(str, value))
        elif f.choices:
            text = _label(f.choices, value)
        elif f.name == "amount":
            text = _money(value)
        else:
            text = _when(value) if f.name in ("held_at",) else str(value or "")
        if text:
            rows.append({"label": f.label, "value": text})
    return rows


def interview(session: Session, base: Values, record_id: str) -> Values:
    record = session.records.get(record_id)
    if record.kind != RecordKind.INTERVIEW:
        raise XunchaError(f"{record.number} 不是谈话记录", f"{record.number} is not an interview")
    body = record.body
    notes = {"notes_leadership", "notes_integrity", "notes_plans", "other_notes", "problems", "outline_items",
             "lead_raised", "signed_by_interviewee"}
    facts = [{"label": "编号", "value": record.number}, *_fact_rows(interview_kind.SCHEMA.fields, body, notes)]
    problems = [{"text": p} for p in body.get("problems") or []]
    head = "五、反映的问题" if body.get("other_notes") else "四、反映的问题"
    return {**base, "number": record.number, "facts": facts, "problems": problems, "problems_head": head,
            **{k: body.get(k) or "无" for k in ("notes_leadership", "notes_integrity", "notes_plans")},
            "other_notes": body.get("other_notes") or ""}


def paper(session: Session, base: Values, record_id: str) -> Values:
    record = session.records.get(record_id)
    if record.kind != RecordKind.PAPER:
        raise XunchaError(f"{record.number} 不是问题底稿", f"{record.number} is not a working paper")
    body = record.body
    names = _categories(session)
    facts = [{"label": "底稿编号", "value": record.number}]
    for row in _fact_rows(paper_kind.SCHEMA.fields, body, {"evidence", "evidence_attachments"}):
        if row["label"] == "问题类别":
            row["value"] = f"{body.get('category')} {names.get(str(body.get('category')), '')}".strip()
        facts.append(row)
    evidence = [session.records.get(e) for e in session.records.links(record_id, "evidence")]
    if evidence:
        facts.append({"label": "证据", "value": "\n".join(f"{e.number} {e.title}" for e in evidence)})
    facts.append({"label": "状态", "value": paper_kind.SCHEMA.status_label(record.status)})
    reached = _status_times(session, record_id)
    trail = [
        {"step": "承办人", "who": session.records.author_name(record), "when": _local(reached.get("submitted", ""))},
        {"step": "副组长复核", "who": body.get("checked_by", ""), "when": _local(reached.get("checked", ""))},
        {"step": "组长审签", "who": body.get("signed_by", ""), "when": _local(reached.get("signed", ""))},
    ]
    notes = []
    for note in session.papers.notes(record_id):
        answer = f"；答复：{note.resolution}" if note.resolution else ""
        if note.cleared_at:
            answer += f"（{note.cleared_by}已关闭）"
        notes.append({"raised_by": note.raised_by, "raised_at": _local(note.raised_at), "text": note.text,
                      "answer": answer})
    return {**base, "number": record.number, "facts": facts, "trail": trail, "notes": notes}


def _status_times(session: Session, record_id: str) -> dict[str, str]:
    """When the paper last reached each status, from its saved revisions."""
    reached: dict[str, str] = {}
    previous = None
    for _rev, saved, _title, body in session.record_revisions(record_id):
        status = body.get("status")
        if status != previous and status:
            reached[status] = saved
        previous = status
    return reached


def _local(value: str) -> str:
    if not value:
        return ""
    try:
        return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return value


def tally(session: Session, base: Values, form_id: str) -> Values:
    """A questionnaire's or evaluation's tally (the forms work's report): summary lines, a table per
    question with its chart, cross-tabs by respondent group. Anonymous sheets, but an evaluation may list
    people as its items: the masking pass sees the chart labels as well as the table cells."""
    form_id, _, version = form_id.partition("@")  # tally:FORM, or tally:FORM@2 for an earlier version
    if version and not version.isdigit():
        raise XunchaError(f"版本应为数字：{version}", f"the version is a number: {version}")
    title, lines, tables = session.forms.report(form_id, int(version) if version else None)
    return {**base, "form_title": title, "lines": [{"text": line} for line in lines],
            "tables": [{"heading": t.heading, "table": {"columns": t.columns, "rows": t.rows, "chart": t.chart}}
                       for t in tables]}


def feedback(session: Session, base: Values) -> Values:
    """反馈意见: the ledger's problems by the top of their category, with their ledger and problem numbers,
    unit and deadline; the dates the unit answers by (app/lifecycle/ledger.py makes the ledger first)."""
    items = session.ledger.items()
    problems = [r for r in items if r.body.get("entry") == ledger_kind.PROBLEM]
    if not problems:
        raise XunchaError("还没有整改台账：请先“生成反馈意见和整改台账”（xuncha ledger make）",
                          "no rectification ledger yet: make the feedback and the ledger first (xuncha ledger make)")
    names = _categories(session)
    sections: dict[str, Values] = {}
    for record in problems:
        body = record.body
        category = str(body.get("category") or "")
        top = category.split(".")[0] if category else ""
        section = sections.setdefault(top, {"code": top, "name": names.get(top, "其他问题"), "items": []})
        section["items"].append({
            "number": record.number, "problem_no": body.get("problem_no", ""),
            "problem": f"{body.get('problem', '')}（立行立改）" if body.get("immediate") else body.get("problem", ""),
            "unit": body.get("unit", ""), "deadline": body.get("deadline", ""),
            "category_name": names.get(category, "未分类"),
        })
    for section in sections.values():
        section["count"] = len(section["items"])
    fed = max(str(r.body.get("feedback_on")) for r in problems)
    report = next((r for r in items if r.body.get("entry") == ledger_kind.REPORT), None)
    immediate = [r for r in problems if r.body.get("immediate")]
    fix_due = max((str(r.body.get("deadline")) for r in immediate), default="")
    return {
        **base, "sections": list(sections.values()), "issue_count": len(problems), "fix_count": len(immediate),
        "feedback_day": cn_date(date.fromisoformat(fed)),
        "fix_due": cn_date(date.fromisoformat(fix_due)) if fix_due else "整改时限",
        "report_due": cn_date(date.fromisoformat(str(report.body.get("deadline")))) if report else "规定时限",
        "report_months": ledger_kind.REPORT_MONTHS,
    }


def appraisal(session: Session, base: Values, record_id: str) -> Values:
    """The leader's appraisal of one member (工作鉴定), with the tally of the group's evaluation form for them."""
    record = session.records.get(record_id)
    if record.kind != RecordKind.APPRAISAL:
        raise XunchaError(f"{record.number} 不是工作鉴定", f"{record.number} is not an appraisal")
    body = record.body
    name = str(body.get("member") or "")
    member = next((m for m in session.members() if m.name == name), None)
    rnd = session.require_round()
    facts = [{"label": "姓名", "value": name},
             {"label": "原单位", "value": member.home_unit if member else ""},
             {"label": "巡察组职务", "value": member.role.label if member else ""},
             {"label": "在巡察组中的职责", "value": str(body.get("post") or "")},
             {"label": "巡察轮次", "value": f"{rnd.name}（{base['group_name']}）"},
             {"label": "巡察时间", "value": base["period"] if rnd.start_date and rnd.end_date else ""},
             {"label": "被巡察党组织", "value": base["unit_name"]}]
    sheets, heads = session.appraisals.scores(name)
    scores = [{"head": h.head, "average": f"{h.average:.2f}" if h.average is not None else "—",
               **{g.value: str(h.counts.get(g.value, 0)) for g in appraisal_kind.GRADES}} for h in heads]
    day = body.get("appraised_on")
    return {**base, "number": record.number, "member": name, "facts": [f for f in facts if f["value"]],
            **{k: str(body.get(k) or "").strip() or "（未填写）"
               for k in ("quality", "ability", "discipline", "summary")},
            "grade": _label(appraisal_kind.GRADES, body.get("grade")) or "（未定）",
            "scores": scores if sheets else [], "sheets": str(sheets),
            "appraised_on": cn_date(date.fromisoformat(day)) if isinstance(day, str) and day else base["today"]}


def stats(session: Session, base: Values, arg: str, full: bool = False) -> Values:
    """巡察工作情况统计报告 (the office's written summary to the committee): the totals in the seeds' words, then
    a table per cut (round, group, unit, category) with bar charts of the problems by group and category and
    of the rectification by group. `full`: every column, for a spreadsheet. Counts only, no person's name."""
    result = session.stats.from_spec(arg)
    tables = []
    for n, (name, label) in enumerate(result.CUTS, 1):
        cuts = getattr(result, name)
        columns, rows = result.table(name, full)
        chart = None
        if not full and name in ("by_group", "by_category") and result.total.problems:
            chart = _share_chart([(c.label, c.figures.problems) for c in cuts if c.figures.problems])
        tables.append({"heading": f"{_CN[n]}、按{label}统计", "table": {"columns": columns, "rows": rows,
                                                                      "chart": chart}})
        if not full and name == "by_group" and result.total.items:
            tables.append({"heading": "", "table": {"columns": ["巡察组", "已销号", "未到期", "逾期未完成"], "rows": [
                [c.label, str(c.figures.closed), str(c.figures.items - c.figures.due), str(c.figures.overdue)]
                for c in cuts if c.figures.items], "chart": _rectification_chart(cuts)}})
    signer = "巡察工作领导小组办公室" if session.owner_role == Role.OFFICE else base["group_name"]
    return {**base, "scope_text": result.scope_text(), "summary": "\n".join(result.summary()),
            "tables": tables, "signer": signer}


_CN = "〇一二三四五六七八九十"


def _share_chart(bars: list[tuple[str, int]]) -> Chart:
    """Plain bars, each with its count and share, as a tally draws an option's votes."""
    total = sum(n for _label, n in bars) or 1
    return Chart([label for label, _n in bars], [""], [[n * 100.0 / total] for _label, n in bars],
                 [[n] for _label, n in bars], False)


def _rectification_chart(cuts: list[Any]) -> Chart:
    """100 % stacked bars per group: closed out (green), not yet due (light green), overdue (amber)."""
    shown = [c for c in cuts if c.figures.items]
    parts = [(c.figures.closed, c.figures.items - c.figures.due, c.figures.overdue) for c in shown]
    return Chart([c.label for c in shown], ["已销号", "未到期", "逾期未完成"],
                 [[v * 100.0 / (sum(p) or 1) for v in p] for p in parts], [list(p) for p in parts], True)
