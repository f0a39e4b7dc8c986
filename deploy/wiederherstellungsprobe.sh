#!/usr/bin/env bash
# Wiederherstellungsprobe: die neueste vollständige Sicherung (deploy/sicherung.sh) in Probedatenbanken
# zurückspielen und die Zeilenzahlen je Tabelle vergleichen. Exit 0 nur, wenn alles übereinstimmt.
#
#  1. ressourcenkarte.zip → Probedatenbank B mit `ressourcenkarte restore` (prüft Format und Prüfsummen);
#     Zeilen je Tabelle in B = Zeilenzahl im Manifest der Sicherung.
#  2. ressourcenkarte.dump → Probedatenbank A mit pg_restore; Zeilen je Tabelle in A = Manifest.
#     (pg_dump und backup laufen Sekunden nacheinander; schreibt genau dazwischen jemand, weicht A ab –
#     dann nennt die Probe die Tabelle; nachts laufen lassen oder wiederholen.)
# Die Probedatenbanken werden danach gelöscht (mit --behalten nicht). Die laufende Datenbank bleibt unberührt.
#
# Einstellungen wie deploy/sicherung.sh (RK_SICHERUNG_ORDNER, RK_SICHERUNG_PGHOST, RK_SICHERUNG_PGPORT,
# RK_SICHERUNG_PGUSER, RK_BEFEHL); die Rolle braucht CREATEDB (postgres). Optional RK_PROBE_DATENBANK
# (Standard rk_wiederherstellungsprobe; daraus …_dump und …_zip).
set -euo pipefail

PGHOST_=${RK_SICHERUNG_PGHOST:-/var/run/postgresql}
PGPORT_=${RK_SICHERUNG_PGPORT:-5432}
PGUSER_=${RK_SICHERUNG_PGUSER:-$(id -un)}
ORDNER=${RK_SICHERUNG_ORDNER:-/var/backups/ressourcenkarte}
RK=${RK_BEFEHL:-/opt/ressourcenkarte/.venv/bin/ressourcenkarte}
PROBE=${RK_PROBE_DATENBANK:-rk_wiederherstellungsprobe}
BEHALTEN=false
[ "${1:-}" = "--behalten" ] && BEHALTEN=true

case "$PROBE" in "" | *[!a-z0-9_]*) echo "RK_PROBE_DATENBANK: nur a–z, 0–9 und _" >&2; exit 2 ;; esac
psql_() { psql -X -q -v ON_ERROR_STOP=1 -h "$PGHOST_" -p "$PGPORT_" -U "$PGUSER_" "$@"; }

letzte=$(find "$ORDNER" -mindepth 2 -maxdepth 2 -name FERTIG -printf '%h\n' 2>/dev/null | sort | tail -n 1)
[ -n "$letzte" ] || { echo "FEHLER: keine vollständige Sicherung in $ORDNER" >&2; exit 1; }
echo "Neueste Sicherung: $letzte"

A="${PROBE}_dump"
B="${PROBE}_zip"
aufraeumen() {
  if [ "$BEHALTEN" = false ]; then
    for d in "$A" "$B"; do psql_ -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)" || true; done
  fi
}
trap aufraeumen EXIT
for d in "$A" "$B"; do
  psql_ -d postgres -c "DROP DATABASE IF EXISTS $d WITH (FORCE)"
  psql_ -d postgres -c "CREATE DATABASE $d"
done

# Erwartete Zeilen aus dem Manifest: "tabelle zeilen" je Zeile
erwartet=$(python3 -c 'import json, sys, zipfile
for t in json.loads(zipfile.ZipFile(sys.argv[1]).read("manifest.json"))["tabellen"]:
    print(t["name"], t["zeilen"])' "$letzte/ressourcenkarte.zip")
[ -n "$erwartet" ] || { echo "FEHLER: Manifest ohne Tabellen" >&2; exit 1; }

echo "== pg_restore → $A"
pg_restore --exit-on-error --no-owner --no-acl -h "$PGHOST_" -p "$PGPORT_" -U "$PGUSER_" -d "$A" \
  "$letzte/ressourcenkarte.dump"
echo "== ressourcenkarte restore → $B"
psql_ -d "$B" -c "CREATE EXTENSION IF NOT EXISTS postgis"
"$RK" --db "postgresql+psycopg://$PGUSER_@/$B?host=$PGHOST_&port=$PGPORT_" restore "$letzte/ressourcenkarte.zip"

abweichungen=0
printf '%-28s %10s %10s %10s\n' Tabelle Manifest pg_dump backup
while read -r tabelle zeilen; do
  a=$(psql_ -d "$A" -Atc "SELECT count(*) FROM \"$tabelle\"" 2>/dev/null || echo fehlt)
  b=$(psql_ -d "$B" -Atc "SELECT count(*) FROM \"$tabelle\"" 2>/dev/null || echo fehlt)
  zeichen=""
  if [ "$a" != "$zeilen" ] || [ "$b" != "$zeilen" ]; then zeichen="  ← ABWEICHUNG"; abweichungen=$((abweichungen + 1)); fi
  printf '%-28s %10s %10s %10s%s\n' "$tabelle" "$zeilen" "$a" "$b" "$zeichen"
done <<<"$erwartet"

if [ "$abweichungen" -ne 0 ]; then
  echo "FEHLER: $abweichungen Tabelle(n) weichen ab – Wiederherstellung nicht bestanden." >&2
  exit 1
fi
echo "Wiederherstellungsprobe bestanden: $(wc -l <<<"$erwartet") Tabellen, Zeilenzahlen gleich."
