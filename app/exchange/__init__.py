"""What travels between laptops and the office, and only as sealed bundles: each member's `identity`
(keys, key cards, fingerprints, the roster), the office's `round_package`, the round's shared
`round_material`, the `bundle_policy` that decides what each role may receive, `sharing` with local
members, and `bundles` (reached as `session.bundles`) which writes a bundle (`bundle_export`), reads and
merges one (`bundle_import`), and keeps receipts and conflicts. It owns who gets what and whether an
incoming change is taken. The file format itself (tar, BagIt tags, the signed statement) is
exports/bundle_format.py; this package must not touch a record's workflow or a document's content.
"""
