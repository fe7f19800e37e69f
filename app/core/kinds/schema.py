"""What a record kind is: its fields, its states, and how its body projects onto the list columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.core.domain import RecordKind, Sensitivity
from app.core.kinds.fields import Choice, Field, FieldType

Body = dict[str, Any]


@dataclass(frozen=True)
class KindSchema:
    kind: RecordKind
    number_prefix: str  # 谈, 信, 阅, 底: numbers read 信-0003
    fields: tuple[Field, ...]
    statuses: tuple[Choice, ...]
    initial_status: str
    sensitivity: Sensitivity
    title: Callable[[Body], str]
    subtitle: Callable[[Body], str]
    occurred_on: Callable[[Body], str | None]
    # Where the status lives: an editable field of the kind (petitions), or None when only the kind's
    # workflow moves it (interviews are finalised, working papers go through review).
    status_field: str | None = None
    category_field: str | None = None
    due_field: str | None = None
    # Statuses a working list shows by default as open work (the rest are done).
    open_statuses: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.kind.label

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    def has_field(self, name: str) -> bool:
        return any(f.name == name for f in self.fields)

    @property
    def protected_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.protected)

    @property
    def plain_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.protected)

    def status_label(self, value: str) -> str:
        return next((c.label for c in self.statuses if c.value == value), value)

    def category_of(self, body: Body) -> str:
        return str(body.get(self.category_field, "") or "") if self.category_field else ""

    def due_of(self, body: Body) -> str | None:
        return body.get(self.due_field) if self.due_field else None


def choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(v, label) for v, label in pairs)


def text(name: str, label: str, required: bool = False, **kw: Any) -> Field:
    return Field(name, label, FieldType.TEXT, required, **kw)


def longtext(name: str, label: str, required: bool = False, **kw: Any) -> Field:
    return Field(name, label, FieldType.LONGTEXT, required, **kw)


def first_line(value: str, limit: int = 40) -> str:
    line = value.strip().splitlines()[0] if value.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)
