"""`xuncha guide`: the round guide (工作指引) from the command line (docs/method.md, "The round guide").

    xuncha guide [--json]                    where the round in use stands: each step done / due / overdue
    xuncha guide tick STEP [--on DATE]       a step done by hand, done on DATE (default today); logged
    xuncha guide untick STEP                 take the tick back; logged
    xuncha guide import FILE|- [--json]      the office's own guide for its round type (checked in full first)
    xuncha guide reset TYPE                  the shipped guide again for a round type (regular, special...)
    xuncha guide export [TYPE]               the guide in use for a type (default: the round's) as JSON
    xuncha coverage [--json]                 五必谈 and 四必查 per unit: who is still to be interviewed, what to check
    xuncha coverage plan FILE|- [--json]     the round's coverage plan (units, categories, more names, checks)
    xuncha coverage plan --show              the plan in use (the defaults if none was set)
"""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import EXIT_OK, Passwords, date_argument, print_json, read_json_input, read_stdin, unlocked
from app.core.domain import RoundType
from app.core.errors import XunchaError
from app.method import coverage as coverage_view
from app.method.guide import MAX_GUIDE_BYTES, StepState, guide_json, step_json, view_json

ACTIONS = ("show", "tick", "untick", "import", "reset", "export")
_MARKS = {StepState.DONE: "✓", StepState.OVERDUE: "!", StepState.DUE: "·", StepState.LATER: " "}


def _round_type(text: str) -> RoundType:
    try:
        return RoundType(text)
    except ValueError:
        names = "、".join(f"{t.value}（{t.label}）" for t in RoundType)
        raise XunchaError(f"没有这种巡察类型：{text}（可选：{names}）", f"no round type {text!r}") from None


def _file_text(source: str, password_stdin: bool) -> str:
    if source == "-":
        if password_stdin:
            raise XunchaError("从标准输入读取指引时不能同时用 --password-stdin；请用 XUNCHA_PASSWORD",
                              "a guide on stdin and --password-stdin cannot both read stdin; use XUNCHA_PASSWORD")
        return read_stdin(MAX_GUIDE_BYTES)
    try:
        with open(source, "rb") as fh:
            data = fh.read(MAX_GUIDE_BYTES + 1)
    except OSError as exc:
        raise XunchaError(f"无法读取文件：{source}（{exc.strerror}）", f"cannot read {source}: {exc.strerror}") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise XunchaError(f"文件不是 UTF-8 文本：{source}（第 {exc.start + 1} 个字节无效）",
                          f"not UTF-8 text: {source} (invalid byte {exc.start + 1})") from None


def _needs_arg(args: argparse.Namespace, what_zh: str, what_en: str) -> str:
    if not args.arg:
        raise XunchaError(f"xuncha guide {args.action} 需要{what_zh}", f"xuncha guide {args.action} needs {what_en}")
    return str(args.arg)


def cmd_guide(args: argparse.Namespace, pw: Passwords) -> int:
    action = args.action
    text = _file_text(_needs_arg(args, "指引文件", "a guide file"), args.password_stdin) if action == "import" else ""
    with unlocked(args, pw) as session:
        service = session.guide
        if action == "tick":
            progress, _ = service.tick(_needs_arg(args, "步骤编号", "a step id"), date_argument(args.on))
            if args.json:
                print_json(step_json(progress))
            else:
                day = progress.tick.on if progress.tick else ""
                print(f"已勾选 / ticked: {progress.step.id} {progress.step.title}（{day}）")
            return EXIT_OK
        if action == "untick":
            step = _needs_arg(args, "步骤编号", "a step id")
            service.untick(step)
            print(f"已取消勾选 / unticked: {step}")
            return EXIT_OK
        if action == "import":
            guide, _ = service.import_guide(text)
            if args.json:
                print_json(guide_json(guide))
            else:
                print(f"已导入 / imported: {guide.round_type.label} {guide.title}（{len(guide.steps)} 步 / steps）")
            return EXIT_OK
        if action == "reset":
            rtype = _round_type(_needs_arg(args, "巡察类型", "a round type"))
            service.reset_guide(rtype)
            print(f"{rtype.label}恢复使用内置工作指引 / the shipped guide is in use for {rtype.value}")
            return EXIT_OK
        if action == "export":
            rtype = _round_type(args.arg) if args.arg else session.require_round().round_type
            print_json(guide_json(service.guide_for(rtype)))
            return EXIT_OK
        if args.arg:
            raise XunchaError(f"xuncha guide 不带参数：{args.arg}", f"xuncha guide takes no argument: {args.arg}")
        view = service.view()
    if args.json:
        print_json(view_json(view))
        return EXIT_OK
    rnd = view.round
    print(f"{rnd.code} {rnd.name} · {rnd.status.label} · {view.guide.title}")
    print(f"已完成 {view.count(StepState.DONE)}/{len(view.steps)}，逾期 {view.count(StepState.OVERDUE)}，"
          f"待办 {view.count(StepState.DUE)}")
    for p in view.steps:
        extra = f" [{p.progress}]" if p.progress else ""
        wait = f" （等待：{'、'.join(p.waiting_on)}）" if p.waiting_on and not p.done else ""
        print(f"{_MARKS[p.state]} {p.state.label:4} {p.step.phase.label:8} {p.step.id:20} {p.step.title}{extra}{wait}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("guide", help="工作指引：各步骤完成、待办、逾期 (the round guide: steps done, due, overdue)")
    p.add_argument("action", nargs="?", default="show", choices=ACTIONS, metavar="|".join(ACTIONS),
                   help="默认 show (default: show)")
    p.add_argument("arg", nargs="?", metavar="STEP|FILE|TYPE",
                   help="步骤编号（tick、untick）、指引文件（import）或巡察类型（reset、export）"
                        " (a step id, a guide file, or a round type)")
    p.add_argument("--on", metavar="DATE", help="完成日期，默认今天 (the day it was done, default today)")
    p.add_argument("--json", action="store_true", help="输出 JSON (print JSON)")
    p.set_defaults(func=cmd_guide)


def cmd_coverage(args: argparse.Namespace, pw: Passwords) -> int:
    data: Any = None
    if args.action == "plan" and not args.show:
        if not args.source:
            raise XunchaError("xuncha coverage plan 需要计划文件（或 --show）",
                              "xuncha coverage plan needs a file (or --show)")
        if args.source == "-" and args.password_stdin:
            raise XunchaError("从标准输入读取计划时不能同时用 --password-stdin；请用 XUNCHA_PASSWORD",
                              "a plan on stdin and --password-stdin cannot both read stdin; use XUNCHA_PASSWORD")
        data = read_json_input(args.source)
    with unlocked(args, pw) as session:
        if args.action == "plan":
            if args.show:
                plan, _planned = session.coverage.plan()
            else:
                plan, _ = session.coverage.set_plan(data)
                if not args.json:
                    print(f"已保存必谈必查计划 / coverage plan saved: {len(plan.units) or '全部'} 个单位, "
                          f"{len(plan.categories)} 类必谈人员, {len(plan.people)} 人, {len(plan.checks)} 项必查")
                    return EXIT_OK
            print_json(plan.to_json())
            return EXIT_OK
        if args.source:
            raise XunchaError(f"xuncha coverage 不带参数：{args.source}",
                              f"xuncha coverage takes no argument: {args.source}")
        view = session.coverage.view()
    if args.json:
        print_json(coverage_view.view_json(view))
        return EXIT_OK
    for u in view.units:
        print(f"{u.unit}：五必谈 {u.interviewed}/{len(u.people)}，四必查 {u.checks_met}/{len(u.checks)}")
        if u.missing_names:
            print("  尚未谈话：" + "、".join(f"{p.name}（{p.category_label}）" for p in u.missing_names))
        for c in u.checks:
            if c.missing:
                print(f"  {c.label}：尚未办结 " + "、".join(c.missing))
    for stray in view.stray_rosters:
        print(f"名单所列单位不是本轮的被巡察单位：{stray}")
    return EXIT_OK


def register_coverage(sub: Any) -> None:
    p = sub.add_parser("coverage", help="五必谈、四必查：各单位尚未谈话的人员和尚未办结的必查事项"
                                        " (interview and check coverage per unit)")
    p.add_argument("action", nargs="?", default="show", choices=("show", "plan"), metavar="show|plan")
    p.add_argument("source", nargs="?", metavar="FILE|-", help="计划文件（plan） (the plan's JSON file)")
    p.add_argument("--show", action="store_true", help="显示使用中的计划 (print the plan in use)")
    p.add_argument("--json", action="store_true", help="输出 JSON (print JSON)")
    p.set_defaults(func=cmd_coverage)
