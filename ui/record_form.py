"""The editing form of a record kind, built from the kind's fields (app/core/kinds): one widget per field,
a red line under a field the service refused, and `edited` on every keystroke for autosave."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from app.core.domain import ProtectedState, RecordKind, RecordRow, TaxonomyNode
from app.core.kinds import checklists
from app.core.kinds import lookback as lookback_kind
from app.core.kinds.fields import FieldType, ValidationError
from app.core.kinds.schema import KindSchema
from ui.decisions_field import DecisionsField, LoadTargets
from ui.field_widgets import FieldWidget, widget_for
from ui.protected_field import ProtectedField, Reveal
from ui.record_links_field import RecordLinksField

# Fields another widget of the editor looks after (attachments have their own panel), or that only the
# service writes (a look-back check's earlier ledger item, by its id): kept as stored, not shown.
NOT_IN_FORM = ("evidence_attachments", lookback_kind.SOURCE_ITEM)


@dataclass
class FormSupport:
    """What the form needs from the round, fetched by the page on the DB worker."""

    members: list[str]
    taxonomy: list[TaxonomyNode]
    suggestions: dict[str, list[str]]
    reveal: Reveal
    copy: Callable[[str], None]
    load_candidates: Callable[[Callable[[list[RecordRow]], None]], None]
    link_rows: dict[str, RecordRow] = field(default_factory=dict)
    load_targets: LoadTargets | None = None  # what a 组务会 decision may decide (papers and leads)


class RecordForm(QWidget):
    edited = Signal()
    open_record = Signal(str)

    def __init__(self, schema: KindSchema, support: FormSupport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.schema, self.support = schema, support
        self._base: dict[str, Any] = {}
        self._loading = False
        self.widgets: dict[str, FieldWidget] = {}
        self.protected: dict[str, ProtectedField] = {}
        self.links: dict[str, RecordLinksField] = {}
        self.decisions: dict[str, DecisionsField] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in schema.fields:
            if f.name in NOT_IN_FORM:
                continue
            editor: QWidget
            if f.protected:
                editor = self.protected[f.name] = ProtectedField(f.name, support.reveal, support.copy)
            elif f.type == FieldType.RECORDS:
                editor = self.links[f.name] = RecordLinksField(_candidates_for(f.name, support))
                self.links[f.name].open_record.connect(self.open_record.emit)
            elif f.type == FieldType.DECISIONS:
                editor = self.decisions[f.name] = DecisionsField(support.load_targets or support.load_candidates)
            else:
                editor = self.widgets[f.name] = widget_for(f, support.members, support.taxonomy,
                                                           support.suggestions)
            editor.edited.connect(self._edited)
            error = QLabel()
            error.setStyleSheet("color: #b3261e;")
            error.setWordWrap(True)
            error.hide()
            self.errors[f.name] = error
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(error)
            if f.help and f.type not in (FieldType.LONGTEXT, FieldType.TEXT):
                holder.setToolTip(f.help)
            label = "" if f.type == FieldType.BOOL else f.label + ("＊" if f.required else "")
            form.addRow(label, holder)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)

    def _edited(self) -> None:
        if not self._loading:
            self.edited.emit()

    # ---- values -----------------------------------------------------------------------------------------

    def load(self, body: dict[str, Any], protected: dict[str, ProtectedState], saved: bool,
             protected_draft: dict[str, str] | None = None) -> None:
        """Show a record's body (or a draft's): fields it lacks show empty, fields the form lacks are kept.
        `protected`: each protected field's state (absent when not given: a new record)."""
        self._loading = True
        try:
            self._base = dict(body)
            for name, widget in self.widgets.items():
                widget.set_value(body.get(name, self.schema.field(name).empty))
            for name, links in self.links.items():
                ids = list(body.get(name) or [])
                links.set_rows(ids, [self.support.link_rows[i] for i in ids if i in self.support.link_rows])
            for name, decisions in self.decisions.items():
                decisions.describe_rows(list(self.support.link_rows.values()))
                decisions.set_value(body.get(name) or [])
            for name, pf in self.protected.items():
                pf.set_state(protected.get(name, ProtectedState.ABSENT), saved=saved)
                if protected_draft and protected_draft.get(name):
                    pf.set_draft(protected_draft[name])
            self.clear_errors()
        finally:
            self._loading = False

    def values(self) -> dict[str, Any]:
        """Every field for the service: the form's, the body's for fields not in the form, and the
        protected fields that were typed into (untouched ones are left out, so they stay as stored)."""
        data = {f.name: self._base.get(f.name) for f in self.schema.plain_fields if f.name in self._base}
        data.update({name: w.value() for name, w in self.widgets.items()})
        data.update({name: links.value() for name, links in self.links.items()})
        data.update({name: decisions.value() for name, decisions in self.decisions.items()})
        for name, pf in self.protected.items():
            changed, value = pf.value()
            if changed:
                data[name] = value
        return {k: v for k, v in data.items() if self.schema.has_field(k)}

    def protected_draft(self) -> dict[str, str]:
        return {name: pf.value()[1] for name, pf in self.protected.items() if pf.value()[0]}

    def hide_protected(self) -> None:
        for pf in self.protected.values():
            pf.hide_value()

    # ---- errors -----------------------------------------------------------------------------------------

    def show_errors(self, error: ValidationError) -> None:
        self.clear_errors()
        first: QWidget | None = None
        for e in error.errors:
            label = self.errors.get(e.field)
            if label is None:
                continue
            label.setText(e.zh)
            label.show()
            if first is None:
                widget = self.widgets.get(e.field)
                first = widget.focus_widget() if widget else (
                    self.protected.get(e.field) or self.links.get(e.field) or self.decisions.get(e.field))
        if first is not None:
            first.setFocus()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.hide()
            label.clear()


def _candidates_for(name: str, support: FormSupport) -> Callable[[Callable[[list[RecordRow]], None]], None]:
    """The records a link field offers: a problem's papers (问题清单 → 问题底稿) only papers, evidence any kind."""
    if name != checklists.PAPERS:
        return support.load_candidates

    def papers_only(show: Callable[[list[RecordRow]], None]) -> None:
        support.load_candidates(lambda rows: show([r for r in rows if r.kind == RecordKind.PAPER]))

    return papers_only
