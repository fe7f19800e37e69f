"""`python -m app.cli`: the command line, as the installed `xuncha` script runs it."""

import sys

from app.cli.main import main

sys.exit(main())
