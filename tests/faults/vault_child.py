"""The child side of the fault tests: a process that works on a vault until it is killed or the disk refuses.

Run as `python vault_child.py MODE VAULT [ARGS]` with XUNCHA_PASSWORD set (and XUNCHA_NEW_PASSWORD for
rekey-loop). It prints one line per acknowledged step and flushes right after, so whatever the parent has
read was durably committed:

    write-loop VAULT                  create, update and delete records forever: "rec <id> <revision>",
                                      "del <id>"
    rekey-loop VAULT START            starting from password START (0: XUNCHA_PASSWORD, 1:
                                      XUNCHA_NEW_PASSWORD), change the password back and forth forever,
                                      printing the one now in force: "pw <0|1>"
    fill-until-full VAULT BYTES       with files capped at BYTES (RLIMIT_FSIZE, SIGXFSZ ignored), create
                                      records until a write fails: "rec <id>", then "error <Class> <zh>",
                                      then "lock ok" or "lock error <Class>"
    backup-capped VAULT BYTES TARGET  the same cap, then back up to TARGET: "backup ok" or
                                      "error <Class> <zh>"
    open-as-nobody VAULT              drop root to uid 65534 (if root), then unlock the vault at VAULT
    create-as-nobody VAULT            drop root to uid 65534 (if root), then create a vault at VAULT:
                                      "created" or "error <Class> <zh>"
    draft-loop VAULT                  type into an interview note as the editor's autosave would, one
                                      draft save per keystroke burst: "draft <id> <n>" (n characters typed)
    hold VAULT                        unlock and say "held", write nothing until standard input closes,
                                      then lock: "released"
    rekey-once VAULT                  change the password once: "changed" or "error <Class>"; then
                                      whether the session is still open and writes ("open", "wrote
                                      <id> <revision>"), and "locked"

The child names itself a command-line program, as `xuncha` does: another process it keeps out of the
vault is told "保险库正被另一个命令行程序使用（进程 <pid>）".
"""

from __future__ import annotations

import os
import resource
import signal
import sys
from pathlib import Path

from app.core.domain import Role
from app.core.errors import XunchaError
from app.vault.passwords import assess
from app.vault.session import Session, name_this_program
from storage import kdf

FAST_KDF = kdf.KdfParams(time_cost=2, memory_log2=13, parallelism=1)
NOBODY = 65534


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def cap_file_size(limit: int) -> None:
    # Past the cap write() fails with EFBIG instead of the process being killed by SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


# An interview note as the editor saves one; the loop goes through session.records, the product's own path
# (validation, the revision check, the draft and the audit entry in one transaction).
NOTE = {"interviewee": "赵建华", "held_at": "2026-09-03T10:00", "interviewers": ["张志远", "王建国"]}


def write_loop(session: Session) -> None:
    n = 0
    while True:
        n += 1
        data = {**NOTE, "notes_leadership": f"第{n}次谈话：" + "情况说明" * 100}
        record, _ = session.records.add("interview", data)
        say(f"rec {record.id} {record.revision}")
        if n % 3 == 0:
            record, _ = session.records.update(record.id, {**data, "notes_leadership": "修改后" * 100},
                                               record.revision)
            say(f"rec {record.id} {record.revision}")
        if n % 5 == 0:
            session.records.delete(record.id)
            say(f"del {record.id}")


def draft_loop(session: Session) -> None:
    text, draft_id = "", None
    while True:
        text += "村道硬化工程被拆分为多个小额合同，"[len(text) % 17]
        draft_id = session.drafts.save("interview", {"interviewee": "赵建华", "notes_leadership": text},
                                       draft_id=draft_id)
        say(f"draft {draft_id} {len(text)}")


def rekey_loop(session: Session, passwords: list[str], current: int) -> None:
    while True:
        session.change_password(passwords[current], passwords[1 - current])
        current = 1 - current
        say(f"pw {current}")


def fill_until_full(session: Session) -> None:
    n = 0
    try:
        while True:
            n += 1
            record, _ = session.records.add(
                "briefing", {"title": f"通报{n}", "source": "市纪委监委", "summary": os.urandom(3000).hex()})
            say(f"rec {record.id}")
    except XunchaError as exc:
        say(f"error {type(exc).__name__} {exc.zh}")
    try:
        session.lock()
        say("lock ok")
    except XunchaError as exc:
        say(f"lock error {type(exc).__name__}")


def rekey_once(session: Session, password: str) -> None:
    try:
        session.change_password(password, os.environ["XUNCHA_NEW_PASSWORD"])
        say("changed")
    except XunchaError as exc:
        say(f"error {type(exc).__name__}")
    if session.vault.is_open:
        say("open")
        record, _ = session.records.add("paper", {"title": "改密失败之后写入的底稿"})
        say(f"wrote {record.id} {record.revision}")
    session.lock()
    say("locked")


def backup_capped(session: Session, target: Path) -> None:
    try:
        session.backup(target)
        say("backup ok")
    except XunchaError as exc:
        say(f"error {type(exc).__name__} {exc.zh}")
    try:
        session.lock()
    except XunchaError:
        session.vault.close()


def become_nobody(password: str) -> None:
    """Load argon2 while everything is readable, then drop root to uid 65534 (if root)."""
    kdf.derive_key(password, kdf.new_salt(FAST_KDF), FAST_KDF)
    if os.geteuid() == 0:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)


def main() -> None:
    name_this_program("cli")
    mode, vault = sys.argv[1], Path(sys.argv[2])
    password = os.environ["XUNCHA_PASSWORD"]
    if mode == "create-as-nobody":
        assess(password)  # load zxcvbn's data and argon2 while we can still read everything
        become_nobody(password)
        try:
            Session.create(vault, password, "王建国", Role.LEADER, kdf=FAST_KDF).lock()
            say("created")
        except XunchaError as exc:
            say(f"error {type(exc).__name__} {exc.zh}")
        return
    if mode == "open-as-nobody":
        # The vault (owned by nobody) sits in a folder nobody may not write: a WAL vault cannot make its
        # -shm file there, as on a read-only mount.
        become_nobody(password)
        try:
            Session.unlock(vault, password).lock()
            say("opened")
        except XunchaError as exc:
            say(f"error {type(exc).__name__} {exc.zh}")
        return
    if mode == "rekey-loop":
        passwords, start = [password, os.environ["XUNCHA_NEW_PASSWORD"]], int(sys.argv[3])
        rekey_loop(Session.unlock(vault, passwords[start]), passwords, start)
        return
    session = Session.unlock(vault, password)
    if mode == "hold":
        say("held")
        sys.stdin.read()
        session.lock()
        say("released")
    elif mode == "rekey-once":
        rekey_once(session, password)
    elif mode == "write-loop":
        write_loop(session)
    elif mode == "draft-loop":
        draft_loop(session)
    elif mode == "fill-until-full":
        cap_file_size(int(sys.argv[3]))
        fill_until_full(session)
    elif mode == "backup-capped":
        cap_file_size(int(sys.argv[3]))
        backup_capped(session, Path(sys.argv[4]))
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
