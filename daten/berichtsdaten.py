"""Lesen für Vergleich und Jahresbericht: alle Frames in einer Lesetransaktion; Tabellen als CSV/XLSX schreiben.

Die Analysen (`analysen/`) bekommen nur diese Frames, nie die Datenbank.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from daten import modelle as m
from daten import protokolle
from daten import repository as repo
from daten.config import Kommune
from daten.dateien import schreibe_atomar
from daten.db import pruefe_verbindung, sitzung
from daten.dienste import sitzungen as gremium_sitzungen
from daten.dienste.budget import budgets_und_massnahmen
from daten.dienste.hospitationen import hospitationen
from daten.fehler import DatenbankFehler, EingabeFehler
from daten.politik import Akteur
from daten.xlsx import Blatt, csv_bytes, schreibe_xlsx


@dataclass(frozen=True)
class Berichtsdaten:
    """Frames für Vergleich und Bericht. Geometrien in EPSG:4326."""

    stadtteile: gpd.GeoDataFrame
    sozialraeume: gpd.GeoDataFrame
    einrichtungen: gpd.GeoDataFrame
    indikatoren: pd.DataFrame
    netzwerke: pd.DataFrame
    budgets: pd.DataFrame
    massnahmen: pd.DataFrame
    protokollpunkte: pd.DataFrame
    sitzungen: pd.DataFrame
    reflexionen: pd.DataFrame
    empfehlungen: pd.DataFrame
    hospitationen: pd.DataFrame
    stufen: pd.DataFrame
    # Einschätzungen je Frage (3.2.4): sozialraum ("" = stadtweit), jahr, frage, text, status, version, geaendert_von
    bewertungen: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BEWERTUNG_SPALTEN))


BEWERTUNG_SPALTEN = ["id", "sozialraum", "jahr", "frage", "text", "status", "version", "geaendert_von",
                     "geaendert_am"]


def _frame(session: Session, abfrage, spalten: list[str]) -> pd.DataFrame:  # noqa: ANN001
    return pd.DataFrame(session.execute(abfrage).all(), columns=spalten)


def budgets(*, session: Session) -> pd.DataFrame:
    """Budgets wie auf der Seite „Budget“ (`daten.dienste.budget.budgets_und_massnahmen`)."""
    return budgets_und_massnahmen(session)[0]


def massnahmen(*, session: Session) -> pd.DataFrame:
    """Maßnahmen wie auf der Seite „Budget“ (`daten.dienste.budget.budgets_und_massnahmen`): dieselbe Quelle, damit
    Jahresbericht und Budgetseite dasselbe zählen."""
    return budgets_und_massnahmen(session)[1]


def bewertungen(*, session: Session) -> pd.DataFrame:
    """Gespeicherte Einschätzungen je Frage (Spalten BEWERTUNG_SPALTEN; sozialraum "" = stadtweit)."""
    q = (select(m.Bewertung.id, m.Sozialraum.name, m.Bewertung.jahr, m.Bewertung.frage, m.Bewertung.text,
                m.Bewertung.status, m.Bewertung.version, m.Bewertung.geaendert_von, m.Bewertung.geaendert_am)
         .outerjoin(m.Sozialraum, m.Bewertung.sozialraum_id == m.Sozialraum.id)
         .order_by(m.Bewertung.jahr, m.Bewertung.frage, m.Bewertung.id))
    df = _frame(session, q, BEWERTUNG_SPALTEN)
    df["sozialraum"] = df["sozialraum"].fillna("")
    return df


def sitzungen(*, session: Session) -> pd.DataFrame:
    """Sitzungen wie `daten.dienste.sitzungen.sitzungen` (ohne Protokolltext), dazu `jahr` und `stadtteile`
    (Namen der Stadtteile des Teilgremiums; leer = ganzes Gremium)."""
    df = gremium_sitzungen.sitzungen(session)
    teile: dict[int, list[str]] = {}
    for tg_id, name in session.execute(
            select(m.teilgremium_stadtteil.c.teilgremium_id, m.Stadtteil.name)
            .join(m.Stadtteil, m.Stadtteil.id == m.teilgremium_stadtteil.c.stadtteil_id).order_by(m.Stadtteil.name)):
        teile.setdefault(tg_id, []).append(name)
    df["stadtteile"] = [teile.get(int(i), []) if pd.notna(i) else [] for i in df["teilgremium_id"]]
    df["jahr"] = [d.year for d in df["datum"]]
    return df


def empfehlungen(*, session: Session) -> pd.DataFrame:
    """Empfehlungen: sozialraum ("" = stadtweit), jahr, text, status, version, geaendert_von (Name der Person,
    nicht ihr Login – der Text geht in Berichte; unbekanntes Login bleibt stehen), geaendert_am."""
    q = (select(m.Empfehlung.id, m.Sozialraum.name, m.Empfehlung.jahr, m.Empfehlung.text, m.Empfehlung.status,
                m.Empfehlung.version, func.coalesce(m.Benutzer.anzeigename, m.Empfehlung.geaendert_von),
                m.Empfehlung.geaendert_am)
         .outerjoin(m.Sozialraum, m.Empfehlung.sozialraum_id == m.Sozialraum.id)
         .outerjoin(m.Benutzer, m.Benutzer.login == m.Empfehlung.geaendert_von).order_by(m.Empfehlung.id))
    df = _frame(session, q, ["id", "sozialraum", "jahr", "text", "status", "version", "geaendert_von",
                             "geaendert_am"])
    df["sozialraum"] = df["sozialraum"].fillna("")
    return df


def lade_berichtsdaten(engine: Engine, kommune: Kommune, *, akteur: Akteur | None,
                       pruefen: bool = True) -> Berichtsdaten:
    """Alle Frames für Vergleich und Bericht (eine Lesetransaktion)."""
    if pruefen:
        pruefe_verbindung(engine)
    try:
        return _lade(engine, kommune, akteur)
    except OperationalError:
        raise DatenbankFehler("Die Datenbank hat noch kein (aktuelles) Schema. Bitte 'ressourcenkarte init' "
                              "ausführen.") from None


def _lade(engine: Engine, kommune: Kommune, akteur: Akteur | None) -> Berichtsdaten:
    with sitzung(engine, akteur=None) as s:
        netz = repo.netzwerke(session=s)
        reflex = repo.tabelle(m.Reflexion, session=s)
        geld, mass = budgets_und_massnahmen(s)
        return Berichtsdaten(
            stadtteile=repo.stadtteile(session=s), sozialraeume=repo.sozialraeume(session=s),
            einrichtungen=repo.einrichtungen(session=s, kommune=kommune), indikatoren=repo.indikatoren(session=s),
            netzwerke=pd.DataFrame(netz.drop(columns="geometry")), budgets=geld,
            massnahmen=mass, protokollpunkte=protokolle.protokollpunkte(session=s, akteur=akteur),
            sitzungen=sitzungen(session=s), reflexionen=reflex, empfehlungen=empfehlungen(session=s),
            hospitationen=hospitationen(s), stufen=gremium_sitzungen.stufen(s), bewertungen=bewertungen(session=s),
        )


# ------------------------------------------------------------------------------------------- Tabellen schreiben
def tabelle_als_csv(df: pd.DataFrame | Blatt) -> bytes:
    """CSV für ein deutsches Excel (daten.xlsx.csv_bytes): ';', Dezimalkomma, UTF-8 mit BOM, Formeln entschärft."""
    return csv_bytes(df.tabelle if isinstance(df, Blatt) else df)


def tabelle_als_xlsx(df: pd.DataFrame | Blatt, *, blatt: str = "Vergleich", erlaeuterungen: pd.DataFrame | None = None,
                     titel: str = "") -> bytes:
    """Eine Tabelle (und ggf. das Blatt „Erläuterungen“) als Excel-Datei über den einen Schreiber (daten.xlsx)."""
    puffer = io.BytesIO()
    schreibe_xlsx(puffer, {blatt: df}, erlaeuterungen=erlaeuterungen, titel=titel)
    return puffer.getvalue()


def schreibe_tabelle(df: pd.DataFrame | Blatt, pfad: str | Path, *, blatt: str = "Vergleich",
                     erlaeuterungen: pd.DataFrame | None = None, titel: str = "") -> Path:
    """Schreibt nach Dateiendung .csv oder .xlsx, atomar (alte Datei bleibt bei Fehlern erhalten)."""
    pfad = Path(pfad)
    endung = pfad.suffix.lower()
    if endung not in (".csv", ".xlsx"):
        raise EingabeFehler(f"{pfad}: Dateiendung '{pfad.suffix or '(keine)'}' geht nicht; möglich: .csv, .xlsx.")
    if not pfad.parent.is_dir():
        raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen oder anderen Pfad wählen.")
    inhalt = tabelle_als_csv(df) if endung == ".csv" else tabelle_als_xlsx(df, blatt=blatt,
                                                                          erlaeuterungen=erlaeuterungen, titel=titel)
    schreibe_atomar(pfad, inhalt)
    return pfad
