"""A form definition: questions, options, scales, skip logic and constraints, as plain frozen data.

Definitions are data files (resources/forms/*.json, or workbooks through forms/xlsform.py), loaded and
checked by forms/loader.py; nothing here reads a file. The format is described in docs/forms.md.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from forms.expression import Expression


class QuestionType(enum.StrEnum):
    SINGLE = "single"  # one option
    MULTIPLE = "multiple"  # any number of options
    RATING = "rating"  # one point of a scale whose options carry scores
    MATRIX = "matrix"  # a grid: every item rated on one scale (the 民主测评 layout)
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"


CHOICE_TYPES = (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.RATING, QuestionType.MATRIX)


class FormKind(enum.StrEnum):
    EVALUATION = "evaluation"  # 民主测评
    QUESTIONNAIRE = "questionnaire"  # 问卷调查


@dataclass(frozen=True)
class Choice:
    value: str  # what is stored, e.g. "hao"
    label: str  # what the sheet says, e.g. 好
    score: float | None = None  # for averages (rating, matrix); None: not counted in an average (不了解)


@dataclass(frozen=True)
class Item:
    """One row of a matrix: a leader, or an aspect of the team's work."""

    name: str
    label: str


@dataclass(frozen=True)
class Question:
    name: str
    type: QuestionType
    label: str
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    items: tuple[Item, ...] = ()  # matrix only
    required: bool = False
    relevant: Expression | None = None  # shown only when this holds over earlier answers
    constraint: Expression | None = None  # `.` is this answer
    constraint_message: str = ""
    min_choices: int = 0  # multiple only: 0 = no bound
    max_choices: int = 0
    minimum: float | None = None  # number only
    maximum: float | None = None
    integer: bool = False  # number only

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)

    @property
    def has_scores(self) -> bool:
        return any(c.score is not None for c in self.choices)


@dataclass(frozen=True)
class FormDefinition:
    id: str  # stable across versions, e.g. "mzcp-banzi"
    version: int  # 1, 2, ...: a new version is a new definition; responses stay with theirs
    title: str
    kind: FormKind
    questions: tuple[Question, ...]
    description: str = ""
    instructions: str = ""
    groups: tuple[str, ...] = field(default=())  # suggested respondent groups for distributions

    def question(self, name: str) -> Question | None:
        return next((q for q in self.questions if q.name == name), None)

    @property
    def slot_count(self) -> int:
        """Answers a full sheet holds: one per question, one per matrix item."""
        return sum(len(q.items) if q.type == QuestionType.MATRIX else 1 for q in self.questions)
