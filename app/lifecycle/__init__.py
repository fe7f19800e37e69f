"""The round's life cycle: which of the vault's rounds is in use, the round's states (planned → … → laptops
cleaned) and who moves them (docs/lifecycle.md). It owns the `round_in_use` setting and the round's state
transitions, and after the report the feedback and the rectification ledger (ledger.py: items are records of
kind `rectification`, changed only through app/capture's RecordService). It must not change other records,
leads or bundles (their own packages do), and it never imports Qt.
"""
