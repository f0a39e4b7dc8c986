"""Befehl `karte`: eigenständige HTML-Karte, optional als PNG."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from karte.cli.basis import jahr, kontext


def registriere(unter: argparse._SubParsersAction) -> None:
    k = unter.add_parser("karte", help="Karte als eigenständige, offline lauffähige HTML-Datei schreiben")
    k.add_argument("pfad", type=Path, help="Zieldatei (.html)")
    k.add_argument("--sozialraum", help="auf diesen Sozialraum zoomen")
    k.add_argument("--praesentation", action="store_true", help="Präsentationsmodus (große Schrift, nur lesen)")
    k.add_argument("--jahr", type=jahr, help="Berichtsjahr: Einrichtungen, die in diesem Jahr gültig waren")
    k.add_argument("--png", type=Path, help="zusätzlich ein PNG-Bild (Headless-Chromium)")
    k.set_defaults(ausfuehren=_karte)


def _karte(args: argparse.Namespace) -> str:
    from daten.fehler import EingabeFehler
    from daten.kartendaten import lade_kartendaten

    if args.pfad.suffix.lower() not in (".html", ".htm"):
        raise EingabeFehler(f"{args.pfad}: Die Karte wird als .html geschrieben. Bitte Dateiendung .html angeben.")
    for ziel in (args.pfad, args.png):
        if ziel is not None and not ziel.parent.exists():
            raise EingabeFehler(f"Ordner {ziel.parent} existiert nicht. Bitte zuerst anlegen.")
    k = kontext(args)
    stichtag = date(args.jahr, 12, 31) if args.jahr else None
    daten = lade_kartendaten(k.engine, k.kommune, stichtag=stichtag, jahr=args.jahr)
    if args.sozialraum and args.sozialraum not in set(daten.sozialraeume["name"]):
        namen = ", ".join(daten.sozialraeume["name"])
        raise EingabeFehler(f"Sozialraum '{args.sozialraum}' gibt es nicht. Vorhanden: {namen}.")
    from karte import baue_karte, speichere_html

    m = baue_karte(**daten.als_argumente(), kommune=k.kommune, basemap=k.einstellungen.basemap,
                   auswahl_sozialraum=args.sozialraum, praesentation=args.praesentation)
    speichere_html(m, args.pfad)
    text = f"Karte {args.pfad} geschrieben ({len(daten.einrichtungen)} Einrichtungen)."
    if args.png:
        from karte import speichere_png

        speichere_png(args.pfad, args.png)
        text += f" Bild {args.png} geschrieben."
    return text
