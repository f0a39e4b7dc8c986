"""Spaltenköpfe, Einheiten und Nachkommastellen der Vergleichstabelle – die eine Quelle für die Seite „Vergleich“,
die Tabellen-Exporte (XLSX/CSV) und die Kennzahlen-Ebenen des GeoPackage.

Titel und Einheiten kommen aus `kennzahlen_katalog` (Konfiguration: Merkmale, Einrichtungsarten); was der Katalog
nicht kennt (z-Werte, Klassen, Zielgruppen …), beschreibt `_FEST` bzw. `spalte`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysen.vergleich import Kennzahl, kennzahlen_katalog
from daten.config import Kommune
from daten.erlaeuterungen import erlaeuterungen
from daten.xlsx import EURO, Blatt, zahlenformat

# Nachkommastellen nach Einheit (Anzeige); gespeichert wird auf höchstens SPEICHER_STELLEN gerundet
STELLEN_NACH_EINHEIT = {"Personen": 0, "Einrichtungen": 0, "Anzahl": 0, "Nennungen": 0, "Plätze": 0, "%": 1,
                        "Standardabweichungen": 2, "Prozentpunkte": 1, "Plätze je Kind": 2, "Rang": 0}
SPEICHER_STELLEN = 4
# Spalten der Vergleichstabelle, die nur die Darstellung steuern (Farbcode, Klassenkürzel wie „B3V3“)
NICHT_EXPORTIEREN = ("bivariat_farbe", "bivariat")


@dataclass(frozen=True)
class Spalte:
    """Kopf (deutsch, mit Einheit), Einheit, Nachkommastellen der Anzeige (None = Text) und Bedeutung."""

    kopf: str
    einheit: str = ""
    stellen: int | None = None
    bedeutung: str = ""

    @property
    def erlaeuterung(self) -> str:
        """Bedeutung und Einheit als ein Satz für das Blatt „Erläuterungen“."""
        teile = [self.bedeutung.rstrip(".") + "." if self.bedeutung else "",
                 f"Einheit: {self.einheit}." if self.einheit else ""]
        return " ".join(t for t in teile if t)

    @property
    def format(self) -> str | None:
        if self.stellen is None:
            return None
        return EURO if self.einheit.startswith("€") else zahlenformat(self.stellen)


_FEST: dict[str, Spalte] = {
    "ebene": Spalte("Ebene", bedeutung="Stadtteil oder Sozialraum; jede Ebene ist für sich standardisiert"),
    "gebiet": Spalte("Gebiet"),
    "sozialraum": Spalte("Sozialraum"),
    "jahr": Spalte("Jahr", stellen=None, bedeutung="Berichtsjahr der Indikatoren; Einrichtungen am 31.12."),
    "summe_gewichtet": Spalte("Gewichtete Summe der z-Werte", "Standardabweichungen", 2,
                              "Summe (Gewicht · z) der Statusindikatoren; standardisiert ergibt sie den Bedarfsindex"),
    "statusklasse": Spalte("Sozialer Status (MSS)", bedeutung="hoch / mittel / niedrig / sehr niedrig"),
    "bedarfsklasse": Spalte("Bedarf", bedeutung="gering / mittel / erhöht / hoch (dieselbe Klasse als Bedarf)"),
    "dynamik_summe": Spalte("Gewichtete Summe der Veränderungen (z)", "Standardabweichungen", 2),
    "dynamikklasse": Spalte("Dynamik", bedeutung="positiv / stabil / negativ"),
    "kita_plaetze": Spalte("Kita-Plätze", "Plätze", 0, "Summe der Plätze der Kitas im Gebiet"),
    "kinder_kita": Spalte("Kinder (Bezug Kita-Plätze)", "Personen", 0),
    "budget_eur": Spalte("Budget (€)", "€", 2, "Budget des Sozialraums im Jahr, alle Kategorien"),
    "kinder_budget": Spalte("Kinder und Jugendliche (Bezug Budget)", "Personen", 0),
    "rang_ausgleichsbedarf": Spalte("Rang Ausgleichsbedarf", "Rang", 0, "1 = größter Ausgleichsbedarf"),
    "bivariat_text": Spalte("Bedarf und Versorgung (Drittel)",
                        bedeutung="Drittel der Gebiete nach Bedarfsindex und nach Versorgungsindex"),
    "kleine_zahl": Spalte("Hinweis kleine Zahl",
                          bedeutung="Werte kleiner Gebiete oder kleiner Nenner schwanken stark; mit Vorsicht lesen"),
    "fehlende_ressourcen": Spalte("Fehlende Ressourcen (Frage 6) (Nennungen)", "Nennungen", 0),
}


def _aus_kennzahl(k: Kennzahl) -> Spalte:
    einheit = k.einheit
    if einheit.startswith("€"):
        stellen = 2
    elif einheit.startswith("je 1.000"):
        stellen = 1
    else:
        stellen = STELLEN_NACH_EINHEIT.get(einheit, 2)
    return Spalte(k.achse, einheit, stellen, k.nenner)


def vergleich_spalten(spalten: list[str] | pd.Index, kommune: Kommune) -> dict[str, Spalte]:
    """Beschriftung jeder Spalte der Vergleichstabelle (`analysen.vergleich.vergleiche(...).tabelle`)."""
    katalog = kennzahlen_katalog(kommune)
    arten = {va.art: kommune.art(va.art).bezeichnung for va in kommune.versorgung.arten}
    ziele = {va.art: " + ".join(kommune.merkmal(s).bezeichnung for s in va.zielgruppe)
             for va in kommune.versorgung.arten}
    aus: dict[str, Spalte] = {}
    for s in spalten:
        if s in _FEST:
            aus[s] = _FEST[s]
        elif s in katalog:
            aus[s] = _aus_kennzahl(katalog[s])
        elif s.startswith("z_") and s[2:] in katalog:
            # Kopf = „z_“ + Kopf des Indikators: so findet jedes Werkzeug den Rohwert zum z-Wert
            roh = _aus_kennzahl(katalog[s[2:]])
            aus[s] = Spalte(f"z_{roh.kopf}", "Standardabweichungen", 2,
                            f"z-Wert von „{roh.kopf}“: (Wert − Mittelwert) / Standardabweichung der Gebiete der Ebene")
        elif s.startswith("d_") and s[2:] in katalog:
            aus[s] = Spalte(f"Veränderung {katalog[s[2:]].titel} (Prozentpunkte)", "Prozentpunkte", 1,
                            "Differenz zum Vergleichsjahr (Dynamik)")
        elif s.startswith("zielgruppe_") and s[11:] in arten:
            aus[s] = Spalte(f"Zielgruppe {arten[s[11:]]} (Personen)", "Personen", 0,
                            f"Bezugsgruppe für „je 1.000“: {ziele[s[11:]]}")
        else:
            aus[s] = Spalte(s.replace("_", " ").capitalize(), stellen=2)
    return aus


def vergleich_zum_export(tabelle: pd.DataFrame, kommune: Kommune) -> tuple[Blatt, list[tuple[str, str]]]:
    """Vergleichstabelle mit deutschen Köpfen, gerundeten Zahlen und Zahlenformaten, dazu die Erläuterung jeder
    Spalte (Kopf, Bedeutung mit Einheit) für das Blatt „Erläuterungen“. Dieselben Köpfe gelten für CSV."""
    t = tabelle.drop(columns=[c for c in NICHT_EXPORTIEREN if c in tabelle])
    beschr = vergleich_spalten(list(t.columns), kommune)
    zahlen = t.select_dtypes("number").columns
    t = t.copy()
    t[zahlen] = t[zahlen].round(SPEICHER_STELLEN)
    for s in zahlen:
        if beschr[s].stellen == 0 and (t[s].dropna() % 1 == 0).all():
            t[s] = t[s].astype("Int64")  # ganze Zahlen ohne „,0“
    koepfe = {s: beschr[s].kopf for s in t.columns}
    formate = {beschr[s].kopf: beschr[s].format for s in t.columns if beschr[s].format and s in zahlen}
    erkl = [(beschr[s].kopf, beschr[s].erlaeuterung) for s in t.columns if beschr[s].erlaeuterung]
    return Blatt(t.rename(columns=koepfe), formate), erkl


def _quellen(frame: pd.DataFrame | None) -> list[str]:
    if frame is None or "quelle" not in frame:
        return []
    return sorted({str(q) for q in frame["quelle"].dropna() if str(q).strip()})


def vergleich_dateien(tabelle: pd.DataFrame, kommune: Kommune, *, indikatoren: pd.DataFrame | None = None,
                      stadtteile: pd.DataFrame | None = None) -> tuple[Blatt, pd.DataFrame]:
    """Tabelle und Blatt „Erläuterungen“ für die Datei der Vergleichstabelle (Kommandozeile und Seite):
    `indikatoren`/`stadtteile` liefern die Quellen (Spalte `quelle`)."""
    blatt, erkl = vergleich_zum_export(tabelle, kommune)
    q = {"Indikatoren": _quellen(indikatoren), "Stadtteilgrenzen": _quellen(stadtteile)}
    return blatt, erlaeuterungen(kommune, quellen=q, spalten=erkl)
