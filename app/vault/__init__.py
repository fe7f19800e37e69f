"""The open vault and the process around it: `session` (the one way into an unlocked vault, which builds
every capability's service on it, as Anki's Collection does), the password rules (`passwords`), the delay
after wrong passwords (`unlock_throttle`), the full check of the vault file (`integrity`), process
hardening at start-up (`hardening`) and `xuncha selftest` (`selftest`). It owns creating, unlocking,
locking, checking, backing up, restoring and re-keying a vault and the round, members and units every
service shares. It must not hold a capability's own rules: a record's workflow, a bundle's policy or a
document's layout live in their own packages.
"""
