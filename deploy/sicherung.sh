#!/usr/bin/env bash
# Sicherung der Ressourcenkarte mit Aufbewahrung (systemd: ressourcenkarte-sicherung.timer, täglich).
#
# Je Lauf ein Ordner ORDNER/JJJJ-MM-TT_HHMMSS mit
#   ressourcenkarte.dump  pg_dump -Fc (PostgreSQL-Format; Wiederherstellung mit pg_restore)
#   ressourcenkarte.zip   `ressourcenkarte backup` (backendneutral, mit Zeilenzahlen und Prüfsummen je Tabelle)
#   FERTIG                erst geschrieben, wenn beides vollständig ist
# Der Ordner entsteht unter einem vorläufigen Namen (.laufend-…) und wird erst am Ende umbenannt: ein
# abgebrochener Lauf hinterlässt nie eine halbe Sicherung unter gültigem Namen. Danach werden Sicherungen,
# die älter als TAGE Tage sind, gelöscht – die neueste vollständige bleibt immer.
#
# Einstellungen (Umgebung, systemd: /etc/ressourcenkarte/sicherung.env):
#   RK_SICHERUNG_DATENBANK  Name der Datenbank (Standard ressourcenkarte)
#   RK_SICHERUNG_PGHOST     Host oder Socket-Ordner (Standard /var/run/postgresql)
#   RK_SICHERUNG_PGPORT     Port (Standard 5432)
#   RK_SICHERUNG_PGUSER     Datenbankrolle; Eigentümerin oder postgres – nicht rk_app, die unter den
#                           Zeilenrichtlinien liest (Standard: der Betriebssystem-Benutzer, im Dienst postgres)
#   RK_SICHERUNG_ORDNER     Zielordner (Standard /var/backups/ressourcenkarte)
#   RK_SICHERUNG_TAGE       so viele Tage aufbewahren (Standard 14)
#   RK_BEFEHL               der Befehl ressourcenkarte (Standard /opt/ressourcenkarte/.venv/bin/ressourcenkarte)
# Exit-Code ≠ 0 bei jedem Fehler (systemd meldet den Dienst dann als fehlgeschlagen).
set -euo pipefail
umask 077

DB=${RK_SICHERUNG_DATENBANK:-ressourcenkarte}
PGHOST_=${RK_SICHERUNG_PGHOST:-/var/run/postgresql}
PGPORT_=${RK_SICHERUNG_PGPORT:-5432}
PGUSER_=${RK_SICHERUNG_PGUSER:-$(id -un)}
ORDNER=${RK_SICHERUNG_ORDNER:-/var/backups/ressourcenkarte}
TAGE=${RK_SICHERUNG_TAGE:-14}
RK=${RK_BEFEHL:-/opt/ressourcenkarte/.venv/bin/ressourcenkarte}

case "$TAGE" in "" | *[!0-9]*) echo "RK_SICHERUNG_TAGE muss eine ganze Zahl sein" >&2; exit 2 ;; esac
[ "$TAGE" -ge 1 ] || { echo "RK_SICHERUNG_TAGE muss mindestens 1 sein" >&2; exit 2; }
mkdir -p "$ORDNER"

stempel=$(date +%Y-%m-%d_%H%M%S)
laufend="$ORDNER/.laufend-$stempel"
rm -rf "$laufend"
mkdir "$laufend"
trap 'rm -rf "$laufend"' EXIT

echo "Sicherung von $DB nach $ORDNER/$stempel"
pg_dump -Fc -h "$PGHOST_" -p "$PGPORT_" -U "$PGUSER_" -d "$DB" -f "$laufend/ressourcenkarte.dump"
pg_restore --list "$laufend/ressourcenkarte.dump" >/dev/null   # Datei lesbar und vollständig
"$RK" --db "postgresql+psycopg://$PGUSER_@/$DB?host=$PGHOST_&port=$PGPORT_" backup "$laufend/ressourcenkarte.zip"
date -u +%Y-%m-%dT%H:%M:%SZ >"$laufend/FERTIG"
mv "$laufend" "$ORDNER/$stempel"
trap - EXIT

# Aufbewahrung: vollständige Sicherungen älter als TAGE Tage löschen, die neueste nie; liegengebliebene
# vorläufige Ordner eines abgebrochenen Laufs nach einem Tag.
neueste=$(find "$ORDNER" -mindepth 2 -maxdepth 2 -name FERTIG -printf '%h\n' | sort | tail -n 1)
find "$ORDNER" -mindepth 1 -maxdepth 1 -type d -name '20*' -mtime "+$((TAGE - 1))" -print0 |
  while IFS= read -r -d '' alt; do
    [ "$alt" = "$neueste" ] && continue
    rm -rf -- "$alt" && echo "gelöscht (älter als $TAGE Tage): $(basename "$alt")"
  done
find "$ORDNER" -mindepth 1 -maxdepth 1 -type d -name '.laufend-*' -mtime +0 -exec rm -rf -- {} +
echo "Sicherung fertig: $ORDNER/$stempel ($(du -sh "$ORDNER/$stempel" | cut -f1))"
