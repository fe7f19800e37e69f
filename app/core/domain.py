"""Domain model: plain dataclasses and enums, no I/O. Chinese labels are what the UI and documents show."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def new_id() -> str:
    return str(uuid.uuid4())


class LabelledEnum(enum.StrEnum):
    """A string enum whose members carry a Chinese label for display."""

    label: str

    def __new__(cls, value: str, label: str = "") -> LabelledEnum:
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label
        return obj


class Role(LabelledEnum):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "组员"
    LOCAL = "local", "本地人员"
    OFFICE = "office", "巡察办"


class RoundType(LabelledEnum):
    REGULAR = "regular", "常规巡察"
    SPECIAL = "special", "专项巡察"
    MOBILE = "mobile", "机动巡察"
    CROSS = "cross", "交叉巡察"
    RAISED = "raised", "提级巡察"
    LOOK_BACK = "look_back", "巡察“回头看”"


class RoundStatus(LabelledEnum):
    PLANNED = "planned", "计划中"
    AUTHORISED = "authorised", "已组建授权"
    ENTRY = "entry", "进驻动员"
    GATHERING = "gathering", "了解情况"
    REPORT_DRAFT = "report_draft", "起草报告"
    GROUP_MEETING = "group_meeting", "组务会研究"
    HEARING = "hearing", "领导小组听取汇报"
    FEEDBACK = "feedback", "反馈"
    HANDOVER = "handover", "移交"
    RECTIFICATION = "rectification", "整改"
    LOOK_BACK = "look_back", "回头看"
    ARCHIVED = "archived", "立卷归档"
    CLEANED = "cleaned", "已清理"


class Sensitivity(LabelledEnum):
    """Who may see a record. Ordered from least to most restricted."""

    INTERNAL = "internal", "组内"
    RESTRICTED = "restricted", "限定范围"  # local members only if the leader shares it
    PROTECTED = "protected", "含受保护信息"  # carries protected fields (petitioner identity)
    LEADER_ONLY = "leader_only", "仅组长"  # problem leads

    @property
    def rank(self) -> int:
        return list(Sensitivity).index(self)


class RecordKind(LabelledEnum):
    """The kinds of captured record; each capture issue adds its own."""

    BRIEFING = "briefing", "巡前通报材料"
    INTERVIEW = "interview", "个别谈话"
    PETITION = "petition", "信访件"
    REVIEW = "review", "调阅资料"
    PAPER = "paper", "问题底稿"
    # 巡前准备: the three lists the group forms before entry and keeps up to date on site (one record per entry)
    POLICY = "policy", "政策清单"
    PROBLEM = "problem", "问题清单"
    PROFILE = "profile", "基本情况清单"
    MINUTE = "minute", "组务会纪要"
    # After the report: one item of the rectification ledger (整改台账) per problem fed back, followed to 销号
    RECTIFICATION = "rectification", "整改台账"
    APPRAISAL = "appraisal", "工作鉴定"
    # A look-back round (回头看): one check per ledger item of an earlier round of the same unit
    LOOKBACK = "lookback", "回头看核查"


class ProtectedState(enum.StrEnum):
    """What this vault holds of one protected field of a record (docs/records.md, "Protected fields").

    A member's or local member's vault receives other laptops' records without their protected values (they go
    only to the leader and the office): there such a field is withheld, never an empty field to type into.
    """

    PRESENT = "present"  # a value is held here: shown only on a logged reveal; may be replaced
    ABSENT = "absent"  # none held here; one may be recorded
    WITHHELD = "withheld"  # registered where the record came from; this vault may neither see nor change it
    WITHHELD_EMPTY = "withheld_empty"  # none registered there; this vault may not record one either

    @property
    def withheld(self) -> bool:
        return self in (ProtectedState.WITHHELD, ProtectedState.WITHHELD_EMPTY)

    @property
    def registered(self) -> bool:
        """A value exists, here or where the record came from."""
        return self in (ProtectedState.PRESENT, ProtectedState.WITHHELD)


def kind_label(kind: str) -> str:
    """The Chinese name of a record kind; an unknown kind (from a newer version) shows as itself."""
    try:
        return RecordKind(kind).label
    except ValueError:
        return kind


@dataclass(frozen=True)
class Round:
    id: str
    code: str
    name: str
    round_type: RoundType
    status: RoundStatus
    group_name: str
    auth_doc_no: str = ""
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class RoundTransition:
    """One move of a round's state: when it took effect, who took it, and why states were skipped (if they were)."""

    id: str
    round_id: str
    from_status: RoundStatus
    to_status: RoundStatus
    on_date: date
    by_name: str
    by_role: Role
    reason: str = ""
    recorded_at: str = ""


class Relation(LabelledEnum):
    """How a group member is tied to a person or unit of the inspection (回避, DOMAIN.md): the relations a
    declaration names."""

    SPOUSE = "spouse", "配偶"
    KIN = "kin", "近亲属"
    FORMER_POST = "former_post", "三年内曾任职"
    SUPERIOR = "superior", "三年内直接上级"


@dataclass(frozen=True)
class Declaration:
    """One 回避 declaration of a member: a person or unit, and how the member is tied to it."""

    subject: str  # the person or unit, as named in the records (张某某, 青石镇党委)
    relation: Relation
    note: str = ""


@dataclass(frozen=True)
class Member:
    id: str
    round_id: str
    name: str
    role: Role
    home_unit: str = ""
    phone: str = ""  # protected: shown on explicit reveal only
    conflicts: str = ""  # the 回避 note: free text (all there was before the declarations were structured)
    declarations: tuple[Declaration, ...] = ()  # the structured 回避 declarations the records are checked against


@dataclass(frozen=True)
class InspectedUnit:
    id: str
    round_id: str
    name: str
    kind: str = ""
    parent_id: str | None = None


@dataclass(frozen=True)
class TaxonomyNode:
    code: str
    name: str
    parent_code: str | None = None


@dataclass
class Record:
    """The common base of every captured record. `body` holds the kind's own fields as plain JSON values."""

    kind: str
    round_id: str
    title: str = ""
    body: dict[str, Any] = field(default_factory=dict)
    sensitivity: Sensitivity = Sensitivity.INTERNAL
    author_id: str | None = None
    id: str = field(default_factory=new_id)
    created_at: datetime = field(default_factory=now_utc)
    updated_at: datetime = field(default_factory=now_utc)
    revision: int = 1
    deleted: bool = False
    # Projections of `body` that lists sort and filter on (set by the kind's schema; empty for others).
    number: str = ""
    status: str = ""
    category: str = ""
    occurred_on: str | None = None
    subtitle: str = ""
    due_on: str | None = None


@dataclass(frozen=True)
class SearchHit:
    """One search result: enough to list it and open the record. The snippet is cut from the record's own
    text (body, else title), never from its protected values; `marks` are the (start, end) offsets of the
    matched words in the snippet, for highlighting."""

    record_id: str
    kind: str
    number: str
    title: str
    subtitle: str
    status: str
    occurred_on: str | None
    snippet: str
    marks: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    ts: str
    actor: str
    action: str
    target: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainProblem:
    """One fault `xuncha audit verify` found in the audit chain, at entry `seq`."""

    seq: int
    zh: str
    en: str


class AuditAction(LabelledEnum):
    CREATE_VAULT = "vault.create", "创建保险库"
    UNLOCK = "vault.unlock", "解锁"
    LOCK = "vault.lock", "锁定"
    CHANGE_PASSWORD = "vault.passwd", "修改密码"
    BACKUP = "vault.backup", "备份"
    RESTORE = "vault.restore", "从备份恢复"
    MIGRATE = "vault.migrate", "升级数据版本"
    DAMAGE_FOUND = "vault.damaged", "发现保险库文件损坏"
    CREATE = "record.create", "新建"
    EDIT = "record.edit", "修改"
    DELETE = "record.delete", "删除"
    VIEW_PROTECTED = "protected.view", "查看受保护信息"
    COPY_PROTECTED = "protected.copy", "复制受保护信息"
    LINK = "record.link", "关联"
    UNLINK = "record.unlink", "取消关联"
    STATUS = "record.status", "状态变更"
    REOPEN = "record.reopen", "重新打开定稿"
    NOTE_RAISE = "note.raise", "提出审核意见"
    NOTE_RESOLVE = "note.resolve", "答复审核意见"
    NOTE_CLEAR = "note.clear", "关闭审核意见"
    EXPORT = "data.export", "导出"
    EXPORT_FAILED = "data.export_failed", "导出未完成"
    IMPORT = "data.import", "导入"
    DEMO = "data.demo", "生成演示数据"
    ATTACH = "attachment.add", "添加附件"
    DETACH = "attachment.delete", "删除附件"
    FORM_IMPORT = "form.import", "导入问卷或测评表"
    FORM_DISTRIBUTE = "form.distribute", "登记发放"
    RESPONSE_ADD = "response.add", "录入答卷"
    RESPONSE_EDIT = "response.edit", "修改答卷"
    RESPONSE_DELETE = "response.delete", "删除答卷"
    RESPONSE_CHECK = "response.check", "复核录入答卷"
    RESPONSE_EXCLUDE = "response.exclude", "剔除答卷"
    RESPONSE_INCLUDE = "response.include", "恢复答卷"
    KEYS_CREATE = "keys.create", "生成密钥"
    KEYS_EXPORT = "keys.export", "导出身份密钥"
    KEYS_TRUST = "keys.trust", "确认他人公钥"
    KEYS_UNTRUST = "keys.untrust", "移除他人公钥"
    BUNDLE_EXPORT = "bundle.export", "导出数据包"
    BUNDLE_IMPORT = "bundle.import", "导入数据包"
    DECLARE = "member.declare", "登记回避申报"
    CONFLICT_OVERRIDE = "record.conflict_override", "组长决定回避事项不回避"
    RECEIPT_ISSUE = "receipt.issue", "出具回执"
    RECEIPT_IMPORT = "receipt.import", "导入回执"
    CONFLICT_RESOLVE = "conflict.resolve", "处理修改冲突"
    BUNDLE_CHANGE = "bundle.change", "按数据包修改记录"
    BUNDLE_REFUSE = "bundle.refuse", "拒收数据包中的修改"
    AUDIT_REWRITTEN = "bundle.audit_rewritten", "发现发送人的操作日志被改写"
    PURGE = "round.purge", "清理轮次材料"
    PURGE_CONFIRM = "round.purge_confirm", "确认本机写出的副本已销毁或移交"
    COMPILE = "compile.edit", "编排问题"
    GRANT = "access.grant", "授权查阅"
    REVOKE = "access.revoke", "撤销查阅授权"
    SHARE = "record.share", "共享给本地人员"
    UNSHARE = "record.unshare", "取消共享"
    ROUND_USE = "round.use", "切换使用的轮次"
    ROUND_STATE = "round.state", "轮次进入下一阶段"
    LEDGER = "ledger.make", "生成反馈意见和整改台账"
    LOOKBACK_SEED = "lookback.seed", "生成回头看核查事项"
    LEAD_HANDOVER = "lead.handover", "移交问题线索"
    LEAD_FEEDBACK = "lead.feedback", "登记问题线索办理反馈"
    GUIDE_IMPORT = "guide.import", "导入工作指引"
    GUIDE_RESET = "guide.reset", "恢复内置工作指引"
    GUIDE_TICK = "guide.tick", "勾选指引步骤"
    GUIDE_UNTICK = "guide.untick", "取消勾选指引步骤"
    COVERAGE_PLAN = "coverage.plan", "修改必谈必查计划"


@dataclass(frozen=True)
class DashboardCounts:
    members: int
    units: int
    records_by_kind: dict[str, int]
    audit_entries: int


@dataclass(frozen=True)
class Overview:
    """What the dashboard shows. Protected member fields are blanked: a reveal goes through the service."""

    round: Round | None
    counts: DashboardCounts
    members: list[Member]
    units: list[InspectedUnit]


@dataclass(frozen=True)
class ReviewNote:
    """A question a reviewer raises on a working paper; the author resolves it, only a reviewer clears it."""

    id: str
    record_id: str
    raised_by: str
    raised_role: str
    raised_at: str
    text: str
    resolved_by: str | None = None
    resolved_at: str | None = None
    resolution: str = ""
    cleared_by: str | None = None
    cleared_at: str | None = None

    @property
    def state(self) -> str:
        return "cleared" if self.cleared_at else "resolved" if self.resolved_at else "open"


@dataclass(frozen=True)
class Draft:
    """An editor's unsaved work, autosaved inside the vault."""

    id: str
    kind: str
    record_id: str | None
    base_revision: int | None
    title: str
    body: dict[str, Any]
    protected: dict[str, str]
    updated_at: str = ""


@dataclass(frozen=True)
class RecordRow:
    """One line of a record list: only what the list shows, no protected value."""

    id: str
    kind: str
    number: str
    title: str
    subtitle: str
    status: str
    status_label: str
    category: str
    occurred_on: str | None
    due_on: str | None
    author: str
    updated_at: str
    overdue: bool
    flagged: bool  # e.g. a working paper edited after it was reviewed
    sensitivity: Sensitivity
    origin_number: str = ""  # its number on the laptop it came from ('' if written here)
    origin_sender: str = ""  # that sender's name

    @property
    def shown_number(self) -> str:
        """The number people know it by: the sender's, with the sender's name, for a record from another
        laptop (信-0051（王建国）); this vault's own otherwise."""
        return shown_number(self.number, self.origin_number, self.origin_sender)


def shown_number(number: str, origin_number: str = "", origin_sender: str = "") -> str:
    """信-0051（王建国） for a record numbered 信-0051 on 王建国's laptop; `number` for one written here."""
    if not origin_number:
        return number
    return f"{origin_number}（{origin_sender}）" if origin_sender else origin_number


@dataclass(frozen=True)
class ListQuery:
    """Which records of a kind a list shows, and in what order."""

    statuses: tuple[str, ...] = ()
    category: str = ""  # a taxonomy code; its sub-categories match too
    author_id: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    title_contains: str = ""
    overdue_only: bool = False
    sort: str = "occurred_on"
    descending: bool = True


@dataclass(frozen=True)
class FieldChange:
    """One difference between two revisions of a record."""

    field: str
    label: str
    before: Any
    after: Any


class AttachmentType(LabelledEnum):
    """What an attachment is stored as (app/capture/attachment_intake.py decides; see docs/attachments.md)."""

    JPEG = "image/jpeg", "JPEG 图片"
    PNG = "image/png", "PNG 图片"
    PDF = "application/pdf", "PDF 文档"

    @property
    def extension(self) -> str:
        return {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}[self.value]

    @property
    def is_image(self) -> bool:
        return self is not AttachmentType.PDF


@dataclass(frozen=True)
class Attachment:
    """An attachment's metadata; its content is read in chunks through the service."""

    id: str
    round_id: str
    record_id: str | None  # None: not linked to a record
    filename: str  # the name it was added under, without its folder
    media_type: AttachmentType  # as stored: a TIFF or WebP photo is stored as JPEG
    byte_size: int  # of the stored content
    sha256: str  # of the stored content, hex
    width: int | None  # images only, as stored
    height: int | None
    original_size: int  # bytes of the file as given
    downscaled: bool
    has_thumbnail: bool
    created_at: str
    created_by: str
    deleted: bool = False

    @property
    def stored_name(self) -> str:
        """The file name with the extension of what is stored (scan.tif stored as JPEG: scan.jpg)."""
        stem = self.filename.rsplit(".", 1)[0] if "." in self.filename.lstrip(".") else self.filename
        return stem + self.media_type.extension


@dataclass(frozen=True)
class Identity:
    """The owner's key pairs (kept in the vault): age X25519 to receive bundles, Ed25519 to sign them."""

    age_secret: str  # AGE-SECRET-KEY-1...
    age_recipient: str  # age1...
    sign_secret: bytes  # Ed25519 seed, 32 bytes
    sign_public: bytes  # 32 bytes
    fingerprint: str  # hex SHA-256 of both public keys
    created_at: str

    def __repr__(self) -> str:  # never print a secret by accident (a traceback, a debug print)
        return f"Identity(fingerprint={self.fingerprint[:16]}…)"


@dataclass(frozen=True)
class Peer:
    """A trusted public key on this vault's roster: who may send bundles here and receive them from here."""

    fingerprint: str
    name: str
    role: Role
    age_recipient: str
    sign_public: bytes
    confirmed_by: str  # "card" (fingerprint read aloud) or "roster:<fingerprint of the signer>"
    added_at: str


@dataclass(frozen=True)
class BundleSent:
    """A bundle this vault wrote; acknowledged once a recipient's receipt for its file hash is imported."""

    id: str
    round_id: str
    recipients: tuple[str, ...]  # fingerprints
    channel: str
    sequence: int
    full: bool
    change_from: int
    change_to: int
    audit_to: int
    covers: dict[str, Any]
    file_sha256: str
    file_name: str
    created_at: str


@dataclass(frozen=True)
class ReceiptRow:
    """A recipient's signed word that it imported a bundle (by the hash of the file it received)."""

    bundle_sha256: str
    issuer: str  # fingerprint
    bundle_id: str
    imported: dict[str, Any]
    issued_at: str
    received_at: str


@dataclass(frozen=True)
class BundleConflict:
    """An incoming revision of a record also edited here: kept until the leader picks one."""

    id: str
    record_id: str
    bundle_id: str
    sender: str
    local_revision: int
    title: str
    body: dict[str, Any]
    content_hash: str
    history: tuple[str, ...]
    created_at: str
    resolved_at: str | None = None
    resolution: str | None = None
    reason: str = ""  # empty: both sides edited it; else the rule the sender's change breaks (a proposal)


class LeadReceiver(LabelledEnum):
    """Where a problem lead is proposed to go."""

    JW = "jw", "纪委监委"
    ZZB = "zzb", "组织部"
    OTHER = "other", "其他"


class LeadStatus(LabelledEnum):
    LOGGED = "logged", "已登记"
    DISCUSSED = "discussed", "组务会已研究"
    PROPOSED = "proposed", "拟移交"
    APPROVED = "approved", "组长已审批"
    HANDED_OVER = "handed_over", "已移交"
    FEEDBACK = "feedback", "已收到反馈"
    CLOSED = "closed", "已办结"


class AccessScope(LabelledEnum):
    """What the leader may let named persons see (and documents for them carry unmasked)."""

    LEADS = "leads", "问题线索"
    PETITIONERS = "petitioners", "信访人身份"


@dataclass(frozen=True)
class Lead:
    """A problem lead (问题线索): seen by the leader and by whom the leader names, nobody else."""

    id: str
    round_id: str
    number: str
    person: str
    post: str = ""
    source: str = ""
    facts: str = ""
    receiver: LeadReceiver = LeadReceiver.JW
    receiver_other: str = ""
    status: LeadStatus = LeadStatus.LOGGED
    approved_by: str = ""
    approved_at: str = ""
    handed_over_at: str = ""
    handed_over_to: str = ""
    feedback: str = ""
    paper_id: str | None = None
    created_by: str = ""
    created_at: str = ""
    updated_at: str = ""
    feedback_due: str = ""  # ISO date the receiver's feedback is due (handed over leads)
    feedback_at: str = ""  # ISO date the feedback came
    petition_id: str | None = None  # the petition marked 移交 this lead came from

    @property
    def receiver_label(self) -> str:
        if self.receiver == LeadReceiver.OTHER and self.receiver_other:
            return self.receiver_other
        return self.receiver.label

    def feedback_overdue(self, today: date) -> bool:
        """Handed over, its feedback due before `today`, and no feedback yet."""
        return (self.status == LeadStatus.HANDED_OVER and not self.feedback_at and bool(self.feedback_due)
                and self.feedback_due < today.isoformat())


@dataclass(frozen=True)
class PaperRef:
    """A record an issue shows: a merged paper or a piece of evidence."""

    id: str
    kind: str
    number: str
    title: str


@dataclass(frozen=True)
class Issue:
    """One item of the leader's compilation: a working paper, with the papers merged into it."""

    paper_id: str
    number: str
    title: str
    category: str
    status: str
    status_label: str
    position: int
    for_report: bool
    immediate: bool
    lead_number: str = ""
    merged: tuple[PaperRef, ...] = ()
    evidence: tuple[PaperRef, ...] = ()
