"""The three lists (三个清单) a group forms before entry and keeps up to date on site (seed 004: 形成政策清单、
问题清单和被巡察党组织基本情况清单，根据巡察深入了解情况，随时动态更新): one record per entry of a list.

Who may do what (app/core/authority.py): the leader (or the office, in the round package) creates the
entries; every group member but a local member may update any entry, as the seeds ask (随时动态更新);
a local member sees and updates only the entries the leader shares with them.

A problem on the 问题清单 is verified on site: the working papers (问题底稿) that confirm or clear it are
listed in its `papers` (kept in record_links as its evidence, storage/link_repo.py); 已查实 needs at least
one of them, 已排除 a written conclusion.
"""

from __future__ import annotations

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext, text

# ---- 政策清单 ----------------------------------------------------------------------------------------------

POLICY_STATUSES = choices(("active", "适用"), ("retired", "不再适用"))

POLICY_FIELDS = (
    text("title", "政策文件名称", required=True),
    text("doc_no", "文号"),
    text("issuer", "制发机关"),
    Field("issued_on", "印发日期", FieldType.DATE),
    text("applies_to", "适用事项", help="如：“三资”管理、工程项目招投标、惠农补贴"),
    longtext("provisions", "重点条款"),
    longtext("notes", "备注"),
    Field("status", "状态", FieldType.CHOICE, choices=POLICY_STATUSES),
)

POLICY = KindSchema(
    kind=RecordKind.POLICY,
    number_prefix="政",
    fields=POLICY_FIELDS,
    statuses=POLICY_STATUSES,
    initial_status="active",
    sensitivity=Sensitivity.RESTRICTED,
    title=lambda body: str(body.get("title", "")),
    subtitle=lambda body: joined(body.get("doc_no", ""), body.get("applies_to", "")),
    occurred_on=lambda body: body.get("issued_on"),
    status_field="status",
    open_statuses=("active",),
)

# ---- 问题清单 ----------------------------------------------------------------------------------------------

PROBLEM_STATUSES = choices(("open", "待核实"), ("verifying", "核实中"), ("confirmed", "已查实"),
                           ("cleared", "已排除"))
CONFIRMED, CLEARED = "confirmed", "cleared"
PAPERS = "papers"  # the working papers that confirm or clear the problem
PAPERS_RELATION = "evidence"  # their links in record_links (storage/link_repo.py)

PROBLEM_FIELDS = (
    text("title", "问题", required=True),
    text("unit", "涉及单位"),
    text("source", "问题来源", help="如：审计局通报、信访举报、上轮巡察反馈"),
    Field("category", "问题类别", FieldType.TAXONOMY),
    longtext("details", "问题描述"),
    Field("assigned_to", "核实人", FieldType.MEMBER),
    Field("status", "核实状态", FieldType.CHOICE, choices=PROBLEM_STATUSES),
    Field(PAPERS, "核实底稿", FieldType.RECORDS, help="查实或排除这个问题的问题底稿"),
    longtext("conclusion", "核实结论"),
)

PROBLEM = KindSchema(
    kind=RecordKind.PROBLEM,
    number_prefix="问",
    fields=PROBLEM_FIELDS,
    statuses=PROBLEM_STATUSES,
    initial_status="open",
    sensitivity=Sensitivity.RESTRICTED,
    title=lambda body: str(body.get("title", "")),
    subtitle=lambda body: joined(body.get("unit", ""), body.get("source", "")),
    occurred_on=lambda body: None,
    status_field="status",
    category_field="category",
    open_statuses=("open", "verifying"),
)

# ---- 被巡察党组织基本情况清单 --------------------------------------------------------------------------------

ASPECTS = choices(
    ("leadership", "领导班子及成员"), ("organisation", "机构职能和人员编制（“三定”）"),
    ("party", "党组织和党员队伍"), ("finance", "财务和“三资”"), ("projects", "重点项目和资金"),
    ("earlier", "上轮巡察及整改"), ("other", "其他"),
)
PROFILE_STATUSES = choices(("unverified", "待核实"), ("verified", "已核实"))
# 五必谈 (seed 004): who must be interviewed. A profile entry may carry one roster of a unit (名单), one
# person a line (姓名 职务); app/method/coverage.py plans the interviews from them.
ROSTER_CATEGORIES = choices(
    ("leadership", "领导班子成员"), ("assets", "“三资”管理负责人"), ("coop", "合作社董事会、监事会成员"),
    ("party_reps", "党员代表"), ("shareholder_reps", "股民代表"), ("other", "其他人员"),
)
ROSTER_CATEGORY, ROSTER = "roster_category", "roster"

PROFILE_FIELDS = (
    text("unit", "单位", required=True),
    Field("aspect", "方面", FieldType.CHOICE, choices=ASPECTS),
    text("title", "事项", required=True, help="如：班子成员分工、集体资产台账、在建工程"),
    longtext("content", "基本情况"),
    text("source", "资料来源"),
    Field("updated_on", "更新日期", FieldType.DATE),
    Field("status", "状态", FieldType.CHOICE, choices=PROFILE_STATUSES),
    Field(ROSTER_CATEGORY, "名单类别", FieldType.CHOICE, choices=ROSTER_CATEGORIES,
          help="这一项是某类必谈人员的名单时选择（五必谈）"),
    Field(ROSTER, "名单", FieldType.TEXTS, help="每行一人：姓名 职务，如：钱国平 党支部书记"),
)


def _aspect(body: Body) -> str:
    return next((c.label for c in ASPECTS if c.value == body.get("aspect")), "")


PROFILE = KindSchema(
    kind=RecordKind.PROFILE,
    number_prefix="况",
    fields=PROFILE_FIELDS,
    statuses=PROFILE_STATUSES,
    initial_status="unverified",
    sensitivity=Sensitivity.RESTRICTED,
    title=lambda body: joined(str(body.get("unit", "")), str(body.get("title", ""))),
    subtitle=_aspect,
    occurred_on=lambda body: body.get("updated_on"),
    status_field="status",
    open_statuses=("unverified",),
)

LIST_KINDS = (RecordKind.POLICY.value, RecordKind.PROBLEM.value, RecordKind.PROFILE.value)


def linked_papers(kind: str, body: Body, deleted: bool = False) -> list[str] | None:
    """The papers a record of `kind` keeps in record_links (PAPERS_RELATION): a problem's `papers`, none once
    it is deleted; None for a kind that keeps no such links."""
    if kind != RecordKind.PROBLEM.value:
        return None
    return [] if deleted else [str(i) for i in body.get(PAPERS) or []]
