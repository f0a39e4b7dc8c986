"""Befehl `karte`: eigenständige HTML-Karte, optional als PNG; filtert wie die Karte-Seite des Dashboards."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from befehle.basis import jahr, kontext
from daten.namenssuche import finde_sozialraum  # noqa: F401  (eine Regel für alle Befehle; Tests importieren hier)


def registriere(unter: argparse._SubParsersAction) -> None:
    k = unter.add_parser("karte", help="Karte als eigenständige, offline lauffähige HTML-Datei schreiben")
    k.add_argument("pfad", type=Path, help="Zieldatei (.html)")
    k.add_argument("--sozialraum", help="nur diesen Sozialraum zeigen und auf ihn zoomen (Groß-/Kleinschreibung "
                                        "egal, eindeutiger Anfang genügt, z. B. finthen)")
    k.add_argument("--praesentation", action="store_true", help="Präsentationsmodus (große Schrift, nur lesen)")
    k.add_argument("--jahr", type=jahr, help="Berichtsjahr: Einrichtungen, die in diesem Jahr gültig waren")
    k.add_argument("--png", type=Path, help="zusätzlich ein PNG-Bild der Druckansicht (Headless-Chromium): ohne "
                                            "Bedienknöpfe, mit Legende, Maßstab, Nordpfeil, Titel und Quelle")
    k.add_argument("--format", choices=["A4", "A3"], type=str.upper, default="A4", dest="papier",
                   help="Papierformat des PNG (Standard: A4)")
    lage = k.add_mutually_exclusive_group()
    lage.add_argument("--quer", dest="quer", action="store_true", default=True,
                      help="Querformat (Standard)")
    lage.add_argument("--hoch", dest="quer", action="store_false", help="Hochformat")
    k.add_argument("--dpi", type=int, default=150,
                   help="Auflösung des PNG in dpi (72–600, Standard 150: A4 quer = 1754 × 1240 Pixel)")
    k.set_defaults(ausfuehren=_karte)


def _pruefe_ziele(args: argparse.Namespace) -> None:
    from daten.fehler import EingabeFehler

    if args.pfad.suffix.lower() not in (".html", ".htm"):
        raise EingabeFehler(f"{args.pfad}: Die Karte wird als .html geschrieben. Bitte Dateiendung .html angeben.")
    if args.png is not None and args.png.suffix.lower() != ".png":
        raise EingabeFehler(f"{args.png}: Das Bild wird als PNG geschrieben. Bitte Dateiendung .png angeben.")
    for ziel in (args.pfad, args.png):
        if ziel is not None and not ziel.parent.exists():
            raise EingabeFehler(f"Ordner {ziel.parent} existiert nicht. Bitte zuerst anlegen.")
        if ziel is not None and ziel.is_dir():
            raise EingabeFehler(f"{ziel} ist ein Ordner. Bitte einen Dateinamen angeben.")


def _karte(args: argparse.Namespace) -> str:
    from daten.kartendaten import lade_kartendaten
    from karte.export import Bildformat

    _pruefe_ziele(args)  # vor jeder Arbeit: nichts wird geschrieben, wenn ein Ziel nicht passt
    bildformat = Bildformat(papier=args.papier, quer=args.quer, dpi=args.dpi)  # ungültige dpi: Meldung vorab
    k = kontext(args)
    stichtag = date(args.jahr, 12, 31) if args.jahr else None
    daten = lade_kartendaten(k.engine, k.kommune, stichtag=stichtag, jahr=args.jahr)
    argumente = daten.als_argumente()
    sozialraum = None
    if args.sozialraum:
        sozialraum = finde_sozialraum(args.sozialraum, list(daten.sozialraeume["name"]))
        # wie im Dashboard: nur Einrichtungen des Sozialraums und Verbindungen zwischen ihnen
        ein = daten.einrichtungen[daten.einrichtungen["sozialraum"] == sozialraum]
        kanten = daten.netzwerk_kanten
        argumente |= {"einrichtungen": ein,
                      "netzwerk_kanten": kanten[kanten["von"].isin(ein["name"]) & kanten["nach"].isin(ein["name"])]}
    from karte import baue_karte, speichere_karte

    titel = "Ressourcenkarte" if sozialraum else f"Ressourcenkarte {k.kommune.name}"
    # Titel mit Gebiet und Jahr (ohne --jahr: das laufende Jahr, die Karte zeigt den heutigen Stand)
    m = baue_karte(**argumente, kommune=k.kommune, basemap=k.einstellungen.basemap, auswahl_sozialraum=sozialraum,
                   praesentation=args.praesentation, titel=titel, jahr=args.jahr or date.today().year)
    anzahl = len(argumente["einrichtungen"])
    umfang = f"Sozialraum {sozialraum}, " if sozialraum else ""
    stand = f"Stand 31.12.{args.jahr}" if args.jahr else f"Stand {date.today():%d.%m.%Y}"
    # beide Ziele vorab geprüft, das Bild vor dem Ersetzen der HTML-Datei erzeugt, jede Datei atomar
    speichere_karte(m, args.pfad, args.png, bildformat=bildformat)
    if args.png is None:
        return f"Karte {args.pfad} geschrieben ({umfang}{anzahl} Einrichtungen, {stand})."
    return (f"Karte {args.pfad} und Bild {args.png} ({bildformat.beschreibung()}) geschrieben "
            f"({umfang}{anzahl} Einrichtungen, {stand}).")
