#!/usr/bin/env bash
# Install everything, create the demo vault on first run, and start 巡察外业工作台 on it.
# Demo vault password: 青石镇巡察2026!
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$ROOT/scripts/bootstrap.sh"
DEMO_VAULT="${XUNCHA_DEMO_VAULT:-$ROOT/.demo/demo.xuncha}"
if [[ ! -f "$DEMO_VAULT" ]]; then
  echo "demo: creating a demo vault at $DEMO_VAULT"
  XUNCHA_PASSWORD='青石镇巡察2026!' "$VENV/bin/xuncha" --vault "$DEMO_VAULT" demo --scale 50
fi
exec "$VENV/bin/xuncha-gui" --vault "$DEMO_VAULT" "$@"
