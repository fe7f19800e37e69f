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
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 130),
        Column("title", QCoreApplication.translate("CapturePages", "Interviewee"), "title", 150),
        Column("subtitle", QCoreApplication.translate("CapturePages", "Unit and post"), None, 220),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Held"), "occurred_on", 130),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status", 70),
        Column("author", QCoreApplication.translate("CapturePages", "By"), "author"),
    ]
    title = QCoreApplication.translate("CapturePages", "Interviews")
    return RecordPage(ctx, "interview", title, columns, InterviewExtras,
                      lambda: {"person_category": interview_kind.person_categories(),
                               "outline": [str(o["name"]) for o in interview_kind.outlines()]})


def petition_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 130),
        Column("title", QCoreApplication.translate("CapturePages", "Person reported and matter"), "title", 280),
        Column("subtitle", QCoreApplication.translate("CapturePages", "Channel and unit"), None, 180),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Received"), "occurred_on", 130),
        Column("due_on", QCoreApplication.translate("CapturePages", "Due"), "due_on", 90),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status"),
    ]
    return RecordPage(ctx, "petition", QCoreApplication.translate("CapturePages", "Petitions"), columns, PetitionExtras)


def review_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 130),
        Column("title", QCoreApplication.translate("CapturePages", "What was examined"), "title", 260),
        Column("subtitle", QCoreApplication.translate("CapturePages", "How and where"), None, 200),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Date"), "occurred_on", 90),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status"),
    ]
    return RecordPage(ctx, "review", QCoreApplication.translate("CapturePages", "Documents"), columns)


def paper_page(ctx: Context) -> RecordPage:
    columns = [
        Column("number", QCoreApplication.translate("CapturePages", "No."), "number", 130),
        Column("title", QCoreApplication.translate("CapturePages", "Problem"), "title", 260),
        Column("subtitle", QCoreApplication.translate("CapturePages", "Unit and amount"), None, 200),
        Column("category", QCoreApplication.translate("CapturePages", "Category"), "category", 60),
        Column("occurred_on", QCoreApplication.translate("CapturePages", "Found"), "occurred_on", 90),
        Column("status", QCoreApplication.translate("CapturePages", "State"), "status"),
    ]
    return RecordPage(ctx, "paper", QCoreApplication.translate("CapturePages", "Working papers"), columns, PaperExtras)
