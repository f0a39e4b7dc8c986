"""Gemeinsames der Befehle: deutscher Parser, geprüfte Argumenttypen, Einstellungen/Kommune/Engine, Fortschritt."""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from daten.config import Kommune
    from daten.einstellungen import Einstellungen

JAHR_MIN = 1990  # ältere Jahre hat keine Quelle dieser Anwendung


# Globale Optionen: vor oder nach dem Befehl (`ressourcenkarte --db URL export …` = `… export … --db URL`)
GLOBALE_OPTIONEN: dict[str, str] = {
    "--db": "Datenbank-URL (sonst RESSOURCENKARTE_DB_URL oder SQLite im Datenordner)",
    "--kommune": "Pfad zur Kommune-Konfiguration (YAML; Standard: Mainz)",
}


class Parser(argparse.ArgumentParser):
    """argparse mit deutscher Fehlerzeile (eine Zeile auf stderr, Exit-Code 2) und den globalen Optionen.

    Jeder (Unter-)Befehl kennt die globalen Optionen; im Unterbefehl ohne Standardwert (SUPPRESS), damit eine
    vor dem Befehl gegebene Angabe nicht überschrieben wird. `haupt=True`: der oberste Parser (Standard None).
    """

    def __init__(self, *args: object, haupt: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        gruppe = self.add_argument_group("globale Optionen (auch nach dem Befehl)") if not haupt else self
        for name, hilfe in GLOBALE_OPTIONEN.items():
            gruppe.add_argument(name, help=hilfe, default=None if haupt else argparse.SUPPRESS)

    def error(self, message: str) -> None:  # noqa: D102
        print(f"Fehler: {message}. Hilfe: {self.prog} --help", file=sys.stderr)
        raise SystemExit(2)


def jahr(text: str) -> int:
    """Argumenttyp Berichtsjahr: ganze Zahl zwischen 1990 und dem nächsten Jahr."""
    try:
        wert = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' ist kein Jahr (vierstellige Zahl, z. B. 2025)") from None
    hoechstens = date.today().year + 1
    if not JAHR_MIN <= wert <= hoechstens:
        raise argparse.ArgumentTypeError(f"Jahr {wert} liegt außerhalb von {JAHR_MIN}–{hoechstens}")
    return wert


def ganzzahl(text: str) -> int:
    """Argumenttyp ganze Zahl mit deutscher Meldung."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' ist keine ganze Zahl") from None


def deutsches_datum(wert: object) -> object:
    """Datum/Zeitpunkt als TT.MM.JJJJ (mit Uhrzeit: TT.MM.JJJJ HH:MM); alles andere unverändert."""
    import pandas as pd

    if wert is None or wert is pd.NaT:
        return wert
    if isinstance(wert, datetime):  # auch pd.Timestamp
        return f"{wert:%d.%m.%Y}" if (wert.hour, wert.minute, wert.second) == (0, 0, 0) else f"{wert:%d.%m.%Y %H:%M}"
    if isinstance(wert, date):
        return f"{wert:%d.%m.%Y}"
    return wert


def deutsche_daten(df):  # noqa: ANN001, ANN201
    """Die Tabelle mit deutschen Datumsangaben in jeder Spalte, die Daten enthält (für Ausgaben auf stdout)."""
    return df.apply(lambda spalte: spalte.map(deutsches_datum) if spalte.dtype == object or
                    str(spalte.dtype).startswith("datetime") else spalte)


@dataclass(frozen=True)
class Kontext:
    """Was fast jeder Befehl braucht."""

    einstellungen: Einstellungen
    kommune: Kommune
    engine: Engine


def kontext(args: argparse.Namespace) -> Kontext:
    """Einstellungen (CLI vor Umgebung), Kommune-Konfiguration und Engine."""
    from daten.config import lade_kommune
    from daten.db import erstelle_engine
    from daten.einstellungen import lade_einstellungen

    einst = lade_einstellungen(db_url=args.db, kommune=args.kommune)
    return Kontext(einst, lade_kommune(einst.kommune), erstelle_engine(einst.db_url))


class Balken:
    """Fortschrittsbalken auf stderr, nur an einem Terminal (in Skripten bleibt stderr der Fehlerzeile vorbehalten)."""

    def __init__(self) -> None:
        self.aktiv = sys.stderr.isatty()

    def __call__(self, anteil: float, text: str) -> None:
        if self.aktiv:
            voll = int(anteil * 30)
            print(f"\r[{'#' * voll}{' ' * (30 - voll)}] {anteil:4.0%} {text[:50]:<50}", end="", file=sys.stderr,
                  flush=True)

    def ende(self) -> None:
        if self.aktiv:
            print(file=sys.stderr, flush=True)
