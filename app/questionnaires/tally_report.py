"""A form's tally as a report: summary lines and plain tables, and the file written from them (CSV, DOCX,
PDF via exports/tally_export.py), atomically and audit-logged. Used by `FormService.report` and
`FormService.export_tally`; the documents work restyles the writers, not this."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.changes import Changes
from app.core.domain import AuditAction
from app.core.errors import XunchaError
from exports import tally_export
from forms import tally as tally_engine
from forms.definition import QuestionType
from forms.tally import Table
from storage import files

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
        lines.append(f"发放：{d.group} {d.handed_out} 份（{d.handed_on}），收回 {d.returned} 份，回收率 {d.rate:.1f}%")
    tables = tally_engine.tables(result, form)
    if len({s.group for s in sheets if s.group}) > 1:
        for q in form.questions:
            if q.type in (QuestionType.SINGLE, QuestionType.RATING, QuestionType.MATRIX):
                tables.append(tally_engine.crosstab_table(service.crosstab(form_id, q.name, version=form.version)))
    return form.title, lines, tables


def export(service: FormService, form_id: str, target: Path, fmt: str | None = None,
           version: int | None = None) -> Changes:
    """Write the report as `fmt` (or by the file's suffix) to `target`: temp name, fsync, rename."""
    fmt = (fmt or target.suffix.lstrip(".")).lower()
    if fmt not in EXPORT_FORMATS:
        raise XunchaError(f"不支持的导出格式“{fmt}”（可选：csv、docx、pdf）", f"unknown export format {fmt!r}")
    title, lines, tables = report(service, form_id, version)
    writer = {"csv": tally_export.to_csv, "docx": tally_export.to_docx, "pdf": tally_export.to_pdf}[fmt]
    data = writer(title, lines, tables)
    # Logged first, as a backup is: the attempt is on record even if the disk then refuses it.
    service.session.audit_event(AuditAction.EXPORT, f"form:{form_id}", {"format": fmt, "file": target.name})
    try:
        # Owner-only, as every export of work material (app/compile/documents.py does the same).
        with files.atomic_output(target, "export") as temp, \
                os.fdopen(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(data)
            handle.flush()
    except OSError as exc:
        raise files.storage_error(exc, target) from exc
    return Changes.FORMS | Changes.AUDIT
