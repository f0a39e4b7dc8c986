"""Kommandozeile `ressourcenkarte` (deutsch). Fehler: eine Zeile auf stderr, Exit-Code 1, kein Traceback.

Jeder Befehl (oder jede Befehlsgruppe) ist ein Modul mit `registriere(unter)`, das seine Unterbefehle
anlegt und je Unterbefehl `ausfuehren=funktion(args) -> str` setzt; die Funktion gibt den Text für
stdout zurück und meldet Fehler als `RessourcenkarteFehler`.
"""

from __future__ import annotations

import argparse
import sys

from befehle import (
    analysen,
    benutzer,
    betrieb,
    datenbank,
    gremium,
    importe,
    kartenbefehl,
    offene_dateien,
    opendata,
    sicherung,
)
from befehle._deutsch import deutsch
from befehle.basis import Parser
from daten.fehler import RessourcenkarteFehler, als_meldung

# Reihenfolge = Reihenfolge in der Hilfe
BEFEHLSMODULE = [datenbank, kartenbefehl, importe, sicherung, benutzer, gremium, analysen, betrieb, opendata,
                 offene_dateien]


def version() -> str:
    """Version des installierten Pakets (Paketmetadaten), sonst „unbekannt“ (nicht installiert)."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as paketversion

    try:
        return paketversion("ressourcenkarte")
    except PackageNotFoundError:
        return "unbekannt (nicht installiert)"


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="ressourcenkarte", description="Sozialraum-Ressourcenkarte: Datenbank, Export und Karte.",
               epilog="Globale Optionen (--db, --kommune) gelten auch nach dem Befehl.", haupt=True)
    p.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    unter = p.add_subparsers(dest="befehl", metavar="BEFEHL", parser_class=Parser, title="Befehle")
    unter.required = True
    for modul in BEFEHLSMODULE:
        modul.registriere(unter)
    return p


def main(argv: list[str] | None = None) -> int:
    """Einstieg der Konsole; gibt den Exit-Code zurück."""
    from daten.protokollierung import richte_ein

    richte_ein()  # Stufe/Format aus RESSOURCENKARTE_LOG_LEVEL/_FORMAT; stdout bleibt der Ausgabe vorbehalten
    with deutsch():
        args = _parser().parse_args(argv)
    try:
        ausgabe = args.ausfuehren(args)
        if ausgabe:
            print(ausgabe)
    except RessourcenkarteFehler as exc:
        print("Fehler: " + " ".join(str(exc).split()), file=sys.stderr)  # immer genau eine Zeile
        return 1
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception as exc:  # letzte Linie: nie ein Traceback für Nutzende
        bekannt = als_meldung(exc)
        if bekannt:
            print("Fehler: " + bekannt, file=sys.stderr)
            return 1
        print(f"Fehler: unerwartet ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). "
              "Bitte mit dieser Meldung an die Administration wenden.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
