"""个别谈话记录: an individual interview, held by at least two group members."""

from __future__ import annotations

import json
from importlib import resources

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Field, FieldType
from app.core.kinds.schema import Body, KindSchema, choices, joined, longtext, text


def person_categories() -> list[str]:
    """The kinds of person interviewed (seeded with the 五必谈 categories), from resources."""
    data = json.loads(resources.files("resources").joinpath("capture/interview.json").read_text("utf-8"))
    return list(data["person_categories"])


def outlines() -> list[dict[str, object]]:
    """Interview outlines: for whom, and the questions to cover."""
    data = json.loads(resources.files("resources").joinpath("capture/interview.json").read_text("utf-8"))
    return list(data["outlines"])


FIELDS = (
    text("interviewee", "谈话对象", required=True),
    text("post", "职务"),
    text("unit", "单位"),
    text("person_category", "人员类别", help="如：党组织主要负责人、“三资”管理人员"),
    Field("held_at", "谈话时间", FieldType.DATETIME, required=True),
    text("place", "谈话地点"),
    Field("interviewers", "谈话人", FieldType.MEMBERS, required=True),
    Field("recorder", "记录人", FieldType.MEMBER),
    text("outline", "谈话提纲"),
    Field("outline_items", "已谈及的提纲要点", FieldType.TEXTS),
    longtext("notes_leadership", "反映领导班子及其成员的问题"),
    longtext("notes_integrity", "本人在廉洁自律方面存在的不足"),
    longtext("notes_plans", "本人下一步的打算和改进措施"),
    longtext("other_notes", "其他谈话内容"),
    Field("problems", "反映的问题", FieldType.TEXTS),
    Field("lead_raised", "谈出问题线索", FieldType.BOOL),
    Field("signed_by_interviewee", "谈话对象已阅签字", FieldType.BOOL),
)

STATUSES = choices(("draft", "草稿"), ("final", "已定稿"))
FINAL = "final"
# 三个必谈: every interviewee must speak to the problems of the leadership and its members, their own
# shortcomings in integrity, and their own plans to improve (seed 001). A note is final only when each of
# these heads holds text, or an explicit 无 (nothing to report) the recorder wrote down.
REQUIRED_HEADS = ("notes_leadership", "notes_integrity", "notes_plans")
NOTHING = "无"
# 两人在场: an interview is held by at least two group members (interviewers and the recorder together).
MIN_PRESENT = 2


def people_present(body: Body) -> list[str]:
    """The group members recorded as present: the interviewers and the recorder, each once."""
    interviewers = body.get("interviewers") or []
    names = [*(interviewers if isinstance(interviewers, list) else [interviewers]), body.get("recorder") or ""]
    return list(dict.fromkeys(str(n) for n in names if n))


def empty_heads(body: Body) -> list[Field]:
    """The required heads (REQUIRED_HEADS) that hold no text, in the form's order."""
    return [f for f in FIELDS if f.name in REQUIRED_HEADS and not str(body.get(f.name) or "").strip()]


def _title(body: Body) -> str:
    return f"与{body.get('interviewee', '')}的谈话"


def _subtitle(body: Body) -> str:
    return joined(body.get("unit", ""), body.get("post", ""), body.get("person_category", ""))


SCHEMA = KindSchema(
    kind=RecordKind.INTERVIEW,
    number_prefix="谈",
    fields=FIELDS,
    statuses=STATUSES,
    initial_status="draft",
    sensitivity=Sensitivity.RESTRICTED,
    title=_title,
    subtitle=_subtitle,
    occurred_on=lambda body: body.get("held_at"),
    open_statuses=("draft",),
)
