"""The areas of the method on site (issue 12): the pre-inspection briefing material, the three lists (三个清单),
the group meetings' minutes (组务会纪要) and the leader's appraisals of the members (工作鉴定), each a list with
its editor like the capture areas."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ui.context import Context
from ui.record_list_model import Column
from ui.record_page import RecordPage


def briefing_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("MethodPages", "No."), "number", 70),
        Column("title", QCoreApplication.translate("MethodPages", "Briefing"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("MethodPages", "From and about"), None, 160, stretch=True),
        Column("occurred_on", QCoreApplication.translate("MethodPages", "Received"), "occurred_on", 86, date_only=True),
        Column("status", QCoreApplication.translate("MethodPages", "State"), "status", 60),
    ]
    return RecordPage(ctx, "briefing", QCoreApplication.translate("MethodPages", "Briefings"), columns)


def policy_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("MethodPages", "No."), "number", 70),
        Column("title", QCoreApplication.translate("MethodPages", "Policy document"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("MethodPages", "Number and matters"), None, 160, stretch=True),
        Column("occurred_on", QCoreApplication.translate("MethodPages", "Issued"), "occurred_on", 86, date_only=True),
        Column("status", QCoreApplication.translate("MethodPages", "State"), "status", 60),
    ]
    return RecordPage(ctx, "policy", QCoreApplication.translate("MethodPages", "Policy list"), columns)


def problem_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("MethodPages", "No."), "number", 70),
        Column("title", QCoreApplication.translate("MethodPages", "Problem"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("MethodPages", "Unit and source"), None, 160, stretch=True),
        Column("category", QCoreApplication.translate("MethodPages", "Category"), "category", 60),
        Column("status", QCoreApplication.translate("MethodPages", "Verification"), "status", 80),
        Column("author", QCoreApplication.translate("MethodPages", "By"), "author", 70, hidden=True),
    ]
    return RecordPage(ctx, "problem", QCoreApplication.translate("MethodPages", "Problem list"), columns)


def profile_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("MethodPages", "No."), "number", 70),
        Column("title", QCoreApplication.translate("MethodPages", "Unit and matter"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("MethodPages", "Aspect"), None, 160, stretch=True),
        Column("occurred_on", QCoreApplication.translate("MethodPages", "Updated"), "occurred_on", 86, date_only=True),
        Column("status", QCoreApplication.translate("MethodPages", "State"), "status", 60),
    ]
    return RecordPage(ctx, "profile", QCoreApplication.translate("MethodPages", "Unit profile"), columns)


def minute_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("MethodPages", "No."), "number", 70),
        Column("title", QCoreApplication.translate("MethodPages", "Meeting"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("MethodPages", "Place and agenda"), None, 160, stretch=True),
        Column("occurred_on", QCoreApplication.translate("MethodPages", "Held"), "occurred_on", 86, date_only=True),
        Column("status", QCoreApplication.translate("MethodPages", "State"), "status", 60),
    ]
    return RecordPage(ctx, "minute", QCoreApplication.translate("MethodPages", "Group meetings"), columns)


def appraisal_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("MethodPages", "No."), "number", 70),
        Column("title", QCoreApplication.translate("MethodPages", "Appraisal"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("MethodPages", "Duties and grade"), None, 160, stretch=True),
        Column("occurred_on", QCoreApplication.translate("MethodPages", "Appraised"), "occurred_on", 86,
               date_only=True),
        Column("status", QCoreApplication.translate("MethodPages", "State"), "status", 60),
    ]
    return RecordPage(ctx, "appraisal", QCoreApplication.translate("MethodPages", "Appraisals"), columns)
