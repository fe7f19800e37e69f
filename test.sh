#!/usr/bin/env bash
# Install everything and run the whole test suite: lint, types, then every test (slow ones included).
# Pass pytest arguments to narrow it, e.g. ./test.sh -m "not slow" tests/unit
# Tests run on every core (pytest-xdist); ./test.sh -n 0 runs them in one process.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$ROOT/scripts/bootstrap.sh"
cd "$ROOT"
export QT_QPA_PLATFORM=offscreen
"$VENV/bin/ruff" check .
"$VENV/bin/mypy"
"$VENV/bin/python" -m pytest -n auto "$@"
