#!/usr/bin/env bash
# Probe des Betriebsaufbaus (deploy/) auf dieser Maschine – als root auf einem frischen Debian 12 mit
# PostgreSQL/PostGIS auf 127.0.0.1:5432 (Anmeldung trust, wie in .ci/run) und der Python-Umgebung .venv.
# Jeder Fehler beendet mit Exit-Code ≠ 0.
#
#   bash deploy/probe.sh              # alles (mit Lastmessung: 20 Sitzungen mit einer und mit zwei Instanzen)
#   RK_PROBE_LAST=0 bash deploy/probe.sh   # ohne Lastmessung
#
# Schritte: nginx installieren; selbst signiertes Zertifikat; Probedatenbank rk_probe (Demo-Daten, als
# Eigentümerin postgres) und Rollen rk_app/rk_lesen; zwei Instanzen (deploy/instanz.sh, Datenbank als rk_app)
# hinter nginx mit deploy/nginx/ressourcenkarte.conf auf 127.0.0.1 (HTTPS, freie Ports); Offene Daten: pygeoapi
# (gunicorn, als rk_lesen) unter /api/ – Sammlungen, alle offenen Einrichtungen, geo+json, CORS, Cache-Control,
# kein Cookie, Links auf die öffentliche Adresse; Browserprüfung
# (deploy/probe_browser.py); Lastmessung (deploy/last.py); Sicherung → Wiederherstellungsprobe;
# `ressourcenkarte gesundheit` gegen einen eigenen Wegwerf-PostgreSQL-Cluster: gesund, gestoppt → Exit 1,
# wieder gestartet → gesund. Der gemeinsame PostgreSQL auf 5432 wird nie angehalten.
set -euo pipefail
cd "$(dirname "$0")/.."
WURZEL=$PWD
export DEBIAN_FRONTEND=noninteractive
PY=${RK_PYTHON:-$WURZEL/.venv/bin/python}
RK="$(dirname "$PY")/ressourcenkarte"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
DB=rk_probe
PG_OWNER="postgresql+psycopg://postgres@127.0.0.1:5432/$DB"
PG_APP="postgresql+psycopg://rk_app@127.0.0.1:5432/$DB"
ARBEIT=$(mktemp -d /tmp/rk-probe.XXXXXX)
chmod 755 "$ARBEIT"
PIDS=()
NGINX_CONF=""
WEGWERF=""

echo "== Probe in $ARBEIT"
ende() {
  rc=$?
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  [ -n "$NGINX_CONF" ] && [ -f "$ARBEIT/nginx.pid" ] && nginx -c "$NGINX_CONF" -p "$ARBEIT" -s stop 2>/dev/null
  [ -n "$WEGWERF" ] && runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WEGWERF/daten" -m immediate stop >/dev/null 2>&1
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  psql -X -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
  if [ "$rc" -ne 0 ]; then
    echo "== PROBE FEHLGESCHLAGEN (Exit $rc); Protokolle in $ARBEIT:" >&2
    tail -n 20 "$ARBEIT"/instanz-*.log "$ARBEIT"/nginx-error.log 2>/dev/null >&2
  else
    rm -rf "$ARBEIT"
    echo "== Probe bestanden."
  fi
  exit "$rc"
}
trap ende EXIT

freier_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
warte_gesund() {  # URL – bis /_stcore/health antwortet (höchstens 90 s)
  for _ in $(seq 1 180); do curl -fsk -o /dev/null "$1/_stcore/health" && return 0; sleep 0.5; done
  echo "keine Antwort von $1" >&2; return 1
}

echo "== Pakete: nginx, openssl, curl"
if ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq nginx openssl curl >/dev/null
fi
[ -x "$PY" ] || { echo "Python-Umgebung fehlt ($PY): bash skripte/tests.sh oder python3 -m venv .venv …" >&2; exit 1; }

echo "== Selbst signiertes Zertifikat (nur für die Probe)"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$ARBEIT/tls.key" -out "$ARBEIT/tls.crt" 2>/dev/null
chmod 600 "$ARBEIT/tls.key"

echo "== Probedatenbank $DB (Demo-Daten) und Rollen"
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB"
psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d "$DB" -c "CREATE EXTENSION postgis"
RESSOURCENKARTE_DEMO=true "$RK" --db "$PG_OWNER" init --demo >/dev/null
"$RK" --db "$PG_OWNER" rollen

echo "== Zwei Instanzen (als rk_app) und nginx"
P1=$(freier_port); P2=$(freier_port)
while [ "$P2" = "$P1" ]; do P2=$(freier_port); done
HTTPS_PORT=$(freier_port); HTTP_PORT=$(freier_port)
API_PORT=$(freier_port)

echo "== Offene Daten: pygeoapi als rk_lesen (wie ressourcenkarte-api.service), hinter nginx unter /api/"
"$RK" --db "$PG_OWNER" opendata "$ARBEIT/pygeoapi.yml" --basis-url "https://127.0.0.1:$HTTPS_PORT/api"
mkdir -p "$ARBEIT/offene-daten"
"$RK" --db "postgresql+psycopg://rk_lesen@127.0.0.1:5432/$DB" opendata-dateien "$ARBEIT/offene-daten" \
  --basis-url "https://127.0.0.1:$HTTPS_PORT"
export PYGEOAPI_CONFIG="$ARBEIT/pygeoapi.yml" PYGEOAPI_OPENAPI="$ARBEIT/pygeoapi-openapi.yml" \
       RK_API_PORTAL="https://portal.example" RK_OFFENE_DATEIEN="$ARBEIT/offene-daten"
"$(dirname "$PY")/pygeoapi" openapi generate "$PYGEOAPI_CONFIG" --output-file "$PYGEOAPI_OPENAPI" >/dev/null
"$(dirname "$PY")/gunicorn" --bind "127.0.0.1:$API_PORT" --workers 1 --timeout 60 berichte.opendienst:app \
  >"$ARBEIT/api.log" 2>&1 &
PIDS+=("$!")
starte_instanz() {  # PORT
  env RESSOURCENKARTE_DB_URL="$PG_APP" RESSOURCENKARTE_DEMO=true RESSOURCENKARTE_BASEMAP=keine \
      RESSOURCENKARTE_VERTRAUTE_PROXYS=127.0.0.1 RK_PYTHON="$PY" \
      "$WURZEL/deploy/instanz.sh" "$1" >"$ARBEIT/instanz-$1.log" 2>&1 &
  echo "$!"
}
PID1=$(starte_instanz "$P1"); PIDS+=("$PID1")
PID2=$(starte_instanz "$P2"); PIDS+=("$PID2")

# Die Site-Datei unverändert bis auf Ports, Zertifikat und Protokollpfade (kein IPv6-Lauschen nötig).
site() {  # UPSTREAM-ZEILEN
  sed -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
      -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" \
      -e "/listen \[::\]/d" \
      -e "s#/etc/ssl/ressourcenkarte/ressourcenkarte.crt#$ARBEIT/tls.crt#" \
      -e "s#/etc/ssl/ressourcenkarte/ressourcenkarte.key#$ARBEIT/tls.key#" \
      -e "s#/var/log/nginx/ressourcenkarte.access.log#$ARBEIT/nginx-access.log#" \
      -e "s#/var/log/nginx/ressourcenkarte.error.log#$ARBEIT/nginx-error.log#" \
      -e "/server 127.0.0.1:8602 /d" \
      -e "s#server 127.0.0.1:8601 .*#$1#" \
      -e "s#proxy_pass http://127.0.0.1:8700/#proxy_pass http://127.0.0.1:$API_PORT/#" \
      "$WURZEL/deploy/nginx/ressourcenkarte.conf" >"$ARBEIT/site.conf"
  grep -q "$ARBEIT/tls.crt" "$ARBEIT/site.conf" && grep -q "127.0.0.1:$HTTPS_PORT" "$ARBEIT/site.conf" \
    || { echo "Site-Datei ließ sich nicht anpassen (Zeilen in deploy/nginx/ressourcenkarte.conf geändert?)" >&2; exit 1; }
}
ZWEI="server 127.0.0.1:$P1 max_fails=1 fail_timeout=10s; server 127.0.0.1:$P2 max_fails=1 fail_timeout=10s;"
EINE="server 127.0.0.1:$P1 max_fails=1 fail_timeout=10s;"
site "$ZWEI"
NGINX_CONF="$ARBEIT/nginx.conf"
cat >"$NGINX_CONF" <<EOF
pid $ARBEIT/nginx.pid;
error_log $ARBEIT/nginx-error.log warn;
worker_processes 2;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  client_body_temp_path $ARBEIT/nginx-body;
  proxy_temp_path $ARBEIT/nginx-proxy;
  include $ARBEIT/site.conf;
}
EOF
nginx -t -q -c "$NGINX_CONF" -p "$ARBEIT"
nginx -c "$NGINX_CONF" -p "$ARBEIT"
PROXY="https://127.0.0.1:$HTTPS_PORT"
warte_gesund "http://127.0.0.1:$P1"
warte_gesund "http://127.0.0.1:$P2"
warte_gesund "$PROXY"
echo "Instanzen 127.0.0.1:$P1 (PID $PID1) und 127.0.0.1:$P2 (PID $PID2) hinter $PROXY"

echo "== Offene Daten über den Proxy: $PROXY/api/"
for _ in $(seq 1 60); do curl -fsk -o /dev/null "$PROXY/api/collections?f=json" && break; sleep 0.5; done
"$PY" - "$PROXY" "$DB" <<'PYEOF'
import json, ssl, subprocess, sys, urllib.request
proxy, db = sys.argv[1], sys.argv[2]
ctx = ssl._create_unverified_context()  # selbst signiertes Zertifikat der Probe
def hole(pfad):
    anfrage = urllib.request.Request(proxy + pfad, headers={"Origin": "https://portal.example"})
    with urllib.request.urlopen(anfrage, context=ctx, timeout=30) as a:
        return a.headers, json.load(a)
kopf, sammlungen = hole("/api/collections?f=json")
ids = sorted(c["id"] for c in sammlungen["collections"])
assert ids == ["einrichtungen", "netzwerke", "sozialraeume", "stadtteile"], ids
kopf, fc = hole("/api/collections/einrichtungen/items?f=json&limit=5000")
soll = int(subprocess.run(["psql", "-X", "-qAt", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-c",
                           "SELECT count(*) FROM oeffentlich_einrichtungen"], capture_output=True, text=True,
                          check=True).stdout)
assert fc["numberMatched"] == len(fc["features"]) == soll, (fc["numberMatched"], len(fc["features"]), soll)
assert kopf["Content-Type"].startswith("application/geo+json"), kopf["Content-Type"]
assert kopf["Access-Control-Allow-Origin"] == "https://portal.example", kopf["Access-Control-Allow-Origin"]
assert "max-age" in (kopf["Cache-Control"] or ""), kopf["Cache-Control"]
assert "Set-Cookie" not in kopf, "die API setzt ein Cookie"
for link in fc["links"]:
    assert link["href"].startswith(proxy + "/api/"), link["href"]
print(f"OGC API über nginx: {len(ids)} Sammlungen, {soll} Einrichtungen, geo+json, CORS, Cache-Control")
kopf, satz = hole("/offene-daten/metadaten.dcat.json")
dateien = [v["dcat:downloadURL"]["@id"] for v in satz["dcat:distribution"] if "dcat:downloadURL" in v]
assert dateien and all(u.startswith(proxy + "/offene-daten/") for u in dateien), dateien
kopf, geo = hole("/offene-daten/einrichtungen.geojson")
assert len(geo["features"]) == soll and kopf["Content-Type"].startswith("application/geo+json")
assert "Set-Cookie" not in kopf and kopf["Access-Control-Allow-Origin"] == "https://portal.example"
for u in dateien:  # jede Datei der Metadaten ist über den Proxy zu haben
    with urllib.request.urlopen(urllib.request.Request(u, method="HEAD"), context=ctx, timeout=30) as a:
        assert a.status == 200, u
print(f"Dateien über nginx: {len(dateien)} laut DCAT-AP.de abrufbar, GeoJSON mit {soll} Einrichtungen")
PYEOF

echo "== Browser über den Proxy"
"$PY" "$WURZEL/deploy/probe_browser.py" --proxy "$PROXY" --http "http://127.0.0.1:$HTTP_PORT" \
  --instanz "$P1=$PID1" --instanz "$P2=$PID2" --db "postgresql://postgres@127.0.0.1:5432/$DB" \
  --bildschirm "$ARBEIT/bilder"
# Zugriffsprotokoll: Einträge vorhanden, aber kein Abfrageteil (die Komponenten und die Umleitung hatten einen).
[ -s "$ARBEIT/nginx-access.log" ] || { echo "nginx-Zugriffsprotokoll leer" >&2; exit 1; }
if grep -q '?' "$ARBEIT/nginx-access.log"; then
  echo "nginx-Zugriffsprotokoll enthält Abfrageteile:" >&2; grep '?' "$ARBEIT/nginx-access.log" | head -3 >&2; exit 1
fi
echo "Zugriffsprotokoll: $(wc -l <"$ARBEIT/nginx-access.log") Einträge, keiner mit Abfrageteil"
# Die beendete Instanz wieder starten (wie systemd mit Restart=on-failure bzw. systemctl start).
for paar in "$P1:$PID1" "$P2:$PID2"; do
  port=${paar%%:*}; pid=${paar##*:}
  if ! kill -0 "$pid" 2>/dev/null; then
    neu=$(starte_instanz "$port"); PIDS+=("$neu")
    [ "$port" = "$P1" ] && PID1=$neu || PID2=$neu
    warte_gesund "http://127.0.0.1:$port"
    echo "Instanz $port neu gestartet (PID $neu)"
  fi
done

if [ "${RK_PROBE_LAST:-1}" != 0 ]; then
  echo "== Aufwärmen: je Instanz eine Sitzung (Zwischenspeicher gefüllt wie im Betrieb)"
  "$PY" "$WURZEL/deploy/last.py" --url "http://127.0.0.1:$P1/" --sitzungen 1 --titel "Aufwärmen $P1" >/dev/null
  "$PY" "$WURZEL/deploy/last.py" --url "http://127.0.0.1:$P2/" --sitzungen 1 --titel "Aufwärmen $P2" >/dev/null
  echo "== Last: 20 Sitzungen, zwei Instanzen"
  "$PY" "$WURZEL/deploy/last.py" --url "$PROXY/" --sitzungen 20 --pid "$PID1" --pid "$PID2" --titel "zwei Instanzen"
  echo "== Last: 20 Sitzungen, eine Instanz"
  site "$EINE"
  nginx -c "$NGINX_CONF" -p "$ARBEIT" -s reload
  sleep 2
  "$PY" "$WURZEL/deploy/last.py" --url "$PROXY/" --sitzungen 20 --pid "$PID1" --titel "eine Instanz"
fi

echo "== Sicherung → Wiederherstellungsprobe"
export RK_SICHERUNG_DATENBANK=$DB RK_SICHERUNG_PGHOST=127.0.0.1 RK_SICHERUNG_PGPORT=5432 \
       RK_SICHERUNG_PGUSER=postgres RK_SICHERUNG_ORDNER="$ARBEIT/sicherung" RK_SICHERUNG_TAGE=3 RK_BEFEHL="$RK" \
       RK_PROBE_DATENBANK=rk_probe_wieder
bash "$WURZEL/deploy/sicherung.sh"
bash "$WURZEL/deploy/wiederherstellungsprobe.sh"
# Gegenprobe: eine Sicherung mit verfälschter Zeilenzahl muss die Probe scheitern lassen.
letzte=$(find "$ARBEIT/sicherung" -mindepth 2 -maxdepth 2 -name FERTIG -printf '%h\n' | sort | tail -n 1)
psql -X -q -h 127.0.0.1 -U postgres -d "$DB" -c "DELETE FROM indikatorwert WHERE id = (SELECT min(id) FROM indikatorwert)"
mv "$letzte/ressourcenkarte.dump" "$ARBEIT/echt.dump"
pg_dump -Fc -h 127.0.0.1 -U postgres -d "$DB" -f "$letzte/ressourcenkarte.dump"
if bash "$WURZEL/deploy/wiederherstellungsprobe.sh" >"$ARBEIT/gegenprobe.log" 2>&1; then
  echo "Wiederherstellungsprobe erkannte eine fehlende Zeile nicht" >&2; exit 1
fi
grep -q "ABWEICHUNG" "$ARBEIT/gegenprobe.log" || { cat "$ARBEIT/gegenprobe.log" >&2; exit 1; }
echo "Gegenprobe: eine fehlende Zeile lässt die Wiederherstellungsprobe scheitern (Exit ≠ 0)"

echo "== Gesundheit: Wegwerf-Cluster gestoppt → Exit 1, wieder da → Exit 0"
WEGWERF="$ARBEIT/wegwerf"
mkdir -p "$WEGWERF" && chown postgres "$WEGWERF"
WP=$(freier_port)
runuser -u postgres -- "$PGBIN/initdb" -D "$WEGWERF/daten" -A trust -U postgres >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WEGWERF/daten" -l "$WEGWERF/log" -w \
  -o "-p $WP -k $WEGWERF -c listen_addresses=127.0.0.1" start >/dev/null
psql -X -q -h 127.0.0.1 -p "$WP" -U postgres -d postgres -c "CREATE DATABASE rk"
psql -X -q -h 127.0.0.1 -p "$WP" -U postgres -d rk -c "CREATE EXTENSION postgis"
WURL="postgresql+psycopg://postgres@127.0.0.1:$WP/rk"
"$RK" --db "$WURL" init >/dev/null
"$RK" --db "$WURL" gesundheit
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WEGWERF/daten" -m fast -w stop >/dev/null
t0=$(date +%s)
if "$RK" --db "$WURL" gesundheit; then echo "gesundheit meldet gesund, obwohl die Datenbank gestoppt ist" >&2; exit 1; fi
echo "gestoppt: Exit ≠ 0 nach $(( $(date +%s) - t0 )) s"
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WEGWERF/daten" -l "$WEGWERF/log" -w \
  -o "-p $WP -k $WEGWERF -c listen_addresses=127.0.0.1" start >/dev/null
"$RK" --db "$WURL" gesundheit
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$WEGWERF/daten" -m fast -w stop >/dev/null
WEGWERF=""
