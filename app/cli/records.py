"""`xuncha add | edit | show | list | finalise | reopen | paper`: captured records from the command line.

    xuncha add KIND --json FILE|-         validate and store a record; prints it as JSON (with its id)
    xuncha edit ID --json FILE|-          replace its fields, as the editor's 保存 does (refused if final)
    add | edit ... --override REASON      the leader assigns a member despite a declared tie (回避; logged)
    xuncha show ID --json [--reveal F]    one record; protected fields as "***" unless revealed (logged)
    xuncha list KIND --json [filters]     the list lines of a kind
    xuncha finalise ID                    mark an interview note final (two people present)
    xuncha reopen ID --reason TEXT        a final note back to draft (the leader or its author; logged)
    xuncha paper ACTION ID [--reason R]   submit | check | sign | confirm | report | send-back

KIND is interview, petition, review, paper, briefing, policy, problem, profile or minute; docs/records.md
documents each JSON shape.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from app.capture.records import SORTS, STATUS_KEY
from app.cli.common import EXIT_OK, RECORD_HELP, Passwords, print_json, read_json_input, unlocked
from app.core.domain import ListQuery
from app.core.errors import XunchaError
from app.core.kinds import KINDS

PAPER_ACTIONS = ("submit", "check", "sign", "confirm", "report", "send-back")


def _record_json(args: argparse.Namespace) -> dict[str, Any]:
    """The record's fields from --json (a file, or standard input for "-"): one JSON object."""
    if args.json == "-" and args.password_stdin:
        raise XunchaError("--json - 与 --password-stdin 不能同时使用标准输入；请用 XUNCHA_PASSWORD",
                          "--json - and --password-stdin cannot both read stdin; use XUNCHA_PASSWORD")
    data = read_json_input(args.json)
    if not isinstance(data, dict):
        raise XunchaError("JSON 应为一个对象（{…}）", "the JSON must be one object ({...})")
    return data


def cmd_add(args: argparse.Namespace, pw: Passwords) -> int:
    data = _record_json(args)
    with unlocked(args, pw) as session:
        record, _ = session.records.add(args.kind, data, override=args.override)
        print_json(session.records.to_json(record))
    return EXIT_OK


def cmd_show(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        record = session.records.get(session.records.resolve(args.id))
        revealed = {field: session.records.reveal(record.id, field) for field in args.reveal}
        out = session.records.to_json(record, revealed)
        if args.json:
            print_json(out)
        else:
            schema = KINDS[record.kind]
            print(f"{record.number}  {record.title}  [{schema.status_label(record.status)}]")
            for f in schema.fields:
                value = out.get(f.name)
                if value not in (None, "", [], False) and f.name != STATUS_KEY:
                    print(f"  {f.label}：{value}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace, pw: Passwords) -> int:
    query = ListQuery(
        statuses=tuple(args.status or ()), category=args.category or "", date_from=args.date_from,
        date_to=args.date_to, overdue_only=args.overdue, sort=args.sort, descending=not args.asc,
    )
    with unlocked(args, pw) as session:
        ids = session.records.list_ids(args.kind, query)
        rows = session.records.rows(ids[: args.limit] if args.limit else ids)
    if args.json:
        print_json([_row_json(r) for r in rows])
    else:
        for r in rows:
            mark = " [逾期]" if r.overdue else " [复核后已修改]" if r.flagged else ""
            print(f"{r.number}  {(r.occurred_on or '')[:10]:10}  {r.status_label:8}  {r.title}{mark}")
    return EXIT_OK


def _row_json(row: Any) -> dict[str, Any]:
    out = dataclasses.asdict(row)
    out["sensitivity"] = row.sensitivity.value
    return out


def cmd_edit(args: argparse.Namespace, pw: Passwords) -> int:
    """Replace a record's fields from JSON, as the editor's 保存 does (every field; refused if stale)."""
    data = _record_json(args)
    with unlocked(args, pw) as session:
        current = session.records.get(session.records.resolve(args.id))
        revision = args.revision if args.revision is not None else current.revision
        record, _ = session.records.update(current.id, data, revision, override=args.override)
        print_json(session.records.to_json(record))
    return EXIT_OK


def cmd_reopen(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        record, _ = session.interviews.reopen(session.records.resolve(args.id), args.reason)
        print(f"已重新打开 / reopened: {record.number}")
    return EXIT_OK


def cmd_finalise(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        record, _ = session.interviews.finalise(session.records.resolve(args.id))
        print(f"已定稿 / finalised: {record.number}")
    return EXIT_OK


def cmd_paper(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        papers = session.papers
        steps = {"submit": papers.submit, "check": papers.check, "sign": papers.sign,
                 "confirm": papers.confirm, "report": papers.take_into_report}
        paper_id = session.records.resolve(args.id)
        if args.action == "send-back":
            record, _ = papers.send_back(paper_id, args.reason or "")
        else:
            record, _ = steps[args.action](paper_id)
        print(f"{record.number}: {KINDS[record.kind].status_label(record.status)} / {record.status}")
    return EXIT_OK


def register(sub: Any) -> None:
    kinds = list(KINDS)
    p = sub.add_parser("add", help="新增记录 (add a record from JSON)")
    p.add_argument("kind", choices=kinds, metavar="KIND", help=" | ".join(kinds))
    p.add_argument("--json", required=True, metavar="FILE|-", help="JSON 文件，- 为标准输入 (file, - for stdin)")
    p.add_argument("--override", metavar="REASON",
                   help="组长决定不回避的理由 (the leader's reason to assign a member with a declared tie; logged)")
    p.set_defaults(func=cmd_add)

    p = sub.add_parser("show", help="查看记录 (show a record)")
    p.add_argument("id", help=RECORD_HELP)
    p.add_argument("--json", action="store_true")
    p.add_argument("--reveal", action="append", default=[], metavar="FIELD",
                   help="显示受保护字段，记入操作日志 (reveal a protected field; logged)")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("list", help="列出记录 (list records of a kind)")
    p.add_argument("kind", choices=kinds, metavar="KIND", help=" | ".join(kinds))
    p.add_argument("--json", action="store_true")
    p.add_argument("--status", action="append", metavar="STATUS")
    p.add_argument("--category", metavar="CODE")
    p.add_argument("--from", dest="date_from", metavar="DATE")
    p.add_argument("--to", dest="date_to", metavar="DATE")
    p.add_argument("--overdue", action="store_true", help="只列逾期的 (overdue only)")
    p.add_argument("--sort", choices=SORTS, default="occurred_on")
    p.add_argument("--asc", action="store_true", help="升序 (ascending)")
    p.add_argument("--limit", type=int, default=0)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("edit", help="修改记录 (replace a record's fields from JSON)")
    p.add_argument("id", help=RECORD_HELP)
    p.add_argument("--json", required=True, metavar="FILE|-", help="JSON 文件，- 为标准输入 (file, - for stdin)")
    p.add_argument("--revision", type=int, help="所依据的版本，过时则拒绝 (the revision edited; refused if stale)")
    p.add_argument("--override", metavar="REASON",
                   help="组长决定不回避的理由 (the leader's reason to assign a member with a declared tie; logged)")
    p.set_defaults(func=cmd_edit)

    p = sub.add_parser("finalise", help="谈话记录定稿 (finalise an interview note)")
    p.add_argument("id", help=RECORD_HELP)
    p.set_defaults(func=cmd_finalise)

    p = sub.add_parser("reopen", help="重新打开已定稿的谈话记录，须写明理由 (reopen a final note, with a reason)")
    p.add_argument("id", help=RECORD_HELP)
    p.add_argument("--reason", required=True, help="理由，记入操作日志 (why; goes to the audit log)")
    p.set_defaults(func=cmd_reopen)

    p = sub.add_parser("paper", help="问题底稿审核流程 (working paper review steps)")
    p.add_argument("action", choices=PAPER_ACTIONS)
    p.add_argument("id", help=RECORD_HELP)
    p.add_argument("--reason", help="退回理由 (why it goes back)")
    p.set_defaults(func=cmd_paper)
