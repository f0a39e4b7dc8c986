"""Eine Quelle für die Köpfe der Vergleichstabelle: Seite, XLSX/CSV und GeoPackage-Aliase."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysen.beschriftung import vergleich_dateien, vergleich_spalten, vergleich_zum_export
from analysen.vergleich import kennzahlen_katalog, vergleiche
from daten.demo import demo_jahre
from daten.xlsx import EURO

JAHR = demo_jahre().vorjahr
SNAKE = re.compile(r"[a-z0-9]+(_[a-z0-9]+)+")


@pytest.fixture(scope="module")
def tabelle(berichtsdaten, kommune) -> pd.DataFrame:
    d = berichtsdaten
    return vergleiche(d.indikatoren, d.einrichtungen, kommune, jahr=JAHR, budgets=d.budgets,
                      netzwerke=d.netzwerke).tabelle


def test_jede_spalte_deutsch_und_eindeutig(tabelle, kommune):
    beschr = vergleich_spalten(list(tabelle.columns), kommune)
    koepfe = [b.kopf for b in beschr.values()]
    assert len(set(koepfe)) == len(koepfe)
    assert not [k for k in koepfe if SNAKE.fullmatch(k)]
    katalog = kennzahlen_katalog(kommune)
    for schluessel, kennzahl in katalog.items():  # dieselben Titel und Einheiten wie Achsen und Auswahl der Seite
        if schluessel in beschr:
            assert beschr[schluessel].kopf == kennzahl.achse
    for mk in kommune.bedarfsindex.indikatoren:  # z-Wert = „z_“ + Kopf des Rohwerts (Werkzeuge finden das Paar)
        assert beschr[f"z_{mk.merkmal}"].kopf == "z_" + beschr[mk.merkmal].kopf
    assert beschr["arbeitslosenquote"].kopf == "Anteil Arbeitsloser (%)"


def test_zahlen_gerundet_formate_nach_einheit(tabelle, kommune):
    blatt, erkl = vergleich_zum_export(tabelle, kommune)
    t = blatt.tabelle
    assert {"bivariat", "bivariat_farbe"} <= set(tabelle.columns)  # in der Analyse da, in der Datei nicht:
    assert not [k for k in t.columns if k.lower().startswith("bivariat")]  # Farbcode und „B3V3“ sind Darstellung
    ew = "Einwohnerinnen und Einwohner (Personen)"
    assert str(t[ew].dtype) == "Int64"  # 30897, nicht 30897,0
    assert blatt.formate[ew] == "#,##0"
    assert blatt.formate["Anteil Arbeitsloser (%)"] == "#,##0.0"
    assert blatt.formate["Bedarfsindex (Standardabweichungen)"] == "#,##0.00"
    assert blatt.formate["Budget (€)"] == EURO
    idx = t["Bedarfsindex (Standardabweichungen)"].dropna()
    assert (idx.round(4) == idx).all() and not (idx.round(2) == idx).all()  # vier Stellen gespeichert, nicht 16
    assert dict(erkl)["Bedarfsindex (Standardabweichungen)"].endswith("Einheit: Standardabweichungen.")


def test_datei_mit_erlaeuterungen_und_quellen(tabelle, kommune, berichtsdaten):
    _, erkl = vergleich_dateien(tabelle, kommune, indikatoren=berichtsdaten.indikatoren,
                                stadtteile=berichtsdaten.stadtteile)
    stichworte = dict(zip(erkl["Stichwort"], erkl["Erläuterung"], strict=True))
    assert {"Herausgeber", "Stand", "Nutzungsbedingungen", "Quelle Indikatoren", "Bedarfsindex: Methode",
            "Bedarfsindex: Klassen"} <= set(stichworte)
    assert "Anteil Arbeitsloser (Gewicht 1)" in stichworte["Bedarfsindex: Methode"]
    assert "-1,0" in stichworte["Bedarfsindex: Klassen"] and "+1,5" in stichworte["Bedarfsindex: Klassen"]
    assert stichworte["Einheit: Ausländeranteil"] == "%"
    # ohne Quellen (z. B. leere Datenbank) keine leere Quellenzeile
    _, ohne = vergleich_dateien(tabelle, kommune)
    assert "Quelle Indikatoren" not in set(ohne["Stichwort"])
