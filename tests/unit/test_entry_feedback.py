"""Entry feedback at the moment it matters: a sheet says which quality flag it trips as it is saved, a
distribution with more sheets entered than handed out warns and flags them, and straight-lining shows
across separate questions on one scale as well as inside a matrix."""

from __future__ import annotations

from typing import Any

import pytest
from test_form_definition import SMALL

from app.questionnaires import tally_report
from app.vault.session import Session
from forms import loader, quality
from forms.tally import Sheet

GOOD = [{"value": "hao", "label": "好"}, {"value": "jiaohao", "label": "较好"}, {"value": "yiban", "label": "一般"},
        {"value": "cha", "label": "差"}]
# Six separate questions on one scale (the 满意度 layout), then one on another scale, then two on the first.
SEPARATE: dict[str, Any] = {
    "id": "myd", "version": 1, "title": "满意度", "kind": "questionnaire", "scales": {"good": GOOD},
    "questions": [
        *({"name": f"a{n}", "type": "single", "label": f"第{n}项工作", "choices": "good"} for n in range(1, 7)),
        {"name": "yn", "type": "single", "label": "是否了解", "choices": [{"value": "y", "label": "是"},
                                                                    {"value": "n", "label": "否"}]},
        *({"name": f"b{n}", "type": "single", "label": f"补充{n}", "choices": "good"} for n in range(1, 3)),
    ],
}
SIX_GOOD = {f"a{n}": "hao" for n in range(1, 7)}


@pytest.fixture
def forms(round_session: Session) -> Session:
    round_session.forms.import_definition(loader.load(SMALL))
    round_session.forms.import_definition(loader.load(SEPARATE))
    return round_session


def test_straight_lining_across_consecutive_questions_that_share_a_scale() -> None:
    form = loader.load(SEPARATE)
    assert [[q.name for q in run] for run in quality.scale_runs(form)] == [[f"a{n}" for n in range(1, 7)]]
    [flag] = quality.sheet_flags(form, {**SIX_GOOD, "yn": "y", "b1": "hao", "b2": "hao"})
    assert flag.kind == "straight_line"
    assert flag.zh == "一勾到底：“第1项工作”至“第6项工作”6 题全部为“好”"
    varied = {**SIX_GOOD, "a4": "jiaohao"}
    assert quality.sheet_flags(form, varied) == []
    five = {k: v for k, v in SIX_GOOD.items() if k != "a6"}  # the run is not answered in full
    assert not any(f.kind == "straight_line" for f in quality.sheet_flags(form, five))


def test_a_sheet_says_which_flag_it_trips_as_it_is_saved(forms: Session) -> None:
    svc = forms.forms
    response, issues, _ = svc.add_response("myd", "1", {**SIX_GOOD, "yn": "n", "b1": "cha", "b2": "yiban"})
    assert issues == []
    assert [(f.kind, f.name) for f in response.flags] == [("straight_line", "一勾到底")]
    assert "6 题全部为“好”" in response.flags[0].zh
    fine, _, _ = svc.add_response("myd", "2", {**SIX_GOOD, "a2": "yiban", "yn": "y", "b1": "hao", "b2": "hao"})
    assert fine.flags == ()
    # A duplicate is said by the second sheet as it is saved.
    copy, _, _ = svc.add_response("myd", "3", dict(fine.answers))
    assert [f.name for f in copy.flags] == ["重复答卷"] and "第 0002 号" in copy.flags[0].zh


def test_more_sheets_than_handed_out_warns_and_flags_the_extra_ones(forms: Session) -> None:
    svc = forms.forms
    svc.add_distribution("small", "镇机关干部", 3, "2026-09-01")
    added = svc.add_responses("small", [{"sheet": str(n), "group": "镇机关干部", "answers": {"q1": "y"}}
                                        for n in (1, 2, 3)])
    assert not any(f.kind == "over_returned" for r, _ in added for f in r.flags)
    [d] = svc.distributions("small")
    assert (d.rate, d.warning) == (100.0, "")
    extra, _, _ = svc.add_response("small", "4", {"q1": "n"}, group="镇机关干部")
    [over] = [f for f in extra.flags if f.kind == "over_returned"]
    assert over.name == "录入数超过发放数" and "发放 3 份，这是录入的第 4 份" in over.zh
    [d] = svc.distributions("small")
    assert d.rate == 133.3 and "多于发放的 3 份" in d.warning
    assert [f.sheet_no for f in svc.flags("small") if f.kind == "over_returned"] == ["0004"]
    text, lines, _ = tally_report.report(svc, "small")
    assert any("多于发放的 3 份" in line for line in [text, *lines])


def test_the_flags_of_many_sheets_come_in_order() -> None:
    form = loader.load(SEPARATE)
    sheets = [Sheet(str(n), {**SIX_GOOD, "yn": "y", "a1": "cha" if n % 2 else "hao"}, "群众") for n in range(1, 5)]
    found = quality.flags(form, sheets, {"群众": 2})
    kinds = [(f.sheet_no, f.kind) for f in found]
    assert ("2", "straight_line") in kinds and ("1", "straight_line") not in kinds
    assert [no for no, kind in kinds if kind == "over_returned"] == ["3", "4"]
