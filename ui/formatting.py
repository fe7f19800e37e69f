"""How values read on screen: times in local time, empty values as a dash, lists one per line."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication


def local_time(ts: str) -> str:
    """A stored UTC timestamp as local time; anything unparsable as it is."""
    try:
        return datetime.fromisoformat(ts).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return ts


def shown(value: Any) -> str:
    """A field value as text for reading (history, previews)."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return QCoreApplication.translate("Formatting", "Yes") if value else QCoreApplication.translate(
            "Formatting", "No")
    if isinstance(value, list):
        return "\n".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
