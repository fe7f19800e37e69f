"""`xuncha`, the command line: the same services as the GUI, headless, for automation, tests and
benchmarks. `main` builds the parser and runs a command; `common` unlocks the vault and reads passwords
(from a prompt, standard input or the environment, never from an argument); each other module is one
command group and registers its own subcommands. It owns parsing, prompting, printing and exit codes. It
must not hold a rule of the product nor reach storage/ directly: every command calls a service.
"""
