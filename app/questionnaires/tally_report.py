"""A form's tally as a report: a title, summary lines and plain tables with their charts. Used by
`FormService.report`; the file is written like every other document (`session.documents.export` of
`tally:FORM`, app/compile/documents.py): for a recipient, masked, numbered, registered and logged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from forms import tally as tally_engine
from forms.definition import QuestionType
from forms.tally import Table

if TYPE_CHECKING:
    from app.questionnaires.forms_service import FormService

EXPORT_FORMATS = ("csv", "docx", "pdf")


def report(service: FormService, form_id: str, version: int | None = None) -> tuple[str, list[str], list[Table]]:
    """Title, summary lines (version, sheets counted and excluded, distributions and response rates) and a
    table per question, plus cross-tabs by respondent group when sheets came from several groups."""
    form = service.definition(form_id, version)
    result = service.tally(form_id, form.version)
    sheets = service.responses(form_id, form.version)
    excluded = sum(1 for s in sheets if s.excluded is not None)
    lines = [f"表单：{form.id} 第 {form.version} 版", f"计入统计的答卷：{result.sheets} 份；剔除：{excluded} 份"]
    for d in service.distributions(form_id):
        lines.append(f"发放：{d.group} {d.handed_out} 份（{d.handed_on}），收回 {d.returned} 份，回收率 {d.rate:.1f}%"
                     + (f"（{d.warning}）" if d.warning else ""))
    tables = tally_engine.tables(result, form)
    if len({s.group for s in sheets if s.group}) > 1:
        for q in form.questions:
            if q.type in (QuestionType.SINGLE, QuestionType.RATING, QuestionType.MATRIX):
                tables.append(tally_engine.crosstab_table(service.crosstab(form_id, q.name, version=form.version)))
    return form.title, lines, tables
