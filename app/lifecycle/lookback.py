"""Look-back (巡察“回头看”), issue 11 item 6; docs/lifecycle.md, "Look-back".

A round of type 回头看 for a unit starts from the rectification ledger (整改台账) of an earlier round of the same
unit: one check (record kind `lookback`, 查-0001…) per ledger item, open or closed, problem items and the
整改报告 item alike, carrying what the earlier ledger said (its number, the problem's number, the problem,
category, unit, deadline, close-out state and date). The group checks each: really rectified (真整改),
rectified on paper only (纸面整改), or reopened (重新整改), with a note, the date and who checked; proof is the
item's attachments. Seeding again adds only the ledger items not seeded yet (found by the earlier item's id).

A reopened problem is put back to work: when the look-back round's own feedback is made, its ledger gets
one item per reopened check (app/lifecycle/ledger.py, `LedgerService.make`), so the look-back's report and
feedback list the reopened problems and they are followed to 销号 like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from app.core import authority
from app.core.changes import Changes
from app.core.domain import AuditAction, Record, RecordKind, Role, Round, RoundType
from app.core.errors import XunchaError
from app.core.inputs import check_text
from app.core.kinds import lookback as lookback_kind
from app.core.kinds import rectification as ledger_kind
from storage import audit, record_repo, round_repo

if TYPE_CHECKING:
    from app.vault.session import Session

KIND = RecordKind.LOOKBACK.value
MAX_NOTE = 5000
# What a check copies from the earlier ledger item, field for field.
COPIED = ("entry", "problem_no", "problem", "category", "unit", "immediate", "deadline")


@dataclass(frozen=True)
class Seeded:
    """What one seeding did: the earlier round, the checks it added, and how many were there already."""

    source: Round
    added: list[Record]
    kept: int


class LookbackService:
    """Reached as `session.lookback`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # ---- reading -----------------------------------------------------------------------------------------

    def items(self) -> list[Record]:
        """The checks of the round in use, in the earlier ledger's order (the order they were seeded in)."""
        records = self.session.records
        return sorted((records.get(i) for i in records.list_ids(KIND)), key=records.shown_number)

    def get(self, ref: str) -> Record:
        """A check by id or number (查-0003)."""
        record = self.session.records.get(self.session.records.resolve(ref))
        if record.kind != KIND:
            raise XunchaError(f"{record.number} 不是“回头看”核查事项", f"{record.number} is not a look-back check")
        return record

    def reopened(self) -> list[Record]:
        """The checks whose problem was reopened (重新整改): back to work in this round."""
        return [r for r in self.items() if r.status == lookback_kind.REOPENED]

    def tally(self) -> dict[str, int]:
        """How many checks have each verdict (every verdict, zero included)."""
        counts = {c.value: 0 for c in lookback_kind.VERDICTS}
        for record in self.items():
            counts[record.status] = counts.get(record.status, 0) + 1
        return counts

    def item_json(self, record: Record) -> dict[str, Any]:
        """A check as `xuncha lookback list|check --json` prints it."""
        body = record.body
        return {
            "id": record.id, "number": self.session.records.shown_number(record),
            "source_round": body.get("source_round", ""), "source_number": body.get("source_number", ""),
            **{k: body.get(k, lookback_kind.SCHEMA.field(k).empty) for k in COPIED},
            "source_status": body.get("source_status", ""),
            "source_status_label": ledger_kind.SCHEMA.status_label(str(body.get("source_status") or "")),
            "closed_on": body.get("closed_on"),
            "verdict": record.status, "verdict_label": lookback_kind.SCHEMA.status_label(record.status),
            "checked_on": body.get("checked_on"), "checked_by": body.get("checked_by", ""),
            "note": body.get("note", ""),
            "attachments": len(self.session.attachments.for_record(record.id)),
        }

    # ---- the earlier round -------------------------------------------------------------------------------

    def _top_units(self, round_id: str) -> set[str]:
        with self.session.vault.lock:
            return {u.name for u in round_repo.list_units(self.session.vault.conn, round_id) if u.parent_id is None}

    def _ledger_ids(self, round_id: str) -> list[str]:
        with self.session.vault.lock:
            return record_repo.list_ids(self.session.vault.conn, round_id, ledger_kind.SCHEMA.kind.value)

    @staticmethod
    def _earlier(source: Round, rnd: Round, order: list[str]) -> bool:
        """Whether `source` came before `rnd`: by their start dates when both have one, else by the order the
        rounds were set up on this vault."""
        if source.start_date and rnd.start_date and source.start_date != rnd.start_date:
            return source.start_date < rnd.start_date
        return order.index(source.id) < order.index(rnd.id)

    def sources(self) -> list[Round]:
        """The earlier rounds of the same unit whose ledger this vault holds, newest first: what the round in
        use may look back on (the first is the default)."""
        rnd = self.session.current_round()
        if rnd is None:
            return []
        rounds = self.session.rounds.all()
        order = [r.id for r in rounds]
        units = self._top_units(rnd.id)
        found = [r for r in rounds if r.id != rnd.id and self._earlier(r, rnd, order)
                 and units & self._top_units(r.id) and self._ledger_ids(r.id)]
        return sorted(found, key=lambda r: (r.start_date or date.min, order.index(r.id)), reverse=True)

    def _source(self, rnd: Round, ref: str | None) -> Round:
        """The earlier round `ref` names (default: the newest earlier round of the same unit), checked."""
        if rnd.round_type != RoundType.LOOK_BACK:
            raise XunchaError(f"本轮（{rnd.code}）的类型是“{rnd.round_type.label}”，不是“回头看”："
                              "只有“回头看”轮次才能核查上一轮的整改",
                              f"round {rnd.code} is a {rnd.round_type.value} round, not a look-back round")
        units = self._top_units(rnd.id)
        if not units:
            raise XunchaError(f"本轮（{rnd.code}）尚未登记被巡察单位：请先添加单位，再从上一轮生成核查事项",
                              f"round {rnd.code} has no inspected unit yet: add it first")
        if ref is None or not ref.strip():
            found = self.sources()
            if not found:
                raise XunchaError(f"本机没有同一单位（{'、'.join(sorted(units))}）更早的、建有整改台账的巡察轮次",
                                  "this vault holds no earlier round of the same unit with a rectification ledger")
            return found[0]
        source = self.session.rounds.find(ref)
        if source.id == rnd.id:
            raise XunchaError("不能对本轮自身“回头看”：请指定更早的一轮", "a round cannot look back on itself")
        order = [r.id for r in self.session.rounds.all()]
        if not self._earlier(source, rnd, order):
            raise XunchaError(f"{source.code} 不早于本轮（{rnd.code}），不能作为“回头看”的对象",
                              f"{source.code} is not earlier than {rnd.code}")
        theirs = self._top_units(source.id)
        if not units & theirs:
            raise XunchaError(f"{source.code} 巡察的是{'、'.join(sorted(theirs)) or '其他单位'}，不是本轮的"
                              f"{'、'.join(sorted(units))}：“回头看”只能核查同一单位的上一轮",
                              f"{source.code} inspected another unit; a look-back checks the same unit's round")
        if not self._ledger_ids(source.id):
            raise XunchaError(f"{source.code} 没有整改台账（本机尚未收到或尚未生成），无从“回头看”",
                              f"{source.code} has no rectification ledger on this vault")
        return source

    # ---- seeding -----------------------------------------------------------------------------------------

    def seed(self, source_ref: str | None = None) -> tuple[Seeded, Changes]:
        """One check per ledger item of the earlier round (`source_ref`: its id or code; default the newest
        earlier round of the same unit) not seeded yet. Every new check is validated before the first is
        stored: a refusal stores nothing."""
        refusal = authority.may_create_kind(self.session.owner_role, KIND)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)
        rnd = self.session.require_round()
        source = self._source(rnd, source_ref)
        existing = self.items()
        have = {str(r.body.get(lookback_kind.SOURCE_ITEM) or "") for r in existing}
        records = self.session.records
        with self.session.vault.lock:
            earlier = record_repo.get_many(self.session.vault.conn, self._ledger_ids(source.id))
        earlier.sort(key=records.shown_number)
        wanted: list[dict[str, Any]] = []
        for item in earlier:
            if item.id in have:
                continue
            body = item.body
            data: dict[str, Any] = {k: body[k] for k in COPIED if body.get(k) not in (None, "")}
            data.update({"source_round": source.code, "source_number": records.shown_number(item),
                         lookback_kind.SOURCE_ITEM: item.id, "source_status": item.status,
                         "status": lookback_kind.UNCHECKED})
            if body.get(ledger_kind.CLOSED_ON):
                data["closed_on"] = body[ledger_kind.CLOSED_ON]
            wanted.append(data)
        with self.session.vault.lock:
            for data in wanted:
                records.validate(KIND, data)  # all of them first: a refusal stores nothing
        added = [records.add(KIND, data)[0] for data in wanted]
        with self.session.vault.transaction() as conn:
            audit.append(conn, self.session.owner_name, AuditAction.LOOKBACK_SEED, f"round:{rnd.id}",
                         {"code": rnd.code, "source": source.code, "added": len(added), "kept": len(existing),
                          "numbers": [r.number for r in added]})
        return Seeded(source, added, len(existing)), Changes.RECORDS | Changes.AUDIT

    # ---- the check ---------------------------------------------------------------------------------------

    def check(self, ref: str, verdict: str, note: str | None = None, on: date | None = None
              ) -> tuple[Record, Changes]:
        """Record the group's verdict on a check (真整改 / 纸面整改 / 重新整改, or 未查 again), with its note (None:
        the note stays as it is), the date (default today) and who checked (this vault's owner)."""
        record = self.get(ref)
        value = lookback_kind.VERDICT_WORDS.get(verdict.strip())
        if value is None:
            names = "、".join(f"{c.value}（{c.label}）" for c in lookback_kind.VERDICTS)
            values = ", ".join(c.value for c in lookback_kind.VERDICTS)
            raise XunchaError(f"核查结论不在可选范围内：{verdict}（可选：{names}）",
                              f"no such verdict: {verdict} (one of {values})")
        if self.session.owner_role == Role.LOCAL:
            raise XunchaError("本地人员不记录“回头看”核查结论", "a local member does not record look-back verdicts")
        refusal = authority.may_edit(*self.session.records.actor(record), kind=KIND)
        if refusal is not None:
            raise XunchaError(refusal.zh, refusal.en)
        text = record.body.get("note", "") if note is None else note.strip()
        if text:
            check_text(text, "核查情况", "note")
        if len(text) > MAX_NOTE:
            raise XunchaError(f"核查情况过长（最多 {MAX_NOTE} 字）", f"the note is longer than {MAX_NOTE} characters")
        if value in (lookback_kind.ON_PAPER, lookback_kind.REOPENED) and not text:
            raise XunchaError(f"“{lookback_kind.SCHEMA.status_label(value)}”须写明核查情况（为什么整改不实）",
                              "a verdict of on paper or reopened needs a note saying why")
        day = on or date.today()
        checked = value != lookback_kind.UNCHECKED
        changes = {"note": text, "checked_on": day.isoformat() if checked else None,
                   "checked_by": self.session.owner_name if checked else ""}
        data = {f.name: record.body.get(f.name, f.empty) for f in lookback_kind.SCHEMA.fields}
        with self.session.vault.lock:
            self.session.records.validate(KIND, {**data, **changes, "status": value})
        # A new revision, logged as the verdict it records (查-0002 由“未查”改为“重新整改”).
        return self.session.records.set_status(record.id, value, AuditAction.STATUS, {"from": record.status},
                                               body_changes=changes)
