"""The leader's compilation and problem leads: order, merge, marks, leads from issues, who may see them;
templates as data with placeholders checked."""

from __future__ import annotations

import pytest
from documents_data import LEAD_PERSON, compile_round
from lead_steps import decide

from app.core.changes import Changes
from app.core.domain import AccessScope, AuditAction, LeadStatus, Role
from app.core.errors import XunchaError
from app.vault.session import Session
from exports.template import Template, TemplateError, chinese_number


def test_issues_come_by_category_in_the_leaders_order(round_session: Session) -> None:
    data = compile_round(round_session)
    comp = round_session.compilation
    issues = comp.issues()
    assert [i.category for i in issues] == ["2.2", "3.3", "3.5", "3.6"]
    assert comp.counts() == {"2.2": 1, "3.3": 1, "3.5": 1, "3.6": 1}
    marked = {i.paper_id: (i.for_report, i.immediate) for i in issues}
    assert marked[data.papers[0]] == (True, True) and marked[data.papers[2]] == (False, False)

    extra, _ = round_session.records.add("paper", {"title": "西河村土地流转合同未经村民代表会议", "category": "3.3"})
    order = [extra.id, data.papers[0]]
    assert comp.reorder("3.3", order) == Changes.COMPILATION | Changes.AUDIT
    assert [i.paper_id for i in comp.issues() if i.category == "3.3"] == order
    with pytest.raises(XunchaError, match="同一类别"):
        comp.reorder("3.3", [extra.id, data.papers[1]])


def test_merging_two_papers_makes_one_issue_with_both_evidences(round_session: Session) -> None:
    data = compile_round(round_session)
    comp = round_session.compilation
    round_session.records.link(data.papers[1], data.petition, "evidence")
    round_session.records.link(data.papers[0], data.interview, "evidence")
    comp.merge(data.papers[0], data.papers[1])
    issues = {i.paper_id: i for i in comp.issues()}
    assert data.papers[1] not in issues
    merged = issues[data.papers[0]]
    assert [m.id for m in merged.merged] == [data.papers[1]]
    assert {e.id for e in merged.evidence} == {data.petition, data.interview}
    with pytest.raises(XunchaError, match="自己"):
        comp.merge(data.papers[0], data.papers[0])
    with pytest.raises(XunchaError, match="已并入"):
        comp.merge(data.papers[1], data.papers[2])
    comp.merge(data.papers[2], data.papers[0])  # the issue and what it holds move together
    assert {m.id for m in {i.paper_id: i for i in comp.issues()}[data.papers[2]].merged} == set(data.papers[:2])
    comp.unmerge(data.papers[1])
    assert data.papers[1] in {i.paper_id for i in comp.issues()}
    compile_entries = [e for e in round_session.audit_entries() if e.action == AuditAction.COMPILE]
    assert len(compile_entries) >= 5


def test_an_issue_becomes_a_lead_once(round_session: Session) -> None:
    data = compile_round(round_session)
    lead, _ = round_session.compilation.make_lead(data.papers[2], "zzb")
    assert lead.number == "线-0002" and lead.person == LEAD_PERSON and lead.receiver.label == "组织部"
    assert {i.paper_id: i.lead_number for i in round_session.compilation.issues()}[data.papers[2]] == "线-0002"
    with pytest.raises(XunchaError, match="已转为问题线索"):
        round_session.compilation.make_lead(data.papers[2])
    entry = round_session.audit_entries()[-1]
    assert entry.target == f"lead:{lead.id}" and LEAD_PERSON not in str(entry.detail)


def test_lead_fields_and_approval(round_session: Session) -> None:
    data = compile_round(round_session)
    leads = round_session.leads
    decide(round_session, data.lead)
    for step in ("discussed", "proposed"):
        leads.update(data.lead, {"status": step})
    lead, _ = leads.update(data.lead, {"status": "approved", "handed_over_at": "2026-10-12",
                                       "handed_over_to": "市纪委监委第三监督检查室"})
    assert lead.status == LeadStatus.APPROVED and lead.approved_by == round_session.owner_name
    for bad, words in (({"person": ""}, "被反映人"), ({"receiver": "court"}, "可选范围"),
                       ({"handed_over_at": "10月12日"}, "格式不对"), ({"colour": "red"}, "没有这些字段"),
                       ({"facts": 3}, "应为文字")):
        with pytest.raises(XunchaError, match=words):
            leads.update(data.lead, bad)


def test_leads_are_for_the_leader_and_those_named(round_session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from vault_fixtures import FAST_KDF, PASSWORD

    compile_round(round_session)
    assert round_session.leads.has_right("王建国", AccessScope.LEADS)
    assert not round_session.leads.has_right("组务会", AccessScope.LEADS)
    round_session.leads.grant("李明华")
    assert round_session.leads.grantees() == ["李明华"]
    assert round_session.leads.has_right("李明华", AccessScope.LEADS)
    round_session.leads.revoke("李明华")
    with pytest.raises(XunchaError, match="没有这项授权"):
        round_session.leads.revoke("李明华")

    deputy = Session.create(tmp_path / "d.xuncha", PASSWORD, "李明华", Role.DEPUTY, kdf=FAST_KDF)
    try:
        deputy.create_round("2026-3", "市委第二轮巡察", "第二巡察组")
        deputy.add_member("王建国", Role.LEADER)
        deputy.add_member("李明华", Role.DEPUTY)
        with pytest.raises(XunchaError, match="仅组长"):
            deputy.leads.list()
        with pytest.raises(XunchaError, match="只有组长"):
            deputy.leads.grant("李明华")
        with pytest.raises(XunchaError, match="只有组长"):
            deputy.compilation.mark("x", for_report=True)
    finally:
        deputy.lock()


def test_templates_fill_placeholders_loops_and_conditions() -> None:
    template = Template.parse("t", """{"title": "{group}问题清单", "blocks": [
        {"type": "body", "text": "共{count}个。\\n第二段{{原样}}"},
        {"type": "each", "items": "sections", "empty": [{"type": "body", "text": "无"}], "blocks": [
            {"type": "head1", "text": "{n_cn}、{name}"},
            {"type": "body", "if": "note", "text": "{note}"},
            {"type": "table", "rows": "rows", "columns": [{"head": "序号", "value": "{n}"},
                                                         {"head": "问题", "width": 3, "value": "{title}（{group}）"}]}
        ]}]}""")
    doc = template.render({"group": "第二巡察组", "count": 2, "sections": [
        {"name": "党的领导弱化", "note": "", "rows": [{"title": "甲"}, {"title": "乙"}]},
        {"name": "党的建设缺失", "note": "说明", "rows": []}]})
    assert doc.title == "第二巡察组问题清单"
    texts = [b.text for b in doc.blocks if b.text]
    assert texts == ["共2个。", "第二段{原样}", "一、党的领导弱化", "二、党的建设缺失", "说明"]
    table = doc.blocks[3]
    assert table.rows == (("1", "甲（第二巡察组）"), ("2", "乙（第二巡察组）"))
    assert [chinese_number(n) for n in (1, 10, 12, 20, 23)] == ["一", "十", "十二", "二十", "二十三"]


def test_an_unknown_placeholder_or_block_is_named() -> None:
    with pytest.raises(TemplateError, match=r"\{unit_nmae\}"):
        Template.parse("report", '{"title": "关于{unit_nmae}的报告", "blocks": []}').render({"unit_name": "青石镇"})
    with pytest.raises(TemplateError, match="未知的块类型：chart"):
        Template.parse("x", '{"title": "t", "blocks": [{"type": "chart"}]}').render({})
    with pytest.raises(TemplateError, match="不是有效的 JSON"):
        Template.parse("x", "{title")
    with pytest.raises(TemplateError, match="sections"):
        Template.parse("x", '{"title": "t", "blocks": [{"type": "each", "items": "sections"}]}').render({})


@pytest.mark.parametrize("name", ["report", "issues", "leads", "fixes", "petitions", "interview", "paper", "tally"])
def test_every_shipped_template_loads(name: str) -> None:
    assert Template.load(name).data["title"]


def test_leads_are_not_searchable(round_session: Session) -> None:
    from app.capture.search import SearchService

    compile_round(round_session)
    round_session.leads.add({"person": "吴某某", "facts": "虚开发票套取专项资金", "source": "个别谈话"})
    assert SearchService(round_session).query("虚开发票") == []
    assert SearchService(round_session).query("吴某某") == []


def test_removing_the_round_takes_the_compilation_and_leads_with_it(round_session: Session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """What the purge at the end of a round relies on (it deletes the round's row): every table of
    migration 8 hangs on the round with ON DELETE CASCADE."""
    data = compile_round(round_session)
    round_session.leads.grant("李明华")
    round_session.documents.export("petitions", "pdf", tmp_path / "p.pdf", recipient="组务会")
    tables = ("compile_entries", "leads", "access_grants", "mask_refs", "document_exports")
    assert all(round_session.vault.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables)
    assert data.lead
    with round_session.vault.transaction() as conn:
        conn.execute("DELETE FROM rounds")
    assert [round_session.vault.query(f"SELECT count(*) FROM {t}")[0][0] for t in tables] == [0] * len(tables)
