"""`xuncha attach | attachments`: attachments from the command line.

    xuncha attach RECORD_ID FILE [FILE ...]   check, normalise and store files on a record: all of them or none
    xuncha attachments RECORD_ID [--json]     a record's attachments (metadata only, never their content)

docs/attachments.md says what is accepted and what is done to it.
"""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

from app.cli.common import EXIT_OK, RECORD_HELP, Passwords, print_json, unlocked
from app.core.domain import Attachment


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / 1024 / 1024:.1f} MiB"
    return f"{n / 1024:.0f} KiB" if n >= 1024 else f"{n} B"


def _describe(a: Attachment) -> str:
    if a.width and a.height:
        done = "已缩小 / downscaled" if a.downscaled else "未缩小 / not downscaled"
        what = f"{a.media_type.value} {a.width}×{a.height}"
    else:
        done, what = "原样保存 / stored as given", a.media_type.value
    return (f"已添加 / attached: {a.filename} → {what}, {_size(a.byte_size)}"
            f"（原文件 / original {_size(a.original_size)}，{done}）  {a.id}")


def attachment_json(a: Attachment) -> dict[str, Any]:
    out = dataclasses.asdict(a)
    out["media_type"] = a.media_type.value
    out["stored_name"] = a.stored_name
    del out["deleted"]  # lists never show deleted ones
    return out


def cmd_attach(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        added, _ = session.attachments.add_files(args.files, session.records.resolve(args.record_id))
    for attachment in added:
        print(_describe(attachment))
    return EXIT_OK


def cmd_attachments(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        record_id = session.records.resolve(args.record_id)  # a clear error for a wrong one, not an empty list
        found = session.attachments.for_record(record_id)
    if args.json:
        print_json([attachment_json(a) for a in found])
    else:
        for a in found:
            size = f"{a.width}×{a.height}" if a.width else ""
            print(f"{a.id}  {a.media_type.value:15}  {_size(a.byte_size):>9}  {size:11}  {a.filename}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("attach", help="添加附件 (attach files to a record)")
    p.add_argument("record_id", metavar="RECORD", help=RECORD_HELP)
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="JPEG、PNG、WebP、TIFF 图片或 PDF (JPEG, PNG, WebP, TIFF images or PDFs)")
    p.set_defaults(func=cmd_attach)

    p = sub.add_parser("attachments", help="列出记录的附件 (list a record's attachments)")
    p.add_argument("record_id", metavar="RECORD", help=RECORD_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_attachments)
