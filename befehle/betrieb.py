"""Befehle für den Betrieb: `gesundheit` (Überwachung, Exit-Code 0/1) und `rollen` (PostgreSQL-Rollen)."""

from __future__ import annotations

import argparse
import os

from daten.fehler import RessourcenkarteFehler


class Ungesund(RessourcenkarteFehler):
    """Mindestens eine Prüfung ist gescheitert (Exit-Code 1, eine Zeile auf stderr)."""


def registriere(unter: argparse._SubParsersAction) -> None:
    g = unter.add_parser("gesundheit", help="Datenbank, Schema, Konfiguration und Plattenplatz prüfen (Exit 0/1, "
                                            "für die Überwachung; höchstens 15 s)")
    g.set_defaults(ausfuehren=_gesundheit)
    r = unter.add_parser("rollen", help="PostgreSQL-Rollen rk_app (Anwendung) und rk_lesen (öffentliche Daten) "
                                        "anlegen oder angleichen; als Eigentümerin der Datenbank ausführen")
    r.add_argument("--passwort-aus-umgebung", action="store_true",
                   help="Passwörter aus RK_APP_PASSWORT und RK_LESEN_PASSWORT setzen (nie auf der Kommandozeile)")
    r.set_defaults(ausfuehren=_rollen)


def _gesundheit(args: argparse.Namespace) -> str:
    from daten.betrieb import gesundheit
    from daten.einstellungen import datenordner, lade_einstellungen

    einst = lade_einstellungen(db_url=args.db, kommune=args.kommune)
    befunde = gesundheit(db_url=einst.db_url, kommune_pfad=einst.kommune, datenordner=datenordner())
    for b in befunde:
        print(f"{'OK    ' if b.ok else 'FEHLER'} {b.name}: {b.text}", flush=True)
    schlecht = [b for b in befunde if not b.ok]
    if schlecht:
        raise Ungesund("Gesundheitsprüfung: " + "; ".join(f"{b.name}: {b.text}" for b in schlecht))
    return "Gesund."


def _rollen(args: argparse.Namespace) -> str:
    from befehle.basis import kontext
    from daten.betrieb import APP, LESEN, richte_rollen_ein

    k = kontext(args)
    pw = {}
    if args.passwort_aus_umgebung:
        pw = {APP: os.environ.get("RK_APP_PASSWORT", ""), LESEN: os.environ.get("RK_LESEN_PASSWORT", "")}
    try:
        return richte_rollen_ein(k.engine, passwoerter=pw)
    finally:
        k.engine.dispose()
