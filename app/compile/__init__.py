"""The leader's desk after the field work: `compilation` (working papers as issues by category, ordered,
merged, marked for the report or for 立行立改), problem `leads` and who may see them, and official
`documents` (公文) filled from the vault with the values in `document_values`, masked for their recipient,
numbered, written and logged. It owns what the report says and who reads which name in it. It must not
change a record's content or workflow (app/capture) nor lay out a page (exports/ renders the templates).
"""
