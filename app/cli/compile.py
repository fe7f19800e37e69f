"""`xuncha compile …` (the leader's issue list) and `xuncha lead …` (problem leads and who may see them)."""

from __future__ import annotations

import argparse
import dataclasses
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, RECORD_HELP, print_json, read_json_input, unlocked
from app.compile.documents import handover_spec
from app.core.domain import AccessScope, Issue, Lead, LeadReceiver
from app.core.errors import XunchaError

if TYPE_CHECKING:
    from app.cli.common import Passwords


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("compile", help="组长编排问题清单 (the leader's compilation)")
    sub = p.add_subparsers(dest="compile_command", required=True, metavar="list|mark|merge|unmerge|order|lead")
    q = sub.add_parser("list", help="按类别列出问题 (issues by category)")
    q.add_argument("--json", action="store_true")
    q = sub.add_parser("mark", help="标记纳入报告或立行立改 (mark for the report or 立行立改)")
    q.add_argument("paper", help=RECORD_HELP)
    q.add_argument("--report", dest="for_report", action="store_true", default=None)
    q.add_argument("--no-report", dest="for_report", action="store_false")
    q.add_argument("--fix", dest="immediate", action="store_true", default=None, help="立行立改")
    q.add_argument("--no-fix", dest="immediate", action="store_false")
    q = sub.add_parser("merge", help="把一份底稿并入另一项问题 (merge a paper into an issue)")
    q.add_argument("keep")
    q.add_argument("other")
    q = sub.add_parser("unmerge", help="取消合并 (undo a merge)")
    q.add_argument("paper", help=RECORD_HELP)
    q = sub.add_parser("order", help="设定同一类别内的顺序 (order the issues of a category)")
    q.add_argument("category")
    q.add_argument("papers", nargs="+", help=RECORD_HELP)
    q = sub.add_parser("lead", help="把问题转为问题线索 (turn an issue into a lead)")
    q.add_argument("paper", help=RECORD_HELP)
    q.add_argument("--receiver", choices=[r.value for r in LeadReceiver], default="jw")
    p.set_defaults(func=cmd_compile)

    p = subparsers.add_parser("lead", help="问题线索 (problem leads; leader and named persons only)")
    sub = p.add_subparsers(dest="lead_command", required=True,
                           metavar="list|add|update|handover|feedback|period|grant|revoke|grants")
    q = sub.add_parser("list")
    q.add_argument("--json", action="store_true")
    q.add_argument("--overdue", action="store_true", help="只列逾期未反馈的 (only those whose feedback is overdue)")
    q = sub.add_parser("handover", help="移交已审批的线索并写出移交函 (hand approved leads over, with the letter)")
    q.add_argument("ids", nargs="+", metavar="ID", help="线索编号或ID (lead numbers or ids)")
    q.add_argument("--to", required=True, help="纪委监委、组织部 或 其他（jw, zzb, other）")
    q.add_argument("--body", default="", help="“其他”时的接收单位名称 (the receiving body, with --to other)")
    q.add_argument("--date", default="", help="移交日期，默认今天 (hand-over date, default today)")
    q.add_argument("--due", default="", help="反馈期限，默认移交后三个月 (feedback due date)")
    q.add_argument("--received-by", default="", help="接收人 (who received them)")
    q.add_argument("--out", type=Path, default=None, help="移交函文件，默认当前文件夹 (the letter's file)")
    q.add_argument("--format", choices=("docx", "pdf"), default="docx")
    q.add_argument("--recipient", default="", help="移交函接收人，默认接收单位 (the letter's recipient)")
    q.add_argument("--grant", action="store_true", help="授权接收单位查阅线索，函中写明姓名 (leader)")
    q.add_argument("--force", action="store_true", help="覆盖已有文件 (overwrite)")
    q = sub.add_parser("feedback", help="登记接收单位的办理反馈 (record the receiver's feedback)")
    q.add_argument("id", help="线索编号或ID (lead number or id)")
    q.add_argument("--date", default="", help="收到反馈的日期，默认今天 (default today)")
    q.add_argument("--text", required=True, help="反馈的办理情况 (what the receiver fed back)")
    q = sub.add_parser("period", help="移交后多少个月内反馈 (months until feedback is due)")
    q.add_argument("months", nargs="?", type=int, default=None)
    q = sub.add_parser("add", help="登记线索，JSON 字段见 docs/documents.md (log a lead from JSON)")
    q.add_argument("--json", dest="source", required=True, metavar="FILE|-")
    q = sub.add_parser("update", help="修改线索 (change fields of a lead)")
    q.add_argument("id", help="线索编号或ID (lead number or id)")
    q.add_argument("--json", dest="source", required=True, metavar="FILE|-")
    for name in ("grant", "revoke"):
        q = sub.add_parser(name, help="授权或撤销查阅 (name or un-name who may see)")
        q.add_argument("person")
        q.add_argument("--scope", choices=[s.value for s in AccessScope], default="leads")
    q = sub.add_parser("grants", help="列出被授权人 (who may see)")
    q.add_argument("--scope", choices=[s.value for s in AccessScope], default="leads")
    p.set_defaults(func=cmd_lead)


def _issue_json(issue: Issue) -> dict[str, Any]:
    out = dataclasses.asdict(issue)
    out["merged"] = [m.number for m in issue.merged]
    out["evidence"] = [e.number for e in issue.evidence]
    return out


def cmd_compile(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        comp = session.compilation
        paper = session.documents.record_id
        command = args.compile_command
        if command == "list":
            issues = comp.issues()
            if args.json:
                print_json([_issue_json(i) for i in issues])
            for issue in [] if args.json else issues:
                marks = "".join(m for m, on in (("［报告］", issue.for_report), ("［立行立改］", issue.immediate),
                                               (f"［{issue.lead_number}］", bool(issue.lead_number))) if on)
                merged = f" 并入：{'、'.join(m.number for m in issue.merged)}" if issue.merged else ""
                print(f"{issue.category or '-':<5} {issue.number} {issue.title}{marks}{merged}")
        elif command == "mark":
            if args.for_report is None and args.immediate is None:
                raise XunchaError("请指明 --report/--no-report 或 --fix/--no-fix", "give --report or --fix (or --no-…)")
            comp.mark(paper(args.paper), for_report=args.for_report, immediate=args.immediate)
            print(f"已标记 / marked: {args.paper}")
        elif command == "merge":
            comp.merge(paper(args.keep), paper(args.other))
            print(f"已合并 / merged: {args.other} → {args.keep}")
        elif command == "unmerge":
            comp.unmerge(paper(args.paper))
            print(f"已取消合并 / unmerged: {args.paper}")
        elif command == "order":
            comp.reorder(args.category, [paper(p) for p in args.papers])
            print(f"已调整顺序 / ordered: {args.category}")
        else:
            lead, _ = comp.make_lead(paper(args.paper), args.receiver)
            print(f"已转为问题线索 / lead logged: {lead.number}")
    return EXIT_OK


def _lead_json(lead: Lead) -> dict[str, Any]:
    out = dataclasses.asdict(lead)
    out["receiver"], out["status"] = lead.receiver.value, lead.status.value
    out["receiver_label"] = lead.receiver_label
    out["feedback_overdue"] = lead.feedback_overdue(date.today())
    return out


def cmd_lead(args: argparse.Namespace, pw: Passwords) -> int:
    data = read_json_input(args.source) if args.lead_command in ("add", "update") else None
    if data is not None and not isinstance(data, dict):
        raise XunchaError("JSON 应为一个对象", "the JSON must be one object")
    with unlocked(args, pw) as session:
        leads = session.leads
        command = args.lead_command
        if command == "list":
            found = leads.overdue() if args.overdue else leads.list()
            if args.json:
                print_json([_lead_json(lead) for lead in found])
            for lead in [] if args.json else found:
                late = "（逾期未反馈）" if lead.feedback_overdue(date.today()) else ""
                print(f"{lead.number}  {lead.person}  {lead.post}  → {lead.receiver_label}"
                      f"  [{lead.status.label}]{late}")
        elif command == "handover":
            out = args.out
            if out is None:
                to = args.body.strip() if args.to.strip() in ("other", "其他") else args.to
                spec = handover_spec(to.strip() or "其他", args.date.strip() or date.today().isoformat())
                out = Path(session.documents.file_name(spec, args.format, args.recipient))
            done, result, _ = leads.hand_over_with_letter(
                args.ids, args.to, out, args.format, on=args.date, due=args.due, receiver_other=args.body,
                received_by=args.received_by, recipient=args.recipient, overwrite=args.force,
                grant_receiver=args.grant)
            print_json({"leads": [_lead_json(lead) for lead in done],
                        "letter": {"path": str(result.path), "number": result.number, "masked": result.masked,
                                   "sha256": result.sha256}})
        elif command == "feedback":
            lead, _ = leads.record_feedback(args.id, args.date, args.text)
            print_json(_lead_json(lead))
        elif command == "period":
            if args.months is not None:
                leads.set_feedback_months(args.months)
            print_json({"feedback_months": leads.feedback_months()})
        elif command == "add":
            lead, _ = leads.add(data or {})
            print(f"已登记问题线索 / lead logged: {lead.number}")
        elif command == "update":
            lead, _ = leads.update(leads.find(args.id).id, data or {})
            print(f"已修改 / updated: {lead.number} [{lead.status.label}]")
        elif command == "grants":
            for person in leads.grantees(AccessScope(args.scope)):
                print(person)
        elif command == "grant":
            leads.grant(args.person, AccessScope(args.scope))
            print(f"已授权 / granted: {args.person}")
        else:
            leads.revoke(args.person, AccessScope(args.scope))
            print(f"已撤销 / revoked: {args.person}")
    return EXIT_OK
