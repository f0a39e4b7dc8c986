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
    a = unter.add_parser("aufbewahrung", help="personenbezogene Daten nach Ablauf der Fristen der Kommune löschen "
                                              "oder anonymisieren (DSGVO); mit --probe nur anzeigen")
    a.add_argument("--probe", action="store_true", help="nur anzeigen, was fällig ist; nichts ändern")
    a.add_argument("--stichtag", type=_datum, help="heute annehmen (TT.MM.JJJJ oder JJJJ-MM-TT; zum Prüfen)")
    a.set_defaults(ausfuehren=_aufbewahrung)


def _datum(text: str):  # noqa: ANN202
    from datetime import datetime

    for form in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"'{text}' ist kein Datum (TT.MM.JJJJ, z. B. 31.12.2026)")


def _aufbewahrung(args: argparse.Namespace) -> str:
    from befehle.basis import kontext
    from daten.aufbewahrung import faellig, wende_an

    k = kontext(args)
    try:
        posten = (faellig if args.probe else wende_an)(k.engine, k.kommune, heute=args.stichtag)
    finally:
        k.engine.dispose()
    zeilen = [f"{'Datenart':<72} {'Frist':>6} {'vor dem':>10} {'Anzahl':>7}  Aktion"]
    for p in posten:
        zeilen.append(f"{p.bezeichnung:<72} {p.frist_monate:>4} M {p.stichtag.strftime('%d.%m.%Y'):>10} "
                      f"{p.anzahl:>7}  {p.aktion}")
    summe = sum(p.anzahl for p in posten)
    zeilen.append(f"Probe: {summe} Einträge fällig; nichts geändert." if args.probe else
                  f"Erledigt: {summe} Einträge gelöscht oder anonymisiert (im Änderungsprotokoll vermerkt).")
    return "\n".join(zeilen)


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
