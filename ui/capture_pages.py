"""The four capture areas: their list columns and their editors' extra panels."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.core.kinds import interview as interview_kind
from ui.capture_extras import InterviewExtras, PaperExtras, PetitionExtras
from ui.context import Context
from ui.record_list_model import Column
from ui.record_page import RecordPage


def interview_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 76),
        Column("title", QCoreApplication.translate("CapturePages", "Interviewee"), "title", 120, stretch=True),
        Column("subtitle", QCoreApplication.translate("CapturePages", "Unit and post"), None, 160, stretch=True),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Held"), "occurred_on", 120),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status", 60),
        Column("author", QCoreApplication.translate("CapturePages", "By"), "author", 70, hidden=True),
        # An interview is neither due nor reviewed: its 提示 stays empty unless the user turns the column on.
        Column("notice", QCoreApplication.translate("CapturePages", "Notes"), None, 80, hidden=True),
    ]
    title = QCoreApplication.translate("CapturePages", "Interviews")
    return RecordPage(ctx, "interview", title, columns, InterviewExtras,
                      lambda: {"person_category": interview_kind.person_categories(),
                               "outline": [str(o["name"]) for o in interview_kind.outlines()]})


def petition_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 76),
        Column("title", QCoreApplication.translate("CapturePages", "Person reported and matter"), "title", 200,
               stretch=True),
        Column("subtitle", QCoreApplication.translate("CapturePages", "Channel and unit"), None, 180, hidden=True),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Received"), "occurred_on", 86,
               date_only=True),
        Column("due_on", QCoreApplication.translate("CapturePages", "Due"), "due_on", 86),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status", 60),
        Column("notice", QCoreApplication.translate("CapturePages", "Notes"), None, 76),
    ]
    return RecordPage(ctx, "petition", QCoreApplication.translate("CapturePages", "Petitions"), columns, PetitionExtras)


def review_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 76),
        Column("title", QCoreApplication.translate("CapturePages", "What was examined"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("CapturePages", "How and where"), None, 160, stretch=True),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Date"), "occurred_on", 86, date_only=True),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status", 60),
    ]
    return RecordPage(ctx, "review", QCoreApplication.translate("CapturePages", "Documents"), columns)


def paper_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 76),
        Column("title", QCoreApplication.translate("CapturePages", "Problem"), "title", 200, stretch=True),
        Column("subtitle", QCoreApplication.translate("CapturePages", "Unit and amount"), None, 160, stretch=True,
               keep_end=True),
        Column("category", QCoreApplication.translate("CapturePages", "Category"), "category", 40),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Found"), "occurred_on", 86, date_only=True),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status", 80),
        Column("notice", QCoreApplication.translate("CapturePages", "Notes"), None, 76),
    ]
    return RecordPage(ctx, "paper", QCoreApplication.translate("CapturePages", "Working papers"), columns, PaperExtras)
