"""File formats that leave the app, written (and for bundles read) from data they are given: the official
documents (`document`, `template`, `layout`, `masking`, `docx_writer`, `pdf_writer`, `fonts`), tally charts
(`chart_layout`, `chart_pdf`, `chart_png`) and `tally_export`, and the sealed bundle's format
(`bundle_format`: tar stream, BagIt tags, signed statement). It knows app.core and forms/, never the vault:
what goes into a file, and to whom, is decided in app/.
"""
