"""One writer per vault across processes: while one process has the vault open, another `xuncha` (a
write, `passwd`, `restore`, `backup`) is refused with who holds it, and nothing acknowledged is lost.

Real processes on a real vault: the holder is a child (vault_child.py, a command-line program) or this
test process itself standing for the window (a Session, as the GUI holds one); the others are `python -m
app.cli`. A refused command waits storage/vault_lock.py's WAIT_SECONDS first, so they run side by side.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from briefings import briefing
from capture_data import REVIEW
from vault_fixtures import NEW_PASSWORD, PASSWORD, ROOT, cli_env

from app.core.errors import XunchaError
from app.vault.session import Session, name_this_program
from app.vault.unlock_throttle import UnlockThrottle
from storage import kdf, vault_lock
from storage.vault import read_salt

CHILD = Path(__file__).with_name("vault_child.py")
IN_USE = 6  # VaultInUse's exit code (app/cli/common.py FAULT_EXITS)


@pytest.fixture
def vault(round_session: Session, vault_path: Path, tmp_path: Path) -> Path:
    round_session.backup(tmp_path / "backup.xuncha")  # something to restore from
    round_session.lock()
    return vault_path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def as_window() -> Iterator[None]:
    """This test process plays the window: refusals it causes say "另一个窗口"."""
    name_this_program("gui")
    yield
    name_this_program("other")


def start_cli(home: Path, *args: str) -> subprocess.Popen[str]:
    env = cli_env(home, XUNCHA_PASSWORD=PASSWORD, XUNCHA_NEW_PASSWORD=NEW_PASSWORD)
    return subprocess.Popen([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, text=True,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def second_writers(home: Path, vault: Path, tmp_path: Path) -> dict[str, subprocess.Popen[str]]:
    """Everything that would write the vault, started at once from other processes."""
    review = tmp_path / "review.json"
    review.write_text(json.dumps(REVIEW, ensure_ascii=False), encoding="utf-8")
    v = str(vault)
    return {
        "add": start_cli(home, "--vault", v, "add", "review", "--json", str(review)),
        "passwd": start_cli(home, "--vault", v, "passwd"),
        "restore": start_cli(home, "--vault", v, "restore", str(tmp_path / "backup.xuncha")),
        "backup": start_cli(home, "--vault", v, "backup", "--out", str(tmp_path / "refused-backup.xuncha")),
    }


def assert_refused(procs: dict[str, subprocess.Popen[str]], who: str, tmp_path: Path, vault: Path) -> None:
    """Each refused with VaultInUse's exit code and words, nothing written, and no guess counted."""
    for name, proc in procs.items():
        code, _, err = finish(proc)
        assert code == IN_USE, (name, err)
        assert err.count("\n") == 1 and "Traceback" not in err, (name, err)
        assert f"保险库正被{who}" in err, (name, err)
    assert not (tmp_path / "refused-backup.xuncha").exists()
    assert list(vault.parent.glob("*.before-restore-*")) == []  # restore touched nothing
    state = tmp_path / "home" / ".local" / "state" / "xuncha" / "unlock-failures.json"
    assert UnlockThrottle(vault, state).state().failures == 0  # in use is no wrong password


def check_acknowledged(vault: Path, created: list[str], deleted: set[str]) -> None:
    """Every record the writer was told was saved is there (deleted ones as deleted), the pages
    authenticate, the audit chain verifies, and the password is still the first one."""
    session = Session.unlock(vault, PASSWORD)  # also: passwd did not happen
    try:
        for record_id in created:
            stored = session.get_record(record_id)
            assert stored is not None, f"acknowledged record {record_id} is missing"
            assert stored.deleted == (record_id in deleted) or stored.deleted, record_id
        assert session.vault.query("PRAGMA integrity_check") == [("ok",)]
        assert session.audit_verify()[1] == []
    finally:
        session.lock()
    assert sorted(p.name for p in vault.parent.iterdir()) == [vault.name]  # no lock file, WAL or copy left


def test_a_command_is_refused_while_another_command_writes(vault: Path, home: Path, tmp_path: Path) -> None:
    writer = subprocess.Popen(
        [sys.executable, str(CHILD), "write-loop", str(vault)], cwd=ROOT, env=cli_env(home, XUNCHA_PASSWORD=PASSWORD),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert writer.stdout is not None
    lines: list[str] = []
    try:
        while len(lines) < 10:
            line = writer.stdout.readline()
            assert line, writer.stderr.read() if writer.stderr else ""
            lines.append(line.strip())
        refused = second_writers(home, vault, tmp_path)
        assert_refused(refused, f"另一个命令行程序使用（进程 {writer.pid}）", tmp_path, vault)
        written_before = len(lines)
        while len(lines) < written_before + 10:  # the holder went on writing all along
            lines.append(writer.stdout.readline().strip())
    finally:
        os.kill(writer.pid, signal.SIGKILL)  # a crash: the OS lets the lock go
        rest, _ = writer.communicate(timeout=60)
    lines += [line for line in rest.splitlines(keepends=True) if line.endswith("\n")]

    created = [line.split()[1] for line in lines if line.startswith("rec ")]
    deleted = {line.split()[1] for line in lines if line.startswith("del ")}
    check_acknowledged(vault, created, deleted)
    # With the holder gone the same commands go through.
    code, _, err = finish(start_cli(home, "--vault", str(vault), "backup", "--out", str(tmp_path / "b.xuncha")))
    assert code == 0, err


def test_commands_are_refused_while_the_window_has_the_vault_open(
    vault: Path, home: Path, tmp_path: Path, as_window: None
) -> None:
    """The window (a Session in this process) keeps writing, backs up, and never sees a failure; every
    command from outside is refused naming it; each backup holds all that was saved before it."""
    session = Session.unlock(vault, PASSWORD)
    created: list[str] = []
    backups: list[tuple[Path, int]] = []
    stop = threading.Event()
    failures: list[BaseException] = []

    def keep_writing() -> None:
        n = 0
        try:
            while not stop.is_set():
                n += 1
                record, _ = session.records.add("briefing", briefing(f"通报{n}", {"text": "情况" * 200}))
                created.append(record.id)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        refused = second_writers(home, vault, tmp_path)
        for i in range(3):  # the window's own backups, between its writes
            before = len(created)
            target = tmp_path / f"window-backup-{i}.xuncha"
            session.backup(target)
            backups.append((target, before))
        assert_refused(refused, f"另一个窗口使用（进程 {os.getpid()}）", tmp_path, vault)
    finally:
        stop.set()
        thread.join()
        session.lock()
    assert failures == []
    assert len(created) > 10
    check_acknowledged(vault, created, set())
    for target, before in backups:
        copy = Session.unlock(target, PASSWORD)
        try:
            missing = [r for r in created[:before] if copy.get_record(r) is None]
            assert missing == [], f"{target.name} lacks records saved before it"
            assert copy.audit_verify()[1] == []
        finally:
            copy.lock()


def test_short_commands_wait_for_each_other(vault: Path, home: Path, tmp_path: Path) -> None:
    """Commands started together do not refuse each other: each waits while another briefly holds the vault,
    and none is told to wait by the unlock throttle (which counts an attempt in flight as a failure until
    it succeeds: attempts on one vault now run one at a time, so right passwords never pile up there)."""
    files = []
    for i in range(4):
        path = tmp_path / f"b{i}.json"
        path.write_text(json.dumps({**REVIEW, "subject": f"台账{i}"}, ensure_ascii=False), encoding="utf-8")
        files.append(path)
    procs = [start_cli(home, "--vault", str(vault), "add", "review", "--json", str(f)) for f in files]
    results = [finish(p) for p in procs]
    assert [code for code, _, _ in results] == [0] * 4, [err for _, _, err in results]
    added = {json.loads(out)["id"] for _, out, _ in results}
    code, out, err = finish(start_cli(home, "--vault", str(vault), "list", "review", "--json"))
    assert code == 0, err
    assert {r["id"] for r in json.loads(out)} == added


def test_the_window_is_refused_while_a_command_holds_the_vault(vault: Path, home: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, str(CHILD), "hold", str(vault)], cwd=ROOT, env=cli_env(home, XUNCHA_PASSWORD=PASSWORD),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        assert holder.stdout.readline().strip() == "held"
        assert vault_lock.read_holder(vault) == vault_lock.Holder("cli", holder.pid, vault_lock.socket.gethostname())
        with pytest.raises(XunchaError) as caught:
            Session.unlock(vault, PASSWORD)
        assert caught.value.zh.startswith(f"保险库正被另一个命令行程序使用（进程 {holder.pid}）")
        assert "process" in caught.value.en
    finally:
        out, err = holder.communicate(input="", timeout=60)  # its standard input closes: it locks
    assert out.strip() == "released", err
    Session.unlock(vault, PASSWORD).lock()  # free again
    assert not vault_lock.lock_path(vault).exists()


def test_the_lock_file_is_owner_only_and_holds_no_secret(vault: Path) -> None:
    old = os.umask(0o022)
    try:
        session = Session.unlock(vault, PASSWORD)
    finally:
        os.umask(old)
    try:
        path = vault_lock.lock_path(vault)
        assert path.stat().st_mode & 0o777 == 0o600
        note = json.loads(path.read_text(encoding="utf-8"))
        assert set(note) == {"program", "pid", "host", "since"}
        assert note["pid"] == os.getpid()
        salt = read_salt(vault)
        key = kdf.derive_key(PASSWORD, salt, kdf.params_from_salt(salt))
        text = path.read_bytes()
        assert PASSWORD.encode() not in text and key.hex().encode() not in text
    finally:
        session.lock()


def test_a_backup_reads_one_snapshot_while_another_connection_commits(round_session: Session,
                                                                      tmp_path: Path) -> None:
    """Nothing of ours writes beside the lock holder, but a program that ignores the lock could (an older
    xuncha, a SQLite tool with the key). The copy is still taken and checked from one snapshot: each
    backup verifies, none is called damaged, and the vault is sound afterwards."""
    import sqlcipher3

    rnd = round_session.current_round()
    assert rnd is not None
    for i in range(300):  # enough pages that an export takes a while
        round_session.records.add("briefing", briefing(f"通报{i}", {"text": "情况" * 400}))
    path = round_session.path
    salt = read_salt(path)
    key = kdf.derive_key(PASSWORD, salt, kdf.params_from_salt(salt))
    other = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=30)
    other.execute(f"PRAGMA key = {kdf.sqlcipher_key_literal(key, salt)}")
    stop = threading.Event()
    committed = [0]

    def commit_meanwhile() -> None:
        while not stop.is_set():
            committed[0] += 1
            other.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (f"probe-{committed[0]}", "x" * 2000))

    thread = threading.Thread(target=commit_meanwhile)
    thread.start()
    try:
        for i in range(8):
            round_session.vault.backup_to(tmp_path / f"snapshot-{i}.xuncha")
    finally:
        stop.set()
        thread.join()
        other.close()
    assert committed[0] > 8
    for i in range(8):
        copy = Session.unlock(tmp_path / f"snapshot-{i}.xuncha", PASSWORD)
        try:
            assert copy.dashboard().records_by_kind["briefing"] == 300
        finally:
            copy.lock()
    assert round_session.vault.query("PRAGMA integrity_check") == [("ok",)]


def test_the_lock_is_kept_through_a_password_change(vault: Path, home: Path) -> None:
    """A re-key closes and reopens the connection around the file it swaps in; the lock stays held all
    through, so no other process can open the vault in between or after."""
    session = Session.unlock(vault, PASSWORD)
    try:
        session.change_password(PASSWORD, NEW_PASSWORD)
        holder = vault_lock.read_holder(vault)
        assert holder is not None and holder.pid == os.getpid()
        code, _, err = finish(start_cli(home, "--vault", str(vault), "info"))
        assert code == IN_USE, err
        session.records.add("briefing", briefing("改密后", {}))
    finally:
        session.lock()
    assert not vault_lock.lock_path(vault).exists()
    Session.unlock(vault, NEW_PASSWORD).lock()
