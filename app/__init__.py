"""巡察外业工作台 (xuncha): domain model and services. No Qt here."""

__version__ = "0.1.0"
