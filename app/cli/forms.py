"""`xuncha form …`, `xuncha response …` and `xuncha tally FORM`: questionnaires and democratic evaluations
on the command line (docs/forms.md)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, print_json, read_json_input, unlocked
from app.core.errors import XunchaError
from app.questionnaires.forms_service import Difference, FormInfo, template_names
from forms.tally import Tally

if TYPE_CHECKING:
    from app.cli.common import Passwords


def register(subparsers: Any) -> None:
    """Add the `form`, `response` and `tally` commands to the CLI's subparsers."""
    p = subparsers.add_parser("form", help="问卷和测评表 (questionnaires and evaluation forms)")
    sub = p.add_subparsers(dest="form_command", required=True, metavar="SUBCOMMAND")
    q = sub.add_parser("import", help="导入表单定义 (import a definition: our .json or an XLSForm .xlsx)")
    q.add_argument("file", nargs="?", help="表单文件 (definition file)")
    q.add_argument("--template", help="导入内置表单 (a shipped form, see `form templates`)")
    q.set_defaults(func=cmd_form_import)
    q = sub.add_parser("list", help="列出本轮表单 (list the round's forms)")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_form_list)
    sub.add_parser("templates", help="列出内置表单 (list shipped forms)").set_defaults(func=cmd_form_templates)
    q = sub.add_parser("distribute", help="登记发放 (record sheets handed out)")
    q.add_argument("form", help="表单编号 (form id)")
    q.add_argument("--group", required=True, help="发放对象，如 镇机关干部 (respondent group)")
    q.add_argument("--count", type=int, required=True, help="发放份数 (sheets handed out)")
    q.add_argument("--date", required=True, help="发放日期 (date), e.g. 2026-09-01")
    q.add_argument("--note", default="", help="备注 (note)")
    q.set_defaults(func=cmd_form_distribute)
    q = sub.add_parser("distributions", help="发放和回收情况 (distributions and response rates)")
    q.add_argument("form")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_form_distributions)
    q = sub.add_parser("flags", help="质量提示：一勾到底、空白、重复、超出约束 (quality flags)")
    q.add_argument("form")
    q.add_argument("--version", type=int)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_form_flags)
    q = sub.add_parser("exclude", help="剔除答卷，须写明理由 (exclude a sheet from tallies, with a reason)")
    q.add_argument("form")
    q.add_argument("sheet", help="答卷编号 (sheet number)")
    q.add_argument("--reason", required=True, help="理由 (reason)")
    q.set_defaults(func=cmd_form_exclude)
    q = sub.add_parser("include", help="恢复已剔除的答卷 (count an excluded sheet again)")
    q.add_argument("form")
    q.add_argument("sheet")
    q.set_defaults(func=cmd_form_include)

    p = subparsers.add_parser("response", help="答卷 (sheets entered)")
    sub = p.add_subparsers(dest="response_command", required=True, metavar="SUBCOMMAND")
    q = sub.add_parser("add", help="录入答卷 (enter sheets)")
    q.add_argument("form", help="表单编号 (form id)")
    q.add_argument("--json", required=True, metavar="FILE|-",
                   help='{"sheet": "0001", "group": "...", "answers": {...}} 或其列表 (or a list of them)')
    q.add_argument("--version", type=int, help="录入到指定版本 (default: the newest)")
    q.set_defaults(func=cmd_response_add)
    q = sub.add_parser("check", help="第二遍录入并比对 (second entry, compared with the first)")
    q.add_argument("form")
    q.add_argument("--json", required=True, metavar="FILE|-", help='{"sheet": "0001", "answers": {...}}')
    q.set_defaults(func=cmd_response_check)
    q = sub.add_parser("list", help="列出答卷 (list sheets)")
    q.add_argument("form")
    q.add_argument("--version", type=int)
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=cmd_response_list)
    q = sub.add_parser("delete", help="删除录错的答卷 (delete a sheet entered by mistake)")
    q.add_argument("form")
    q.add_argument("sheet")
    q.set_defaults(func=cmd_response_delete)

    p = subparsers.add_parser("tally", help="统计结果 (tally a form)")
    p.add_argument("form", help="表单编号 (form id)")
    p.add_argument("--version", type=int, help="版本 (default: the newest)")
    p.add_argument("--json", action="store_true", help="输出 JSON (JSON output)")
    p.add_argument("--by", metavar="QUESTION", help="交叉统计：按发放对象 (group) 或某道单选题 (cross-tab)")
    p.add_argument("--csv", metavar="OUT", help="导出 CSV (write CSV)")
    p.add_argument("--docx", metavar="OUT", help="导出 Word，GB/T 9704 版式 (write DOCX)")
    p.add_argument("--pdf", metavar="OUT", help="导出 PDF 表格 (write PDF)")
    p.add_argument("--recipient", default="",
                   help="接收人，默认本人；无权知悉者看到的姓名隐去 (recipient; default: yourself)")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 (overwrite)")
    p.set_defaults(func=cmd_tally)


def _form_json(info: FormInfo) -> dict[str, Any]:
    return asdict(info)


def cmd_form_import(args: argparse.Namespace, pw: Passwords) -> int:
    if bool(args.file) == bool(args.template):
        raise XunchaError("请给出一个表单文件，或用 --template 指定内置表单", "give a file or --template, not both")
    if args.file and not Path(args.file).is_file():
        raise XunchaError(f"找不到文件：{args.file}", f"no such file: {args.file}")
    with unlocked(args, pw) as session:
        if args.template:
            result, _ = session.forms.import_template(args.template)
        else:
            result, _ = session.forms.import_file(Path(args.file))
    print(f"{result.zh}（{result.form.form_id}，{result.form.questions} 道题）/ {result.outcome}: "
          f"{result.form.form_id} v{result.form.version}")
    return EXIT_OK


def cmd_form_templates(args: argparse.Namespace, pw: Passwords) -> int:
    from app.questionnaires.forms_service import load_template

    for name in template_names():
        form = load_template(name)
        print(f"{name}\t{form.id}\t{form.title}")
    return EXIT_OK


def cmd_form_list(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        forms = session.forms.forms()
    if args.json:
        print_json([_form_json(f) for f in forms])
    elif not forms:
        print("本轮尚无表单 / no forms yet (xuncha form import)")
    else:
        for f in forms:
            newest = "" if f.latest else "  (旧版 / older version)"
            print(f"{f.form_id}  v{f.version}  {f.title}  {f.questions} 题  答卷 {f.responses} 份"
                  f"（剔除 {f.excluded}）{newest}")
    return EXIT_OK


def cmd_form_distribute(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        d, _ = session.forms.add_distribution(args.form, args.group, args.count, args.date, args.note)
    print(f"已登记：{d.group} {d.handed_out} 份（{d.handed_on}）/ recorded: {d.id}")
    return EXIT_OK


def cmd_form_distributions(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        rows = session.forms.distributions(args.form)
    if args.json:
        print_json([asdict(d) | {"rate": d.rate, "warning": d.warning} for d in rows])
    else:
        for d in rows:
            print(f"{d.handed_on}  {d.group}  发放 {d.handed_out}  收回 {d.returned}  回收率 {d.rate:.1f}%"
                  + (f"  ⚠ {d.warning}" if d.warning else ""))
    return EXIT_OK


def cmd_form_flags(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        flags = session.forms.flags(args.form, args.version)
    if args.json:
        print_json([asdict(f) for f in flags])
    elif not flags:
        print("没有需要注意的答卷 / no flags")
    else:
        for f in flags:
            state = f"  [已剔除：{f.excluded}]" if f.excluded else ""
            print(f"第 {f.sheet_no} 号  {f.kind}  {f.zh}{state}")
    return EXIT_OK


def cmd_form_exclude(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        session.forms.exclude(args.form, args.sheet, args.reason)
    print(f"已剔除第 {args.sheet} 号答卷 / excluded")
    return EXIT_OK


def cmd_form_include(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        session.forms.include(args.form, args.sheet)
    print(f"已恢复第 {args.sheet} 号答卷 / counted again")
    return EXIT_OK


def cmd_response_add(args: argparse.Namespace, pw: Passwords) -> int:
    data = read_json_input(args.json)
    sheets = data if isinstance(data, list) else [data]
    with unlocked(args, pw) as session:
        added = session.forms.add_responses(args.form, sheets, args.version)
    for response, issues in added:
        notes = "；".join(i.zh for i in issues)
        print(f"已录入第 {response.sheet_no} 号答卷 / entered" + (f"（提示：{notes}）" if notes else ""))
        for flag in response.flags:
            if flag.kind != "out_of_constraint":  # said just above, as the issues
                print(f"  标记“{flag.name}”/ flagged {flag.kind}: {flag.zh}")
    return EXIT_OK



def cmd_response_check(args: argparse.Namespace, pw: Passwords) -> int:
    data = read_json_input(args.json)
    if not isinstance(data, dict) or "sheet" not in data:
        raise XunchaError('应为 {"sheet": "0001", "answers": {...}}', 'expected {"sheet": ..., "answers": {...}}')
    with unlocked(args, pw) as session:
        differences, _ = session.forms.second_entry(args.form, str(data["sheet"]), data.get("answers") or {})
    if not differences:
        print("两遍录入一致 / both entries agree")
        return EXIT_OK
    for d in differences:
        print(f"{_diff_line(d)}")
    raise XunchaError(f"两遍录入有 {len(differences)} 处不一致，请对照原件处理",
                      f"{len(differences)} differences between the two entries")


def _diff_line(d: Difference) -> str:
    return f"{d.label}：第一遍 {d.first_text}，第二遍 {d.second_text}"


def cmd_response_list(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        rows = session.forms.responses(args.form, args.version)
    if args.json:
        print_json([asdict(r) for r in rows])
    else:
        for r in rows:
            extra = f"  [已剔除：{r.excluded}]" if r.excluded else ""
            print(f"第 {r.sheet_no} 号  v{r.version}  {r.group or '—'}  {len(r.answers)} 题已答{extra}")
    return EXIT_OK


def cmd_response_delete(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        session.forms.delete_response(args.form, args.sheet)
    print(f"已删除第 {args.sheet} 号答卷 / deleted")
    return EXIT_OK


def tally_json(result: Tally) -> dict[str, Any]:
    data = asdict(result)
    for q in data["questions"]:
        q["type"] = str(q["type"])
    return data


def cmd_tally(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        result = session.forms.tally(args.form, args.version)
        crosstab = None
        if args.by:
            form = session.forms.definition(args.form, result.version)
            by = None if args.by == "group" else args.by
            crosstab = [asdict(session.forms.crosstab(args.form, q.name, by=by, version=result.version))
                        for q in form.questions
                        if q.type.value in ("single", "rating", "multiple", "matrix") and q.name != by]
        for fmt in ("csv", "docx", "pdf"):
            target = getattr(args, fmt)
            if target:
                # The one path of every document: for a recipient, masked, numbered, registered, logged.
                written, _ = session.documents.export(f"tally:{args.form}@{result.version}", fmt, Path(target),
                                                      recipient=args.recipient, overwrite=args.force)
                masked = "，受保护姓名已隐去 / protected names masked" if written.masked else ""
                print(f"已导出 / written: {target}（编号 {written.number}{masked}）")
    if args.json:
        data = tally_json(result)
        if crosstab is not None:
            data["crosstabs"] = crosstab
        print_json(data)
    elif not any(getattr(args, f) for f in ("csv", "docx", "pdf")):
        print(f"{result.title}（第 {result.version} 版）：计入 {result.sheets} 份")
        for i, q in enumerate(result.questions, 1):
            print(f"{i}. {q.label}（作答 {q.answered}，未答 {q.blank}）")
            for o in q.options if not q.items else []:
                print(f"    {o.label}: {o.count}（{o.percent:.1f}%）")
            for it in q.items:
                cells = "  ".join(f"{o.label} {o.count}" for o in it.options)
                print(f"    {it.label}: {cells}  平均 {it.average if it.average is not None else '—'}")
    return EXIT_OK
