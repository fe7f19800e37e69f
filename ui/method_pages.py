"""The areas of the method on site (issue 12): the pre-inspection briefing material, the three lists (三个清单)
and the group meetings' minutes (组务会纪要), each a list with its editor like the capture areas."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.context import Context
from ui.record_list_model import Column
from ui.record_page import RecordPage


def _tr(text: str) -> str:
    return QCoreApplication.translate("MethodPages", text)


def briefing_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", _tr("No."), "number", 70),
        Column("title", _tr("Briefing"), "title", 260),
        Column("subtitle", _tr("From and about"), None, 200),
        Column("occurred_on", _tr("Received"), "occurred_on", 90),
        Column("status", _tr("State"), "status"),
    ]
    return RecordPage(ctx, "briefing", _tr("Briefings"), columns)


def policy_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", _tr("No."), "number", 70),
        Column("title", _tr("Policy document"), "title", 280),
        Column("subtitle", _tr("Number and matters"), None, 200),
        Column("occurred_on", _tr("Issued"), "occurred_on", 90),
        Column("status", _tr("State"), "status"),
    ]
    return RecordPage(ctx, "policy", _tr("Policy list"), columns)


def problem_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", _tr("No."), "number", 70),
        Column("title", _tr("Problem"), "title", 280),
        Column("subtitle", _tr("Unit and source"), None, 200),
        Column("category", _tr("Category"), "category", 60),
        Column("status", _tr("Verification"), "status", 80),
        Column("author", _tr("By"), "author"),
    ]
    return RecordPage(ctx, "problem", _tr("Problem list"), columns)


def profile_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", _tr("No."), "number", 70),
        Column("title", _tr("Unit and matter"), "title", 280),
        Column("subtitle", _tr("Aspect"), None, 180),
        Column("occurred_on", _tr("Updated"), "occurred_on", 90),
        Column("status", _tr("State"), "status"),
    ]
    return RecordPage(ctx, "profile", _tr("Unit profile"), columns)


def minute_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", _tr("No."), "number", 70),
        Column("title", _tr("Meeting"), "title", 160),
        Column("subtitle", _tr("Place and agenda"), None, 300),
        Column("occurred_on", _tr("Held"), "occurred_on", 130),
        Column("status", _tr("State"), "status"),
    ]
    return RecordPage(ctx, "minute", _tr("Group meetings"), columns)
