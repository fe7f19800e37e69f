"""The ground every layer stands on: the domain model (`domain`: plain dataclasses and enums), the errors a
user can act on (`errors`), the change flags a changing operation returns (`changes`), the record kinds as
data (`kinds`: fields, states, list projections), the issue taxonomy (`taxonomy`, read from resources/) and
what input from outside is accepted (`inputs`: clean text, bounded JSON, numbers, date-times), and who
may change what (`authority`: asked by the services and by the bundle importer alike).
storage/, forms/ and exports/ import from app/ only what is here. Nothing here opens a vault, writes a file
or imports another part of app/: a module that needs a session, a repository or a writer belongs elsewhere.
"""
