"""`xuncha ledger …`: feedback and the rectification ledger (整改台账), over app/lifecycle/ledger.py as the GUI.

    xuncha ledger make [--on DATE] [--out FILE [--format docx|pdf] [--to WHOM] [--force]] [--json]
                                        one item per problem fed back (again: only new problems); with --out,
                                        the feedback document (反馈意见) too, in the same step
    xuncha ledger list [--overdue] [--json]          the items, in the feedback's order
    xuncha ledger show ID [--json]                   one item (改-0003 or an id)
    xuncha ledger set ID FILE|- [--json]             change fields from JSON (measures, responsible_leader, …)
    xuncha ledger note ID TEXT [--on DATE]           a dated progress note (整改进展)
    xuncha ledger request ID [--on DATE] [--note T]  申请销号 (the unit's request; leader or office)
    xuncha ledger close ID [--on DATE]               销号 (the office only)
    xuncha ledger return ID --reason TEXT [--on DATE]  退回 (the office, with a reason)
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, date_argument, print_json, read_json_input, unlocked
from app.core.domain import Record
from app.core.kinds import rectification as ledger_kind

if TYPE_CHECKING:
    from app.cli.common import Passwords
    from app.vault.session import Session

ITEM_HELP = "台账编号（如 改-0003）或ID (item number or id)"


def _line(session: Session, record: Record) -> str:
    item = session.ledger.item_json(record)
    late = "  [逾期]" if item["overdue"] else ""
    return (f"{item['number']}  {item['problem_no'] or '-':<8} {item['problem'][:30]}  {item['unit']}  "
            f"{item['deadline']}  {item['status_label']}{late}")


def _print_item(args: argparse.Namespace, session: Session, record: Record) -> None:
    if args.json:
        print_json(session.ledger.item_json(record))
    else:
        print(_line(session, record))


def cmd_ledger(args: argparse.Namespace, pw: Passwords) -> int:
    command = args.ledger_command
    data = read_json_input(args.source) if command == "set" else None
    with unlocked(args, pw) as session:
        if command == "make":
            _make(args, session)
        elif command == "list":
            _list(args, session)
        else:
            record = _step(args, session, data)
            if command == "show" and not args.json:
                _show(session, record)
            else:
                _print_item(args, session, record)
    return EXIT_OK


def _make(args: argparse.Namespace, session: Session) -> None:
    ledger = session.ledger
    if args.out:
        made, result, _ = ledger.feedback(Path(args.out), args.format, args.to or "", date_argument(args.on),
                                          overwrite=args.force)
    else:
        made, _ = ledger.make(date_argument(args.on))
        result = None
    out: dict[str, Any] = {"added": [ledger.item_json(r) for r in made.added], "kept": made.kept}
    if result is not None:
        out["document"] = {"path": str(result.path), "number": result.number, "masked": result.masked}
    if args.json:
        print_json(out)
        return
    print(f"整改台账新增 {len(made.added)} 项，原有 {made.kept} 项 / {len(made.added)} items added, {made.kept} kept")
    for r in made.added:
        print("  " + _line(session, r))
    if result is not None:
        print(f"已写出反馈意见 / feedback written: {result.path}（{result.number}）")


def _list(args: argparse.Namespace, session: Session) -> None:
    items = session.ledger.overdue() if args.overdue else session.ledger.items()
    if args.json:
        print_json([session.ledger.item_json(r) for r in items])
    elif not items:
        print("没有台账事项 / no ledger items")
    else:
        for r in items:
            print(_line(session, r))


def _step(args: argparse.Namespace, session: Session, data: Any) -> Record:
    ledger, command = session.ledger, args.ledger_command
    if command == "show":
        return ledger.get(args.id)
    if command == "set":
        return ledger.set_fields(args.id, data)[0]
    if command == "note":
        return ledger.note(args.id, args.text, date_argument(args.on))[0]
    if command == "request":
        return ledger.request(args.id, date_argument(args.on), args.note or "")[0]
    if command == "close":
        return ledger.close(args.id, date_argument(args.on))[0]
    return ledger.send_back(args.id, args.reason, date_argument(args.on))[0]


def _show(session: Session, record: Record) -> None:
    item = session.ledger.item_json(record)
    print(_line(session, record))
    for key in ("measures", "responsible_leader", "lead_department", "feedback_on"):
        if item[key]:
            print(f"  {ledger_kind.SCHEMA.field(key).label}：{item[key]}")
    for line in item["progress"]:
        print(f"  进展：{line}")
    for key, label in ledger_kind.STAMP_LABELS.items():
        if item.get(key):
            print(f"  {label}：{item[key]}")


def register(sub: Any) -> None:
    p = sub.add_parser("ledger", help="反馈意见和整改台账：生成、列出、销号 (feedback and the rectification ledger)")
    s = p.add_subparsers(dest="ledger_command", required=True,
                         metavar="make|list|show|set|note|request|close|return")
    q = s.add_parser("make", help="生成整改台账（加 --out 同时写出反馈意见）(make the ledger; --out: the feedback too)")
    q.add_argument("--on", metavar="DATE", help="反馈日期，默认今天 (feedback date, default today)")
    q.add_argument("--out", metavar="FILE", help="反馈意见写到此文件 (write the feedback document here)")
    q.add_argument("--format", choices=("docx", "pdf"), default="docx")
    q.add_argument("--to", metavar="WHOM", help="文书接收方，决定隐去哪些姓名 (recipient: decides the masking)")
    q.add_argument("--force", action="store_true", help="覆盖已有文件 (overwrite)")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("list", help="列出台账事项 (list items)")
    q.add_argument("--overdue", action="store_true", help="只列逾期的 (overdue only)")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("show", help="查看一项 (show an item)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("--json", action="store_true")
    q = s.add_parser("set", help="从 JSON 修改字段 (change fields from JSON)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("source", metavar="FILE|-")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("note", help="记录整改进展 (a dated progress note)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("text")
    q.add_argument("--on", metavar="DATE")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("request", help="登记单位的销号申请 (record the unit's close-out request)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("--on", metavar="DATE")
    q.add_argument("--note", help="申请说明 (what the unit says)")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("close", help="销号，仅巡察办 (close out; the office only)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("--on", metavar="DATE")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("return", help="退回销号申请，须写明理由 (send a request back, with a reason)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("--reason", required=True)
    q.add_argument("--on", metavar="DATE")
    q.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_ledger)
