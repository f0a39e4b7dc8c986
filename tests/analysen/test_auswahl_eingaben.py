"""Zielgruppen nach Altersband, Zahlen aus Eingaben (deutsch/englisch), Grenzvorschläge, Netzwerkliste."""

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysen.auswahl import (
    filtere_einrichtungen,
    grenzen_text,
    grenzen_vorschlag,
    lies_zahlen,
    netzwerkliste,
    passende_zielgruppen,
    zielgruppen,
)
from daten.fehler import EingabeFehler

BAENDER = {"Kinder": (0, 14), "Kinder 0–6": (0, 6), "Kinder 6–10": (6, 10), "Jugendliche": (14, 18),
           "Erwachsene": (18, None), "Senioren": (65, None)}


@pytest.fixture
def ein():
    return gpd.GeoDataFrame({
        "id": [1, 2, 3, 4, 5, 6],
        "name": ["Kita", "Grundschule", "Jugendtreff", "Suchtberatung", "Treff", "Elterncafé"],
        "zielgruppen": ["Kinder 0–6, Familien", "Kinder 6–10", "Jugendliche", "Jugendliche, Erwachsene",
                        "Senioren", "Familien"],
        "sozialraum": ["A"] * 6, "stadtteil": ["a"] * 6, "art": ["x"] * 6, "traeger_art": ["frei"] * 6,
        "im_gremium": [True] * 6,
    }, geometry=[Point(0, 0)] * 6, crs=4326)


def _namen(df) -> list[str]:  # noqa: ANN001
    return list(df["name"])


def test_zielgruppe_trifft_ueberschneidende_altersbaender(ein):
    assert _namen(filtere_einrichtungen(ein, zielgruppe="Kinder", altersbaender=BAENDER)) == ["Kita", "Grundschule"]
    assert _namen(filtere_einrichtungen(ein, zielgruppe="Kinder 0–6", altersbaender=BAENDER)) == ["Kita"]
    assert _namen(filtere_einrichtungen(ein, zielgruppe="Erwachsene", altersbaender=BAENDER)) == [
        "Suchtberatung", "Treff"]
    # Gruppen ohne Alter: nur unter ihrem Namen
    assert _namen(filtere_einrichtungen(ein, zielgruppe="Familien", altersbaender=BAENDER)) == ["Kita", "Elterncafé"]
    # ohne Altersbänder: genauer Name (altes Verhalten)
    assert _namen(filtere_einrichtungen(ein, zielgruppe="Kinder")) == []


def test_baender_halboffen():
    # [14, 18) berührt weder „Kinder“ [0, 14) noch „Erwachsene“ [18, ∞): bis = unter
    assert passende_zielgruppen("Jugendliche", BAENDER, BAENDER) == {"Jugendliche"}
    assert passende_zielgruppen("Kinder", BAENDER, BAENDER) == {"Kinder", "Kinder 0–6", "Kinder 6–10"}


def test_zielgruppen_in_konfigurierter_reihenfolge(ein):
    assert zielgruppen(ein, ["Kinder", "Kinder 0–6", "Jugendliche"]) == [
        "Kinder", "Kinder 0–6", "Jugendliche", "Erwachsene", "Familien", "Kinder 6–10", "Senioren"]


@pytest.mark.parametrize(("text", "erwartet"), [
    ("1.000; 2.000", [1000, 2000]),
    ("1,5; 2,5", [1.5, 2.5]),
    ("1000.5", [1000.5]),
    ("1.000,5; 2.000", [1000.5, 2000]),
    ("1,000; 2.5", [2.5, 1000]),  # englisch: das 2.5 verrät es
    ("0,125", [0.125]),
    ("10, 20, 30", [10, 20, 30]),
    ("1 000; 2 500", [1000, 2500]),
    ("30; 10; 20; 10", [10, 20, 30]),
    ("12,5 %; 20 %", [12.5, 20]),
    ("-5; 3,5", [-5, 3.5]),
])
def test_zahlen_deutsch_und_englisch(text, erwartet):
    assert lies_zahlen(text) == pytest.approx(erwartet)


@pytest.mark.parametrize(("text", "meldung"), [
    ("1,000", "mehrdeutig"),
    ("1.5; 1,5", "mischt"),
    ("10 20 30", "mit ; trennen"),
    ("zehn", "keine Zahl"),
    ("", "mindestens eine Zahl"),
    ("1.00.0", "nicht eindeutig"),
])
def test_zahlen_unklar_gibt_deutsche_meldung(text, meldung):
    with pytest.raises(EingabeFehler, match=meldung):
        lies_zahlen(text)


def test_grenzen_vorschlag_aus_den_daten():
    werte = [1234, 5678, 9000, 15000, 22000, 30000]
    vorschlag = grenzen_vorschlag(werte)
    assert vorschlag == [6500, 12000, 20000]
    assert grenzen_text(vorschlag) == "6.500; 12.000; 20.000"
    assert lies_zahlen(grenzen_text(vorschlag)) == vorschlag  # der Vorschlag liest sich selbst zurück
    assert grenzen_text(grenzen_vorschlag([3.1, 7.46, 12.2, 25.3, 30])) == "7,5; 12; 25"
    assert grenzen_vorschlag([5.0]) == []


def test_netzwerkliste_nur_gezeigte_mitglieder(ein):
    netze = pd.DataFrame({"id": [1, 2, 3], "name": ["N1", "N2", "N3"],
                          "status": ["besteht", "soll entwickelt werden", "besteht"],
                          "sozialraum": ["A", "", "B"], "mitglied_ids": [[1, 2, 99], [3], [4]]})
    liste = netzwerkliste(netze, ein[ein["id"] != 3])
    assert list(liste["name"]) == ["N1", "N3"]
    assert liste.iloc[0]["mitglieder"] == ["Kita", "Grundschule"]
    assert list(netzwerkliste(netze, ein, sozialraum="A")["name"]) == ["N1", "N2"]  # eigenes und stadtweite
