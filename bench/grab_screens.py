"""Screenshots of every screen on a given screen size, to check by eye what a user sees (issue 15).

    .venv/bin/python bench/grab_screens.py OUT_DIR                         # 1366×728: 1366×768 less a 40 px taskbar
    .venv/bin/python bench/grab_screens.py OUT_DIR --screen 1920x1080 --scale 1.5

Runs on Qt's offscreen platform with one screen of the given size (its available area: the taskbar is left
out of the height given), on a demo vault of its own in a temporary folder, with settings of its own. It
writes the unlock window, every area with a record open, the editors with their sections unfolded, a
member's new vault before the round package arrives, and the user guide; then (40-…) the demo round taken
past the report as tests/unit/test_scenario.py takes round 2026-3: the guide in 整改, 五必谈 rosters and
interviews, a 回避 declaration, the feedback and its ledger, the leads handed over with one feedback, the
members' evaluation and an appraisal. Nothing of yours is read or written.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "grab-口令-Qx9!long-enough"


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--screen", default="1366x728", help="WxH of the screen's available area")
    parser.add_argument("--scale", type=float, default=1.0, help="QT_SCALE_FACTOR (1.5 for 150%%)")
    parser.add_argument("--records", type=int, default=20, help="demo scale (records of each kind ≈ 5×)")
    return parser.parse_args()


def setup_environment(args: argparse.Namespace, tmp: str) -> None:
    width, height = (int(v) for v in args.screen.lower().split("x"))
    config = Path(tmp) / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "grab", "x": 0, "y": 0, "width": width,
                                               "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
                                               "dpr": 1}]}))
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"):
        os.environ[name] = str(Path(tmp) / name.lower())


def grab_area(window: Any, page: Any, name: str, save: Callable[[Any, str], None], settle: Callable[[int], None],
              wait_until: Callable[[Callable[[], bool]], None]) -> None:
    """One area: with its first record open, then with that editor's sections unfolded."""
    from ui.collapsible import Section
    from ui.record_page import RecordPage

    if not isinstance(page, RecordPage):
        save(window, name)
        return
    wait_until(lambda: bool(page.count.text()) and page.editor is not None)
    if not page.model.rowCount():
        save(window, name)
        return
    page.view.selectRow(0)
    wait_until(lambda: page.editor is not None and page.editor.record is not None)
    settle(600)
    save(window, name)
    if page.editor is None:
        return
    sections = [s for s in page.editor.findChildren(Section) if s.isVisibleTo(page.editor)]
    for section in sections:
        section.set_expanded(True)
    settle(400)
    save(window, f"{name}-sections-open")
    for section in sections:
        section.set_expanded(False)


def past_the_report(session: Any, out: Path) -> None:
    """The demo round after the report, through the services the screens call: the rosters of the 镇 and
    their interviews, the round moved on to 整改 (dated moves), the feedback with its ledger (the measures
    entered, one item asked to be closed), both kinds of lead handed over (one with the receiver's
    feedback), the group's evaluation sheets and one appraisal."""
    from datetime import date

    from app.core.domain import RoundStatus
    from app.core.kinds import rectification as ledger_kind

    owner = session.owner_name
    members = [m.name for m in session.members() if m.name != owner]
    rosters = (("leadership", "leadership", "镇党委班子成员名单",
                ["孙卫东 镇党委书记", "周海涛（镇长）", "李红梅 镇党委副书记", "赵德明 镇纪委书记", "钱秀兰 组织委员"]),
               ("assets", "finance", "镇“三资”管理人员", ["吴芳 镇“三资”管理中心主任", "郑小军 镇财政所所长"]),
               ("party_reps", "party", "镇机关党员代表", ["郑光明 党员代表"]))
    for category, aspect, title, roster in rosters:
        session.records.add("profile", {"unit": "青石镇党委", "aspect": aspect, "title": title,
                                        "roster_category": category, "roster": roster})
    for n, person in enumerate(("孙卫东", "周海涛", "李红梅", "吴芳", "郑光明")):
        session.records.add("interview", {"interviewee": person, "unit": "青石镇党委", "post": "",
                                          "held_at": f"2026-09-{n + 3:02d}T09:30", "interviewers": members[:2]})
    moves = ((RoundStatus.AUTHORISED, 8, 25), (RoundStatus.ENTRY, 9, 1), (RoundStatus.GATHERING, 9, 2),
             (RoundStatus.REPORT_DRAFT, 10, 5), (RoundStatus.GROUP_MEETING, 10, 10), (RoundStatus.HEARING, 10, 15),
             (RoundStatus.FEEDBACK, 10, 20), (RoundStatus.HANDOVER, 10, 22), (RoundStatus.RECTIFICATION, 10, 25))
    for state, month, day in moves:
        session.rounds.advance(state, on=date(2026, month, day))
    for step, month, day in (("plan", 8, 20), ("recusal", 8, 26), ("entry-meeting", 9, 1), ("secretary", 10, 15)):
        session.guide.tick(step, date(2026, month, day))
    session.ledger.feedback(out / "反馈意见.docx", "docx", feedback_on=date(2026, 10, 20))
    for n, item in enumerate(session.ledger.items()):
        body = {f.name: item.body.get(f.name, f.empty) for f in ledger_kind.SCHEMA.fields}
        body |= {"measures": "制定整改方案，逐项落实并建立长效机制",
                "responsible_leader": "孙卫东" if n % 2 else "周海涛", "lead_department": "镇党政办"}
        session.records.update(item.id, body, item.revision)
    first = session.ledger.items()[0]
    session.ledger.note(first.id, "召开专题民主生活会，制定整改方案", date(2026, 10, 28))
    session.ledger.request(first.id, date(2026, 11, 3), "已整改到位")
    leads = session.leads.list()
    if leads:
        session.records.add("minute", {
            "held_at": "2026-10-08T19:30", "place": "巡察组驻地会议室", "chaired_by": owner, "present": [owner],
            "recorder": owner, "agenda": ["研究问题线索"],
            "decisions": [{"target": x.id, "decision": "线索具体、可查性强，拟移交"} for x in leads]})
        for lead in leads:
            for step in ("discussed", "proposed", "approved"):
                session.leads.update(lead.id, {"status": step})
        session.leads.hand_over_with_letter([leads[0].id], "jw", out / "移交函.docx", on="2026-10-22",
                                            received_by="县纪委监委案件监督管理室")
        session.leads.record_feedback(leads[0].id, "2026-11-25", "已立案审查，给予党内严重警告处分")
        if len(leads) > 1:  # one still waiting for its feedback
            session.leads.hand_over_with_letter([leads[1].id], "zzb", out / "移交函-组织部.docx", on="2026-11-02")
    session.appraisals.import_form()
    session.forms.add_distribution("xczy-ceping", "巡察组成员互评", 8, "2026-10-12")
    grades = ("youxiu", "youxiu", "chengzhi", "youxiu", "jiben")
    session.forms.add_responses("xczy-ceping", [{"sheet": f"{n:04d}", "group": "巡察组成员互评", "answers": {
        head: {f"m{i}": grades[(i + n + k) % len(grades)] for i in range(1, len(session.appraisals.evaluated()) + 1)}
        for k, head in enumerate(("zhiliang", "nengli", "jilv"))}} for n in range(1, 9)])
    session.records.add("appraisal", {
        "member": members[1], "post": "第一谈话小组组长，负责东坪村、西河村",
        "quality": "发现集体土地流转收入未入账等问题6个，其中问题线索2条，事实清楚、证据扎实。",
        "ability": "谈话准备充分，善于从“三资”台账中发现问题。",
        "discipline": "严格遵守巡察工作纪律，申报回避事项如实。",
        "summary": "工作扎实，作风过硬。", "grade": "excellent", "appraised_on": "2026-10-20"})


def grab_after_report(window: Any, save: Callable[[Any, str], None], settle: Callable[[int], None],
                      wait_until: Callable[[Callable[[], bool]], None]) -> None:
    """The 40-… shots: the screens of issues 11 and 12 on the demo round taken past the report."""
    from PySide6.QtCore import Qt

    from ui.dashboard_page import DashboardPage
    from ui.forms_page import FormsPage
    from ui.guide_page import GuidePage
    from ui.leads_panel import FeedbackDialog, HandoverDialog
    from ui.round_dialogs import DeclarationsDialog

    names = {"guide": "40-after-guide", "rectification": "41-after-ledger", "appraisal": "44-after-appraisal",
             "profile": "46-after-rosters"}
    for row, page in enumerate(window.pages):
        if page.area_key() in names:
            window.nav.setCurrentRow(row)
            settle(600)
            grab_area(window, page, names[page.area_key()], save, settle, wait_until)
        if page.area_key() == "compile":
            window.nav.setCurrentRow(row)
            page.tabs.setCurrentIndex(1)  # 问题线索: handed over, feedback
            settle(600)
            page.leads.table.selectRow(0)
            settle(300)
            save(window, "43-after-leads")
        if isinstance(page, GuidePage):
            window.nav.setCurrentRow(row)
            page.tabs.setCurrentIndex(1)
            page.units.selectRow(0)
            settle(400)
            save(window, "42-after-coverage")
            page.tabs.setCurrentIndex(0)
    dashboard = next(p for p in window.pages if isinstance(p, DashboardPage))
    window.nav.setCurrentRow(window.pages.index(dashboard))
    settle(400)
    save(window, "45-after-dashboard")
    local = next(m for m in dashboard.ctx.session.members() if m.declarations)
    dialog = DeclarationsDialog(dashboard.ctx, local, window)
    dialog.show()
    settle(400)
    save(dialog, "47-after-declarations")
    dialog.close()
    forms = next(p for p in window.pages if isinstance(p, FormsPage))
    window.nav.setCurrentRow(window.pages.index(forms))
    settle(400)
    forms.picker.setCurrentIndex(max(0, forms.picker.findText("巡察组成员工作测评表", Qt.MatchFlag.MatchContains)))
    forms.tabs.setCurrentIndex(1)  # 统计
    settle(800)
    save(window, "48-after-evaluation-tally")
    leads = dashboard.ctx.session.leads.list()
    approved = [x for x in leads if x.status.value == "approved"]
    handover = HandoverDialog(dashboard.ctx, approved, 3, None, window)
    handover.show()
    settle(400)
    save(handover, "49-after-handover-dialog")
    handover.close()
    waiting = next((x for x in leads if x.status.value == "handed_over"), None)
    if waiting is not None:
        feedback = FeedbackDialog(dashboard.ctx, waiting, window)
        feedback.show()
        settle(400)
        save(feedback, "50-after-feedback-dialog")
        feedback.close()


def main() -> None:
    args = parse()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="xuncha-grab-") as tmp:
        setup_environment(args, tmp)
        from PySide6.QtCore import QSettings
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication, QWidget

        from app.core.domain import Role
        from app.demo import scenario as demo
        from app.vault.session import KdfParams, Session
        from ui.main import install_translations
        from ui.record_page import RecordPage
        from ui.settings import Settings
        from ui.shell import Shell

        kdf = KdfParams(time_cost=2, memory_log2=13, parallelism=1)
        app = QApplication([sys.argv[0]])
        translators = install_translations(app)
        full = Path(tmp) / "demo.xuncha"
        session = Session.create(full, PASSWORD, "王建国", Role.LEADER, kdf=kdf)
        demo.fill(session, args.records)
        session.lock()
        fresh = Path(tmp) / "member.xuncha"
        Session.create(fresh, PASSWORD, "张志远", Role.MEMBER, kdf=kdf).lock()

        def settle(ms: int = 400) -> None:
            deadline = time.monotonic() + ms / 1000
            while time.monotonic() < deadline:
                QTest.qWait(20)

        def wait_until(ready: Callable[[], bool], seconds: float = 30) -> None:
            deadline = time.monotonic() + seconds
            while not ready() and time.monotonic() < deadline:
                QTest.qWait(20)

        def save(widget: QWidget, name: str) -> None:
            path = args.out / f"{name}.png"
            widget.grab().save(str(path))
            print(f"{path}  {widget.width()}×{widget.height()}")

        def start(path: Path, ini: str) -> Shell:
            settings = Settings(QSettings(str(Path(tmp) / ini), QSettings.Format.IniFormat))
            shell = Shell(path, settings, kdf=kdf)
            shell.start()
            settle(300)
            return shell

        def unlock(shell: Shell) -> None:
            shell.unlock_window.password.setText(PASSWORD)
            shell.unlock_window.unlock_button.click()
            deadline = time.monotonic() + 20
            while (shell.main_window is None or not shell.main_window.isVisible()) and time.monotonic() < deadline:
                QTest.qWait(20)
            settle(800)

        shell = start(full, "leader.ini")
        save(shell.unlock_window, "00-unlock")
        unlock(shell)
        window = shell.main_window
        assert window is not None
        for row, page in enumerate(window.pages):
            window.nav.setCurrentRow(row)
            settle(600)
            grab_area(window, page, f"{row + 1:02d}-{page.area_key()}", save, settle, wait_until)
        from ui.guide_page import GuidePage

        guide_page = next(p for p in window.pages if isinstance(p, GuidePage))
        window.nav.setCurrentRow(window.pages.index(guide_page))
        guide_page.tabs.setCurrentIndex(1)  # 必谈必查
        guide_page.units.selectRow(0)
        settle(300)
        save(window, f"{window.pages.index(guide_page) + 1:02d}-guide-coverage")
        guide_page.tabs.setCurrentIndex(0)
        window.nav.setCurrentRow(3)
        settle(300)
        guide = window.show_guide()
        settle(300)
        save(guide, "20-guide-petition")
        guide.close()
        shell.lock()
        settle(300)
        unlock(shell)
        if shell.main_window is not None:
            save(shell.main_window, "21-after-lock-unlock")
        shell.shutdown()

        after = Path(tmp) / "after.xuncha"
        session = Session.create(after, PASSWORD, "王建国", Role.LEADER, kdf=kdf)
        demo.fill(session, args.records)
        past_the_report(session, Path(tmp))
        session.lock()
        shell = start(after, "after.ini")
        unlock(shell)
        window = shell.main_window
        assert window is not None
        grab_after_report(window, save, settle, wait_until)
        shell.shutdown()

        member = start(fresh, "member.ini")
        unlock(member)
        window = member.main_window
        assert window is not None
        save(window, "30-member-new-vault")
        window.nav.setCurrentRow(3)
        petitions = window.pages[3]
        wait_until(lambda: isinstance(petitions, RecordPage) and petitions._has_round is not None)
        settle(300)
        save(window, "31-member-petitions-before-round")
        member.shutdown()
        del translators
        app.quit()


if __name__ == "__main__":
    main()
