#!/usr/bin/env bash
# Installiert Projekt + Testwerkzeuge in .venv und führt alle Tests aus (README-Befehl 2).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# Browser-Tests brauchen Debians Chromium; als root wird es bei Bedarf installiert.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
# axe-core (npm-Paket) für die BITV-Prüfung der Browser-Tests; ohne npm werden diese Tests übersprungen
if [ ! -f "$HOME/.cache/rk-axe/node_modules/axe-core/axe.min.js" ] && command -v npm >/dev/null; then
  npm install --silent --prefix "$HOME/.cache/rk-axe" axe-core@4 >/dev/null 2>&1 || echo "Hinweis: axe-core nicht installiert"
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check .
exec .venv/bin/python -m pytest "$@"
