#!/bin/sh
# Eine Instanz der Ressourcenkarte auf 127.0.0.1:PORT – dieselbe Befehlszeile für systemd
# (deploy/systemd/ressourcenkarte@.service) und für die Probe (deploy/probe.sh).
#   deploy/instanz.sh PORT
# Einstellungen kommen aus der Umgebung (systemd: EnvironmentFile=/etc/ressourcenkarte/ressourcenkarte.env).
set -eu
port="${1:-}"
case "$port" in
  "" | *[!0-9]*) echo "Aufruf: instanz.sh PORT (eine Zahl, z. B. 8601)" >&2; exit 2 ;;
esac
cd "$(dirname "$0")/.."
# Nur 127.0.0.1: erreichbar ausschließlich über nginx (TLS, Kopfzeilen, Zugriffsprotokoll).
# XSRF-Schutz an; keine Fehlereinzelheiten im Browser (auch wenn .streamlit/config.toml fehlt);
# Hochladen bis 200 MB (nginx: client_max_body_size 201m).
exec "${RK_PYTHON:-.venv/bin/python}" -m streamlit run streamlit_app.py \
  --server.address 127.0.0.1 \
  --server.port "$port" \
  --server.headless true \
  --server.enableXsrfProtection true \
  --server.maxUploadSize 200 \
  --server.fileWatcherType none \
  --client.showErrorDetails none \
  --browser.gatherUsageStats false
