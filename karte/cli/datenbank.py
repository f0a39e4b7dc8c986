"""Befehle `init` und `export`."""

from __future__ import annotations

import argparse
from pathlib import Path

from karte.cli.basis import kontext


def registriere(unter: argparse._SubParsersAction) -> None:
    i = unter.add_parser("init", help="Schema anlegen/aktualisieren und Konfiguration laden")
    i.add_argument("--demo", action="store_true", help="zusätzlich die (fiktiven) Demo-Daten laden")
    i.set_defaults(ausfuehren=_init)
    e = unter.add_parser("export", help="Export nach Dateiendung: .gpkg, .geojson, .xlsx, .csv")
    e.add_argument("pfad", type=Path, help="Zieldatei")
    e.set_defaults(ausfuehren=_export)


def _init(args: argparse.Namespace) -> str:
    from daten.laden import initialisiere

    k = kontext(args)
    pw = k.einstellungen.admin_passwort.get_secret_value() if k.einstellungen.admin_passwort else None
    erg = initialisiere(k.engine, k.kommune, demo=args.demo, admin_passwort=pw)
    zusatz = " Demo-Daten geladen." if erg.demo_neu else (" Demo-Daten waren schon geladen." if args.demo else "")
    return (f"Datenbank bereit: {erg.sozialraeume} Sozialräume, {erg.stadtteile} Stadtteile, "
            f"{erg.einrichtungen} Einrichtungen.{zusatz}")


def _export(args: argparse.Namespace) -> str:
    from daten.db import pruefe_verbindung, sitzung
    from daten.export import exportiere
    from daten.rechte import SYSTEM

    k = kontext(args)
    pruefe_verbindung(k.engine)
    with sitzung(k.engine, akteur=None) as s:  # nur lesen; Umfang wie das System (alle Protokolle)
        text = exportiere(args.pfad, session=s, kommune=k.kommune, akteur=SYSTEM)
    return text + " Der Export lief als System (Kommandozeile, alle Leserechte)."
