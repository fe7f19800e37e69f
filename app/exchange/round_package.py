"""The round package: the round's set-up (round, group with roles, public keys and 回避 declarations,
inspected units, taxonomy) as `data/round.json` in a sealed bundle from the office or the leader. Importing it sets the
round up on a member's vault with the same round id, and puts the group's keys on the roster, confirmed by
the package's signer: a member then trusts the others through the signed roster, without exchanging cards
with each of them. The round's state travels with it (its moves, dated and named, docs/lifecycle.md): a
vault takes a state later than its own, never an earlier one. Only a package signed by an office or leader
key already on the roster is accepted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyrage

from app.core.domain import (
    Declaration,
    Identity,
    InspectedUnit,
    Member,
    Peer,
    Role,
    Round,
    RoundStatus,
    RoundTransition,
    RoundType,
    TaxonomyNode,
    new_id,
    now_utc,
)
from app.core.errors import XunchaError
from app.exchange.identity import fingerprint
from app.method.conflicts import check_declarations
from exports.bundle_format import BundleRefused, canonical_json
from storage import identity_repo, round_repo

MAX_PACKAGE = 1024 * 1024
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def build(conn: Any, rnd: Round, owner_name: str, owner_role: Role, identity: Identity,
          declarations_of: set[str] | None = None) -> bytes:
    """The package for the current round, as canonical JSON. Members carry their keys when this vault
    knows them: its own, or a roster entry with the same name and role; and their 回避 declarations, only
    those of the members named in `declarations_of` when given (a local member gets only their own: whom
    the others are tied to is not for the unit's own people to know)."""
    peers = identity_repo.peers(conn)
    members = []
    for m in round_repo.list_members(conn, rnd.id):
        entry: dict[str, Any] = {"name": m.name, "role": m.role.value, "home_unit": m.home_unit}
        shown = declarations_of is None or m.name in declarations_of
        if shown and (m.declarations or m.conflicts):  # added within version 1 (回避): an older reader ignores it
            entry.update(conflicts=m.conflicts,
                         declarations=[{"subject": d.subject, "relation": d.relation.value, "note": d.note}
                                       for d in m.declarations])
        if m.name == owner_name and m.role is owner_role:
            entry.update(age_recipient=identity.age_recipient, sign_public=identity.sign_public.hex())
        else:
            peer = next((p for p in peers if p.name == m.name and p.role is m.role), None)
            if peer is not None:
                entry.update(age_recipient=peer.age_recipient, sign_public=peer.sign_public.hex())
        members.append(entry)
    for peer in peers:  # the office is on the roster but not a member of the group
        if peer.role is Role.OFFICE and not any(e["name"] == peer.name for e in members):
            members.append({"name": peer.name, "role": "office", "home_unit": "",
                            "age_recipient": peer.age_recipient, "sign_public": peer.sign_public.hex()})
    if owner_role is Role.OFFICE and not any(e["role"] == "office" for e in members):
        members.append({"name": owner_name, "role": "office", "home_unit": "",
                        "age_recipient": identity.age_recipient, "sign_public": identity.sign_public.hex()})
    return canonical_json({
        "format": "xuncha-round", "version": 1,
        "round": {"id": rnd.id, "code": rnd.code, "name": rnd.name, "round_type": rnd.round_type.value,
                  "status": rnd.status.value, "group_name": rnd.group_name, "auth_doc_no": rnd.auth_doc_no,
                  "start_date": rnd.start_date.isoformat() if rnd.start_date else None,
                  "end_date": rnd.end_date.isoformat() if rnd.end_date else None},
        "members": members,
        "units": [{"id": u.id, "name": u.name, "kind": u.kind, "parent_id": u.parent_id}
                  for u in round_repo.list_units(conn, rnd.id)],
        "taxonomy": [{"code": n.code, "name": n.name, "parent_code": n.parent_code}
                     for n in round_repo.list_taxonomy(conn, rnd.id)],
        # Added within version 1: a reader that does not know it ignores it.
        "transitions": [{"id": t.id, "from": t.from_status.value, "to": t.to_status.value,
                         "on": t.on_date.isoformat(), "by": t.by_name, "role": t.by_role.value,
                         "reason": t.reason, "at": t.recorded_at}
                        for t in round_repo.list_transitions(conn, rnd.id)],
    })


@dataclass(frozen=True)
class Package:
    round: Round
    members: list[dict[str, Any]]
    units: list[InspectedUnit]
    taxonomy: list[TaxonomyNode]
    keys: list[tuple[str, str, Role, str, bytes]]  # fingerprint, name, role, age recipient, sign public
    transitions: tuple[RoundTransition, ...] = ()


def _text(value: Any, limit: int = 200, optional: bool = False) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise TypeError("text")
    return value


def _day(value: Any) -> date | None:
    return date.fromisoformat(_text(value, 10)) if value else None


def _declarations(value: Any) -> tuple[Declaration, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TypeError("declarations")
    try:
        return check_declarations(value)
    except XunchaError as exc:
        raise TypeError("declarations") from exc


def parse(data: bytes) -> Package:
    """Check the package's shape; refuse anything malformed (it is not trusted until the signature is)."""
    if len(data) > MAX_PACKAGE:
        raise BundleRefused("轮次设置过大", "the round package is too large")
    try:
        doc = json.loads(data.decode("utf-8"))
        if doc.get("format") != "xuncha-round" or doc.get("version") != 1:
            raise TypeError("format")
        r = doc["round"]
        round_id = _text(r["id"], 36)
        if not _UUID.fullmatch(round_id):
            raise TypeError("id")
        rnd = Round(round_id, _text(r["code"], 40), _text(r["name"]), RoundType(r["round_type"]),
                    RoundStatus(r["status"]), _text(r["group_name"]), _text(r.get("auth_doc_no"), optional=True),
                    _day(r.get("start_date")), _day(r.get("end_date")))
        members, keys = [], []
        for m in doc["members"][:200]:
            name, role = _text(m["name"], 50), Role(m["role"])
            members.append({"name": name, "role": role, "home_unit": _text(m.get("home_unit"), optional=True),
                            "conflicts": _text(m.get("conflicts"), 2000, optional=True),
                            "declarations": _declarations(m.get("declarations"))})
            if m.get("age_recipient"):
                recipient, public = _text(m["age_recipient"], 100), bytes.fromhex(_text(m["sign_public"], 64))
                pyrage.x25519.Recipient.from_str(recipient)
                if len(public) != 32:
                    raise TypeError("key")
                keys.append((fingerprint(recipient, public), name, role, recipient, public))
        units = []
        for u in doc["units"][:10000]:
            uid = _text(u["id"], 36)
            parent = _text(u.get("parent_id"), 36, optional=True) or None
            units.append(InspectedUnit(uid, rnd.id, _text(u["name"]), _text(u.get("kind"), optional=True), parent))
        taxonomy = [TaxonomyNode(_text(n["code"], 20), _text(n["name"]), _text(n.get("parent_code"), 20, True) or None)
                    for n in doc["taxonomy"][:2000]]
        transitions = tuple(
            RoundTransition(_text(t["id"], 36), rnd.id, RoundStatus(t["from"]), RoundStatus(t["to"]),
                            date.fromisoformat(_text(t["on"], 10)), _text(t["by"], 50), Role(t["role"]),
                            _text(t.get("reason"), 2000, optional=True), _text(t["at"], 40))
            for t in doc.get("transitions", [])[:200])
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError,
            pyrage.RecipientError) as exc:
        raise BundleRefused("轮次设置格式错误", "the round package is malformed") from exc
    return Package(rnd, members, units, taxonomy, keys, transitions)


def apply(conn: Any, package: Package) -> Round:
    """Set the round up here (same id), or complete the one with the same id or code: members, units and
    categories missing here are added; nothing here is removed. Returns the local round."""
    rnd = round_repo.get_round(conn, package.round.id) or next(
        (r for r in round_repo.list_rounds(conn) if r.code == package.round.code), None)
    created = rnd is None
    if rnd is None:
        round_repo.insert_round(conn, package.round)
        rnd = package.round
    have = {(m.name, m.role): m for m in round_repo.list_members(conn, rnd.id)}
    for m in package.members:
        if m["role"] is Role.OFFICE:
            continue
        here = have.get((m["name"], m["role"]))
        if here is None:
            round_repo.insert_member(conn, Member(new_id(), rnd.id, m["name"], m["role"], m["home_unit"], "",
                                                  m["conflicts"], m["declarations"]))
        else:  # 回避: the declarations the signer knows are added; none known here is dropped (so a late
            # package never lifts a tie); the note is the signer's when it has one
            declared = {(d.subject, d.relation) for d in here.declarations}
            added = tuple(d for d in m["declarations"] if (d.subject, d.relation) not in declared)
            if added or (m["conflicts"] and m["conflicts"] != here.conflicts):
                round_repo.set_declarations(conn, here.id, m["conflicts"] or here.conflicts,
                                            (*here.declarations, *added))
    unit_ids = {u.id for u in round_repo.list_units(conn, rnd.id)}
    known = unit_ids | {u.id for u in package.units}
    for u in package.units:
        if u.id not in unit_ids and conn.execute("SELECT 1 FROM units WHERE id = ?", (u.id,)).fetchone() is None:
            parent = u.parent_id if u.parent_id in known else None
            round_repo.insert_unit(conn, InspectedUnit(u.id, rnd.id, u.name, u.kind, parent))
    codes = {n.code for n in round_repo.list_taxonomy(conn, rnd.id)}
    missing = [n for n in package.taxonomy if n.code not in codes]
    if missing:
        round_repo.replace_taxonomy(conn, rnd.id, [*round_repo.list_taxonomy(conn, rnd.id), *missing])
    return _take_state(conn, rnd, package, created)


def _take_state(conn: Any, rnd: Round, package: Package, created: bool) -> Round:
    """The package's round state, when it is later than this vault's (or the round is new here), with the
    moves that led there."""
    order = list(RoundStatus)
    if not created and order.index(package.round.status) <= order.index(rnd.status):
        return rnd
    for t in package.transitions:
        if not round_repo.has_transition(conn, t.id):
            round_repo.insert_transition(conn, RoundTransition(t.id, rnd.id, t.from_status, t.to_status, t.on_date,
                                                               t.by_name, t.by_role, t.reason, t.recorded_at))
    round_repo.set_status(conn, rnd.id, package.round.status)
    return round_repo.get_round(conn, rnd.id) or rnd


def trust(conn: Any, package: Package, signer: str, own: str) -> int:
    """Put the package's keys on the roster, confirmed by its signer. Returns how many changed."""
    changed = 0
    for fp, name, role, recipient, public in package.keys:
        if fp != own and fp != signer:
            changed += identity_repo.put_peer(conn, Peer(fp, name, role, recipient, public, f"roster:{signer}",
                                                         now_utc().isoformat()))
    return changed
