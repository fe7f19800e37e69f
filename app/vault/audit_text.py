"""The audit log as people read it: for each entry, what it concerns (信-0051（王建国）, a member's name, a
bundle) and one Chinese sentence saying what happened, instead of record:<uuid>, key:<hex> and raw JSON.
The entry itself is unchanged (and still verified as logged); the raw entry stays one click away.

A lead is named by its number and a petition by its number, never by the person in it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.core.domain import AccessScope, AuditAction, AuditEntry, RecordKind, Role
from app.core.kinds import KINDS

_RECORD_KINDS = {k.value: k.label for k in RecordKind}
# What a target's prefix is when it is no record kind.
_NOUNS = {"member": "组员", "unit": "被巡察单位", "round": "巡察轮次", "key": "公钥", "lead": "问题线索",
          "form": "表单", "attachment": "附件", "bundle": "数据包", "document": "文书", "category": "问题类别",
          "access": "查阅授权", "taxonomy": "问题分类", "mask": "隐名编号", "record": "记录", "guide": "工作指引"}
_RELATIONS = {"evidence": "证据", "repeat_of": "重复件", "petition": "来源信访件"}
_FORMATS = {"pdf": "PDF", "docx": "Word", "csv": "CSV", "xlsx": "Excel"}
_DOCUMENTS = {"report": "巡察报告初稿", "issues": "问题清单", "leads": "问题线索清单", "fixes": "立行立改通知",
              "petitions": "信访件登记表", "interview": "个别谈话记录", "paper": "问题底稿", "tally": "问卷统计",
              "feedback": "反馈意见", "handover": "问题线索移交函", "appraisal": "工作鉴定",
              "stats": "巡察工作情况统计报告"}


@dataclass(frozen=True)
class AuditLine:
    """One entry of the log and how it reads."""

    entry: AuditEntry
    subject: str  # what it concerns, by the name people use ('' for the vault itself)
    sentence: str  # what happened, in Chinese


def describe(entries: list[AuditEntry], names: Mapping[str, str], own_fingerprint: str = "") -> list[AuditLine]:
    """`entries` as lines, with `names` from storage.audit.names_for (target → the name people use)."""
    return [_line(e, names, own_fingerprint) for e in entries]


def _line(e: AuditEntry, names: Mapping[str, str], own: str) -> AuditLine:
    prefix, _, key = e.target.partition(":")
    subject = _subject(e, prefix, key, names, own)
    try:
        action = AuditAction(e.action)
    except ValueError:
        return AuditLine(e, subject, f"{e.action} {subject}".strip())
    write = _SENTENCES.get(action)
    d = e.detail if isinstance(e.detail, dict) else {}
    sentence = write(e, d, subject, names) if write is not None else f"{action.label}{_space(subject)}"
    return AuditLine(e, subject, sentence)


def _space(text: str) -> str:
    return f" {text}" if text else ""


def _subject(e: AuditEntry, prefix: str, key: str, names: Mapping[str, str], own: str) -> str:
    if not key:  # the vault itself (its path), or a round's code
        return "" if e.action.startswith("vault.") else e.target
    if prefix == "key" and key == own:
        return "本人"
    named = names.get(e.target)
    if prefix in _RECORD_KINDS:
        label = _RECORD_KINDS[prefix]
        title = e.detail.get("title") if isinstance(e.detail, dict) else None
        if not named and isinstance(title, str) and title:
            return f"{label}“{title}”"
        return f"{label} {named}" if named else f"{label}（已不在本机）"
    if prefix == "lead":
        return f"问题线索 {named}" if named else "问题线索（已不在本机）"
    if prefix == "record":
        return named or str(e.detail.get("number", "")) or "记录（已不在本机）"
    if prefix in ("document", "category"):
        return f"{_NOUNS[prefix]} {key}"
    if prefix == "access":
        try:
            return AccessScope(key).label
        except ValueError:
            return key
    if prefix == "bundle":
        return "数据包"
    if prefix in ("member", "unit", "key", "attachment") and not named:
        name = e.detail.get("name") if isinstance(e.detail, dict) else None
        return f"{_NOUNS[prefix]} {name}" if isinstance(name, str) and name else f"{_NOUNS[prefix]}（已不在本机）"
    if prefix == "attachment":
        return f"附件“{named}”"
    if prefix == "form":
        return f"“{named}”" if named else f"表单 {key}"
    if named:
        return named if prefix in ("member", "unit", "key", "round", "lead") else f"{_NOUNS.get(prefix, '')}{named}"
    return f"{_NOUNS.get(prefix, prefix)} {key[:8]}"


def _role(value: Any) -> str:
    try:
        return Role(str(value)).label
    except ValueError:
        return str(value)


def _status(e: AuditEntry, value: Any) -> str:
    kind = e.target.partition(":")[0]
    return KINDS[kind].status_label(str(value)) if kind in KINDS else str(value)


def _record_name(target: str, names: Mapping[str, str]) -> str:
    prefix, _, _key = target.partition(":")
    named = names.get(target, "")
    return f"{_RECORD_KINDS[prefix]} {named}" if prefix in _RECORD_KINDS and named else named or "另一条记录"


def _compile(e: AuditEntry, d: dict[str, Any], subject: str, names: Mapping[str, str]) -> str:
    if d.get("merged"):
        return f"把问题底稿 {d['merged']} 并入 {d.get('into', subject)}"
    if d.get("unmerged"):
        return f"把{subject}从合并的问题中拆出"
    marks = [f"{label}：{'是' if d[key] else '否'}" for key, label in (("for_report", "写入报告"),
                                                                      ("immediate", "立行立改")) if key in d]
    if marks:
        return f"标记{subject}（{'，'.join(marks)}）"
    if "order" in d or e.target.startswith("category:"):
        return f"调整{subject}下问题的顺序"
    return f"编排问题：{subject}"


def _create(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    prefix = e.target.partition(":")[0]
    if prefix == "round":
        return f"建立巡察轮次 {d.get('code', subject)}"
    if prefix == "member":
        return f"添加组员 {d.get('name', subject)}（{_role(d.get('role', ''))}）"
    if prefix == "unit":
        return f"添加被巡察单位 {d.get('name', subject)}"
    if prefix == "lead" and d.get("petition"):
        return f"新建{subject}（来自信访件 {d['petition']}，处理方式为移交）"
    return f"新建{subject}"


def _export(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    what = _DOCUMENTS.get(str(d.get("kind", "")).partition(":")[0], "文书")
    fmt = _FORMATS.get(str(d.get("format", "")), str(d.get("format", "")))
    to = f"，接收人 {d['recipient']}" if d.get("recipient") else ""
    masked = "，受保护姓名已隐去" if d.get("masked") else ""
    return f"导出{what}（{subject}，{fmt}{to}{masked}）"


def _bundle_export(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    to = "、".join(str(t) for t in d.get("to", [])) if isinstance(d.get("to"), list) else str(d.get("to", ""))
    full = "（完整包）" if d.get("full") else ""
    return (f"向{to}导出数据包第 {d.get('sequence', '?')} 包{full}：{d.get('records', 0)} 条记录、"
            f"{d.get('attachments', 0)} 个附件")


def _bundle_import(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    sender = d.get("from", "")
    sequence = f"第 {d['sequence']} 包" if d.get("sequence") else "数据包"
    return f"导入{sender}发来的{sequence}"


def _trust(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    how = {"card": "当面核对指纹"}.get(str(d.get("by", "")), "轮次设置包所附名单")
    name = d.get("name") or subject
    role = f"（{_role(d['role'])}）" if d.get("role") else ""
    return f"确认{name}{role}的公钥（{how}）"


def _status_change(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    before = f"由“{_status(e, d['from'])}”" if d.get("from") else ""
    reason = f"，理由：{d['reason']}" if d.get("reason") else ""
    return f"{subject} {before}改为“{_status(e, d.get('status', ''))}”{reason}"


def _link(e: AuditEntry, d: dict[str, Any], subject: str, names: Mapping[str, str]) -> str:
    other = _record_name(str(d.get("to", "")), names)
    relation = _RELATIONS.get(str(d.get("relation", "")), "关联记录")
    verb = "关联" if e.action == AuditAction.LINK else "取消关联"
    return f"{verb}：{other} 作为 {subject} 的{relation}"


def _protected(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    prefix = e.target.partition(":")[0]
    field = str(d.get("field", ""))
    if prefix in KINDS:
        field = next((f.label for f in KINDS[prefix].fields if f.name == field), field)
    elif field == "phone":
        field = "联系电话"
    verb = "查看" if e.action == AuditAction.VIEW_PROTECTED else "复制"
    return f"{verb}{subject}的受保护信息" + (f"“{field}”" if field else "")


def _simple(template: str) -> Callable[[AuditEntry, dict[str, Any], str, Mapping[str, str]], str]:
    return lambda _e, _d, subject, _n: template.format(subject=subject)


def _distribute(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    return f"登记{subject}发放：{d.get('group', '')} {d.get('handed_out', '?')} 份（{d.get('handed_on', '')}）"


def _sheets(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    verb = "录入" if e.action == AuditAction.RESPONSE_ADD else "复核录入"
    if "sheets" in d:
        return f"{d.get('day', '')} {verb}{subject}答卷 {d['sheets']} 份"
    return f"{verb}{subject}第 {d.get('sheet', '?')} 号答卷"


def _share(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    verb = "共享给" if e.action == AuditAction.SHARE else "取消共享给"
    return f"把{subject}{verb}{d.get('with', '本地人员')}"


def _override(_e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    return (f"组长决定{d.get('member', '')}不回避（{d.get('subject', '')}，{d.get('relation_label', '')}），"
            f"指派于{subject}；理由：{d.get('reason', '')}")


def _guide(e: AuditEntry, d: dict[str, Any], subject: str, _n: Mapping[str, str]) -> str:
    step = f"“{d.get('title') or d.get('step', '')}”"
    if e.action == AuditAction.GUIDE_TICK:
        return f"在{subject}的工作指引中勾选{step}已完成（{d.get('on', '')}）"
    if e.action == AuditAction.GUIDE_UNTICK:
        return f"在{subject}的工作指引中取消勾选{step}"
    if e.action == AuditAction.GUIDE_IMPORT:
        return f"导入{d.get('round_type_label', '')}工作指引“{d.get('title', '')}”（{d.get('steps', '?')} 步）"
    return f"{d.get('round_type_label', '')}恢复使用内置工作指引"


_SENTENCES: dict[AuditAction, Callable[[AuditEntry, dict[str, Any], str, Mapping[str, str]], str]] = {
    AuditAction.CREATE: _create,
    AuditAction.COMPILE: _compile,
    AuditAction.EDIT: _simple("修改{subject}"),
    AuditAction.DELETE: _simple("删除{subject}"),
    AuditAction.STATUS: _status_change,
    AuditAction.LEDGER: lambda _e, d, _s, _n: (f"生成整改台账：新增 {d.get('added', 0)} 项（反馈日期 "
                                               f"{d.get('feedback_on', '')}，原有 {d.get('kept', 0)} 项）"),
    AuditAction.LOOKBACK_SEED: lambda _e, d, _s, _n: (f"从 {d.get('source', '')} 的整改台账生成“回头看”核查事项："
                                                       f"新增 {d.get('added', 0)} 项，原有 {d.get('kept', 0)} 项"),
    AuditAction.REOPEN: _status_change,
    AuditAction.LINK: _link,
    AuditAction.UNLINK: _link,
    AuditAction.VIEW_PROTECTED: _protected,
    AuditAction.COPY_PROTECTED: _protected,
    AuditAction.EXPORT: _export,
    AuditAction.BUNDLE_EXPORT: _bundle_export,
    AuditAction.BUNDLE_IMPORT: _bundle_import,
    AuditAction.KEYS_TRUST: _trust,
    AuditAction.KEYS_UNTRUST: _simple("移除{subject}的公钥"),
    AuditAction.NOTE_RAISE: _simple("对{subject}提出审核意见"),
    AuditAction.NOTE_RESOLVE: _simple("答复{subject}的审核意见"),
    AuditAction.NOTE_CLEAR: _simple("关闭{subject}的审核意见"),
    AuditAction.ATTACH: _simple("添加{subject}"),
    AuditAction.DETACH: _simple("删除{subject}"),
    AuditAction.FORM_IMPORT: _simple("导入表单{subject}"),
    AuditAction.FORM_DISTRIBUTE: _distribute,
    AuditAction.RESPONSE_ADD: _sheets,
    AuditAction.RESPONSE_CHECK: _sheets,
    AuditAction.SHARE: _share,
    AuditAction.CONFLICT_OVERRIDE: _override,
    AuditAction.DECLARE: lambda _e, d, s, _n: f"登记{s}的回避申报（{d.get('count', 0)} 项）",
    AuditAction.UNSHARE: _share,
    AuditAction.UNLOCK: _simple("解锁保险库"),
    AuditAction.LOCK: _simple("锁定保险库"),
    AuditAction.CREATE_VAULT: lambda _e, d, _s, _n: f"创建保险库（{_role(d.get('role', ''))}）",
    AuditAction.GRANT: lambda _e, d, s, _n: f"授权{d.get('grantee', '')}查阅{s}",
    AuditAction.REVOKE: lambda _e, d, s, _n: f"撤销{d.get('grantee', '')}查阅{s}的授权",
    AuditAction.LEAD_HANDOVER: lambda _e, d, s, _n: (f"{d.get('on', '')}将{s}移交{d.get('to', '')}，"
                                                     f"应于{d.get('due', '')}前反馈"),
    AuditAction.LEAD_FEEDBACK: lambda _e, d, s, _n: f"登记{s}的办理反馈（{d.get('on', '')}收到）",
    AuditAction.GUIDE_IMPORT: _guide,
    AuditAction.GUIDE_RESET: _guide,
    AuditAction.GUIDE_TICK: _guide,
    AuditAction.GUIDE_UNTICK: _guide,
    AuditAction.COVERAGE_PLAN: lambda _e, d, s, _n: f"修改{s}的必谈必查计划",
}
