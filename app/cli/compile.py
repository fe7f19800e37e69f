"""`xuncha compile …` (the leader's issue list) and `xuncha lead …` (problem leads and who may see them)."""

from __future__ import annotations

import argparse
import dataclasses
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, RECORD_HELP, print_json, read_json_input, unlocked
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
    sub = p.add_subparsers(dest="lead_command", required=True, metavar="list|add|update|grant|revoke|grants")
    q = sub.add_parser("list")
    q.add_argument("--json", action="store_true")
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
    return out


def cmd_lead(args: argparse.Namespace, pw: Passwords) -> int:
    data = read_json_input(args.source) if args.lead_command in ("add", "update") else None
    if data is not None and not isinstance(data, dict):
        raise XunchaError("JSON 应为一个对象", "the JSON must be one object")
    with unlocked(args, pw) as session:
        leads = session.leads
        command = args.lead_command
        if command == "list":
            found = leads.list()
            if args.json:
                print_json([_lead_json(lead) for lead in found])
            for lead in [] if args.json else found:
                print(f"{lead.number}  {lead.person}  {lead.post}  → {lead.receiver_label}  [{lead.status.label}]")
        elif command == "add":
            lead, _ = leads.add(data or {})
            print(f"已登记问题线索 / lead logged: {lead.number}")
        elif command == "update":
            wanted = args.id.strip()
            match = next((lead for lead in leads.list() if wanted in (lead.id, lead.number)), None)
            if match is None:
                raise XunchaError(f"找不到问题线索：{wanted}", f"no such lead: {wanted}")
            lead, _ = leads.update(match.id, data or {})
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
