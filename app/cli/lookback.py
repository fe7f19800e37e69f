"""`xuncha lookback …`: a look-back round's checks (回头看核查), over app/lifecycle/lookback.py as the GUI.

    xuncha lookback seed [--from ROUND] [--json]     one check per ledger item of the earlier round of the same
                                                     unit (default: the newest); again: only new items
    xuncha lookback sources [--json]                 the earlier rounds this round may look back on
    xuncha lookback list [--verdict V] [--json]      the checks, in the earlier ledger's order
    xuncha lookback show ID [--json]                 one check (查-0003 or an id)
    xuncha lookback check ID --verdict V [--note T] [--on DATE] [--json]
                                                     真整改 genuine / 纸面整改 on_paper / 重新整改 reopened / 未查
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, date_argument, print_json, unlocked
from app.core.domain import Record
from app.core.errors import XunchaError
from app.core.kinds import lookback as lookback_kind

if TYPE_CHECKING:
    from app.cli.common import Passwords
    from app.vault.session import Session

ITEM_HELP = "核查事项编号（如 查-0003）或ID (check number or id)"
VERDICT_HELP = "、".join(f"{c.value}（{c.label}：{lookback_kind.VERDICT_HELP[c.value]}）"
                        for c in lookback_kind.VERDICTS)


def _line(session: Session, record: Record) -> str:
    item = session.lookback.item_json(record)
    closed = f" {item['closed_on']}" if item["closed_on"] else ""
    return (f"{item['number']}  {item['source_number'] or '-'}  {item['problem_no'] or '-':<8} "
            f"{item['problem'][:30]}  原：{item['source_status_label'] or '-'}{closed}  核查：{item['verdict_label']}")


def cmd_lookback(args: argparse.Namespace, pw: Passwords) -> int:
    command = args.lookback_command
    with unlocked(args, pw) as session:
        lookback = session.lookback
        if command == "seed":
            seeded, _ = lookback.seed(args.source)
            if args.json:
                print_json({"source": seeded.source.code, "added": [lookback.item_json(r) for r in seeded.added],
                            "kept": seeded.kept})
            else:
                print(f"从 {seeded.source.code} 的整改台账新增核查事项 {len(seeded.added)} 项，原有 {seeded.kept} 项 / "
                      f"{len(seeded.added)} checks added from {seeded.source.code}, {seeded.kept} kept")
                for added in seeded.added:
                    print("  " + _line(session, added))
        elif command == "sources":
            rounds = lookback.sources()
            if args.json:
                print_json([{"id": rnd.id, "code": rnd.code, "name": rnd.name} for rnd in rounds])
            elif not rounds:
                print("没有可以“回头看”的更早轮次 / no earlier round of the same unit with a ledger")
            for rnd in rounds if not args.json else []:
                print(f"{rnd.code}  {rnd.name}")
        elif command == "list":
            _list(args, session)
        else:
            record = (lookback.get(args.id) if command == "show"
                      else lookback.check(args.id, args.verdict, args.note, date_argument(args.on))[0])
            if args.json:
                print_json(lookback.item_json(record))
            else:
                _show(session, record)
    return EXIT_OK


def _list(args: argparse.Namespace, session: Session) -> None:
    items = session.lookback.items()
    if args.verdict:
        wanted = lookback_kind.VERDICT_WORDS.get(args.verdict.strip())
        if wanted is None:
            raise XunchaError(f"核查结论不在可选范围内：{args.verdict}", f"no such verdict: {args.verdict}")
        items = [r for r in items if r.status == wanted]
    if args.json:
        print_json([session.lookback.item_json(r) for r in items])
    elif not items:
        print("没有核查事项 / no look-back checks")
    else:
        for r in items:
            print(_line(session, r))


def _show(session: Session, record: Record) -> None:
    item: dict[str, Any] = session.lookback.item_json(record)
    print(_line(session, record))
    for key in ("source_round", "unit", "deadline", "checked_on", "checked_by", "note"):
        if item[key]:
            print(f"  {lookback_kind.SCHEMA.field(key).label}：{item[key]}")


def register(sub: Any) -> None:
    p = sub.add_parser("lookback", help="巡察“回头看”：从上一轮整改台账生成核查事项，记录核查结论 (look-back checks)")
    s = p.add_subparsers(dest="lookback_command", required=True, metavar="seed|sources|list|show|check")
    q = s.add_parser("seed", help="从上一轮整改台账生成核查事项 (seed the checks from an earlier round's ledger)")
    q.add_argument("--from", dest="source", metavar="ROUND",
                   help="上一轮的编号或ID，默认同一单位最近的一轮 (the earlier round; default the newest)")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("sources", help="可以“回头看”的更早轮次 (the earlier rounds of the same unit)")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("list", help="列出核查事项 (list the checks)")
    q.add_argument("--verdict", metavar="V", help=f"只列此结论的：{VERDICT_HELP}")
    q.add_argument("--json", action="store_true")
    q = s.add_parser("show", help="查看一项 (show a check)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("--json", action="store_true")
    q = s.add_parser("check", help="记录核查结论 (record the verdict)")
    q.add_argument("id", help=ITEM_HELP)
    q.add_argument("--verdict", required=True, metavar="V", help=VERDICT_HELP)
    q.add_argument("--note", help="核查情况；纸面整改、重新整改须写明 (what was found; needed for on_paper, reopened)")
    q.add_argument("--on", metavar="DATE", help="核查日期，默认今天 (default today)")
    q.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_lookback)
