"""Questionnaires and democratic evaluations: definitions, distributions, sheets, double entry, quality
flags, exclusions, tallies and their export. Reached as `session.forms`.

Anonymity: a sheet is known only by the number written on it; nothing about a respondent is asked,
stored or logged, and nothing logged or sent orders sheets in time finer than the day. Entering
and entering again are counted per form and day, and logged as one entry each when the day is over (how
many, of which form, on which day); changing, deleting, excluding and restoring a sheet are logged with its
number. Never an answer.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.core import authority
from app.core.changes import Changes
from app.core.domain import AuditAction, Role, new_id, now_utc
from app.core.errors import XunchaError
from app.questionnaires import tally_report
from forms import answers as answer_check
from forms import loader, quality, xlsform
from forms import tally as tally_engine
from forms.answers import AnswerError, Issue
from forms.definition import FormDefinition, Question, QuestionType
from forms.double_entry import Difference, diff
from forms.loader import FormDefinitionError
from forms.tally import CrossTab, Sheet, Table, Tally
from storage import audit, form_repo

if TYPE_CHECKING:
    from app.vault.session import Session

# Types the UI and the CLI use, reached through the service (ui/ never imports forms/ itself).
__all__ = ["AnswerError", "CrossTab", "Difference", "FormDefinition", "FormDefinitionError", "Issue", "Question",
           "QuestionType", "Tally"]

CHANGES = Changes.FORMS | Changes.AUDIT


def kept_answers(answers: Mapping[str, Any], differences: list[Difference],
                 keep: Mapping[tuple[str, str | None], str]) -> dict[str, Any]:
    """`answers` (the first entry) with each difference set to the entry kept for it: a whole answer, or
    one row of a matrix; a blank kept removes the answer (or the row, and the matrix once it is empty)."""
    merged = dict(answers)
    for d in differences:
        value = d.first if keep[(d.question, d.item)] == "first" else d.second
        if d.item is not None:
            cells = dict(merged.get(d.question) or {})
            if value is None:
                cells.pop(d.item, None)
            else:
                cells[d.item] = value
            value = cells or None
        if value is None:
            merged.pop(d.question, None)
        else:
            merged[d.question] = value
    return merged
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_BATCH = 10_000
_SHEET_NO = re.compile(r"[0-9A-Za-z\-_/]{1,20}")


@dataclass(frozen=True)
class FormInfo:
    definition_id: str
    form_id: str
    version: int
    title: str
    kind: str
    questions: int
    responses: int
    excluded: int
    latest: bool
    imported_at: str


@dataclass(frozen=True)
class ImportResult:
    form: FormInfo
    outcome: str  # "new", "unchanged", "replaced" (no responses yet), "new_version" (kept the old one)
    zh: str  # what happened, for the user


@dataclass(frozen=True)
class Distribution:
    id: str
    group: str
    handed_out: int
    handed_on: str
    note: str
    returned: int
    excluded: int

    @property
    def rate(self) -> float:
        """Response rate in percent: sheets entered over sheets handed out."""
        return round(100.0 * self.returned / self.handed_out, 1) if self.handed_out else 0.0

    @property
    def warning(self) -> str:
        """What is wrong with the counts ('' if nothing): more sheets entered than were handed out."""
        if self.returned <= self.handed_out:
            return ""
        return (f"录入 {self.returned} 份，多于发放的 {self.handed_out} 份（多 {self.returned - self.handed_out} 份）："
                "请核对发放登记或答卷编号")


@dataclass(frozen=True)
class Response:
    id: str
    sheet_no: str
    version: int
    group: str
    answers: dict[str, Any]
    entered_on: str
    excluded: str | None  # the reason, when excluded
    check: str | None  # second entry: None, "match", "differs", "resolved"
    flags: tuple[FlaggedSheet, ...] = ()  # from add_response(s): the quality flags the sheet trips as saved


@dataclass(frozen=True)
class FlaggedSheet:
    sheet_no: str
    kind: str
    zh: str
    en: str
    excluded: str | None

    @property
    def name(self) -> str:
        """The flag's name as the user reads it: 一勾到底, 重复答卷, ..."""
        return quality.NAMES.get(self.kind, self.kind)


def normalise_sheet_no(text: str) -> str:
    """The number written on a sheet: digits are zero-padded to four (12, 012 and 0012 are one sheet)."""
    value = str(text).strip()
    if not _SHEET_NO.fullmatch(value):
        raise XunchaError(f"答卷编号“{value}”不对：应为 1-20 位字母、数字或 - _ /",
                          f"sheet number {value!r}: 1-20 letters, digits, - _ /")
    return value.lstrip("0").zfill(4) if value.isdigit() else value.upper()


def content_hash(form: FormDefinition) -> str:
    data = loader.dump(form)
    data.pop("version")
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def template_names() -> list[str]:
    folder = resources.files("resources").joinpath("forms")
    return sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".json"))


# Shipped forms that evaluate the group itself (工作测评, docs/method.md): imported into a round, their matrix
# rows become the round's group members, by name, in roster order.
GROUP_FORMS = frozenset({"xczy-ceping.json"})


def load_template(name: str, group: list[str] | None = None) -> FormDefinition:
    """A form shipped in resources/forms/ (docs/forms.md lists them); a form of GROUP_FORMS with `group` as
    its matrix rows when given."""
    if name not in template_names():
        raise XunchaError(f"没有名为 {name} 的内置表单", f"no shipped form named {name}")
    text = resources.files("resources").joinpath(f"forms/{name}").read_text(encoding="utf-8")
    if name not in GROUP_FORMS or group is None:
        return loader.loads(text, name)
    if not group:
        raise XunchaError("本轮还没有巡察组成员，无法导入成员测评表", "the round has no group members to evaluate")
    data: dict[str, Any] = json.loads(text)
    items = [{"name": f"m{i}", "label": member} for i, member in enumerate(group, 1)]
    for question in data["questions"]:
        if question["type"] == "matrix":
            question["items"] = items
    data["description"] = data["description"].split("评价对象按职务列出")[0].rstrip("；。") + "。"
    return loader.load(data)


def read_definition_file(path: Path) -> FormDefinition:
    """Our JSON (.json) or an XLSForm workbook (.xlsx), by its first bytes rather than its name."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise XunchaError(f"无法读取文件：{path}（{exc.strerror}）", f"cannot read {path}: {exc.strerror}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise XunchaError("表单文件过大（超过 5 MB）", "the form file is larger than 5 MB")
    if data.startswith(b"PK\x03\x04"):
        return xlsform.read(data, path.name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise XunchaError(f"文件既不是 UTF-8 的 JSON，也不是 .xlsx 工作簿：{path.name}",
                          f"neither UTF-8 JSON nor an .xlsx workbook: {path.name}") from None
    return loader.loads(text, path.name)


class FormService:
    """Reached as `session.forms`. Changing methods return the `Changes` they made."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.vault = session.vault

    # ---- definitions ---------------------------------------------------------------------------------

    def import_file(self, path: Path | str) -> tuple[ImportResult, Changes]:
        """Import a definition file (.json in our format, or an XLSForm .xlsx)."""
        return self.import_definition(read_definition_file(Path(path)), Path(path).name)

    def import_template(self, name: str) -> tuple[ImportResult, Changes]:
        """A shipped form into the round; one evaluating the group lists this round's members."""
        group = None
        if name in GROUP_FORMS:
            self.session.require_round()
            group = [m.name for m in self.session.members() if m.role is not Role.OFFICE]
        return self.import_definition(load_template(name, group), name)

    def import_definition(self, form: FormDefinition, source: str = "") -> tuple[ImportResult, Changes]:
        """Store `form` in the current round. The same content again changes nothing; a changed definition
        replaces its version while no sheet was entered on it, and otherwise becomes a new version, so
        sheets already entered stay tied to the definition they were entered on."""
        rnd = self.session.require_round()
        digest = content_hash(form)
        with self.vault.transaction() as conn:
            versions = form_repo.definitions(conn, rnd.id, form.id)
            counts = form_repo.response_counts(conn, rnd.id)
            if any(row.content_hash == digest for row in versions):
                same = next(row for row in versions if row.content_hash == digest)
                info = self._info(same, counts, versions)
                zh = f"“{form.title}”第 {same.version} 版已导入，内容相同，未作改动"
                return ImportResult(info, "unchanged", zh), Changes.NONE
            existing = next((row for row in versions if row.version == form.version), None)
            outcome, version = "new", form.version
            if existing is not None and counts.get(existing.id, (0, 0))[0] == 0:
                outcome = "replaced"
            elif existing is not None:
                outcome, version = "new_version", max(row.version for row in versions) + 1
            stored = FormDefinition(form.id, version, form.title, form.kind, form.questions, form.description,
                                    form.instructions, form.groups)
            row = {"round_id": rnd.id, "form_id": form.id, "version": version, "title": form.title,
                   "kind": form.kind.value, "definition": loader.canonical_json(stored), "content_hash": digest,
                   "imported_at": now_utc().isoformat(), "imported_by": self.session.owner_name}
            if outcome == "replaced":
                assert existing is not None
                definition_id = existing.id
                form_repo.replace_definition(conn, definition_id, row)
            else:
                definition_id = new_id()
                form_repo.insert_definition(conn, {**row, "id": definition_id})
            audit.append(conn, self.session.owner_name, AuditAction.FORM_IMPORT, f"form:{form.id}",
                         {"version": version, "outcome": outcome, "source": source, "questions": len(form.questions)})
            versions = form_repo.definitions(conn, rnd.id, form.id)
            info = self._info(next(r for r in versions if r.id == definition_id), counts, versions)
        zh = {
            "new": f"已导入“{form.title}”第 {version} 版",
            "replaced": f"已更新“{form.title}”第 {version} 版（该版尚无答卷）",
            "new_version": f"“{form.title}”第 {form.version} 版已有答卷，改动另存为第 {version} 版；"
                           "已录入的答卷仍属原版本",
        }[outcome]
        return ImportResult(info, outcome, zh), CHANGES

    def _info(self, row: form_repo.DefinitionRow, counts: dict[str, tuple[int, int]],
              versions: list[form_repo.DefinitionRow]) -> FormInfo:
        n, excluded = counts.get(row.id, (0, 0))
        latest = row.version == max(r.version for r in versions if r.form_id == row.form_id)
        questions = len(json.loads(row.definition)["questions"])
        return FormInfo(row.id, row.form_id, row.version, row.title, row.kind, questions, n, excluded, latest,
                        row.imported_at)

    def forms(self) -> list[FormInfo]:
        """Every form of the current round, every version, by form id then version."""
        rnd = self.session.current_round()
        if rnd is None:
            return []
        with self.vault.lock:
            rows = form_repo.definitions(self.vault.conn, rnd.id)
            counts = form_repo.response_counts(self.vault.conn, rnd.id)
        return [self._info(r, counts, rows) for r in rows]

    def definition(self, form_id: str, version: int | None = None) -> FormDefinition:
        """A form's definition: the given version, or the newest."""
        return self._definition_row(form_id, version)[1]

    def _definition_row(self, form_id: str, version: int | None = None) -> tuple[str, FormDefinition]:
        rnd = self.session.require_round()
        with self.vault.lock:
            rows = form_repo.definitions(self.vault.conn, rnd.id, form_id)
        if not rows:
            raise XunchaError(f"本轮没有表单“{form_id}”（xuncha form list 可列出）",
                              f"no form {form_id!r} in this round (see xuncha form list)")
        if version is None:
            row = rows[-1]
        else:
            found = [r for r in rows if r.version == version]
            if not found:
                have = "、".join(str(r.version) for r in rows)
                raise XunchaError(f"表单“{form_id}”没有第 {version} 版（现有：{have}）",
                                  f"form {form_id!r} has no version {version}")
            row = found[0]
        return row.id, loader.load(json.loads(row.definition))

    # ---- distributions -------------------------------------------------------------------------------

    def add_distribution(self, form_id: str, group: str, handed_out: int, handed_on: date | str,
                         note: str = "") -> tuple[Distribution, Changes]:
        """Record sheets handed out: how many, to which group of respondents, on which day."""
        rnd = self.session.require_round()
        self.definition(form_id)  # the form must exist
        group = group.strip()
        if not group or len(group) > 100:
            raise XunchaError("请填写发放对象（人员类别，最多 100 字）", "the respondent group is required (≤ 100)")
        if isinstance(handed_out, bool) or not isinstance(handed_out, int) or not 1 <= handed_out <= 100_000:
            raise XunchaError("发放份数应为 1 以上的整数", "sheets handed out must be a whole number from 1")
        try:
            day = handed_on if isinstance(handed_on, date) else date.fromisoformat(str(handed_on).strip())
        except ValueError:
            raise XunchaError(f"发放日期“{handed_on}”不对，应写作 2026-09-01",
                              "the date handed out must be like 2026-09-01") from None
        row: dict[str, Any] = {"id": new_id(), "round_id": rnd.id, "form_id": form_id, "respondent_group": group,
               "handed_out": handed_out, "handed_on": day.isoformat(), "note": note.strip(),
               "created_at": now_utc().isoformat(), "created_by": self.session.owner_name}
        with self.vault.transaction() as conn:
            form_repo.insert_distribution(conn, row)
            audit.append(conn, self.session.owner_name, AuditAction.FORM_DISTRIBUTE, f"form:{form_id}",
                         {"group": group, "handed_out": handed_out, "handed_on": row["handed_on"]})
        return Distribution(row["id"], group, handed_out, row["handed_on"], row["note"], 0, 0), CHANGES

    def distributions(self, form_id: str) -> list[Distribution]:
        rnd = self.session.require_round()
        with self.vault.lock:
            rows = form_repo.distributions(self.vault.conn, rnd.id, form_id)
        return [Distribution(str(r.id), str(r.group), int(r.handed_out), str(r.handed_on), str(r.note),
                             int(r.returned), int(r.excluded)) for r in rows]

    @staticmethod
    def _distribution_id(form_id: str, group: str | None, known: list[Distribution]) -> str | None:
        if group is None or not str(group).strip():
            return None
        found = [d for d in known if d.group == str(group).strip() or d.id == group]
        if not found:
            listed = "、".join(d.group for d in known) or "无"
            raise XunchaError(f"表单“{form_id}”没有发放给“{group}”的记录（已登记：{listed}）",
                              f"no distribution of {form_id!r} to {group!r}")
        return found[-1].id

    # ---- entering sheets -----------------------------------------------------------------------------

    @staticmethod
    def _require(refusal: authority.Refusal | None) -> None:
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)

    def next_sheet_no(self, form_id: str) -> str:
        """The number after the highest numeric sheet number entered so far (0001 for the first)."""
        rnd = self.session.require_round()
        with self.vault.lock:
            highest = form_repo.highest_numeric_sheet(self.vault.conn, rnd.id, form_id)
        return str(highest + 1).zfill(4)

    def add_response(self, form_id: str, sheet_no: str, answers: dict[str, Any], group: str | None = None,
                     version: int | None = None) -> tuple[Response, list[Issue], Changes]:
        """Enter one paper sheet. An answer the sheet cannot hold is refused (AnswerError, nothing stored);
        a blank required answer or one outside a constraint is stored and returned as an issue to flag."""
        (response, issues), = self.add_responses(form_id, [{"sheet": sheet_no, "answers": answers, "group": group}],
                                                 version)
        return response, issues, CHANGES

    def add_responses(self, form_id: str, sheets: list[dict[str, Any]], version: int | None = None
                      ) -> list[tuple[Response, list[Issue]]]:
        """Enter several sheets at once, all or none: `{"sheet": "0012", "group": "...", "answers": {...}}`."""
        rnd = self.session.require_round()
        self._require(authority.may_enter_sheets(self.session.owner_role))
        if not sheets:
            raise XunchaError("没有要录入的答卷", "no sheets given")
        if len(sheets) > MAX_BATCH:
            raise XunchaError(f"一次最多录入 {MAX_BATCH} 张答卷", f"at most {MAX_BATCH} sheets at once")
        definition_id, form = self._definition_row(form_id, version)
        known = self.distributions(form_id)
        prepared = []
        seen: set[str] = set()
        for n, entry in enumerate(sheets, 1):
            where_zh = f"第 {n} 张答卷：" if len(sheets) > 1 else ""
            where_en = f"sheet {n}: " if len(sheets) > 1 else ""
            if not isinstance(entry, dict):
                raise XunchaError(f"{where_zh}应为对象", f"{where_en}must be an object")
            unknown = set(entry) - {"sheet", "answers", "group"}
            if unknown:
                raise XunchaError(f"{where_zh}不认识的字段：{'、'.join(sorted(unknown))}（可用 sheet、group、answers）",
                                  f"{where_en}unknown fields: {', '.join(sorted(unknown))}")
            if entry.get("sheet") in (None, ""):
                raise XunchaError(f"{where_zh}缺少答卷编号（sheet）", f"{where_en}the sheet number is required")
            try:
                sheet_no = normalise_sheet_no(str(entry["sheet"]))
                clean, issues = answer_check.check(form, entry.get("answers") or {})
                distribution_id = self._distribution_id(form_id, entry.get("group"), known)
            except XunchaError as exc:
                if len(sheets) == 1:
                    raise
                raise XunchaError(f"{where_zh}{exc.zh}", f"{where_en}{exc.en}") from exc
            if sheet_no in seen:
                raise XunchaError(f"答卷编号 {sheet_no} 重复", f"sheet number {sheet_no} given twice")
            seen.add(sheet_no)
            prepared.append((sheet_no, clean, issues, distribution_id))
        today = date.today().isoformat()
        groups = {d.id: d.group for d in known}
        out = []
        with self.vault.transaction() as conn:
            self._close_entry_days(conn, today)
            for sheet_no, clean, issues, distribution_id in prepared:
                if form_repo.sheet_entered(conn, rnd.id, form_id, sheet_no):
                    raise XunchaError(f"第 {sheet_no} 号答卷已录入过；如需复核请用第二遍录入",
                                      f"sheet {sheet_no} is already entered; use the second entry to check it")
                rid = new_id()
                form_repo.insert_response(conn, {
                    "id": rid, "round_id": rnd.id, "form_id": form_id, "definition_id": definition_id,
                    "distribution_id": distribution_id, "sheet_no": sheet_no, "answers": clean, "entered_on": today})
                group = groups.get(distribution_id, "") if distribution_id else ""
                out.append((Response(rid, sheet_no, form.version, group, clean, today, None, None), issues))
            # Counted for the day, logged when the day is over (close_entry_days): no time, no sheet number.
            form_repo.count_entries(conn, rnd.id, form_id, today, "add", len(prepared))
        # Said as the sheet is saved, not later in a counter: which flags it trips, among all the sheets.
        flagged: dict[str, list[FlaggedSheet]] = {}
        for f in self.flags(form_id, form.version):
            flagged.setdefault(f.sheet_no, []).append(f)
        return [(replace(r, flags=tuple(flagged.get(r.sheet_no, ()))), issues) for r, issues in out]

    def close_entry_days(self, today: date | None = None) -> Changes:
        """One audit entry per form and day for the sheets entered (and entered again) on each day before
        `today`: how many, of which form, on which day. Called at unlock and before each entry."""
        with self.vault.transaction() as conn:
            logged = self._close_entry_days(conn, (today or date.today()).isoformat())
        return Changes.AUDIT if logged else Changes.NONE

    def _close_entry_days(self, conn: Any, today: str) -> int:
        closed = form_repo.take_closed_entry_days(conn, today)
        for form_id, day, action, sheets in closed:
            what = AuditAction.RESPONSE_ADD if action == "add" else AuditAction.RESPONSE_CHECK
            audit.append(conn, self.session.owner_name, what, f"form:{form_id}", {"day": day, "sheets": sheets})
        return len(closed)

    def check_answers(self, form_id: str, answers: dict[str, Any], version: int | None = None
                      ) -> tuple[dict[str, Any], list[Issue]]:
        """What `add_response` would store and flag, without storing (the entry screen's live check)."""
        return answer_check.check(self.definition(form_id, version), answers)

    @staticmethod
    def check_sheet(form: FormDefinition, answers: dict[str, Any]) -> tuple[dict[str, Any], list[Issue]]:
        """`check_answers` for a definition already in hand (cheap: no vault access; the entry screen)."""
        return answer_check.check(form, answers)

    @staticmethod
    def visible_questions(form: FormDefinition, answers: dict[str, Any]) -> list[str]:
        """Names of the questions the skip logic shows for these answers (cheap: no vault access)."""
        return [q.name for q in answer_check.visible(form, answers)]

    def response(self, form_id: str, sheet_no: str) -> Response:
        rnd = self.session.require_round()
        no = normalise_sheet_no(sheet_no)
        with self.vault.lock:
            row = form_repo.response_by_sheet(self.vault.conn, rnd.id, form_id, no)
            if row is None:
                raise XunchaError(f"表单“{form_id}”没有第 {no} 号答卷", f"form {form_id!r} has no sheet {no}")
            definition = form_repo.definition_by_id(self.vault.conn, row.definition_id)
        assert definition is not None
        return _response(row, definition.version)

    def responses(self, form_id: str, version: int | None = None) -> list[Response]:
        """Every sheet of the form (of one version if given), in entry order."""
        rnd = self.session.require_round()
        with self.vault.lock:
            definitions = {r.id: r.version for r in form_repo.definitions(self.vault.conn, rnd.id, form_id)}
            definition_id = None
            if version is not None:
                definition_id = self._definition_row(form_id, version)[0]
            rows = form_repo.responses(self.vault.conn, rnd.id, form_id, definition_id)
        return [_response(r, definitions[r.definition_id]) for r in rows]

    def update_response(self, form_id: str, sheet_no: str, answers: dict[str, Any]) -> tuple[list[Issue], Changes]:
        """Correct a sheet's answers (checked like a new entry, against the sheet's own version)."""
        current = self.response(form_id, sheet_no)
        clean, issues = answer_check.check(self.definition(form_id, current.version), answers)
        with self.vault.transaction() as conn:
            form_repo.update_answers(conn, current.id, clean)
            audit.append(conn, self.session.owner_name, AuditAction.RESPONSE_EDIT, f"form:{form_id}",
                         {"sheet": current.sheet_no})
        return issues, CHANGES

    def delete_response(self, form_id: str, sheet_no: str) -> Changes:
        current = self.response(form_id, sheet_no)
        with self.vault.transaction() as conn:
            form_repo.delete_response(conn, current.id)
            audit.append(conn, self.session.owner_name, AuditAction.RESPONSE_DELETE, f"form:{form_id}",
                         {"sheet": current.sheet_no})
        return CHANGES

    # ---- double entry --------------------------------------------------------------------------------

    def second_entry(self, form_id: str, sheet_no: str, answers: dict[str, Any]
                     ) -> tuple[list[Difference], Changes]:
        """Enter a sheet again, independently, and compare: returns where the two entries differ (empty
        when they agree). The first entry is not changed until `resolve`."""
        current = self.response(form_id, sheet_no)
        form = self.definition(form_id, current.version)
        clean, _ = answer_check.check(form, answers)
        differences = diff(form, current.answers, clean)
        today = date.today().isoformat()
        with self.vault.transaction() as conn:
            self._close_entry_days(conn, today)
            form_repo.save_second_entry(conn, current.id, clean, "differs" if differences else "match", today)
            form_repo.count_entries(conn, self.session.require_round().id, form_id, today, "check", 1)
        return differences, CHANGES

    def differences(self, form_id: str, sheet_no: str) -> list[Difference]:
        """The differences between a sheet's two entries, as they stand."""
        current = self.response(form_id, sheet_no)
        with self.vault.lock:
            second = form_repo.second_entry(self.vault.conn, current.id)
        if second is None:
            return []
        return diff(self.definition(form_id, current.version), current.answers, second[0])

    def settle(self, form_id: str, sheet_no: str, keep: Mapping[tuple[str, str | None], str]) -> Changes:
        """Settle every difference between a sheet's two entries by keeping, for each, the "first" or the
        "second" entry's answer; `keep` is keyed by (question, matrix row or None). The differences are read
        here, as they stand; a difference without a choice refuses the whole settlement. Answers on which the
        entries agree stay as they are."""
        current = self.response(form_id, sheet_no)
        differences = self.differences(form_id, sheet_no)
        if not differences:
            raise XunchaError(f"答卷 {current.sheet_no} 的两次录入没有不一致之处",
                              f"the two entries of sheet {current.sheet_no} do not differ")
        unsettled = [d.label for d in differences if keep.get((d.question, d.item)) not in ("first", "second")]
        if unsettled:
            raise XunchaError(f"请为每处不一致选定保留哪一次录入：{'、'.join(unsettled)}",
                              f"choose the first or the second entry for: {', '.join(unsettled)}")
        return self.resolve(form_id, sheet_no, kept_answers(current.answers, differences, keep))

    def resolve(self, form_id: str, sheet_no: str, answers: dict[str, Any]) -> Changes:
        """Settle a double-entry difference: `answers` (read again from the paper) become the sheet's."""
        current = self.response(form_id, sheet_no)
        clean, _ = answer_check.check(self.definition(form_id, current.version), answers)
        with self.vault.transaction() as conn:
            form_repo.update_answers(conn, current.id, clean)
            form_repo.save_second_entry(conn, current.id, clean, "resolved", date.today().isoformat())
            audit.append(conn, self.session.owner_name, AuditAction.RESPONSE_EDIT, f"form:{form_id}",
                         {"sheet": current.sheet_no, "resolved": True})
        return CHANGES

    # ---- quality and exclusions ----------------------------------------------------------------------

    def flags(self, form_id: str, version: int | None = None) -> list[FlaggedSheet]:
        """Quality flags of the sheets of one version (the newest by default): 一勾到底, mostly blank,
        duplicates, answers outside constraints; each says whether the sheet is already excluded."""
        form = self.definition(form_id, version)
        sheets = self.responses(form_id, form.version)
        excluded = {s.sheet_no: s.excluded for s in sheets}
        handed_out: dict[str, int] = {}
        for d in self.distributions(form_id):
            handed_out[d.group] = handed_out.get(d.group, 0) + d.handed_out
        found = quality.flags(form, [Sheet(s.sheet_no, s.answers, s.group) for s in sheets], handed_out)
        return [FlaggedSheet(f.sheet_no, f.kind, f.zh, f.en, excluded.get(f.sheet_no)) for f in found]

    def exclude(self, form_id: str, sheet_no: str, reason: str) -> Changes:
        """Leave a sheet out of the tallies, for a reason that is recorded (and logged)."""
        self._require(authority.may_exclude(self.session.owner_role))
        reason = reason.strip()
        if not reason:
            raise XunchaError("剔除答卷须写明理由", "a reason is required to exclude a sheet")
        if len(reason) > 500:
            raise XunchaError("理由过长（最多 500 字）", "the reason is longer than 500 characters")
        current = self.response(form_id, sheet_no)
        with self.vault.transaction() as conn:
            form_repo.exclude(conn, current.id, reason, now_utc().isoformat(), self.session.owner_name)
            audit.append(conn, self.session.owner_name, AuditAction.RESPONSE_EXCLUDE, f"form:{form_id}",
                         {"sheet": current.sheet_no, "reason": reason})
        return CHANGES

    def include(self, form_id: str, sheet_no: str) -> Changes:
        """Count an excluded sheet again."""
        self._require(authority.may_exclude(self.session.owner_role))
        current = self.response(form_id, sheet_no)
        if current.excluded is None:
            raise XunchaError(f"第 {current.sheet_no} 号答卷未被剔除", f"sheet {current.sheet_no} is not excluded")
        with self.vault.transaction() as conn:
            form_repo.include(conn, current.id)
            audit.append(conn, self.session.owner_name, AuditAction.RESPONSE_INCLUDE, f"form:{form_id}",
                         {"sheet": current.sheet_no})
        return CHANGES

    # ---- tallies -------------------------------------------------------------------------------------

    def _sheets(self, form_id: str, version: int | None, include_excluded: bool) -> tuple[FormDefinition, list[Sheet]]:
        rnd = self.session.require_round()
        definition_id, form = self._definition_row(form_id, version)
        with self.vault.lock:
            rows = form_repo.responses(self.vault.conn, rnd.id, form_id, definition_id)
        return form, [Sheet(r.sheet_no, json.loads(r.answers), r.group) for r in rows
                      if include_excluded or r.excluded is None]

    def tally(self, form_id: str, version: int | None = None, include_excluded: bool = False) -> Tally:
        """Counts, percentages and averages of one version (the newest by default), excluded sheets left out."""
        form, sheets = self._sheets(form_id, version, include_excluded)
        return tally_engine.tally(form, sheets)

    def crosstab(self, form_id: str, question: str, by: str | None = None, item: str | None = None,
                 version: int | None = None) -> CrossTab:
        """A question's options by respondent group (the distribution's group, or the answer to `by`)."""
        form, sheets = self._sheets(form_id, version, False)
        q = form.question(question)
        if q is None or q.type not in (QuestionType.SINGLE, QuestionType.RATING, QuestionType.MULTIPLE,
                                       QuestionType.MATRIX):
            raise XunchaError(f"“{question}”不是本表单的选择题或矩阵题",
                              f"{question!r} is not a choice or matrix question")
        if item is not None and item not in {i.name for i in q.items}:
            raise XunchaError(f"矩阵题“{question}”没有项目“{item}”", f"{question!r} has no item {item!r}")
        by_q = form.question(by) if by else None
        if by and (by_q is None or by_q.type not in (QuestionType.SINGLE, QuestionType.RATING)):
            raise XunchaError(f"“{by}”不是本表单的单选题", f"{by!r} is not a single-choice question")
        order = [d.group for d in self.distributions(form_id)]
        return tally_engine.crosstab(form, sheets, question, by=by, item=item, groups=order)

    def report(self, form_id: str, version: int | None = None) -> tuple[str, list[str], list[Table]]:
        """The tally as a title, summary lines and plain tables (what the exports print)."""
        return tally_report.report(self, form_id, version)


def _response(row: form_repo.ResponseRow, version: int) -> Response:
    return Response(row.id, row.sheet_no, version, row.group, json.loads(row.answers), row.entered_on, row.excluded,
                    row.second_status)
