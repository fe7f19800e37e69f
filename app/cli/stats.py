"""`xuncha stats`: the office's statistics (巡察工作情况统计), over app/lifecycle/stats.py as the 统计 screen.

    xuncha stats [--json] [--round ID | --all] [--from DATE] [--to DATE] [--group NAME] [--unit NAME]
                 [--out FILE [--format docx|pdf|xlsx] [--to-whom WHOM] [--force]]

Without --all, a period or a group: the round in use (or --round). With --out: the report (巡察工作情况统计
报告, DOCX or PDF) or the tables as an XLSX workbook, numbered and logged like every document.
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, print_json, unlocked
from app.core.errors import XunchaError
from app.lifecycle.stats import parse_day

if TYPE_CHECKING:
    from app.cli.common import Passwords
    from app.lifecycle.stats import Stats


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    room = " " * max(0, width - _width(text))
    return room + text if right else text + room


def table_text(columns: list[str], rows: list[list[str]]) -> str:
    """A table for the terminal, wide characters counted twice."""
    widths = [max(_width(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    lines = ["  ".join(_pad(c, w, i > 0) for i, (c, w) in enumerate(zip(columns, widths, strict=True)))]
    lines += ["  ".join(_pad(c, w, i > 0) for i, (c, w) in enumerate(zip(row, widths, strict=True))) for row in rows]
    return "\n".join(lines)


def print_stats(stats: Stats) -> None:
    print(f"巡察工作情况统计：{stats.scope_text()}")
    for line in stats.summary():
        print(line)
    for name, label in stats.CUTS:
        columns, rows = stats.table(name, full=False)
        print(f"\n按{label}统计")
        print(table_text(columns, rows))


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"round_ref": args.round or None, "all_rounds": args.all,
            "date_from": parse_day(args.date_from) if args.date_from else None,
            "date_to": parse_day(args.date_to) if args.date_to else None,
            "group": args.group or "", "unit": args.unit or ""}


def cmd_stats(args: argparse.Namespace, pw: Passwords) -> int:
    filters = _filters(args)  # a bad date is refused before the password is asked for
    if args.format and not args.out:
        raise XunchaError("--format 须与 --out 一起使用", "--format goes with --out")
    with unlocked(args, pw) as session:
        if args.out:
            fmt = args.format or Path(args.out).suffix.lstrip(".").lower() or "docx"
            result, _ = session.stats.export(Path(args.out), fmt, args.to_whom or "", overwrite=args.force,
                                             **filters)
            if args.json:
                print_json({"path": str(result.path), "number": result.number, "masked": result.masked})
            else:
                print(f"已导出 {result.path}（编号 {result.number}）")
            return EXIT_OK
        stats = session.stats.compute(**filters)
        if args.json:
            print_json(stats.as_json())
        else:
            print_stats(stats)
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("stats", help="巡察工作情况统计：按轮次、巡察组、单位、类别 (the office's statistics)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--all", action="store_true", help="全部轮次 (every round of the vault)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="期间开始，按轮次开始日期 (period start)")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="期间结束 (period end)")
    p.add_argument("--group", metavar="NAME", help="只统计这个巡察组 (one group)")
    p.add_argument("--unit", metavar="NAME", help="只统计这个被巡察单位 (one unit)")
    p.add_argument("--out", metavar="FILE", help="导出统计报告或表格 (write the report or the workbook)")
    p.add_argument("--format", choices=("docx", "pdf", "xlsx"), help="默认按文件扩展名 (default: the file's suffix)")
    p.add_argument("--to-whom", metavar="WHOM", help="文书接收方 (the document's recipient)")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 (overwrite)")
    p.set_defaults(func=cmd_stats)
