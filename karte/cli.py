"""Kommandozeile `ressourcenkarte` (deutsch). Fehler: eine Zeile auf stderr, Exit-Code 1, kein Traceback."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from daten.fehler import RessourcenkarteFehler


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse-Fehler als eine deutsche Zeile
        übersetzt = (message.replace("invalid choice", "unbekannter Befehl")
                     .replace("the following arguments are required", "es fehlt")
                     .replace("unrecognized arguments", "unbekannte Angaben")
                     .replace("choose from", "möglich sind"))
        print(f"Fehler: {übersetzt}. Hilfe: ressourcenkarte --help", file=sys.stderr)
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="ressourcenkarte", description="Sozialraum-Ressourcenkarte: Datenbank, Export und Karte.")
    p.add_argument("--db", help="Datenbank-URL (sonst RESSOURCENKARTE_DB_URL oder SQLite im Datenordner)")
    p.add_argument("--kommune", help="Pfad zur Kommune-Konfiguration (YAML; Standard: Mainz)")
    unter = p.add_subparsers(dest="befehl", metavar="BEFEHL", parser_class=_Parser)
    unter.required = True
    i = unter.add_parser("init", help="Schema anlegen/aktualisieren und Konfiguration laden")
    i.add_argument("--demo", action="store_true", help="zusätzlich die (fiktiven) Demo-Daten laden")
    e = unter.add_parser("export", help="Export nach Dateiendung: .gpkg, .geojson, .xlsx, .csv")
    e.add_argument("pfad", type=Path, help="Zieldatei")
    k = unter.add_parser("karte", help="Karte als eigenständige, offline lauffähige HTML-Datei schreiben")
    k.add_argument("pfad", type=Path, help="Zieldatei (.html)")
    k.add_argument("--sozialraum", help="auf diesen Sozialraum zoomen")
    k.add_argument("--praesentation", action="store_true", help="Präsentationsmodus (große Schrift, nur lesen)")
    k.add_argument("--jahr", type=int, help="Berichtsjahr: Einrichtungen, die in diesem Jahr gültig waren")
    k.add_argument("--png", type=Path, help="zusätzlich ein PNG-Bild (Headless-Chromium)")
    return p


def _kontext(args: argparse.Namespace):  # noqa: ANN202
    from daten.config import lade_kommune
    from daten.db import erstelle_engine
    from daten.einstellungen import lade_einstellungen

    einst = lade_einstellungen(db_url=args.db, kommune=args.kommune)
    return einst, lade_kommune(einst.kommune), erstelle_engine(einst.db_url)


def _init(args: argparse.Namespace) -> str:
    from daten.laden import initialisiere

    einst, kommune, engine = _kontext(args)
    pw = einst.admin_passwort.get_secret_value() if einst.admin_passwort else None
    erg = initialisiere(engine, kommune, demo=args.demo, admin_passwort=pw)
    zusatz = " Demo-Daten geladen." if erg.demo_neu else (" Demo-Daten waren schon geladen." if args.demo else "")
    return (f"Datenbank bereit: {erg.sozialraeume} Sozialräume, {erg.stadtteile} Stadtteile, "
            f"{erg.einrichtungen} Einrichtungen.{zusatz}")


def _export(args: argparse.Namespace) -> str:
    from daten.db import pruefe_verbindung, sitzung
    from daten.export import exportiere

    _, kommune, engine = _kontext(args)
    pruefe_verbindung(engine)
    with sitzung(engine, akteur=None) as s:
        return exportiere(args.pfad, session=s, kommune=kommune)


def _karte(args: argparse.Namespace) -> str:
    from daten.fehler import EingabeFehler
    from daten.kartendaten import lade_kartendaten

    if args.pfad.suffix.lower() not in (".html", ".htm"):
        raise EingabeFehler(f"{args.pfad}: Die Karte wird als .html geschrieben. Bitte Dateiendung .html angeben.")
    for ziel in (args.pfad, args.png):
        if ziel is not None and not ziel.parent.exists():
            raise EingabeFehler(f"Ordner {ziel.parent} existiert nicht. Bitte zuerst anlegen.")
    einst, kommune, engine = _kontext(args)
    stichtag = date(args.jahr, 12, 31) if args.jahr else None
    daten = lade_kartendaten(engine, kommune, stichtag=stichtag, jahr=args.jahr)
    if args.sozialraum and args.sozialraum not in set(daten.sozialraeume["name"]):
        namen = ", ".join(daten.sozialraeume["name"])
        raise EingabeFehler(f"Sozialraum '{args.sozialraum}' gibt es nicht. Vorhanden: {namen}.")
    from karte import baue_karte, speichere_html

    m = baue_karte(**daten.als_argumente(), kommune=kommune, basemap=einst.basemap,
                   auswahl_sozialraum=args.sozialraum, praesentation=args.praesentation)
    speichere_html(m, args.pfad)
    text = f"Karte {args.pfad} geschrieben ({len(daten.einrichtungen)} Einrichtungen)."
    if args.png:
        from karte import speichere_png

        speichere_png(args.pfad, args.png)
        text += f" Bild {args.png} geschrieben."
    return text


def main(argv: list[str] | None = None) -> int:
    """Einstieg der Konsole; gibt den Exit-Code zurück."""
    args = _parser().parse_args(argv)
    befehle = {"init": _init, "export": _export, "karte": _karte}
    try:
        print(befehle[args.befehl](args))
    except RessourcenkarteFehler as exc:
        print("Fehler: " + " ".join(str(exc).split()), file=sys.stderr)  # immer genau eine Zeile
        return 1
    except KeyboardInterrupt:
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except Exception as exc:  # letzte Linie: nie ein Traceback für Nutzende
        print(f"Fehler: unerwartet ({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}). "
              "Bitte mit dieser Meldung an die Administration wenden.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
