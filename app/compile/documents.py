"""Official documents (公文) from the vault: the report draft, issue list, lead list, 立行立改 notice, petition
register, an interview record for signature, a working paper with its review trail, a member's appraisal
(工作鉴定). DOCX or PDF in the
GB/T 9704-2012 layout, from templates in resources/templates (exports/ renders them).

Every export names its recipient. Protected names (petitioners and their contacts, persons named in
leads) are replaced by 某某（编号0003） unless the recipient has the right to them; the leader resolves a
number inside the app (`resolve_ref`, audit-logged). Each export gets a document number, a watermark on
every PDF page (exporter → recipient, time, number), an entry in the audit log, and is written to a temp
name beside the target, fsynced and renamed: no half-written file, and nothing decrypted anywhere else.
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.compile import document_values as values
from app.core import authority
from app.core.changes import Changes
from app.core.domain import AccessScope, AuditAction, Role
from app.core.errors import Cancelled, StorageError, XunchaError
from app.core.inputs import file_name_part
from exports import csv_writer
from exports.document import Document
from exports.masking import Masker
from exports.template import Template
from exports.title_lines import names_of_units
from storage import audit, compile_repo, files

if TYPE_CHECKING:
    from app.vault.session import Session

Progress = Callable[[float, str], None]
CancelCheck = Callable[[], bool]
FORMATS = ("docx", "pdf", "csv", "xlsx")  # CSV for a tally only, XLSX for the statistics: their tables
KINDS = {
    "report": "巡察报告初稿", "issues": "问题清单", "leads": "问题线索清单", "fixes": "立行立改通知",
    "petitions": "信访件登记表", "interview": "个别谈话记录", "paper": "问题底稿", "tally": "问卷统计",
    "feedback": "反馈意见",
    "handover": "问题线索移交函",
    "appraisal": "工作鉴定",
    "stats": "巡察工作情况统计报告",
}
LEADER_ONLY = ("report", "issues", "fixes", "feedback")
WITH_RECORD = ("interview", "paper", "appraisal")  # the kinds that name a record: KIND:ID


@dataclass(frozen=True)
class ExportResult:
    path: Path
    number: str
    masked: bool  # some protected value was replaced
    sha256: str


def parse_kind(spec: str) -> tuple[str, str]:
    """`issues` → ("issues", ""); `paper:ID` → ("paper", "ID"). Clear errors for the rest."""
    kind, _, arg = spec.strip().partition(":")
    if kind not in KINDS:
        names = "、".join(KINDS)
        raise XunchaError(f"没有这种文书：{spec}（可选：{names}）",
                          f"no document kind {spec!r} (one of: {', '.join(KINDS)})")
    if kind in (*WITH_RECORD, "tally") and not arg:
        raise XunchaError(f"{kind} 需要指明记录，如 {kind}:编号或ID", f"{kind} needs an id, e.g. {kind}:ID")
    if kind == "handover":
        handover_of(arg)
    if kind == "issues" and arg not in ("", "drafts"):
        raise XunchaError("问题清单只可加 :drafts（含未经复核的草稿）", "the issue list takes only :drafts")
    if kind not in (*WITH_RECORD, "tally", "issues", "handover", "stats") and arg:
        raise XunchaError(f"{kind} 不带参数", f"{kind} takes no argument")
    return kind, arg


def handover_spec(receiver: str, on: str) -> str:
    """The spec of the letter for the leads handed over to `receiver` on `on`: handover:纪委监委@2026-11-20."""
    return f"handover:{receiver}@{on}"


def handover_of(arg: str) -> tuple[str, str]:
    """`纪委监委@2026-11-20` → ("纪委监委", "2026-11-20")."""
    receiver, _, on = arg.rpartition("@")
    try:
        date.fromisoformat(on)
    except ValueError:
        receiver = ""
    if not receiver.strip():
        raise XunchaError("移交函应写作 handover:接收单位@移交日期，如 handover:纪委监委@2026-11-20",
                          "a hand-over letter is handover:RECEIVER@DATE, e.g. handover:纪委监委@2026-11-20")
    return receiver.strip(), on


class DocumentService:
    """Reached as `session.documents`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def file_name(self, spec: str, fmt: str, recipient: str = "", today: date | None = None) -> str:
        """The name a document's file is proposed under: round, kind (with the record's number or the form),
        recipient and date, e.g. 2026-3_问题清单_至_组务会_2026-10-12.pdf. Never a petitioner or a lead: a
        record is named by its number, not its title."""
        kind, arg = parse_kind(spec)
        rnd = self.session.require_round()
        what = KINDS[kind]
        if kind in WITH_RECORD and arg:
            record = self.session.records.get(self.record_id(arg))
            what += f"_{self.session.records.shown_number(record).partition('（')[0]}"
        elif kind == "tally" and arg:
            what = f"{arg.partition('@')[0]}_{what}"
        elif kind == "handover":
            what = f"{what}_{handover_of(arg)[1]}"
        elif kind == "issues" and arg == "drafts":
            what += "（含草稿）"
        elif kind == "stats" and arg:
            what += "_" + arg.replace("=", "").replace(",", "_")
        to = self.default_recipient(spec, recipient)
        day = (today or date.today()).isoformat()
        parts = (rnd.code, what, "至", to, day)
        return "_".join(file_name_part(p, 30) for p in parts) + f".{fmt}"

    # ---- building ----------------------------------------------------------------------------------------

    def build(self, spec: str, recipient: str = "", classification: str | None = None,
              today: date | None = None, fmt: str = "docx") -> tuple[Document, bool]:
        """The masked document for `recipient` (default: the vault's owner), and whether anything was masked.
        `fmt` xlsx: the statistics' tables in full (a spreadsheet has room for every column)."""
        kind, arg = parse_kind(spec)
        recipient = self.default_recipient(spec, recipient)
        self.check_may_produce(kind)
        day = today or date.today()
        filled = self.values(kind, arg, values.common(self.session, recipient, day), day, fmt)
        template = Template.load(kind)
        document = replace(template.render(filled), keep_whole=self.names_kept_whole())
        if classification is not None and classification.strip():
            document = replace(document, classification=classification.strip())
        masker = self.masker_for(recipient, document)
        masked = masker.document(document)
        return masked, masked != document

    def check_may_produce(self, kind: str) -> None:
        """Refuse a document this vault's owner may not produce."""
        if kind in LEADER_ONLY and self.session.owner_role != Role.LEADER:
            raise XunchaError(f"只有组长可以生成{KINDS[kind]}", f"only the leader may produce the {kind} document")
        if kind == "appraisal" and self.session.owner_role not in (Role.LEADER, Role.OFFICE):
            raise XunchaError("工作鉴定只有组长或巡察办可以生成",
                              "only the leader or the office may produce an appraisal")
        if kind == "leads" and not self.session.leads.can_see():
            raise XunchaError("问题线索清单仅组长及组长指定的人员可以生成",
                              "only the leader and named persons may see leads")
        if kind == "stats" and self.session.owner_role not in (Role.LEADER, Role.OFFICE):
            raise XunchaError("巡察工作情况统计报告只有巡察办或组长可以生成",
                              "only the office or the leader produces the statistics report")
        if kind == "handover" and (self.session.owner_role not in authority.HANDOVER_ROLES
                                   or not self.session.leads.can_see()):
            raise XunchaError("问题线索移交函只能由组长或巡察办生成",
                              "only the leader or the office writes a hand-over letter")

    def values(self, kind: str, arg: str, base: dict[str, Any], day: date, fmt: str = "docx") -> dict[str, Any]:
        """The template's values for document `kind` (with its argument `arg`)."""
        session = self.session
        whole_round: dict[str, Callable[[], dict[str, Any]]] = {
            "issues": lambda: values.issues(session, base, drafts=arg == "drafts"),
            "report": lambda: values.report(session, base),
            "fixes": lambda: values.fixes(session, base, day),
            "feedback": lambda: values.feedback(session, base),
            "leads": lambda: values.leads(session, base),
            "petitions": lambda: values.petitions(session, base),
            "handover": lambda: values.handover(session, base, *handover_of(arg)),
            "tally": lambda: values.tally(session, base, arg),
            "stats": lambda: values.stats(session, base, arg, full=fmt == "xlsx"),
        }
        if kind in whole_round:
            return whole_round[kind]()
        one_record = {"interview": values.interview, "appraisal": values.appraisal, "paper": values.paper}
        return one_record.get(kind, values.paper)(session, base, self.record_id(arg))

    def default_recipient(self, spec: str, recipient: str = "") -> str:
        """Who a document is for when nobody is named: a hand-over letter's receiver, else this vault's
        owner."""
        if recipient.strip():
            return recipient.strip()
        kind, arg = parse_kind(spec)
        return handover_of(arg)[0] if kind == "handover" else self.session.owner_name

    def names_kept_whole(self) -> tuple[str, ...]:
        """What a title never breaks inside: the round's units and the places they name, its group, its name."""
        rnd = self.session.require_round()
        names = names_of_units(u.name for u in self.session.units())
        return tuple(n for n in (*names, rnd.group_name, rnd.name) if n)

    def record_id(self, arg: str) -> str:
        """A record id, or a number such as 底-0003 / 谈-0012 of the current round (RecordService.resolve)."""
        return self.session.records.resolve(arg)

    def masker_for(self, recipient: str, document: Document | None = None) -> Masker:
        """What must be masked for `recipient`: petitioners unless they may see them, lead persons unless
        they may see leads. Only values the document carries get a reference number."""
        rnd = self.session.require_round()
        leads = self.session.leads
        wanted: dict[tuple[str, str], str] = {}
        with self.session.vault.lock:
            conn = self.session.vault.conn
            if not leads.has_right(recipient, AccessScope.PETITIONERS):
                for rid, field, value in compile_repo.petition_protected_values(conn, rnd.id):
                    wanted[(f"petition:{rid}", field)] = value
            if not leads.has_right(recipient, AccessScope.LEADS):
                for lead in compile_repo.list_leads(conn, rnd.id):
                    wanted[(f"lead:{lead.id}", "person")] = lead.person
        if document is not None:
            text = "\n".join(document.strings())
            wanted = {k: v for k, v in wanted.items() if v and v in text}
        if not wanted:
            return Masker({})
        with self.session.vault.transaction() as conn:
            refs = compile_repo.add_mask_refs(conn, rnd.id, sorted(wanted))
        replacements: dict[str, str] = {}
        for key, value in sorted(wanted.items(), key=lambda kv: refs[kv[0]]):
            label = "***" if key[1] == "petitioner_contact" else "某某"
            replacements.setdefault(value, f"{label}（编号{refs[key]:04d}）")
        return Masker(replacements)

    def resolve_ref(self, ref: int) -> str:
        """The name behind 某某（编号N）: for the leader (and, for lead persons, those named); logged."""
        rnd = self.session.require_round()
        with self.session.vault.lock:
            found = compile_repo.mask_ref_source(self.session.vault.conn, rnd.id, ref)
        if found is None:
            raise XunchaError(f"没有编号为 {ref:04d} 的隐去姓名", f"no masked name numbered {ref:04d}")
        source, field = found
        kind, _, source_id = source.partition(":")
        if kind == "lead":
            value = self.session.leads.get(source_id).person  # refuses those who may not see leads
            self.session.audit_event(AuditAction.VIEW_PROTECTED, f"mask:{ref}", {"source": "lead", "field": field})
            return value
        if self.session.owner_role != Role.LEADER and \
                self.session.owner_name not in self.session.leads.grantees(AccessScope.PETITIONERS):
            raise XunchaError("只有组长及组长指定的人员可以查看信访人身份",
                              "only the leader and named persons may see petitioners")
        return self.session.records.reveal(source_id, field)  # logged as a protected view of the petition

    # ---- exporting ---------------------------------------------------------------------------------------

    def export(self, spec: str, fmt: str, out: Path, recipient: str = "", classification: str | None = None,
               overwrite: bool = False, progress: Progress | None = None, cancel: CancelCheck | None = None
               ) -> tuple[ExportResult, Changes]:
        """Write document `spec` as `fmt` (docx or pdf) to `out` for `recipient`."""
        report = progress or (lambda _f, _m: None)
        cancelled = cancel or (lambda: False)
        fmt = self.check_fmt(spec, fmt)
        out = Path(out)
        self.check_target(out, overwrite)
        recipient = self.default_recipient(spec, recipient)
        report(0.05, "正在汇集材料…")
        document, masked = self.build(spec, recipient, classification, fmt=fmt)
        if cancelled():
            raise Cancelled()
        rnd = self.session.require_round()
        with self.session.vault.lock:
            seq = compile_repo.next_export_seq(self.session.vault.conn, rnd.id)
        number = f"{rnd.code}-{seq:04d}"
        stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        document = document.stamped(number, f"{self.session.owner_name} → {recipient} · {stamp} · {number}")
        report(0.3, "正在排版…")
        # The DOCX and PDF writers load python-docx and ReportLab (about a third of the command line's import
        # time): only an export of that format pays for them, not every start of the program.
        writer: Callable[[Document], bytes]
        if fmt == "pdf":
            from exports import pdf_writer
            writer = pdf_writer.render
        elif fmt == "docx":
            from exports import docx_writer
            writer = docx_writer.render
        elif fmt == "xlsx":
            from exports import xlsx_writer  # openpyxl, the same way
            writer = xlsx_writer.render
        else:
            writer = csv_writer.render
        data = writer(document)
        if cancelled():
            raise Cancelled()
        report(0.85, "正在写入文件…")
        digest = hashlib.sha256(data).hexdigest()
        kind = parse_kind(spec)[0]
        # A crash or a power cut during an earlier export to this name can leave its temp file: remove it.
        files.remove_quietly(*out.parent.glob(f".{glob.escape(out.name)}.export-*"))
        temp = files.temp_sibling(out, "export")
        try:
            try:
                # Readable by the owner only, like the vault: the document may name people.
                with files.open_new(temp) as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except OSError as exc:
                raise files.storage_error(exc, out) from exc
            # The entry is committed before the file appears: a document on disk always has its entry. A crash
            # in between leaves an entry without a file (and a temp file the next export clears).
            with self.session.vault.transaction() as conn:
                compile_repo.record_export(conn, rnd.id, seq, number, kind, fmt, recipient,
                                           self.session.owner_name, masked, digest)
                audit.append(conn, self.session.owner_name, AuditAction.EXPORT, f"document:{number}", {
                    "kind": spec if kind not in ("interview", "paper") else kind, "format": fmt,
                    "recipient": recipient, "masked": masked, "sha256": digest, "path": str(out)})
            try:
                files.publish(temp, out)
            except (OSError, StorageError) as exc:  # StorageError: Windows' held target (files.TargetBusy)
                with self.session.vault.transaction() as conn:
                    compile_repo.forget_export(conn, rnd.id, seq)
                    audit.append(conn, self.session.owner_name, AuditAction.EXPORT_FAILED, f"document:{number}",
                                 {"error": getattr(exc, "strerror", None) or type(exc).__name__})
                if isinstance(exc, StorageError):
                    raise
                raise files.storage_error(exc, out) from exc
        except BaseException:
            files.remove_quietly(temp)
            raise
        report(1.0, "完成")
        return ExportResult(out, number, masked, digest), Changes.AUDIT

    def check_fmt(self, spec: str, fmt: str) -> str:
        fmt = fmt.lower().strip()
        if fmt not in FORMATS:
            raise XunchaError(f"不支持的导出格式“{fmt}”：文书只能是 docx 或 pdf（问卷统计另可 csv，工作统计另可 xlsx）",
                              f"unknown export format {fmt!r} (docx or pdf; csv for a tally, xlsx for statistics)")
        if fmt == "csv" and parse_kind(spec)[0] != "tally":
            raise XunchaError("CSV 只用于问卷统计；公文请导出 docx 或 pdf", "csv is for a tally only; use docx or pdf")
        if fmt == "xlsx" and parse_kind(spec)[0] != "stats":
            raise XunchaError("XLSX 只用于巡察工作统计；公文请导出 docx 或 pdf",
                              "xlsx is for the statistics only; use docx or pdf")
        return fmt

    def check_target(self, out: Path, overwrite: bool) -> None:
        """Refuse an output path that cannot be written (a folder, a missing or read-only folder, an existing
        file unless `overwrite`), before anything is done."""
        folder = out.parent if str(out.parent) else Path(".")
        if out.is_dir():
            raise XunchaError(f"输出路径是一个文件夹：{out}", f"the output path is a folder: {out}")
        if not folder.is_dir():
            raise XunchaError(f"输出文件夹不存在：{folder}", f"the output folder does not exist: {folder}")
        if not os.access(folder, os.W_OK):
            raise XunchaError(f"该位置只读或无权写入：{out}", f"read-only or no permission: {out}")
        if out.exists() and not overwrite:
            raise XunchaError(f"文件已存在，不会覆盖：{out}", f"the file exists; not overwritten: {out}")

    def exported(self) -> list[tuple[Any, ...]]:
        """The register of exported documents of the round: number, kind, format, recipient, exporter,
        masked, sha256, time."""
        rnd = self.session.require_round()
        with self.session.vault.lock:
            return compile_repo.exports(self.session.vault.conn, rnd.id)
