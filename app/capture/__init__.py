"""What the group gathers in the field, record by record: `records` (every kind: add, edit, reveal,
delete, link, revisions), the workflows of `interviews` (定稿), `petitions` (likely repeats) and
`papers` (三审 and review notes), `attachments` with their in-memory checks (`attachment_intake`), the
editors' autosaved `drafts`, and `search` over the round. It owns a record's life on this laptop. It must
not decide what leaves the laptop (app/exchange) or how a record reads in a document (app/compile).
"""
