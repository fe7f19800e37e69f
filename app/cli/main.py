"""`xuncha`: the headless command line over the same services as the GUI.

Passwords come from a terminal prompt, from standard input (--password-stdin, one per line) or from
XUNCHA_PASSWORD (and XUNCHA_NEW_PASSWORD for a new one), never from an argument value.
Exit codes: 0 ok, 1 user error (one line, Chinese and English), 2 usage, 3-9 a named fault (wrong
password, too many attempts, damaged, in use, read-only, disk full, I/O error: common.FAULT_EXITS), 130
interrupted; `xuncha --help` lists them, as does README.md ("The command line").
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app import __version__
from app.cli import attachments as cli_attachments
from app.cli import bundles as cli_bundles
from app.cli import compile as cli_compile
from app.cli import forms as cli_forms
from app.cli import guide as cli_guide
from app.cli import ledger as cli_ledger
from app.cli import lookback as cli_lookback
from app.cli import method as cli_method
from app.cli import records as cli_records
from app.cli import reports as cli_reports
from app.cli import rounds as cli_rounds
from app.cli import search as cli_search
from app.cli import stats as cli_stats
from app.cli import taxonomy as cli_taxonomy
from app.cli.common import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    Passwords,
    check_arguments,
    exit_code,
    exit_codes_help,
    neutralised_output,
    print_json,
    print_progress,
    setup_console,
    unlocked,
)
from app.core.domain import Role
from app.core.errors import IsAFolder, VaultExists, XunchaError, damage_from
from app.core.inputs import displayable
from app.demo import scenario as demo
from app.vault import hardening, integrity, selftest
from app.vault.program import name_this_program
from app.vault.session import Session, default_vault_path, restore_backup


def cmd_init(args: argparse.Namespace, pw: Passwords) -> int:
    if args.vault.is_dir():  # said before the password is asked for
        raise IsAFolder(str(args.vault))
    if args.vault.exists():
        raise VaultExists(str(args.vault))
    password = pw.get("设置保险库密码 (new vault password): ", confirm=True)
    session = Session.create(args.vault, password, args.name, Role(args.role))
    session.lock()
    print(f"已创建保险库 / vault created: {args.vault}")
    return EXIT_OK


def cmd_passwd(args: argparse.Namespace, pw: Passwords) -> int:
    # The current password unlocks the vault and authorises the change: asked once, not twice.
    current = pw.get("当前密码 (current password): ")
    session = Session.unlock(args.vault, current)
    try:
        new = pw.get("新密码 (new password): ", env="XUNCHA_NEW_PASSWORD", confirm=True)
        session.change_password(current, new)
    finally:
        session.lock()
    print("密码已修改 / password changed")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        session.backup(Path(args.out), overwrite=args.force)
    print(f"已写入加密备份 / encrypted backup written: {args.out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, pw: Passwords) -> int:
    kept = restore_backup(Path(args.backup), args.vault, pw.get("备份的密码 (backup password): "))
    print(f"已从备份恢复 / restored: {args.vault}")
    if kept:
        print(f"原保险库（仍加密）保留在 / the previous vault (still encrypted) is kept at: {kept}")
    return EXIT_OK


def cmd_audit(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        if args.audit_command == "verify":
            count, problems = session.audit_verify()
            for p in problems:
                print(f"第 {p.seq} 条 / entry {p.seq}: {p.zh} ({p.en})")
            if problems:
                raise XunchaError(
                    f"操作日志校验失败：{len(problems)} 处问题", f"audit log check failed: {len(problems)} problems"
                )
            print(f"操作日志完整 / audit log intact: {count} 条 entries")
        else:
            rows = [e.__dict__ for e in session.audit_entries(limit=None)][-args.last :]
            if args.json:
                print_json(rows)
            else:
                for e in rows:
                    print(f"{e['seq']:>6}  {e['ts']}  {e['actor']}  {e['action']}  {e['target']}")
    return EXIT_OK


def cmd_info(args: argparse.Namespace, pw: Passwords) -> int:
    with unlocked(args, pw) as session:
        rnd = session.current_round()
        counts = session.dashboard()
        info = {
            "vault": str(session.path),
            "owner": session.owner_name,
            "role": session.owner_role.value,
            "schema_version": session.vault.schema_version,
            "round": rnd.code if rnd else None,
            "members": counts.members,
            "units": counts.units,
            "records": counts.records_by_kind,
            "audit_entries": counts.audit_entries,
        }
    print_json(info)
    return EXIT_OK


def cmd_check(args: argparse.Namespace, pw: Passwords) -> int:
    # Unlocking checks only the first pages, in constant time; this reads every page (seconds per gigabyte).
    with unlocked(args, pw) as session:
        result = integrity.check_vault(session)
    if not result.intact:
        for problem in result.problems[:20]:
            print(problem)
        if len(result.problems) > 20:
            print(f"……另有 {len(result.problems) - 20} 处 / {len(result.problems) - 20} more")
        raise result.error()
    print(f"保险库文件完整 / vault file intact: 已校验 {result.pages} 页 / {result.pages} pages checked")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, pw: Passwords) -> int:
    demo.check_target(args.vault, args.scale)
    # A new vault of invented data: SQLCipher's locking and wiping of its memory protects nothing here, and
    # costs a fill of 100,000 records most of its time (docs/threat-model.md).
    hardening.invented_data_only()
    password = pw.get("设置演示保险库密码: ", confirm=True)

    def progress(_fraction: float, message: str) -> None:
        print_progress(message)

    counts = demo.create(args.vault, password, args.scale, progress=progress if sys.stderr.isatty() else None)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"演示数据已生成 / demo data written: {args.vault} "
          f"({counts.members} 人, {counts.units} 个单位, {sum(counts.records_by_kind.values())} 条记录)")
    return EXIT_OK


def cmd_selftest(args: argparse.Namespace, pw: Passwords) -> int:
    ok = True
    for check in selftest.run():
        ok &= check.ok
        print(f"[{'OK' if check.ok else 'FAIL':>4}] {check.name}: {check.detail}")
    if not ok:
        raise XunchaError("自检未通过", "self-test failed")
    return EXIT_OK


def cmd_version(args: argparse.Namespace, pw: Passwords) -> int:
    print(f"xuncha {__version__}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xuncha", description="巡察外业工作台 命令行 (xuncha CLI)",
                                     epilog=exit_codes_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vault", type=Path, default=None, help="保险库文件 (vault file); default: per-user")
    parser.add_argument("--password-stdin", action="store_true",
                        help="从标准输入逐行读取密码 (read passwords from stdin, one per line)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("init", help="创建保险库 (create a vault)")
    p.add_argument("--name", required=True, help="使用人姓名 (owner's name)")
    p.add_argument("--role", required=True, choices=[r.value for r in Role])
    p.set_defaults(func=cmd_init)

    sub.add_parser("passwd", help="修改密码 (change password)").set_defaults(func=cmd_passwd)

    p = sub.add_parser("backup", help="写加密备份 (write an encrypted backup)")
    p.add_argument("--out", required=True, help="备份文件 (backup file)")
    p.add_argument("--force", action="store_true", help="覆盖已有文件 (overwrite)")
    p.set_defaults(func=cmd_backup)

    p = sub.add_parser("restore", help="从备份恢复 (restore from a backup)")
    p.add_argument("backup", help="备份文件 (backup file)")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("audit", help="操作日志 (audit log)")
    audit_sub = p.add_subparsers(dest="audit_command", required=True, metavar="verify|list")
    audit_sub.add_parser("verify", help="校验哈希链 (verify the hash chain)")
    p_list = audit_sub.add_parser("list", help="列出最近的记录 (list recent entries)")
    p_list.add_argument("--last", type=int, default=50)
    p_list.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_audit)

    sub.add_parser("info", help="保险库概况 (vault summary, JSON)").set_defaults(func=cmd_info)
    sub.add_parser("check", help="校验保险库文件的每一页 (check every page of the vault file)").set_defaults(
        func=cmd_check)
    cli_search.register(sub)

    p = sub.add_parser("demo", help="生成演示数据 (fill with demo data)")
    p.add_argument("--scale", type=int, default=50,
                   help="每类记录条数，共五类 (records per kind, of five kinds: 20000 makes 100,000 records)")
    p.set_defaults(func=cmd_demo)

    cli_records.register(sub)
    cli_method.register(sub)
    cli_guide.register(sub)
    cli_guide.register_coverage(sub)
    cli_taxonomy.register(sub)
    cli_attachments.register(sub)
    cli_forms.register(sub)
    cli_bundles.register(sub)
    cli_compile.register(sub)
    cli_reports.register(sub)
    cli_ledger.register(sub)
    cli_lookback.register(sub)
    cli_stats.register(sub)

    cli_rounds.register(sub)

    sub.add_parser("selftest", help="自检 (self-test)").set_defaults(func=cmd_selftest)
    sub.add_parser("version", help="版本 (version)").set_defaults(func=cmd_version)
    for name, command in sub.choices.items():
        if name not in NOT_ROUND_MATERIAL:
            _add_round_option(command)
    return parser


# Commands that do not read or write one round's material: the vault itself, keys, a bundle or receipt (which
# names its own round), and `round`, whose subcommands say for themselves.
NOT_ROUND_MATERIAL = frozenset({"init", "passwd", "backup", "restore", "audit", "check", "demo", "selftest",
                                "version", "keys", "verify", "import", "receipt", "round"})


def _add_round_option(parser: argparse.ArgumentParser) -> None:
    """`--round ID` on every leaf of a command (`xuncha lead list --round 2026-3`)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        if not any(a.dest == "round" for a in parser._actions):
            cli_rounds.add_round_option(parser)
        return
    for action in subs:
        for child in dict.fromkeys(action.choices.values()):
            _add_round_option(child)


def main(argv: list[str] | None = None) -> int:
    hardening.disable_core_dumps()
    name_this_program("cli")
    setup_console()
    with neutralised_output():
        return _run(argv)


def _run(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    args.vault = args.vault or default_vault_path()
    try:
        check_arguments(args)
        return int(args.func(args, Passwords(args.password_stdin)))
    except XunchaError as exc:
        print(f"错误：{displayable(exc.one_line(), one_line=True)}", file=sys.stderr)  # one line, whatever it quotes
        return exit_code(exc)
    except KeyboardInterrupt:
        print("已中断 / interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`xuncha list paper | head`): not an error; silence the final flush too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        # Unlock reads only the first pages: a damaged page deeper in is met by whichever read reaches it.
        damage = damage_from(exc)
        if damage is None:
            raise
        print(f"错误：{displayable(damage.one_line(), one_line=True)}", file=sys.stderr)
        return exit_code(damage)


if __name__ == "__main__":
    sys.exit(main())
