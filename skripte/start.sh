#!/usr/bin/env bash
# Installiert das Projekt in .venv, legt die Demo-Datenbank an und startet das Dashboard (README-Befehl 1).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
# PDF-Berichte (WeasyPrint) brauchen Pango; als root mit apt-get wird es installiert, sonst meldet nur der
# PDF-Export, was fehlt (DOCX und alles andere gehen ohne).
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null && ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0; then
  echo "Installiere Pango und DejaVu-Schriften für PDF-Berichte (apt-get) …"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
      fonts-dejavu-core >/dev/null; } || echo "Hinweis: Pango ließ sich nicht installieren; PDF-Export geht dann nicht."
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e .
.venv/bin/ressourcenkarte init --demo
exec .venv/bin/streamlit run streamlit_app.py --server.headless true --browser.gatherUsageStats false "$@"
