"""Befehle `init` und `export`."""

from __future__ import annotations

import argparse
from pathlib import Path

from befehle.basis import jahr, kontext


def registriere(unter: argparse._SubParsersAction) -> None:
    i = unter.add_parser("init", help="Schema anlegen/aktualisieren und Konfiguration laden")
    i.add_argument("--demo", action="store_true", help="zusätzlich die (fiktiven) Demo-Daten laden")
    i.set_defaults(ausfuehren=_init)
    e = unter.add_parser("export", help="Export nach Dateiendung: .gpkg, .geojson, .xlsx, .csv, .hsds.json")
    e.add_argument("pfad", type=Path, help="Zieldatei: .gpkg (GeoPackage), .geojson, .xlsx, .csv oder .hsds.json "
                                           "(Open Referral HSDS 3.0, ein Service je offene Einrichtung)")
    e.add_argument("--crs", help="nur .gpkg: Koordinatenbezugssystem als EPSG-Code (Standard: das metrische der "
                                 "Kommune, für Mainz 25832); GeoJSON bleibt nach RFC 7946 in WGS 84")
    e.add_argument("--jahr", type=jahr, help="nur .gpkg: Jahr der Kennzahlen-Ebenen je Stadtteil und Sozialraum "
                                             "(Standard: das jüngste Jahr mit Indikatorwerten)")
    e.set_defaults(ausfuehren=_export)


def _init(args: argparse.Namespace) -> str:
    from berichte.opendata import aktualisiere
    from daten.laden import initialisiere

    k = kontext(args)
    pw = k.einstellungen.admin_passwort.get_secret_value() if k.einstellungen.admin_passwort else None
    erg = initialisiere(k.engine, k.kommune, demo=args.demo, admin_passwort=pw, demo_modus=k.einstellungen.demo)
    aktualisiere(k.engine, k.kommune)  # Offene Daten: Bezeichnungen und freigegebene Kennzahlen in die Sichten
    zeilen = [f"Datenbank bereit: {erg.sozialraeume} Sozialräume, {erg.stadtteile} Stadtteile, "
              f"{erg.einrichtungen} Einrichtungen."]
    if erg.demo_neu:
        zeilen.append("Demo-Daten geladen.")
    elif args.demo:
        zeilen.append("Demo-Daten waren schon geladen.")
    if erg.admin_passwort:
        zeilen.append(f"Passwort des Kontos 'admin' aus RESSOURCENKARTE_ADMIN_PASSWORT {erg.admin_passwort}.")
    if erg.demo_konten_gesperrt:
        zeilen.append(f"Demo-Modus aus: {len(erg.demo_konten_gesperrt)} Demo-Konten gesperrt (Anmeldung nicht mehr "
                      f"möglich): {', '.join(erg.demo_konten_gesperrt)}.")
    if not k.einstellungen.demo and erg.demo_daten_vorhanden:
        zeilen.append("Hinweis: Diese Datenbank enthält fiktive Demo-Daten. Für den Echtbetrieb eine eigene, "
                      "leere Datenbank anlegen (RESSOURCENKARTE_DB_URL).")
    return "\n".join(zeilen)


def _export(args: argparse.Namespace) -> str:
    from daten.db import pruefe_verbindung, sitzung
    from daten.export import exportiere
    from daten.politik import SYSTEM

    k = kontext(args)
    pruefe_verbindung(k.engine)
    gis = args.pfad.suffix.lower() == ".gpkg"
    if args.jahr is not None and not gis:
        from daten.fehler import EingabeFehler

        raise EingabeFehler("--jahr gilt nur für GeoPackage (.gpkg): das Jahr der Kennzahlen-Ebenen.")
    if gis:
        from daten.export import gpkg_crs

        gpkg_crs(args.crs, k.kommune)  # falsches Bezugssystem melden, bevor die Kennzahlen gerechnet werden
    zusatz, stile, hinweis = _kennzahlen(args, k) if gis else ([], None, "")
    # Der Export der Kommandozeile läuft als System (wer die Datenbank-URL hat, sieht ohnehin alles): er enthält
    # alle Protokolle einschließlich Fallbesprechungen. Das Dashboard exportiert nur, was die Person lesen darf.
    with sitzung(k.engine, akteur=None, kommune=k.kommune) as s:
        text = exportiere(args.pfad, session=s, kommune=k.kommune, akteur=SYSTEM, crs=args.crs,
                          zusatz_ebenen=zusatz, stile=stile)
    return (f"{text}{hinweis} Der Export lief als System (alle Daten, auch Protokolle und Fallbesprechungen); "
            "nur an Berechtigte weitergeben.")


def _kennzahlen(args: argparse.Namespace, k):  # noqa: ANN001, ANN202
    """Kennzahlen-Ebenen des Jahres (Standard: jüngstes) und QGIS-Stile für den GeoPackage-Export."""
    from analysen.vergleich import vergleiche
    from befehle.analysen import bevoelkerung
    from berichte.gis import kennzahlen_ebenen, qgis_stile
    from daten.berichtsdaten import lade_berichtsdaten
    from daten.politik import SYSTEM

    daten = lade_berichtsdaten(k.engine, k.kommune, akteur=SYSTEM, pruefen=False)
    if daten.indikatoren.empty or k.kommune.bedarfsindex is None:
        return [], qgis_stile(k.kommune, []), " Ohne Kennzahlen-Ebenen: keine Indikatorwerte."
    jahr = args.jahr or int(daten.indikatoren["jahr"].max())
    v = vergleiche(daten.indikatoren, daten.einrichtungen, k.kommune, jahr=jahr,
                   punkte=bevoelkerung(args, daten, k.kommune), budgets=daten.budgets, netzwerke=daten.netzwerke)
    quellen = sorted({str(q) for q in daten.indikatoren["quelle"].dropna() if str(q).strip()})
    zusatz = kennzahlen_ebenen(v, stadtteile=daten.stadtteile, sozialraeume=daten.sozialraeume, kommune=k.kommune,
                               quellen=quellen)
    return zusatz, qgis_stile(k.kommune, zusatz), f" Kennzahlen {jahr} je Stadtteil und Sozialraum enthalten."
