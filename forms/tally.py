"""Tallies: counts and percentages per option, averages of scored scales, per-item results of matrices,
and cross-tabs by respondent group. Pure computation over sheets in memory; one pass per tally.

Percentages are of the sheets that answered the question (or the item), so blanks do not dilute them;
blanks are counted apart. A multiple-choice question's percentages add up to more than 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from forms.definition import FormDefinition, Question, QuestionType


@dataclass(frozen=True)
class Sheet:
    """One paper sheet as entered: its number, the respondent group it was handed to, its answers."""

    sheet_no: str
    answers: Mapping[str, Any]
    group: str = ""


@dataclass(frozen=True)
class OptionCount:
    value: str
    label: str
    count: int
    percent: float  # of `answered`, 0-100


@dataclass(frozen=True)
class ItemResult:
    name: str
    label: str
    answered: int
    options: list[OptionCount]
    average: float | None  # mean score over answers whose option has a score


@dataclass(frozen=True)
class NumberSummary:
    count: int
    mean: float | None
    minimum: float | None
    maximum: float | None


@dataclass(frozen=True)
class QuestionResult:
    name: str
    label: str
    type: QuestionType
    answered: int
    blank: int  # shown by the skip logic but left blank (hidden questions are not blank)
    options: list[OptionCount] = field(default_factory=list)  # single, multiple, rating
    average: float | None = None  # rating (and matrix: over every item)
    items: list[ItemResult] = field(default_factory=list)  # matrix
    numbers: NumberSummary | None = None  # number
    texts: list[str] = field(default_factory=list)  # text and date answers, in sheet order


@dataclass(frozen=True)
class Tally:
    form_id: str
    version: int
    title: str
    sheets: int
    questions: list[QuestionResult]

    def question(self, name: str) -> QuestionResult:
        return next(q for q in self.questions if q.name == name)


@dataclass(frozen=True)
class CrossTab:
    """Rows are respondent groups; columns the options; `counts[row][col]`, `percents` of the row total."""

    question: str
    label: str
    rows: list[str]
    columns: list[OptionCount]  # labels; their counts are the column totals
    counts: list[list[int]]
    totals: list[int]

    @property
    def percents(self) -> list[list[float]]:
        return [[_pct(c, t) for c in row] for row, t in zip(self.counts, self.totals, strict=True)]


def _pct(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def _options(q: Question, counts: Mapping[str, int], answered: int) -> list[OptionCount]:
    return [OptionCount(c.value, c.label, counts.get(c.value, 0), _pct(counts.get(c.value, 0), answered))
            for c in q.choices]


def _average(q: Question, counts: Mapping[str, int]) -> float | None:
    total = weight = 0.0
    for c in q.choices:
        if c.score is not None:
            n = counts.get(c.value, 0)
            total += c.score * n
            weight += n
    return round(total / weight, 2) if weight else None


def tally(form: FormDefinition, sheets: Iterable[Sheet]) -> Tally:
    """Count every question of `form` over `sheets` in one pass."""
    questions = form.questions
    has_skip = any(q.relevant is not None for q in questions)
    counts: dict[str, dict[str, int]] = {q.name: {} for q in questions}
    item_counts: dict[str, dict[str, dict[str, int]]] = {
        q.name: {i.name: {} for i in q.items} for q in questions if q.type == QuestionType.MATRIX}
    answered = dict.fromkeys((q.name for q in questions), 0)
    blank = dict.fromkeys((q.name for q in questions), 0)
    numbers: dict[str, list[float]] = {q.name: [] for q in questions if q.type == QuestionType.NUMBER}
    texts: dict[str, list[str]] = {q.name: [] for q in questions if q.type in (QuestionType.TEXT, QuestionType.DATE)}
    total = 0
    for sheet in sheets:
        total += 1
        answers = sheet.answers
        for q in questions:
            value = answers.get(q.name)
            if value is None:
                if not has_skip or q.relevant is None or q.relevant.evaluate(answers):
                    blank[q.name] += 1
                continue
            answered[q.name] += 1
            t = q.type
            if t == QuestionType.MATRIX:
                per_item = item_counts[q.name]
                for item, choice in value.items():
                    bucket = per_item[item]
                    bucket[choice] = bucket.get(choice, 0) + 1
            elif t == QuestionType.MULTIPLE:
                bucket = counts[q.name]
                for choice in value:
                    bucket[choice] = bucket.get(choice, 0) + 1
            elif t in (QuestionType.SINGLE, QuestionType.RATING):
                bucket = counts[q.name]
                bucket[value] = bucket.get(value, 0) + 1
            elif t == QuestionType.NUMBER:
                numbers[q.name].append(float(value))
            else:
                texts[q.name].append(str(value))
    results = []
    for q in questions:
        n = answered[q.name]
        if q.type == QuestionType.MATRIX:
            results.append(_matrix_result(q, n, blank[q.name], item_counts[q.name]))
        elif q.type in (QuestionType.SINGLE, QuestionType.RATING, QuestionType.MULTIPLE):
            c = counts[q.name]
            results.append(QuestionResult(q.name, q.label, q.type, n, blank[q.name], _options(q, c, n),
                                          _average(q, c) if q.type != QuestionType.MULTIPLE else None))
        elif q.type == QuestionType.NUMBER:
            values = numbers[q.name]
            summary = NumberSummary(len(values), round(sum(values) / len(values), 2) if values else None,
                                    min(values) if values else None, max(values) if values else None)
            results.append(QuestionResult(q.name, q.label, q.type, n, blank[q.name], numbers=summary))
        else:
            results.append(QuestionResult(q.name, q.label, q.type, n, blank[q.name], texts=texts[q.name]))
    return Tally(form.id, form.version, form.title, total, results)


def _matrix_result(q: Question, n: int, blank: int, per_item: dict[str, dict[str, int]]) -> QuestionResult:
    """Each item's options, and all items' together."""
    items = []
    overall: dict[str, int] = {}
    for item in q.items:
        c = per_item[item.name]
        item_n = sum(c.values())
        for k, v in c.items():
            overall[k] = overall.get(k, 0) + v
        items.append(ItemResult(item.name, item.label, item_n, _options(q, c, item_n), _average(q, c)))
    return QuestionResult(q.name, q.label, q.type, n, blank, _options(q, overall, sum(overall.values())),
                          _average(q, overall), items)


def crosstab(form: FormDefinition, sheets: Iterable[Sheet], question: str, *, by: str | None = None,
             item: str | None = None, groups: Sequence[str] = ()) -> CrossTab:
    """Options of `question` (one `item` of a matrix, or every item together) by respondent group: the
    group a sheet was handed to (rows in the order of `groups`, others after), or the answer to the
    single-choice question `by`."""
    q = form.question(question)
    if q is None or q.type not in (QuestionType.SINGLE, QuestionType.RATING, QuestionType.MULTIPLE,
                                   QuestionType.MATRIX):
        raise ValueError(question)
    by_q = form.question(by) if by else None
    if by and (by_q is None or by_q.type not in (QuestionType.SINGLE, QuestionType.RATING)):
        raise ValueError(by)
    table: dict[str, dict[str, int]] = {}
    totals: dict[str, int] = {}
    for sheet in sheets:
        if by_q is not None:
            key = sheet.answers.get(by_q.name)
            choice = by_q.choice(key) if isinstance(key, str) else None
            row = choice.label if choice else "（未答）"
        else:
            row = sheet.group or "（未分组）"
        value = sheet.answers.get(q.name)
        if value is None:
            continue
        if q.type == QuestionType.MATRIX:
            picked = list(value.values()) if item is None else [value[item]] if item in value else []
        elif q.type == QuestionType.MULTIPLE:
            picked = list(value)
        else:
            picked = [value]
        if not picked:
            continue
        bucket = table.setdefault(row, {})
        for v in picked:
            bucket[v] = bucket.get(v, 0) + 1
        totals[row] = totals.get(row, 0) + (1 if q.type == QuestionType.MULTIPLE else len(picked))
    if by_q is not None:
        order = [c.label for c in by_q.choices] + ["（未答）"]
        rows = [r for r in order if r in table]
    else:
        rows = [g for g in dict.fromkeys(groups) if g in table] + sorted(set(table) - set(groups))
    column_totals: dict[str, int] = {}
    for bucket in table.values():
        for k, v in bucket.items():
            column_totals[k] = column_totals.get(k, 0) + v
    grand = sum(totals.values())
    label = q.label if item is None else f"{q.label}：{next(i.label for i in q.items if i.name == item)}"
    return CrossTab(q.name, label, rows, _options(q, column_totals, grand),
                    [[table[r].get(c.value, 0) for c in q.choices] for r in rows], [totals[r] for r in rows])


@dataclass(frozen=True)
class Chart:
    """Plain data for a bar chart: one bar per category; `stacked`: each bar split by `series` (percents
    adding up to 100), else one value per bar with its count."""

    categories: list[str]
    series: list[str]
    percents: list[list[float]]  # per category, per series
    counts: list[list[int]]
    stacked: bool
    last_unscored: bool = False  # the last series is 不了解 (drawn grey)


@dataclass(frozen=True)
class Table:
    """Plain rows for an export: a heading, column headers, text cells, and the chart drawn under it."""

    heading: str
    columns: list[str]
    rows: list[list[str]]
    chart: Chart | None = None


def _num(value: float | None) -> str:
    return "" if value is None else (f"{value:.2f}".rstrip("0").rstrip(".") if value % 1 else str(int(value)))


def tables(result: Tally, form: FormDefinition | None = None) -> list[Table]:
    """The tally as plain tables, one per question (one row per option, or per item of a matrix), each with
    its chart. With the definition, a matrix's unscored last option (不了解) is marked for a grey bar."""
    out: list[Table] = []
    unscored = {q.name: bool(q.choices) and q.choices[-1].score is None and q.has_scores
                for q in form.questions} if form is not None else {}
    for i, q in enumerate(result.questions, 1):
        heading = f"{i}. {q.label}（作答 {q.answered} 份，未答 {q.blank} 份）"
        if q.type == QuestionType.MATRIX:
            labels = [o.label for o in q.options]
            cols = ["评价项目", *[f"{label}（票）" for label in labels], *[f"{label}（%）" for label in labels],
                    "有效票", "平均分"]
            rows = [[it.label, *[str(o.count) for o in it.options], *[f"{o.percent:.1f}" for o in it.options],
                     str(it.answered), _num(it.average)] for it in q.items]
            chart = Chart([it.label for it in q.items], labels, [[o.percent for o in it.options] for it in q.items],
                          [[o.count for o in it.options] for it in q.items], True, unscored.get(q.name, False))
            out.append(Table(heading, cols, rows, chart))
        elif q.options:
            rows = [[o.label, str(o.count), f"{o.percent:.1f}"] for o in q.options]
            if q.average is not None:
                rows.append(["平均分", _num(q.average), ""])
            chart = Chart([o.label for o in q.options], [""], [[o.percent] for o in q.options],
                          [[o.count] for o in q.options], False)
            out.append(Table(heading, ["选项", "票数", "占比（%）"], rows, chart))
        elif q.numbers is not None:
            n = q.numbers
            out.append(Table(heading, ["人数", "平均", "最小", "最大"],
                             [[str(n.count), _num(n.mean), _num(n.minimum), _num(n.maximum)]]))
        else:
            out.append(Table(heading, ["序号", "内容"], [[str(k), t] for k, t in enumerate(q.texts, 1)]))
    return out


def crosstab_table(tab: CrossTab) -> Table:
    cols = ["人员类别", *[o.label for o in tab.columns], "合计"]
    rows = [[r, *[f"{c}（{p:.1f}%）" for c, p in zip(counts, pcts, strict=True)], str(t)]
            for r, counts, pcts, t in zip(tab.rows, tab.counts, tab.percents, tab.totals, strict=True)]
    return Table(f"{tab.label}（按人员类别）", cols, rows)
