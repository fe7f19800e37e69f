"""The group's own evaluation at the end of the round (工作鉴定 / 双向评估, seeds 000 and 003): the anonymous
evaluation form (resources/forms/xczy-ceping.json) with this round's members as its rows, its tally per
member on the three heads, and the leader's written appraisal of each member (a record of kind
`appraisal`, exported as a GB/T 9704 document by app/compile/documents.py, `appraisal:ID`).

The sheets are entered and tallied as any other form's (app/questionnaires, which also fits the shipped form's
rows to the round's group); this package reads its tally for one member. It must not store sheets or move a record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.core.changes import Changes
from app.core.domain import Role
from app.core.kinds import appraisal as appraisal_kind
from app.questionnaires.forms_service import ImportResult

if TYPE_CHECKING:
    from app.vault.session import Session

FORM_ID = "xczy-ceping"
TEMPLATE = f"{FORM_ID}.json"
# The grades of the form's scale (dengci), as the appraisal's grades name them.
GRADE_OF_OPTION = {"youxiu": "excellent", "chengzhi": "competent", "jiben": "basic", "buchengzhi": "not_competent"}


@dataclass(frozen=True)
class HeadScore:
    """One head of the evaluation for one member: how many sheets rated them, the average score (of 4) and
    how many gave each grade (excellent, competent, basic, not_competent)."""

    head: str
    answered: int
    average: float | None
    counts: dict[str, int]


class AppraisalService:
    """Reached as `session.appraisals`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def evaluated(self) -> list[str]:
        """The members the form lists: the round's group, in roster order (the office is not one)."""
        return [m.name for m in self.session.members() if m.role is not Role.OFFICE]

    def import_form(self) -> tuple[ImportResult, Changes]:
        """Import (or bring up to date with the roster) the evaluation form of this round: the shipped form
        with one row per member under each head (FormService.import_template does the fitting, so the
        forms area's 导入内置表单 gives the same)."""
        return self.session.forms.import_template(TEMPLATE)

    def has_form(self) -> bool:
        return any(f.form_id == FORM_ID for f in self.session.forms.forms())

    def scores(self, member: str) -> tuple[int, list[HeadScore]]:
        """The tally of the evaluation form for `member`: the sheets counted and one line per head. The newest
        version of the form with sheets that lists the member counts (a version made when the roster grew has
        its own sheets); (0, []) when there is none."""
        versions = sorted((f.version for f in self.session.forms.forms() if f.form_id == FORM_ID and f.responses),
                          reverse=True)
        for version in versions:
            tally = self.session.forms.tally(FORM_ID, version)
            lines = self._lines(tally.questions, member)
            if lines:
                return tally.sheets, lines
        return 0, []

    @staticmethod
    def _lines(questions: list[Any], member: str) -> list[HeadScore]:
        lines = []
        for field_name, question in appraisal_kind.HEADS:
            result = next((q for q in questions if q.name == question), None)
            item = next((i for i in result.items if i.label == member), None) if result else None
            if item is None:
                return []
            counts = {GRADE_OF_OPTION[o.value]: o.count for o in item.options if o.value in GRADE_OF_OPTION}
            lines.append(HeadScore(appraisal_kind.SCHEMA.field(field_name).label, item.answered, item.average,
                                   counts))
        return lines
