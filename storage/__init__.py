"""The encrypted vault file and what is in it: `vault` (SQLCipher, one connection under one lock, the key
from `kdf`), numbered schema `migrations`, one repository module per table group (`*_repo`), the hash-chained
`audit` log, the search index (`search_repo`, `search_text`) and atomic file writes (`files`). It knows
app.core and nothing above it: no service, no session, no form engine, no writer, no UI.
"""
