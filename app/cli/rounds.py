"""`xuncha round | member | unit`: the vault's rounds, which one is in use, its state, its group and units.

    xuncha round list [--json]                       every round; * marks the one in use
    xuncha round new FILE|- [--no-use] [--json]      rounds from JSON (an object or a list); the last is put in use
    xuncha round use ID                              the round in use from now on (id or code)
    xuncha round show [--round ID] [--json]          the round, its state, the next step and how it got here
    xuncha round advance [--to STATE] [--reason R] [--on DATE] [--round ID]
                                                     the next state (or STATE: skipping needs --reason)
    xuncha member add FILE|- [--round ID] [--json]   group members from JSON (an object or a list), with their
                                                     回避 declarations ([{subject, relation, note}])
    xuncha member declare NAME --subject S --relation R [--note N] | --json FILE|- [--replace]
                                                     record a member's 回避 declarations (leader or office)
    xuncha member show [NAME] [--json]               the group, or one member, with the declarations
    xuncha unit add FILE|- [--round ID] [--json]     inspected units from JSON (an object or a list)

docs/lifecycle.md documents the states, who may move them and the JSON fields.
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, Passwords, date_argument, print_json, read_json_input, unlocked
from app.core.domain import Relation, RoundStatus
from app.core.errors import XunchaError
from app.lifecycle import setup


def _json_in(args: argparse.Namespace) -> Any:
    if args.source == "-" and args.password_stdin:
        raise XunchaError("从标准输入读取 JSON 时不能同时用 --password-stdin；请用 XUNCHA_PASSWORD",
                          "JSON on stdin and --password-stdin cannot both read stdin; use XUNCHA_PASSWORD")
    return read_json_input(args.source)


def cmd_round(args: argparse.Namespace, pw: Passwords) -> int:
    command = args.round_command
    data = _json_in(args) if command == "new" else None
    with unlocked(args, pw) as session:
        if command == "list":
            lines = session.rounds.lines()
            if args.json:
                print_json([{**setup.round_json(line.round), "in_use": line.in_use, "members": line.members,
                             "units": line.units, "records": line.records} for line in lines])
            else:
                for line in lines:
                    r = line.round
                    print(f"{'*' if line.in_use else ' '} {r.code:12} {r.status.label:10} {r.group_name}  {r.name}"
                          f"  ({line.members} 人, {line.units} 个单位, {line.records} 条记录)  {r.id}")
            return EXIT_OK
        if command == "new":
            made = setup.new_rounds(session, data, use=not args.no_use)
            _out(args, [setup.round_json(r) for r in made],
                 [f"已建立轮次 / round created: {r.code} {r.name} ({r.id})" for r in made])
            if not args.no_use and not args.json:
                print(f"使用中的轮次 / round in use: {made[-1].code}")
            return EXIT_OK
        if command == "use":
            rnd, _ = session.rounds.use(args.id)
            print(f"使用中的轮次 / round in use: {rnd.code} {rnd.name}")
            return EXIT_OK
        rnd = session.require_round()
        if command == "advance":
            move, _ = session.rounds.advance(_status(args.to) if args.to else None, args.reason or "",
                                             date_argument(args.on))
            print(f"轮次 {rnd.code} 进入“{move.to_status.label}” / round {rnd.code} is now {move.to_status.value}"
                  f" ({move.on_date.isoformat()}, {move.by_name})")
            return EXIT_OK
        n = session.rounds.next_status(rnd)
        show = {**setup.round_json(rnd), "next_status": n.value if n else None,
                "transitions": [setup.transition_json(t) for t in session.rounds.transitions(rnd.id)],
                "members": [setup.member_json(m) for m in session.members()],
                "units": [setup.unit_json(u) for u in session.units()]}
    if args.json:
        print_json(show)
    else:
        print(f"{show['code']}  {show['name']}  {show['group_name']}  [{show['status_label']}]")
        if n:
            print(f"  下一阶段 / next: {n.label} ({n.value})")
        for t in show["transitions"]:
            why = f"  理由：{t['reason']}" if t["reason"] else ""
            print(f"  {t['on']}  → {t['to_label']}  {t['by']}{why}")
        print(f"  成员 / members: {'、'.join(m['name'] + '（' + m['role_label'] + '）' for m in show['members'])}")
        print(f"  被巡察单位 / units: {'、'.join(u['name'] for u in show['units'])}")
    return EXIT_OK


def cmd_member(args: argparse.Namespace, pw: Passwords) -> int:
    if args.member_command == "declare":
        return _declare(args, pw)
    if args.member_command == "show":
        return _member_show(args, pw)
    data = _json_in(args)
    with unlocked(args, pw) as session:
        made = setup.add_members(session, data)
        code = session.require_round().code
    _out(args, [setup.member_json(m) for m in made],
         [f"已加入 {code} / added to {code}: {m.name}（{m.role.label}） {m.id}" for m in made])
    return EXIT_OK


def _declare(args: argparse.Namespace, pw: Passwords) -> int:
    if bool(args.source) == bool(args.subject):
        raise XunchaError("请用 --subject 和 --relation 给出一项申报，或用 --json 给出申报列表",
                          "give --subject and --relation, or --json with a list, not both")
    if args.source:
        data = _json_in(args)
        items = data if isinstance(data, list) else [data]
    else:
        items = [{"subject": args.subject, "relation": args.relation, "note": args.note or ""}]
    with unlocked(args, pw) as session:
        member, _ = session.conflicts.declare(args.name, items, replace=args.replace)
    _out(args, [setup.member_json(member)],
         [f"{member.name} 的回避申报 / declarations of {member.name}: {len(member.declarations)} 项",
          *_declaration_lines(member)])
    return EXIT_OK


def _declaration_lines(member: Any) -> list[str]:
    lines = [f"  {d.subject}（{d.relation.label}）{'：' + d.note if d.note else ''}" for d in member.declarations]
    if member.conflicts:
        lines.append(f"  说明：{member.conflicts}")
    return lines


def _member_show(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        members = [session.conflicts.member(args.name)] if args.name else session.members()
    lines = []
    for m in members:
        lines.append(f"{m.name}（{m.role.label}）  {m.home_unit}  回避申报 {len(m.declarations)} 项")
        lines += _declaration_lines(m)
    _out(args, [setup.member_json(m) for m in members], lines)
    return EXIT_OK


def cmd_unit(args: argparse.Namespace, pw: Passwords) -> int:
    data = _json_in(args)
    with unlocked(args, pw) as session:
        made = setup.add_units(session, data)
        code = session.require_round().code
    _out(args, [setup.unit_json(u) for u in made], [f"已加入 {code} / added to {code}: {u.name} {u.id}" for u in made])
    return EXIT_OK


def _out(args: argparse.Namespace, rows: list[dict[str, Any]], lines: list[str]) -> None:
    if args.json:
        print_json(rows)
    else:
        for line in lines:
            print(line)


def _status(value: str) -> RoundStatus:
    try:
        return RoundStatus(value)
    except ValueError:
        allowed = ", ".join(s.value for s in RoundStatus)
        raise XunchaError(f"没有这个轮次阶段：{value}（可选：{allowed}）",
                          f"no such round state: {value} ({allowed})") from None


def add_round_option(parser: argparse.ArgumentParser) -> None:
    """`--round ID`: the round a command works on, for this command only (default: the round in use)."""
    parser.add_argument("--round", metavar="ID", default=None,
                        help="轮次编号或 ID，仅本次命令 (round id or code; default: the round in use)")


def register(sub: Any) -> None:
    p = sub.add_parser("round", help="巡察轮次：列出、新建、切换、查看、推进阶段 (rounds)")
    r = p.add_subparsers(dest="round_command", required=True, metavar="list|new|use|show|advance")
    q = r.add_parser("list", help="列出本机的轮次，* 为使用中 (list rounds; * is the one in use)")
    q.add_argument("--json", action="store_true")
    q = r.add_parser("new", help="从 JSON 新建轮次 (new rounds from JSON: an object or a list)")
    q.add_argument("source", metavar="FILE|-")
    q.add_argument("--no-use", action="store_true", help="不切换使用中的轮次 (keep the round in use)")
    q.add_argument("--json", action="store_true", help="输出 JSON (print JSON)")
    q = r.add_parser("use", help="切换使用中的轮次 (make a round the one in use)")
    q.add_argument("id", metavar="ID", help="轮次 ID 或编号 (round id or code)")
    q = r.add_parser("show", help="轮次、阶段及其变更 (the round, its state and its moves)")
    q.add_argument("--json", action="store_true")
    add_round_option(q)
    q = r.add_parser("advance", help="进入下一阶段；跳过须写明理由 (next state; skipping needs a reason)")
    q.add_argument("--to", metavar="STATE", help=f"目标阶段 (target state): {', '.join(s.value for s in RoundStatus)}")
    q.add_argument("--reason", help="跳过阶段的理由 (why states are skipped)")
    q.add_argument("--on", metavar="DATE", help="生效日期，默认今天 (effective date, default today)")
    add_round_option(q)
    p.set_defaults(func=cmd_round)

    for name, func, help_text in (
            ("member", cmd_member, "巡察组成员 (group members)"), ("unit", cmd_unit, "被巡察单位 (inspected units)")):
        p = sub.add_parser(name, help=help_text)
        s = p.add_subparsers(dest=f"{name}_command", required=True,
                             metavar="add|declare|show" if name == "member" else "add")
        q = s.add_parser("add", help="从 JSON 添加，对象或列表 (add from JSON: an object or a list)")
        q.add_argument("source", metavar="FILE|-")
        q.add_argument("--json", action="store_true", help="输出 JSON (print JSON)")
        add_round_option(q)
        p.set_defaults(func=func)
        if name == "member":
            _member_commands(s)


def _member_commands(s: Any) -> None:
    q = s.add_parser("declare", help="登记回避申报 (record a member's conflict-of-interest declarations)")
    q.add_argument("name", metavar="NAME", help="成员姓名或 ID (member name or id)")
    q.add_argument("--subject", help="回避对象：人员或单位 (the person or unit)")
    q.add_argument("--relation", help="关系 (relation): " + "、".join(f"{r.value}（{r.label}）" for r in Relation))
    q.add_argument("--note", help="说明 (note)")
    q.add_argument("--json", dest="source", metavar="FILE|-", help="申报列表 [{subject, relation, note}] (a list)")
    q.add_argument("--replace", action="store_true", help="替换原有申报 (replace the declarations instead of adding)")
    q.add_argument("--print-json", dest="json", action="store_true", help="输出 JSON (print JSON)")
    add_round_option(q)
    q = s.add_parser("show", help="成员及其回避申报 (members and their declarations)")
    q.add_argument("name", nargs="?", metavar="NAME", help="成员姓名或 ID (member name or id)")
    q.add_argument("--json", action="store_true", help="输出 JSON (print JSON)")
    add_round_option(q)
