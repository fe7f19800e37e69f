"""巡察外业工作台 (xuncha): the domain model and the services, one package per capability. No Qt here.

    core            the domain model, errors, change flags, record kinds, taxonomy: the ground of every layer
    vault           the open vault (Session), passwords, unlock throttle, hardening, self-test
    capture         records, interviews, petitions, working papers, attachments, drafts, search
    questionnaires  问卷测评: forms, sheets, double entry, quality flags, tallies
    compile         the leader's compilation, problem leads, official documents
    exchange        identities, round package and material, bundles and their policy, sharing
    demo            the demo round (for ./demo.sh, benchmarks and tests)
    cli             `xuncha`, the command line over the same services

docs/developing.md has the map and how a request travels from a click or a command to the vault and back.
"""

__version__ = "0.1.0"
