"""`xuncha report KIND`: official documents as DOCX or PDF, and `xuncha unmask REF` for the leader."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.cli.common import EXIT_OK, print_json, unlocked
from app.compile.documents import FORMATS, KINDS
from app.core.errors import XunchaError

if TYPE_CHECKING:
    from app.cli.common import Passwords

KIND_HELP = ("report (巡察报告初稿), issues (问题清单，经复核的), issues:drafts (问题清单，含草稿), "
             "leads (问题线索清单), fixes (立行立改通知), handover:纪委监委@2026-11-20 (问题线索移交函), "
             "petitions (信访件登记表), interview:ID (谈话记录), paper:ID (问题底稿), tally:FORM (问卷统计), "
             "appraisal:ID (工作鉴定); "
             "ID may be a number such as 底-0003")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report", help="生成公文 DOCX/PDF (write an official document)",
        description="按 GB/T 9704-2012 格式生成文书；无权知悉的接收人看到的受保护姓名一律隐去 "
                    "(documents in the GB/T 9704 layout; protected names are masked for recipients without the right)")
    p.add_argument("kind", metavar="KIND", help=KIND_HELP)
    p.add_argument("--format", required=True, choices=FORMATS, help="docx 或 pdf")
    p.add_argument("--out", required=True, type=Path, help="输出文件 (output file)")
    p.add_argument("--recipient", default="", help="接收人，默认本人 (recipient; default: yourself)")
    p.add_argument("--classification", default=None, help="密级，如 机密 (classification mark, e.g. 机密)")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 (overwrite)")
    p.set_defaults(func=cmd_report)

    p = subparsers.add_parser("unmask", help="查看隐去姓名的编号对应谁 (resolve a masked name; leader)")
    p.add_argument("ref", help="编号，如 0003 (the number after 某某)")
    p.set_defaults(func=cmd_unmask)

    p = subparsers.add_parser("exports", help="已导出文书登记 (the register of exported documents)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_exports)


def cmd_report(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        result, _ = session.documents.export(args.kind, args.format, args.out, recipient=args.recipient,
                                             classification=args.classification, overwrite=args.force)
    kind = KINDS.get(args.kind.partition(":")[0], args.kind)
    masked = "，受保护姓名已隐去 / protected names masked" if result.masked else ""
    print(f"已生成{kind} / written: {result.path}（编号 {result.number}{masked}）")
    return EXIT_OK


def cmd_unmask(args: argparse.Namespace, pw: Passwords) -> int:
    try:
        ref = int(args.ref.strip().removeprefix("编号"))
    except ValueError:
        raise XunchaError(f"编号应为数字：{args.ref}", f"the reference is a number: {args.ref}") from None
    with unlocked(args, pw) as session:
        print(session.documents.resolve_ref(ref))
    return EXIT_OK


def cmd_exports(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        rows = session.documents.exported()
    keys = ("number", "kind", "format", "recipient", "exporter", "masked", "sha256", "exported_at")
    if args.json:
        print_json([dict(zip(keys, row, strict=True)) for row in rows])
    else:
        for number, kind, fmt, recipient, exporter, masked, _sha, at in rows:
            print(f"{number}  {at}  {kind}.{fmt}  {exporter} → {recipient}{'（已隐去姓名）' if masked else ''}")
    return EXIT_OK
