"""What a changing operation touched, so views refresh only what it names (Anki's OpChanges idea)."""

from __future__ import annotations

import enum


class Changes(enum.Flag):
    NONE = 0
    ROUND = enum.auto()
    MEMBERS = enum.auto()
    UNITS = enum.auto()
    TAXONOMY = enum.auto()
    RECORDS = enum.auto()
    AUDIT = enum.auto()
    ATTACHMENTS = enum.auto()
    FORMS = enum.auto()
    BUNDLES = enum.auto()  # keys, roster, bundles sent and received, receipts, conflicts
    COMPILATION = enum.auto()  # the leader's order, merges and marks of issues
    LEADS = enum.auto()
    GUIDE = enum.auto()  # the round guide's own settings: the guide in use, steps ticked, the coverage plan
    ALL = (ROUND | MEMBERS | UNITS | TAXONOMY | RECORDS | AUDIT | ATTACHMENTS | FORMS | BUNDLES | COMPILATION | LEADS
           | GUIDE)
