"""Befehlsgruppe `import`: stadtteile, einrichtungen, indikatoren – mit Probelauf, Zeilenbericht und Fortschritt."""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from befehle.basis import Balken, deutsche_daten, jahr, kontext

_HILFE = {
    "stadtteile": "Stadtteil-Grenzen (GeoJSON, GeoPackage, Shapefile/.zip): Namen zuordnen, reparieren, Lücken und "
                  "Überlappungen bereinigen, Einrichtungen neu zuordnen",
    "einrichtungen": "Einrichtungen (CSV, XLSX, JSON, GeoJSON, GeoPackage): Art über typzuordnung, Stadtteil über die "
                     "Lage; erneuter Import aktualisiert",
    "indikatoren": "Indikatoren je Stadtteil und Jahr (lange oder breite Tabelle, CSV/XLSX)",
}


def registriere(unter: argparse._SubParsersAction) -> None:
    i = unter.add_parser("import", help="Dateien prüfen und importieren (stadtteile, einrichtungen, indikatoren)",
                         description="Jeder Import prüft zuerst alle Zeilen. Mit --probe wird nur geprüft; sonst wird "
                         "alles oder nichts geschrieben (Ausnahme: --zeilen-ueberspringen).")
    arten = i.add_subparsers(dest="importart", metavar="ART", title="Importarten", parser_class=type(i))
    arten.required = True
    for art, hilfe in _HILFE.items():
        p = arten.add_parser(art, help=hilfe, description=hilfe)
        p.add_argument("pfad", type=Path, help="Eingabedatei")
        if art in ("stadtteile", "einrichtungen"):
            p.add_argument("--crs", metavar="EPSG",
                           help="Koordinatensystem der Datei, z. B. 25832 (sonst erklärt/erkannt)")
        if art == "stadtteile":
            p.add_argument("--name-feld", metavar="FELD", help="Feld mit den Stadtteilnamen (oder Kennungen)")
            p.add_argument("--zuordnung", metavar="WERT=STADTTEIL", action="append", default=[],
                           help="Wert des Namensfelds einem Stadtteil zuordnen (mehrfach)")
            p.add_argument("--zuordnung-datei", metavar="CSV", type=Path,
                           help="CSV mit Kopfzeile und zwei Spalten: Wert, Stadtteil")
            p.add_argument("--namen-nach-lage", action="store_true",
                           help="unbenannte Flächen nach Überdeckung mit den gespeicherten Grenzen benennen")
            p.add_argument("--luecke-bis", metavar="METER", type=float, default=50.0,
                           help="Lücken zwischen Nachbarn bis zu dieser Breite schließen (Standard 50)")
        else:
            p.add_argument("--spalte", metavar="ZIEL=QUELLE", action="append", default=[],
                           help="Spalte der Datei einem Zielfeld zuordnen (mehrfach), z. B. name=Bezeichnung")
        if art == "indikatoren":
            p.add_argument("--merkmal", metavar="WORT=SCHLÜSSEL", action="append", default=[],
                           help="Merkmalsnamen der Datei einem Merkmal der Konfiguration zuordnen (mehrfach)")
            p.add_argument("--jahr", type=jahr, help="Jahr für breite Tabellen ohne Jahresspalte")
        p.add_argument("--probe", action="store_true", help="nur prüfen und berichten, nichts schreiben")
        p.add_argument("--zeilen-ueberspringen", action="store_true",
                       help="fehlerhafte Zeilen auslassen und den Rest schreiben (sonst: nichts schreiben)")
        p.add_argument("--bericht", metavar="CSV", type=Path, help="Zeilenbericht zusätzlich als CSV schreiben")
        p.add_argument("--als", metavar="LOGIN", help="als dieses Konto handeln (Rechte und Änderungsprotokoll)")
        p.set_defaults(ausfuehren=_importieren)


def _akteur(k, login: str | None):  # noqa: ANN001, ANN202
    from daten.politik import Akteur

    if not login:
        # Wer die Datenbank-URL hat, hat ohnehin alle Rechte; protokolliert wird das Betriebssystem-Konto.
        return Akteur(login=f"kommandozeile:{getpass.getuser()}"[:80], rolle="admin")
    from daten.importe import akteur_aus_konto

    return akteur_aus_konto(k.engine, login)


def _optionen(args: argparse.Namespace):  # noqa: ANN202
    from daten import importe

    if args.importart == "stadtteile":
        zuordnung = importe.lies_zuordnung(args.zuordnung, args.zuordnung_datei)
        return importe.StadtteilOptionen(name_feld=args.name_feld, crs=args.crs, zuordnung=zuordnung,
                                         namen_nach_lage=args.namen_nach_lage, luecke_bis_m=args.luecke_bis)
    if args.importart == "einrichtungen":
        return importe.EinrichtungOptionen(crs=args.crs, spalten=tuple(args.spalte))
    return importe.IndikatorOptionen(spalten=tuple(args.spalte), merkmale=tuple(args.merkmal), jahr=args.jahr)


def _importieren(args: argparse.Namespace) -> str:
    from daten import importe
    from daten.db import pruefe_verbindung
    from daten.fehler import EingabeFehler

    if args.bericht is not None and not args.bericht.parent.exists():
        raise EingabeFehler(f"Ordner {args.bericht.parent} für den Bericht existiert nicht.")
    quelle = importe.Quelle.aus_pfad(args.pfad)
    k = kontext(args)
    pruefe_verbindung(k.engine)
    akteur = _akteur(k, args.als)
    optionen = _optionen(args)
    balken = Balken()
    try:
        erg = importe.importiere(k.engine, k.kommune, args.importart, quelle, akteur=akteur, optionen=optionen,
                                 probe=args.probe, zeilen_ueberspringen=args.zeilen_ueberspringen, fortschritt=balken)
    finally:
        balken.ende()
    if args.bericht is not None:
        args.bericht.write_bytes(erg.bericht.als_csv())
    if erg.geschrieben and not args.probe and args.importart in ("indikatoren", "stadtteile"):
        from berichte.opendata import aktualisiere

        aktualisiere(k.engine, k.kommune)  # Offene Daten: Kennzahlen der öffentlichen Sichten neu rechnen
    print(_ausgabe(erg))
    if not args.probe and not erg.geschrieben:
        raise EingabeFehler(f"{quelle.name}: {erg.text} Bericht oben" + (f" und in {args.bericht}." if args.bericht
                                                                             else "; als CSV mit --bericht DATEI.csv."))
    if args.probe and erg.bericht.hat_fehler:
        raise EingabeFehler(f"{quelle.name}: {erg.text}")
    return erg.text


def _tabelle(df, titel: str, hoechstens: int = 60) -> str:  # noqa: ANN001
    if df is None or len(df) == 0:
        return ""
    text = deutsche_daten(df.head(hoechstens)).to_string(index=False)
    mehr = f"\n… und {len(df) - hoechstens} weitere" if len(df) > hoechstens else ""
    return f"\n{titel}:\n{text}{mehr}"


def _ausgabe(erg) -> str:  # noqa: ANN001
    """Bericht, dann je Importart die Übersicht (Flächen, Umzüge bzw. Vorschau)."""
    import pandas as pd

    teile = [f"Zeilenbericht {erg.bericht.datei} ({erg.bericht.zusammenfassung()}):", erg.bericht.als_text()]
    plan = erg.plan
    if erg.art == "stadtteile":
        teile.append(_tabelle(plan.flaechen, "Flächen je Stadtteil (m², EPSG:25832)"))
        teile.append(_tabelle(plan.verschiebungen, "Bereinigung: verschobene Flächen (m²)"))
        umzuege = pd.DataFrame([(u.einrichtung_id, u.name, u.alt, u.neu) for u in plan.umzuege],
                               columns=["id", "Einrichtung", "bisher", "neu"])
        teile.append(_tabelle(umzuege, "Einrichtungen mit neuem Stadtteil", 200))
    else:
        vorschau = plan.vorschau()
        if "aktion" in vorschau:
            vorschau = vorschau[vorschau["aktion"] != "unverändert"]
        teile.append(_tabelle(vorschau, "Vorschau (neu/zu ändern)", 40))
    return "\n".join(t for t in teile if t)
