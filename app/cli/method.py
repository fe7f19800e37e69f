"""`xuncha decided`: the method on site from the command line (the briefing, the three lists and the
minutes themselves are records: `xuncha add | show | list | edit briefing|policy|problem|profile|minute`).

    xuncha decided ID [--json]     the 组务会 decisions on a working paper or a problem lead, newest first
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
