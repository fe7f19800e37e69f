"""The attachment service on real SQLCipher vaults: add, read back in chunks, delete, link; nothing half-written,
nothing in plaintext on disk, everything in the audit log."""

from __future__ import annotations

import hashlib
import io
import itertools
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from attachment_files import EXE, GPS_LATITUDE, METADATA_MARKERS, TEXT, encode, noise, pdf, photo, zip_archive
from capture_data import PAPER, PETITION, REVIEW
from PIL import Image
from vault_fixtures import PASSWORD

from app.capture.attachment_intake import MAX_FILE_BYTES, AttachmentRefused
from app.capture.attachments import AttachmentDamaged, AttachmentNotFound, AttachmentService
from app.capture.records import NotFound as RecordNotFound
from app.core.changes import Changes
from app.core.domain import AttachmentType, AuditAction, Record
from app.core.errors import Cancelled, XunchaError
from app.core.kinds.fields import ValidationError
from app.vault.session import Session
from storage.attachment_repo import CHUNK_SIZE

MARKER = "东坪村举报人李秀兰电话13907315566"
TABLES = ("attachments", "attachment_chunks", "attachment_thumbnails")


@pytest.fixture
def attachments(round_session: Session) -> AttachmentService:
    return AttachmentService(round_session)


@pytest.fixture
def review(round_session: Session) -> Record:
    return round_session.records.add("review", REVIEW)[0]


@pytest.fixture
def usb(tmp_path: Path) -> Path:
    """Where the member's files come from: a folder apart from the vault's."""
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def put(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def rows(session: Session) -> dict[str, int]:
    return {t: session.vault.query_one(f"SELECT count(*) FROM {t}")[0] for t in TABLES}  # type: ignore[index]


def audit_count(session: Session) -> int:
    return len(session.audit_entries())


# ---- adding ------------------------------------------------------------------------------------------


def test_a_photo_is_stored_normalised_and_logged(attachments: AttachmentService, review: Record, usb: Path) -> None:
    session = attachments.session
    original = photo((4400, 2200), orientation=6)
    attachment, changes = attachments.add(put(usb, "三资台账-01.jpg", original), review.id)

    assert changes == Changes.ATTACHMENTS | Changes.AUDIT
    assert (attachment.record_id, attachment.filename, attachment.media_type) == (
        review.id, "三资台账-01.jpg", AttachmentType.JPEG)
    assert (attachment.width, attachment.height, attachment.downscaled) == (1500, 3000, True)
    assert (attachment.original_size, attachment.created_by) == (len(original), session.owner_name)
    assert attachments.get(attachment.id) == attachment
    assert attachments.for_record(review.id) == [attachment]

    stored = attachments.read_all(attachment.id)
    assert (len(stored), hashlib.sha256(stored).hexdigest()) == (attachment.byte_size, attachment.sha256)
    image = Image.open(io.BytesIO(stored))
    assert image.size == (1500, 3000)  # turned upright
    assert dict(image.getexif()) == {} and [m for m in METADATA_MARKERS if m in stored] == []
    thumb = attachments.thumbnail(attachment.id)
    assert thumb is not None and Image.open(io.BytesIO(thumb)).size == (160, 320)

    entry = session.audit_entries()[-1]
    assert (entry.action, entry.target) == (AuditAction.ATTACH, f"attachment:{attachment.id}")
    assert entry.detail == {"record": f"review:{review.id}", "type": "image/jpeg", "source": "JPEG",
                            "bytes": attachment.byte_size, "sha256": attachment.sha256, "downscaled": True}
    assert "台账" not in str(entry.detail)  # a file name may name a person: it stays out of the log
    assert session.audit_verify()[1] == []


def test_the_stored_photo_has_no_gps_after_reopening_the_vault(
        attachments: AttachmentService, vault_path: Path, usb: Path) -> None:
    original = photo(fmt="JPEG")
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)[2] == GPS_LATITUDE
    attachment, _ = attachments.add(put(usb, "IMG_0412.jpg", original))
    attachments.session.lock()
    again = Session.unlock(vault_path, PASSWORD)
    try:
        stored = AttachmentService(again).read_all(attachment.id)
    finally:
        again.lock()
    assert Image.open(io.BytesIO(stored)).getexif().get_ifd(0x8825) == {}
    assert b"Exif" not in stored


def test_content_is_read_back_in_chunks_without_holding_the_lock(
        attachments: AttachmentService, usb: Path) -> None:
    data = pdf("扶贫资金台账", padding=2 * CHUNK_SIZE + 12_345)
    attachment, _ = attachments.add(put(usb, "台账.pdf", data))
    assert attachment.media_type is AttachmentType.PDF and not attachment.has_thumbnail
    assert attachments.thumbnail(attachment.id) is None

    chunks = attachments.read_chunks(attachment.id)
    assert not isinstance(chunks, list | tuple | bytes)  # an iterator: nothing is read until asked
    first = next(chunks)
    assert len(first) == CHUNK_SIZE
    # Between chunks another thread can use the vault (the lock is taken per chunk, not per file).
    taken = threading.Event()
    worker = threading.Thread(target=lambda: attachments.vault.lock.acquire(timeout=2) and (
        taken.set(), attachments.vault.lock.release()))
    worker.start()
    worker.join()
    assert taken.is_set()
    rest = list(chunks)
    assert [len(c) for c in [first, *rest]] == [CHUNK_SIZE, CHUNK_SIZE, len(data) - 2 * CHUNK_SIZE]
    assert b"".join([first, *rest]) == data == attachments.read_all(attachment.id)


@pytest.mark.parametrize("damage", [
    "UPDATE attachment_chunks SET data = zeroblob(length(data)) WHERE seq = 1",
    "DELETE FROM attachment_chunks WHERE seq = 2",
], ids=["changed", "missing"])
def test_damaged_content_is_reported_when_read(attachments: AttachmentService, usb: Path, damage: str) -> None:
    attachment, _ = attachments.add(put(usb, "a.pdf", pdf(padding=2 * CHUNK_SIZE + 10)))
    attachments.vault.conn.execute(damage)
    with pytest.raises(AttachmentDamaged, match="校验失败"):
        attachments.read_all(attachment.id)


def test_no_plaintext_of_an_attachment_reaches_the_disk(
        attachments: AttachmentService, review: Record, vault_path: Path, usb: Path) -> None:
    needles = [MARKER.encode("utf-8"), MARKER.encode("utf-8").hex().encode(), b"13907315566"]
    letter = pdf(MARKER, padding=CHUNK_SIZE)  # two chunks, so content spans pages and overflow pages
    assert all(needle in letter for needle in needles)
    attachments.add(put(usb, f"{MARKER}.pdf", letter), review.id)
    png = encode(Image.new("L", (64, 64)), "PNG")
    attachments.add_data(png, f"{MARKER}-截图.png", review.id)

    def files_with_marker() -> list[str]:
        return [p.name for p in vault_path.parent.iterdir()
                if p.is_file() and any(needle in p.read_bytes() for needle in needles)]

    assert {p.name for p in vault_path.parent.iterdir()} >= {vault_path.name, vault_path.name + "-wal"}
    assert files_with_marker() == []
    attachments.session.lock()
    assert files_with_marker() == []
    assert [p.name for p in vault_path.parent.iterdir()] == [vault_path.name]  # and no temp file anywhere


def test_add_data_for_a_pasted_image(attachments: AttachmentService, review: Record) -> None:
    attachment, changes = attachments.add_data(photo(), "粘贴的图片.png", review.id)
    assert (attachment.filename, attachment.media_type, changes) == (
        "粘贴的图片.png", AttachmentType.JPEG, Changes.ATTACHMENTS | Changes.AUDIT)
    assert attachment.stored_name == "粘贴的图片.jpg"  # what it is now, should it ever be saved out
    with pytest.raises(AttachmentRefused, match=r"“x\.png”未添加"):
        attachments.add_data(TEXT, "x.png")


def test_progress_is_reported_in_order(attachments: AttachmentService, usb: Path) -> None:
    seen: list[tuple[float, str]] = []
    files = [put(usb, "第1页.jpg", photo()), put(usb, "信.pdf", pdf(padding=3 * CHUNK_SIZE))]
    attachments.add_files(files, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    assert any("第1页.jpg（1/2）" in m for _, m in seen) and any("正在加密保存 信.pdf（2/2）" in m for _, m in seen)


# ---- refusals leave nothing behind ----------------------------------------------------------------------


def counter_cancel(after: int) -> Callable[[], bool]:
    calls = itertools.count()
    return lambda: next(calls) >= after


@pytest.mark.parametrize("after", [0, 2, 5, 7, 9, 13])
def test_cancel_midway_leaves_nothing(attachments: AttachmentService, review: Record, usb: Path, after: int) -> None:
    """The cancel check runs per block read and per chunk written; cancelling at any of them (here: while
    reading the first file, writing it, reading the second, writing the second) leaves no row and no entry."""
    session = attachments.session
    files = [put(usb, "a.pdf", pdf(padding=3 * CHUNK_SIZE)), put(usb, "b.pdf", pdf(padding=2 * CHUNK_SIZE))]
    before_rows, before_audit = rows(session), audit_count(session)
    with pytest.raises(Cancelled) as caught:
        attachments.add_files(files, review.id, cancel=counter_cancel(after))
    assert "未写入任何内容" in caught.value.zh
    assert rows(session) == before_rows == dict.fromkeys(TABLES, 0)
    assert audit_count(session) == before_audit
    assert attachments.add_files(files, review.id)[0]  # and the vault is fine afterwards


@pytest.mark.parametrize(
    ("data", "fragment"),
    [(TEXT, "文本文件"), (zip_archive(), "ZIP"), (EXE, "程序"), (photo()[:900], "不完整")],
    ids=["text", "zip", "exe", "truncated"],
)
def test_a_bad_file_renamed_jpg_is_refused_and_nothing_of_the_batch_is_kept(
        attachments: AttachmentService, review: Record, usb: Path, data: bytes, fragment: str) -> None:
    session = attachments.session
    before = audit_count(session)
    good, bad = put(usb, "第1页.jpg", photo()), put(usb, "第2页.jpg", data)
    with pytest.raises(AttachmentRefused) as caught:
        attachments.add_files([good, bad], review.id)
    assert caught.value.zh.startswith("“第2页.jpg”未添加：") and fragment in caught.value.zh
    assert caught.value.en.startswith("第2页.jpg was not attached: ")
    assert rows(session) == dict.fromkeys(TABLES, 0) and audit_count(session) == before


def test_files_that_cannot_be_read_are_refused_clearly(attachments: AttachmentService, usb: Path) -> None:
    session = attachments.session
    before = audit_count(session)
    with pytest.raises(AttachmentRefused, match=r"“扫描件\.jpg”未添加：找不到该文件"):
        attachments.add(usb / "扫描件.jpg")  # it was there when the dialog listed it
    (usb / "文件夹.jpg").mkdir()
    with pytest.raises(AttachmentRefused, match="文件夹，不是文件"):
        attachments.add(usb / "文件夹.jpg")
    huge = usb / "巨大.pdf"
    with huge.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(AttachmentRefused, match="文件过大"):
        attachments.add(huge)
    with pytest.raises(XunchaError, match="没有选择文件"):
        attachments.add_files([])
    assert rows(session) == dict.fromkeys(TABLES, 0) and audit_count(session) == before


def test_a_missing_or_deleted_record_is_refused_before_anything_is_read(
        attachments: AttachmentService, review: Record, usb: Path) -> None:
    path = put(usb, "a.jpg", photo())
    with pytest.raises(RecordNotFound):
        attachments.add(path, "no-such-record")
    attachments.session.records.delete(review.id)
    with pytest.raises(RecordNotFound):
        attachments.add(path, review.id)
    assert rows(attachments.session) == dict.fromkeys(TABLES, 0)


def test_attaching_needs_a_round(session: Session, usb: Path) -> None:
    with pytest.raises(XunchaError, match="尚未建立巡察轮次"):
        AttachmentService(session).add(put(usb, "a.jpg", photo()))


# ---- delete, link, unlink -----------------------------------------------------------------------------


def test_soft_delete(attachments: AttachmentService, review: Record, usb: Path) -> None:
    session = attachments.session
    attachment, _ = attachments.add(put(usb, "a.jpg", photo()), review.id)
    assert attachments.delete(attachment.id) == Changes.ATTACHMENTS | Changes.AUDIT
    entry = session.audit_entries()[-1]
    assert (entry.action, entry.target, entry.detail["sha256"]) == (
        AuditAction.DETACH, f"attachment:{attachment.id}", attachment.sha256)
    assert attachments.for_record(review.id) == [] and attachments.for_round() == []
    for call in (attachments.get, attachments.read_all, attachments.thumbnail, attachments.delete):
        with pytest.raises(AttachmentNotFound, match="找不到该附件"):
            call(attachment.id)
    with pytest.raises(AttachmentNotFound):
        attachments.link(attachment.id, review.id)
    # Kept, encrypted, for the audit trail (as deleted records are), until the round is purged.
    assert rows(session)["attachment_chunks"] == 1


def test_link_and_unlink(attachments: AttachmentService, review: Record, usb: Path) -> None:
    session = attachments.session
    petition, _ = session.records.add("petition", PETITION)
    attachment, _ = attachments.add(put(usb, "举报信.jpg", photo()))
    assert attachment.record_id is None
    assert attachments.for_round(unlinked_only=True) == [attachment]

    assert attachments.link(attachment.id, petition.id) == Changes.ATTACHMENTS | Changes.AUDIT
    entry = session.audit_entries()[-1]
    assert (entry.action, entry.target, entry.detail) == (
        AuditAction.LINK, f"attachment:{attachment.id}", {"to": f"petition:{petition.id}"})
    count = audit_count(session)
    attachments.link(attachment.id, petition.id)  # already so: nothing to log
    assert audit_count(session) == count
    attachments.link(attachment.id, review.id)
    assert [a.id for a in attachments.for_record(review.id)] == [attachment.id]
    assert attachments.for_record(petition.id) == []

    attachments.unlink(attachment.id)
    entry = session.audit_entries()[-1]
    assert (entry.action, entry.detail) == (AuditAction.UNLINK, {"to": review.id})
    assert attachments.get(attachment.id).record_id is None
    assert [a.id for a in attachments.for_round(unlinked_only=True)] == [attachment.id]
    with pytest.raises(RecordNotFound):
        attachments.link(attachment.id, "no-such-record")


# ---- the scenario ---------------------------------------------------------------------------------------


def test_ledger_pages_and_a_petition_letter_become_evidence_of_a_working_paper(
        attachments: AttachmentService, review: Record, usb: Path) -> None:
    """A member photographs 14 ledger pages and a petition letter, attaches them, and links them (through
    their records) as evidence to a working paper. No page carries its GPS position into the vault."""
    session = attachments.session
    petition, _ = session.records.add("petition", PETITION)
    # Portrait pages; a phone held sideways stores landscape pixels and says "turn me" (6 or 8) in EXIF.
    shots = [(1, (300 + n, 400)) if n % 3 == 0 else ((6, 8)[n % 2], (400, 300 + n)) for n in range(1, 15)]
    pages = [put(usb, f"台账第{n:02d}页.jpg", photo(size, orientation=orientation))
             for n, (orientation, size) in enumerate(shots, start=1)]
    stored, _ = attachments.add_files(pages, review.id)
    letter, _ = attachments.add(put(usb, "举报信.tif", encode(noise((200, 280), "L"), "TIFF")), petition.id)
    cited = [stored[2].id, stored[7].id, letter.id]
    paper, _ = session.records.add("paper", {**PAPER, "evidence": [review.id, petition.id],
                                             "evidence_attachments": cited})

    assert [a.filename for a in attachments.for_record(review.id)] == [f"台账第{n:02d}页.jpg" for n in range(1, 15)]
    assert [a.id for a in attachments.for_record(petition.id)] == [letter.id]
    assert (letter.media_type, letter.stored_name) == (AttachmentType.JPEG, "举报信.jpg")
    assert session.records.get(paper.id).body["evidence"] == [review.id, petition.id]
    assert session.records.get(paper.id).body["evidence_attachments"] == cited
    for attachment in [*stored, letter]:
        content = attachments.read_all(attachment.id)
        assert dict(Image.open(io.BytesIO(content)).getexif()) == {}
        assert [m for m in METADATA_MARKERS if m in content] == []
    # Pages shot sideways come out upright: portrait, whatever the camera's orientation flag said.
    assert all(a.height > a.width for a in stored)  # type: ignore[operator]
    actions = [e.action for e in session.audit_entries()]
    assert actions.count(AuditAction.ATTACH) == 15
    assert session.audit_verify()[1] == []



def test_a_working_paper_cites_only_live_attachments_of_its_round(
        attachments: AttachmentService, usb: Path) -> None:
    session = attachments.session
    kept, _ = attachments.add(put(usb, "a.jpg", photo()))
    gone, _ = attachments.add(put(usb, "b.jpg", photo()))
    attachments.delete(gone.id)
    with pytest.raises(ValidationError) as caught:
        session.records.add("paper", {**PAPER, "evidence_attachments": [kept.id, gone.id, "no-such-attachment"]})
    assert f"找不到附件，或已删除：{gone.id}、no-such-attachment" in str(caught.value)
    paper, _ = session.records.add("paper", {**PAPER, "evidence_attachments": [kept.id]})
    assert paper.body["evidence_attachments"] == [kept.id]
