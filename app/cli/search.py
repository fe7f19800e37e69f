"""`xuncha search TEXT`: the search service on the command line, for scripts (--json) and people."""

from __future__ import annotations

import argparse
from typing import Any

from app.capture.search import MAX_LIMIT, SearchService
from app.cli.common import Passwords, print_json, unlocked
from app.core.domain import RecordKind, SearchHit, kind_label
from app.core.errors import XunchaError
from app.vault.session import Session


def register(subparsers: Any) -> None:
    """Add the `search` command to the CLI's subparsers."""
    p = subparsers.add_parser(
        "search", help="搜索记录 (search records)",
        description="在当前轮次的记录中搜索文字，可加筛选条件 (find records of the current round by their text)",
    )
    p.add_argument("text", help='要找的文字，多个词同时满足；仅按条件筛选时用 "" (text to find; "" to filter only)')
    p.add_argument("--json", action="store_true", help="输出 JSON (JSON output)")
    p.add_argument("--kind", choices=[k.value for k in RecordKind], help="记录类型 (record kind)")
    p.add_argument("--status", help="状态 (status)")
    p.add_argument("--category", help="问题分类代码，含下级 (taxonomy code, sub-codes included), e.g. 3.4")
    p.add_argument("--author", metavar="NAME", help="填写人姓名 (author's name, a member of this round)")
    p.add_argument("--from", dest="date_from", metavar="DATE", help="起始日期 (from), e.g. 2026-09-01")
    p.add_argument("--to", dest="date_to", metavar="DATE", help="截止日期，含当天 (to, inclusive)")
    p.add_argument("--limit", type=int, default=50, help=f"最多条数 (at most N hits, 1-{MAX_LIMIT})")
    p.set_defaults(func=cmd_search)


def cmd_search(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        hits = SearchService(session).query(
            args.text, kind=args.kind, status=args.status, category=args.category,
            author_id=_author_id(session, args.author), date_from=args.date_from, date_to=args.date_to,
            limit=args.limit,
        )
    if args.json:
        print_json([_as_json(h) for h in hits])
    elif not hits:
        print("没有找到匹配的记录 / no matching records")
    else:
        for hit in hits:
            print(_line(hit))
    return 0


def _author_id(session: Session, name: str | None) -> str | None:
    """The id of the member of the current round called `name`."""
    if name is None or not name.strip():
        return None
    found = [m.id for m in session.members() if m.name == name.strip()]
    if not found:
        raise XunchaError(f"本轮没有名为 {name.strip()} 的成员", f"no member named {name.strip()} in this round")
    if len(found) > 1:
        raise XunchaError(
            f"本轮有 {len(found)} 名成员叫 {name.strip()}，无法区分",
            f"{len(found)} members of this round are called {name.strip()}",
        )
    return found[0]


def _as_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.record_id, "kind": hit.kind, "number": hit.number, "title": hit.title,
        "subtitle": hit.subtitle, "status": hit.status, "occurred_on": hit.occurred_on, "snippet": hit.snippet,
    }


def _line(hit: SearchHit) -> str:
    head = " ".join(s for s in (hit.number, hit.title, hit.subtitle and f"（{hit.subtitle}）") if s)
    when = f" {hit.occurred_on}" if hit.occurred_on else ""
    status = f" [{hit.status}]" if hit.status else ""
    return f"[{kind_label(hit.kind)}] {head}{when}{status} — {hit.snippet}  ({hit.record_id})"
