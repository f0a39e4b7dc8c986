"""Befehle `vergleich` (Vergleichstabelle, R14) und `bericht` (Jahresbericht, Bereichs- und Umsetzungsbericht)."""

from __future__ import annotations

import argparse
from pathlib import Path

from befehle.basis import jahr, kontext

ARTEN = ("jahresbericht", "bereich", "umsetzung")


def registriere(unter: argparse._SubParsersAction) -> None:
    v = unter.add_parser("vergleich", help="Vergleichstabelle aller Stadtteile und Sozialräume (.csv oder .xlsx)")
    v.add_argument("pfad", type=Path, help="Zieldatei (.csv für deutsches Excel oder .xlsx)")
    v.add_argument("--jahr", type=jahr, required=True, help="Berichtsjahr der Indikatoren")
    v.add_argument("--raster", type=Path,
                   help="Bevölkerungsraster für den Versorgungsgrad (Zensus-2022-Gitter-CSV, EPSG:3035, "
                        "oder GeoPackage/GeoJSON mit Spalte einwohner); sonst gleichmäßig je Stadtteil")
    v.set_defaults(ausfuehren=_vergleich)
    b = unter.add_parser("bericht", help="Jahresbericht (oder Bereichs-/Umsetzungsbericht) als .docx oder .pdf")
    b.add_argument("pfad", type=Path, nargs="+",
                   help="Zieldatei(en) (.docx und/oder .pdf; mehrere: einmal gerechnet und gezeichnet)")
    b.add_argument("--jahr", type=jahr, required=True, help="Berichtsjahr")
    b.add_argument("--sozialraum", help="nur dieser Sozialraum (für --art bereich Pflicht)")
    b.add_argument("--art", choices=ARTEN, default="jahresbericht",
                   help="jahresbericht (3.2.4), bereich (Teamleitung an die Lenkungsgruppe, 4.2) oder umsetzung "
                        "(Bericht der Jugendhilfeplanung zur Umsetzung, 4.4/5.2)")
    b.set_defaults(ausfuehren=_bericht)


def bevoelkerung(args: argparse.Namespace, daten, kommune):  # noqa: ANN001, ANN202
    from analysen.angebot import bevoelkerungspunkte, bevoelkerungspunkte_aus_raster

    if getattr(args, "raster", None):
        from daten.bevoelkerungsraster import lese_bevoelkerungsraster

        return bevoelkerungspunkte_aus_raster(lese_bevoelkerungsraster(args.raster), daten.stadtteile,
                                              kommune=kommune)
    return bevoelkerungspunkte(daten.stadtteile, raster_m=kommune.versorgung.raster_m,
                               crs_metrisch=kommune.crs_metrisch)


def _vergleich(args: argparse.Namespace) -> str:
    from analysen.beschriftung import vergleich_dateien
    from analysen.vergleich import vergleiche
    from daten.berichtsdaten import lade_berichtsdaten, schreibe_tabelle
    from daten.fehler import EingabeFehler
    from daten.politik import SYSTEM

    if args.pfad.suffix.lower() not in (".csv", ".xlsx"):
        raise EingabeFehler(f"{args.pfad}: Die Vergleichstabelle wird als .csv oder .xlsx geschrieben.")
    if not args.pfad.parent.is_dir():
        raise EingabeFehler(f"Ordner {args.pfad.parent} existiert nicht. Bitte zuerst anlegen.")
    k = kontext(args)
    daten = lade_berichtsdaten(k.engine, k.kommune, akteur=SYSTEM)
    v = vergleiche(daten.indikatoren, daten.einrichtungen, k.kommune, jahr=args.jahr,
                   punkte=bevoelkerung(args, daten, k.kommune), budgets=daten.budgets, netzwerke=daten.netzwerke)
    blatt, erkl = vergleich_dateien(v.tabelle, k.kommune, indikatoren=daten.indikatoren, stadtteile=daten.stadtteile)
    schreibe_tabelle(blatt, args.pfad, blatt=f"Vergleich {args.jahr}", erlaeuterungen=erkl,
                     titel=f"{k.kommune.name}: Vergleich der Sozialräume {args.jahr}")
    n = v.tabelle["ebene"].value_counts()
    return (f"Vergleich {args.jahr} nach {args.pfad} geschrieben: {n.get('Stadtteil', 0)} Stadtteile, "
            f"{n.get('Sozialraum', 0)} Sozialräume, {len(blatt.tabelle.columns)} Spalten.")


def _bericht(args: argparse.Namespace) -> str:
    from daten.fehler import EingabeFehler

    for pfad in args.pfad:
        if pfad.suffix.lower() not in (".docx", ".pdf"):
            raise EingabeFehler(f"{pfad}: Der Bericht wird als .docx oder .pdf geschrieben.")
        if not pfad.parent.is_dir():
            raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen.")
    if args.art == "bereich" and not args.sozialraum:
        raise EingabeFehler("Für den Bereichsbericht (--art bereich) bitte --sozialraum NAME angeben.")
    from berichte.bericht import bericht_aus_daten
    from berichte.dokument import speichere
    from daten.berichtsdaten import lade_berichtsdaten
    from daten.namenssuche import finde_sozialraum
    from daten.politik import SYSTEM

    k = kontext(args)
    if args.sozialraum:  # eine Regel für alle Befehle: Schreibweise egal, eindeutiger Anfang genügt
        args.sozialraum = finde_sozialraum(args.sozialraum, [sr.name for sr in k.kommune.sozialraeume])
    daten = lade_berichtsdaten(k.engine, k.kommune, akteur=SYSTEM)
    dok = bericht_aus_daten(daten, k.kommune, jahr=args.jahr, art=args.art, sozialraum=args.sozialraum,
                                 punkte=bevoelkerung(args, daten, k.kommune))
    for pfad in args.pfad:  # ein Dokument (Kennzahlen, Kartenbilder) für alle Formate
        speichere(dok, pfad)
    return f"Bericht ({args.art}, {args.jahr}) nach {', '.join(map(str, args.pfad))} geschrieben."
