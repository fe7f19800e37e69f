"""`xuncha keys | bundle | verify | import | receipt | conflicts | purge`: identities and sealed bundles.

    xuncha keys show [--json]                       this vault's public keys and fingerprint (digit groups)
    xuncha keys card --out FILE                     the public card to hand over on the stick
    xuncha keys trust CARD --fingerprint DIGITS     trust a card whose fingerprint its owner read aloud
    xuncha keys list [--json]                       the roster
    xuncha keys export-identity --out FILE [--passphrase]   escrow copy (password asked again)
    xuncha bundle export --to NAME... [--full] [--round-package] --out DIR
    xuncha bundle history [--json]
    xuncha verify FILE [--json]                     who, to whom, what, every check; nothing imported
    xuncha import FILE [--receipt-out DIR] [--json]
    xuncha receipt issue BUNDLE_ID --out DIR | xuncha receipt import FILE
    xuncha conflicts [--json] | xuncha conflicts resolve ID --keep local|incoming
    xuncha purge --list [--json]                    the copies this vault wrote outside itself, and the receipts
    xuncha purge --destroyed KEY... --handed-over KEY... [--note TEXT]   confirm copies (audit-logged)
    xuncha purge --confirm ROUND_CODE               purge, once receipts cover all and every copy is confirmed

docs/bundle-format.md describes the file; an independent program can check it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import EXIT_OK, EXIT_USER, RECORD_HELP, Passwords, print_json, print_progress, unlocked
from app.core.errors import XunchaError
from app.exchange.bundle_import import BundleReport
from app.exchange.outside_copies import Disposition, OutsideCopy


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise XunchaError(f"无法读取文件：{path}（{exc.strerror}）", f"cannot read {path}: {exc.strerror}") from exc


def cmd_keys(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        sub = args.identity_command
        if sub == "show":
            shown = session.keys.show()
            if args.json:
                print_json(shown)
            else:
                print(f"{shown['name']}（{session.owner_role.label}）")
                print(f"指纹 / fingerprint: {shown['fingerprint_digits']}")
                print(f"age 公钥 / recipient: {shown['age_recipient']}")
                print(f"签名公钥 / Ed25519: {shown['sign_public']}")
        elif sub == "card":
            path = session.keys.write_card(Path(args.out))
            print(f"已写入公钥卡片 / public card written: {path}")
            print(f"请向对方朗读指纹 / read this aloud: {session.keys.show()['fingerprint_digits']}")
        elif sub == "trust":
            peer, _ = session.keys.trust_card(_read(args.card), args.fingerprint)
            print(f"已信任 / trusted: {peer.name}（{peer.role.label}） {peer.fingerprint[:16]}")
        elif sub == "list":
            peers = session.keys.peers()
            if args.json:
                # With the signing key, so an independent verifier needs no card file (docs/bundle-format.md).
                print_json([{"name": p.name, "role": p.role.value, "fingerprint": p.fingerprint,
                             "age_recipient": p.age_recipient, "sign_public": p.sign_public.hex(),
                             "confirmed_by": p.confirmed_by} for p in peers])
            for p in [] if args.json else peers:
                print(f"{p.fingerprint[:16]}  {p.role.label:<6}  {p.name}")
        elif sub == "export-identity":
            password = pw.get("再次输入保险库密码以确认导出 (vault password again): ")
            passphrase = None
            if args.passphrase:
                passphrase = pw.get("为身份文件设置口令 (passphrase for the file): ", env="XUNCHA_NEW_PASSWORD",
                                    confirm=True)
            session.keys.export_identity(password, Path(args.out), passphrase)
            print(f"已导出身份密钥（已记入操作日志）/ identity exported (audit-logged): {args.out}")
    return EXIT_OK


_shown = [0]  # the width of the last progress line, to blank what a shorter one leaves behind


def _progress(fraction: float, message: str) -> None:
    """A progress line on a terminal, rewritten in place with a carriage return and spaces (no terminal
    escape: the Windows console of older releases prints them as garbage)."""
    if sys.stderr.isatty():
        line = f"{fraction * 100:5.1f}%  {message}"
        width = len(line) + sum(1 for c in message if ord(c) > 0x2E7F)  # CJK takes two columns
        print_progress(f"{line}{' ' * max(0, _shown[0] - width)}")
        _shown[0] = width


def cmd_bundle(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        if args.bundle_command == "export":
            result, _ = session.bundles.export(args.to, Path(args.out), full=args.full, progress=_progress,
                                               round_package=args.round_package)
            b = result.bundle
            print(f"已写入并回读校验 / written and verified: {result.path} ({result.size} bytes)")
            kind = "完整 / full" if b.full else "增量 / incremental"
            print(f"序号 / sequence {b.sequence}, {kind}, "
                  f"记录 / records {b.covers.get('records')}, 附件 / attachments {b.covers.get('attachments')}")
        else:
            sent: list[dict[str, Any]] = [
                {"direction": "sent", "id": b.id, "to": [session.bundles.peer_name(fp) for fp in b.recipients],
                     "sequence": b.sequence, "full": b.full, "covers": b.covers, "file": b.file_name,
                     "sha256": b.file_sha256, "at": b.created_at} for b in session.bundles.sent()]
            received = [{"direction": "received", "id": r["id"], "from": session.bundles.peer_name(r["sender"]),
                         "sequence": r["sequence"], "changes": r["summary"], "sha256": r["file_sha256"],
                         "at": r["imported_at"]} for r in session.bundles.received()]
            receipts = {(r.bundle_sha256) for r in session.bundles.receipts()}
            for row in sent:
                row["acknowledged"] = row["sha256"] in receipts
            if args.json:
                print_json(sent + received)
            else:
                for row in sent:
                    mark = "已回执 / acknowledged" if row["acknowledged"] else ""
                    to = "、".join(row["to"])
                    print(f"发出 / sent      {row['at']}  #{row['sequence']}  → {to}  {mark}")
                for row in received:
                    print(f"收到 / received  {row['at']}  #{row['sequence']}  ← {row['from']}")
    return EXIT_OK


def _print_report(report: BundleReport, as_json: bool) -> None:
    if as_json:
        print_json(report.to_json())
        return
    sender = report.sender
    print(f"发送人 / from: {sender.name}（{sender.role}） {sender.fingerprint[:16]}" if sender else "")
    print("接收人 / to: " + "、".join(f"{p.name}（{p.role}）" for p in report.recipients))
    print(f"轮次 / round: {report.round_code}   序号 / sequence: {report.sequence}   时间 / at: {report.created_at}")
    c = report.covers
    kind = "完整" if c.get("full") else "增量"
    print(f"内容 / covers: {kind}，记录 {c.get('records')} 条，附件 {c.get('attachments')} 个"
          f"（{c.get('attachment_bytes', 0)} 字节），含受保护信息：{'是' if c.get('protected_values') else '否'}")
    for check in report.checks:
        print(f"  [{'通过' if check.ok else '失败'}] {check.said_zh} ({check.said_en})")
    if report.missing_sequences:
        print(f"注意：尚未收到该发送人的序号 / missing sequences: {report.missing_sequences}")
    ch = report.changes
    print(f"将会 / changes: 新增记录 {ch.get('records_new', 0)}，更新 {ch.get('records_updated', 0)}，"
          f"相同 {ch.get('records_same', 0)}，较旧 {ch.get('records_stale', 0)}，冲突 {ch.get('conflicts', 0)}，"
          f"新附件 {ch.get('attachments_new', 0)}，日志 {ch.get('audit_entries', 0)} 条")
    for r in report.refused:
        kept = "，内容留待组长决定 / kept for the leader as a proposal" if r.proposed else ""
        print(f"未采纳 / refused: {r.number or r.record_id[:8]} {r.title}：{r.zh}{kept} ({r.en})")
    for zh, en in report.warnings:
        print(f"注意：{zh} / {en}")
    if ch.get("form_exclusions_refused"):
        print(f"注意：{ch['form_exclusions_refused']} 个剔除答卷的决定未采纳（剔除由组长决定）"
              f" / sheet exclusions not taken (the leader decides them)")
    if ch.get("leads_refused"):
        print(f"注意：{ch['leads_refused']} 条问题线索的状态未采纳（线索状态不能倒退）"
              f" / lead states not taken (a lead's state does not move back)")
    if ch.get("compile_marks_refused"):
        print(f"注意：{ch['compile_marks_refused']} 个“纳入报告”标记未采纳（本机该底稿尚未审签）"
              f" / marks for the report not taken (paper not signed here)")


def cmd_verify(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        report = session.bundles.verify(Path(args.file), progress=_progress)
    _print_report(report, args.json)
    if not report.ok:
        failure = report.first_failure()
        assert failure is not None
        # The same words as an import's refusal.
        print(f"错误：数据包未通过校验：{failure.said_zh} (the bundle does not verify: {failure.said_en})",
              file=sys.stderr)
        return EXIT_USER
    if not args.json:
        if report.already_imported:
            print("该数据包此前已导入 / this bundle was imported before")
        print("全部校验通过 / every check passed")
    return EXIT_OK


def cmd_import(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        report, _ = session.bundles.import_(Path(args.file), progress=_progress)
        receipt = None
        if args.receipt_out and (report.imported or report.already_imported):
            receipt, _ = session.bundles.issue_receipt(report.bundle_id, Path(args.receipt_out))
    _print_report(report, args.json)
    if args.json:
        return EXIT_OK
    if report.already_imported:
        print("该数据包此前已导入，本次未作改动 / imported before: nothing changed")
    else:
        print("已导入 / imported")
    if receipt:
        print(f"回执已写入 / receipt written: {receipt}")
    return EXIT_OK


def cmd_receipt(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        if args.receipt_command == "issue":
            path, _ = session.bundles.issue_receipt(args.bundle_id, Path(args.out))
            print(f"回执已写入 / receipt written: {path}")
        else:
            receipt, _ = session.bundles.import_receipt(Path(args.file))
            print(f"已记录回执 / receipt recorded: {session.bundles.peer_name(receipt.issuer)} "
                  f"已导入数据包 / imported bundle {receipt.bundle_id[:8]}")
    return EXIT_OK


def cmd_conflicts(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        if args.conflict_id:
            session.bundles.resolve_conflict(args.conflict_id, args.keep or "")
            print(f"已处理 / resolved: {args.conflict_id}（保留 / kept {args.keep}）")
            return EXIT_OK
        rows: list[dict[str, Any]] = []
        for c in session.bundles.conflicts():
            record = session.get_record(c.record_id)
            rows.append({"id": c.id, "record_id": c.record_id, "number": record.number if record else "",
                         "local_title": record.title if record else "", "incoming_title": c.title,
                         "from": session.bundles.peer_name(c.sender), "at": c.created_at,
                         "reason": c.reason})
    if args.json:
        print_json(rows)
    for row in [] if args.json else rows:
        why = f"  （建议，因为：{row['reason']}）" if row["reason"] else ""
        print(f"{row['id']}  {row['number']}  本机 / local: {row['local_title']}"
              f"  ← {row['from']}: {row['incoming_title']}{why}")
    return EXIT_OK


def _copy_json(c: OutsideCopy) -> dict[str, Any]:
    return {"key": c.key, "kind": c.kind.value, "path": c.path, "written_at": c.written_at, "state": c.state.value,
            "number": c.number, "recipient": c.recipient, "format": c.format, "times": c.times,
            "disposition": c.disposition.value if c.disposition else None, "confirmed_at": c.confirmed_at,
            "note": c.note}


def _print_copies(copies: list[OutsideCopy], status: tuple[bool, str], code: str) -> None:
    print(f"本机为本轮写出的副本 / copies this vault wrote outside itself: {len(copies)}")
    for c in copies:
        what = f"{c.kind.label} {c.number} → {c.recipient}（{c.format}）" if c.number else c.kind.label
        if c.times > 1:
            what += f"（同一位置写过 {c.times} 次）"
        said = f"{c.disposition.label} {c.confirmed_at}" if c.disposition else "待确认 / to confirm"
        print(f"  {c.key}  {what}  {c.written_at}\n      {c.path or '（路径未记录）'}  [{c.state.label}]  {said}")
    print(f"回执 / receipts: {status[1]}")
    if any(c.disposition is None for c in copies):
        print("逐份确认：--destroyed KEY... 或 --handed-over KEY... / confirm each copy with those flags")
    print(f"清理 / purge: xuncha purge --confirm {code}")


def cmd_purge(args: argparse.Namespace, pw: Passwords) -> int:
    """--list shows what the purge waits for; --destroyed and --handed-over confirm copies (each logged);
    --confirm purges once the office's receipts cover everything and every copy is confirmed."""
    destroyed, handed = set(args.destroyed or []), set(args.handed_over or [])
    if destroyed & handed:
        raise XunchaError(f"同一副本不能既已销毁又已移交：{'、'.join(sorted(destroyed & handed))}",
                          "a copy cannot be both destroyed and handed over")
    choices = {key: Disposition.DESTROYED for key in destroyed} | {key: Disposition.HANDED_OVER for key in handed}
    if not (args.list or args.confirm or choices):
        raise XunchaError("请用 --list 查看，用 --destroyed / --handed-over 确认副本，或用 --confirm 轮次编号 清理",
                          "use --list, --destroyed / --handed-over, or --confirm ROUND_CODE")
    with unlocked(args, pw) as session:
        if choices:
            session.bundles.confirm_outside_copies(choices, args.note or "")
            print(f"已记录 {len(choices)} 份副本的处置 / recorded: {', '.join(sorted(choices))}")
        if args.list:
            status, copies = session.bundles.purge_status(), session.bundles.outside_copies()
            if args.json:
                print_json({"receipts_cover": status[0], "receipts": status[1],
                            "copies": [_copy_json(c) for c in copies]})
            else:
                _print_copies(copies, status, session.require_round().code)
            return EXIT_OK
        if not args.confirm:
            return EXIT_OK
        ok, why = session.bundles.purge_status()
        if not ok:
            raise XunchaError(f"不能清理：{why}", "cannot purge: the office's receipts do not cover this material")
        session.bundles.require_outside_copies_confirmed()
        password = pw.get("再次输入保险库密码以确认清理 (vault password again): ")
        session.bundles.purge(args.confirm, password)
    print("本轮材料已从本机清理，保险库已压缩 / round material purged and the vault compacted")
    return EXIT_OK


def register(sub: Any) -> None:
    p = sub.add_parser("keys", help="本机密钥与信任名单 (keys and roster)")
    keys = p.add_subparsers(dest="identity_command", required=True, metavar="show|card|trust|list|export-identity")
    k = keys.add_parser("show", help="公钥与指纹 (public keys, fingerprint)")
    k.add_argument("--json", action="store_true")
    k = keys.add_parser("card", help="写公钥卡片 (write the public card)")
    k.add_argument("--out", required=True)
    k = keys.add_parser("trust", help="核对指纹后信任一张卡片 (trust a card)")
    k.add_argument("card", metavar="CARD")
    k.add_argument("--fingerprint", required=True, help="对方朗读的指纹数字 (the digits read aloud)")
    k = keys.add_parser("list", help="信任名单 (the roster)")
    k.add_argument("--json", action="store_true")
    k = keys.add_parser("export-identity", help="导出身份密钥供巡察办托管 (escrow copy)")
    k.add_argument("--out", required=True)
    k.add_argument("--passphrase", action="store_true", help="用口令加密该文件 (protect it with a passphrase)")
    p.set_defaults(func=cmd_keys)

    p = sub.add_parser("bundle", help="数据包 (sealed bundles)")
    bundle = p.add_subparsers(dest="bundle_command", required=True, metavar="export|history")
    b = bundle.add_parser("export", help="导出数据包 (write a sealed bundle)")
    b.add_argument("--to", nargs="+", required=True, metavar="NAME", help="接收人姓名或指纹前缀 (recipients)")
    b.add_argument("--full", action="store_true", help="完整导出，而非增量 (full instead of incremental)")
    b.add_argument("--out", required=True, metavar="DIR", help="目标文件夹，如U盘 (folder, e.g. the stick)")
    b.add_argument("--round-package", action="store_true",
                   help="附带轮次设置与组员公钥（巡察办或组长）(include the round set-up and the group's keys)")
    b = bundle.add_parser("history", help="收发记录 (bundles sent and received)")
    b.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_bundle)

    p = sub.add_parser("verify", help="校验数据包，不导入 (verify a bundle without importing)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser("import", help="导入数据包 (import a bundle)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--receipt-out", metavar="DIR", help="同时出具回执 (also write a receipt there)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("receipt", help="回执 (receipts)")
    receipt = p.add_subparsers(dest="receipt_command", required=True, metavar="issue|import")
    r = receipt.add_parser("issue", help="为已导入的数据包出具回执 (issue a receipt)")
    r.add_argument("bundle_id", metavar="BUNDLE_ID")
    r.add_argument("--out", required=True, metavar="DIR")
    r = receipt.add_parser("import", help="导入对方的回执 (record a receipt)")
    r.add_argument("file", metavar="FILE")
    p.set_defaults(func=cmd_receipt)

    p = sub.add_parser("conflicts", help="修改冲突 (conflicting edits)")
    p.add_argument("resolve", nargs="?", choices=["resolve"], help=argparse.SUPPRESS)
    p.add_argument("conflict_id", nargs="?", metavar="ID")
    p.add_argument("--keep", choices=["local", "incoming"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_conflicts)

    p = sub.add_parser("share", help="向本地人员共享一条记录 (share a record with a local member)")
    p.add_argument("record", metavar="RECORD", help=RECORD_HELP)
    p.add_argument("--with", dest="person", metavar="NAME", help="本地人员姓名 (the local member)")
    p.add_argument("--revoke", action="store_true", help="取消共享 (stop sharing)")
    p.set_defaults(func=cmd_share)

    p = sub.add_parser("purge", help="清理本轮材料 (purge the round from this laptop)")
    what = p.add_mutually_exclusive_group()
    what.add_argument("--list", action="store_true",
                      help="列出本机写出的副本与回执情况 (the copies this vault wrote, and the receipts)")
    what.add_argument("--confirm", metavar="ROUND_CODE", help="轮次编号，确认清理 (the round code: purge)")
    p.add_argument("--destroyed", nargs="+", metavar="KEY", help="确认这些副本已销毁 (copies destroyed)")
    p.add_argument("--handed-over", nargs="+", metavar="KEY", help="确认这些副本已移交 (copies handed over)")
    p.add_argument("--note", help="处置说明，如移交给谁 (how, or to whom)")
    p.add_argument("--json", action="store_true", help="与 --list 一起：JSON 输出 (with --list)")
    p.set_defaults(func=cmd_purge)


def cmd_share(args: argparse.Namespace, pw: Passwords) -> int:
    """Without --with: whom the record is shared with. With it: share (or --revoke)."""
    with unlocked(args, pw) as session:
        record_id = session.documents.record_id(args.record)
        if args.person is None:
            if args.revoke:
                raise XunchaError("取消共享请用 --with 指明本地人员", "name the member with --with")
            names = session.sharing.shared_with(record_id)
            print("、".join(names) if names else "未共享 / not shared")
            return EXIT_OK
        if args.revoke:
            changed = session.sharing.unshare(record_id, args.person)
            print(f"已取消共享（已送出的副本仍在对方电脑上，直至清理）/ unshared: {args.record}" if changed
                  else f"本就未共享 / was not shared: {args.record}")
        else:
            changed = session.sharing.share(record_id, args.person)
            print(f"已共享，下一个发给{args.person}的数据包将带上它 / shared: {args.record}" if changed
                  else f"此前已共享 / already shared: {args.record}")
    return EXIT_OK
