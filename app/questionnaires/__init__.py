"""问卷测评: questionnaires and democratic evaluations as the group runs them. `forms_service` (reached as
`session.forms`) imports definitions, hands out sheets, takes double entry, raises quality flags, records
exclusions and tallies; `tally_report` turns a tally into a report and writes it. It owns the anonymity of
a sheet: nothing about a respondent is asked, stored or logged. The form language and the tally arithmetic
live in forms/, the file writers in exports/; this package must not grow its own engine or layout.
"""
