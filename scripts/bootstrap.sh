#!/usr/bin/env bash
# Install everything a fresh Debian/Ubuntu machine with only Python 3.11 lacks, idempotently:
# the system libraries Qt needs, a CJK font, poppler (PDF checks), a virtualenv with the app and its test
# tools, and the compiled Chinese translation. Sourced by ./demo.sh and ./test.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"

apt_packages=(
  # Qt's xcb and offscreen platform plugins
  libgl1 libegl1 libglib2.0-0 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-randr0 libxcb-xkb1 libxcb-xinerama0 libx11-xcb1
  # Chinese text on screen; pdftoppm for checking rendered pages; binutils for PyInstaller
  fonts-noto-cjk poppler-utils binutils
  # the `age` tool: tests open bundles with it, as the office does on an offline machine
  age
  # TrueType CJK fonts reportlab can embed in PDFs (Noto CJK is CFF, which it cannot): 宋 (明体), 楷, 黑
  fonts-arphic-uming fonts-arphic-ukai fonts-wqy-zenhei
)

missing=()
"$PY" -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
if command -v dpkg-query >/dev/null; then
  for pkg in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if ((${#missing[@]})); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  if command -v apt-get >/dev/null; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "bootstrap: please install these system packages first: ${missing[*]}" >&2
    exit 1
  fi
fi

stamp="$VENV/.installed-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [[ ! -f "$stamp" ]]; then
  [[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e "$ROOT[test,build]"
  rm -f "$VENV"/.installed-*
  touch "$stamp"
fi

# The .qm is built from the .ts (the translation source we keep in git).
"$VENV/bin/python" -m ui.translations_build
