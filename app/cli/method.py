"""`xuncha decided | evaluation`: the method on site from the command line (the briefing, the three lists, the
minutes and the appraisals themselves are records: `xuncha add | show | list | edit
briefing|policy|problem|profile|minute|appraisal`; an appraisal's document is `xuncha report appraisal:ID`).

    xuncha decided ID [--json]              the 组务会 decisions on a working paper or a problem lead, newest first
    xuncha evaluation form                  import the group's evaluation form (工作测评) with this round's members
    xuncha evaluation scores [NAME] [--json]  its tally per member on the three heads
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, Passwords, print_json, unlocked


def cmd_decided(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        decisions = session.minutes.deciding(session.documents.record_id(args.id))  # a number, or an id
    if args.json:
        print_json([{"minute": d.minute_id, "number": d.minute_number, "held_at": d.held_at, "decision": d.decision}
                    for d in decisions])
    elif not decisions:
        print("没有组务会对它作出决定 / no group meeting has decided on it")
    else:
        for d in decisions:
            print(f"{d.minute_number}  {d.held_at[:16]}  {d.decision}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("decided", help="组务会对问题底稿或问题线索的决定 (meetings' decisions on a paper or lead)")
    p.add_argument("id", help="问题底稿编号或ID、问题线索ID (paper number or id, lead id)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_decided)

    p = sub.add_parser("evaluation", help="巡察组成员工作测评 (the group's own evaluation: form and scores)")
    e = p.add_subparsers(dest="evaluation_command", required=True, metavar="form|scores")
    e.add_parser("form", help="导入成员测评表，评价对象为本轮成员 (import the form, one row per member)")
    q = e.add_parser("scores", help="每位成员三个方面的平均得分 (each member's average on the three heads)")
    q.add_argument("name", nargs="?", metavar="NAME", help="成员姓名 (a member)")
    q.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_evaluation)


def cmd_evaluation(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        if args.evaluation_command == "form":
            result, _ = session.appraisals.import_form()
            print(f"{result.zh}（{result.form.form_id}，{result.form.questions} 题）")
            return EXIT_OK
        names = [args.name] if args.name else session.appraisals.evaluated()
        rows: list[dict[str, Any]] = []
        for name in names:
            sheets, heads = session.appraisals.scores(name)
            rows.append({"member": name, "sheets": sheets,
                         "heads": [{"head": h.head, "answered": h.answered, "average": h.average, "counts": h.counts}
                                   for h in heads]})
    if args.json:
        print_json(rows)
        return EXIT_OK
    for row in rows:
        line = "；".join(f"{h['head']} {h['average']:.2f}" if h["average"] is not None else f"{h['head']} —"
                        for h in row["heads"]) or "未测评 / not evaluated"
        print(f"{row['member']}  {line}")
    return EXIT_OK
