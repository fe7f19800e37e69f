"""`xuncha taxonomy list | import FILE`: the round's issue categories (三大问题 and below)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, Passwords, print_json, unlocked
from app.core import taxonomy
from app.core.errors import XunchaError


def cmd_taxonomy(args: argparse.Namespace, pw: Passwords) -> int:
    if args.taxonomy_command == "import":
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise XunchaError(f"无法读取分类文件：{args.file}", f"cannot read the taxonomy file {args.file}") from exc
        nodes = taxonomy.parse(text)
    with unlocked(args, pw) as session:
        if args.taxonomy_command == "import":
            session.set_taxonomy(nodes)
            print(f"已更新问题分类 / categories replaced: {len(nodes)}")
            return EXIT_OK
        current = session.taxonomy()
    if args.json:
        print_json({"nodes": [{"code": n.code, "name": n.name} for n in current]})
    else:
        for n in current:
            print(("    " if n.parent_code else "") + f"{n.code}  {n.name}")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("taxonomy", help="问题分类 (the round's issue categories)")
    t = p.add_subparsers(dest="taxonomy_command", required=True, metavar="list|import")
    listing = t.add_parser("list", help="列出 (list)")
    listing.add_argument("--json", action="store_true", help="输出可再导入的 JSON (JSON that imports again)")
    imp = t.add_parser("import", help="以文件替换本轮分类 (replace from a JSON file)")
    imp.add_argument("file")
    p.set_defaults(func=cmd_taxonomy)
