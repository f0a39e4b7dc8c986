#!/usr/bin/env bash
# Installiert das Projekt in .venv, legt die Demo-Datenbank an und startet das Dashboard (README-Befehl 1).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# PDF-Berichte setzen in DejaVu Sans; als root mit apt-get wird die Schrift installiert, wenn sie fehlt (ohne sie
# nimmt Typst seine eingebaute Schrift – das PDF geht trotzdem).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  echo "Installiere DejaVu-Schriften für PDF-Berichte (apt-get) …"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null; } \
    || echo "Hinweis: fonts-dejavu-core ließ sich nicht installieren; PDFs nutzen dann die eingebaute Schrift."
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/ressourcenkarte init --demo
exec .venv/bin/streamlit run streamlit_app.py --server.headless true --browser.gatherUsageStats false "$@"
