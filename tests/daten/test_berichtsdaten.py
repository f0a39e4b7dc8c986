"""Lesen für Vergleich und Bericht auf SQLite und PostGIS; Tabellen schreiben (CSV für deutsches Excel, XLSX)."""

import pandas as pd
import pytest

from daten.berichtsdaten import SITZUNGSKONFORMITAET_SPALTEN, lade_berichtsdaten, schreibe_tabelle
from daten.fehler import EingabeFehler


def test_frames_auf_beiden_backends(demo_engine, kommune):
    d = lade_berichtsdaten(demo_engine, kommune)
    assert len(d.stadtteile) == 15 and len(d.sozialraeume) == 10 and len(d.einrichtungen) > 100
    assert set(d.indikatoren["merkmal"]) >= {"transferbezug_quote", "arbeitslosenquote", "sgb2_quote_u15"}
    assert {"sozialraum", "jahr", "frage", "handlungsebene", "text", "fallbesprechung", "sitzung_id"} <= set(
        d.protokollpunkte.columns)
    assert d.protokollpunkte["jahr"].isin([2025, 2026]).all()
    # je Sozialraum und Jahr die Kategorien mit eigenem Budget (Fortbildung ist Anteil des fallunspezifischen)
    assert d.budgets.groupby(["sozialraum", "jahr"]).size().min() >= 2
    assert list(d.sitzungskonformitaet.columns) == list(SITZUNGSKONFORMITAET_SPALTEN)
    assert d.sitzungskonformitaet.empty and d.empfehlungen.empty


def test_tabelle_schreiben(tmp_path):
    df = pd.DataFrame({"gebiet": ["Ä"], "wert": [1.5]})
    schreibe_tabelle(df, tmp_path / "t.csv")
    roh = (tmp_path / "t.csv").read_bytes()
    assert roh.startswith(b"\xef\xbb\xbf") and "gebiet;wert\r\nÄ;1,5" in roh.decode("utf-8-sig").replace(
        "\r\n", "\n").replace("\n", "\r\n")
    schreibe_tabelle(df, tmp_path / "t.xlsx")
    assert pd.read_excel(tmp_path / "t.xlsx").iloc[0]["wert"] == 1.5
    with pytest.raises(EingabeFehler, match=".ods"):
        schreibe_tabelle(df, tmp_path / "t.ods")
