from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysen.auswahl import filtere_einrichtungen, zielgruppen
from analysen.kennzahlen import kennzahlen_sozialraeume, letztes_jahr
from daten.config import Merkmal


@pytest.fixture
def ein():
    return gpd.GeoDataFrame({
        "name": ["A", "B", "C", "D"], "art": ["kita", "kita", "kijukuz", "spielplatz"],
        "traeger_art": ["frei", "staedtisch", "staedtisch", "staedtisch"],
        "zielgruppen": ["Kinder 0–6, Familien", "Kinder 0–6", "Jugendliche", ""],
        "im_gremium": [False, True, True, False], "kapazitaet": [40.0, 60.0, float("nan"), float("nan")],
        "sozialraum": ["Nord", "Nord", "Süd", "Süd"], "stadtteil": ["N1", "N2", "S1", "S1"],
    }, geometry=[Point(0, 0)] * 4, crs=4326)


def test_filter_kombinieren(ein):
    assert list(filtere_einrichtungen(ein, sozialraum="Nord")["name"]) == ["A", "B"]
    assert list(filtere_einrichtungen(ein, stadtteil="N2")["name"]) == ["B"]
    assert list(filtere_einrichtungen(ein, arten=["kita"], traeger_art="frei")["name"]) == ["A"]
    assert list(filtere_einrichtungen(ein, zielgruppe="Familien")["name"]) == ["A"]
    assert list(filtere_einrichtungen(ein, nur_gremium=True)["name"]) == ["B", "C"]
    assert len(filtere_einrichtungen(ein)) == 4
    assert zielgruppen(ein) == ["Familien", "Jugendliche", "Kinder 0–6"]


MERKMALE = [
    Merkmal(schluessel="einwohner", bezeichnung="Einwohner", einheit="Personen"),
    Merkmal(schluessel="einwohner_u6", bezeichnung="u6", einheit="Personen"),
    Merkmal(schluessel="einwohner_6_14", bezeichnung="6–14", einheit="Personen"),
    Merkmal(schluessel="einwohner_15_17", bezeichnung="15–17", einheit="Personen"),
    Merkmal(schluessel="sgb2_quote_u15", bezeichnung="SGB II u15", einheit="%",
            basis=["einwohner_u6", "einwohner_6_14"]),
]


def _indikatoren(jahr=2024, u6_n2=100, sgb_n1=10.0):
    zeilen = []
    for st, sr, ew, u6, a6, sgb in (("N1", "Nord", 1000, 100, 100, sgb_n1), ("N2", "Nord", 3000, u6_n2, 100, 20.0),
                                    ("S1", "Süd", 2000, 50, 80, 5.0)):
        for merkmal, wert in (("einwohner", ew), ("einwohner_u6", u6), ("einwohner_6_14", a6),
                              ("einwohner_15_17", 20), ("sgb2_quote_u15", sgb)):
            zeilen.append({"stadtteil": st, "sozialraum": sr, "jahr": jahr, "merkmal": merkmal, "wert": wert})
    return pd.DataFrame(zeilen)


def test_kennzahlen_bedarf_gegen_angebot(ein):
    ind = _indikatoren()
    assert letztes_jahr(ind) == 2024 and letztes_jahr(ind, bis=2023) is None
    kz = kennzahlen_sozialraeume(ind, ein, merkmale=MERKMALE).set_index("sozialraum")
    assert kz.loc["Nord", "einwohner"] == 4000 and kz.loc["Nord", "u18"] == 440
    assert kz.loc["Nord", "kita_plaetze_je_100_u6"] == 50.0  # 100 Plätze / 200 Kinder
    assert kz.loc["Süd", "einrichtungen"] == 2 and kz.loc["Süd", "kita_plaetze"] == 0


def test_anteil_mit_eigener_bezugsgruppe_gewichtet(ein):
    # N1: 10 % von 200 Kindern u15, N2: 20 % von 200 Kindern u15 → 15 % (mit Einwohnern gewichtet wären es 17,5 %)
    kz = kennzahlen_sozialraeume(_indikatoren(), ein, merkmale=MERKMALE).set_index("sozialraum")
    assert kz.loc["Nord", "sgb2_quote_u15"] == 15.0
    # mehr Kinder in N2 ziehen den Anteil zu N2: (10·200 + 20·600) / 800 = 17,5
    kz = kennzahlen_sozialraeume(_indikatoren(u6_n2=500), ein, merkmale=MERKMALE).set_index("sozialraum")
    assert kz.loc["Nord", "sgb2_quote_u15"] == 17.5


def test_jahr_zaehlt(ein):
    ind = pd.concat([_indikatoren(2023, sgb_n1=30.0), _indikatoren(2024)])
    kz23 = kennzahlen_sozialraeume(ind, ein, jahr=2023, merkmale=MERKMALE).set_index("sozialraum")
    kz24 = kennzahlen_sozialraeume(ind, ein, jahr=2024, merkmale=MERKMALE).set_index("sozialraum")
    assert kz23.loc["Nord", "sgb2_quote_u15"] == 25.0 and kz24.loc["Nord", "sgb2_quote_u15"] == 15.0
    assert kz23.loc["Nord", "einwohner"] == 4000  # nicht über beide Jahre summiert
    # Einrichtungen: nur die am 31.12. des Jahres gültigen
    ein = ein.copy()
    ein["gueltig_von"] = [None, date(2024, 3, 1), None, None]
    ein["gueltig_bis"] = [None, None, None, date(2023, 6, 30)]
    kz23 = kennzahlen_sozialraeume(ind, ein, jahr=2023, merkmale=MERKMALE).set_index("sozialraum")
    kz24 = kennzahlen_sozialraeume(ind, ein, jahr=2024, merkmale=MERKMALE).set_index("sozialraum")
    assert kz23.loc["Nord", "kita_plaetze"] == 40 and kz24.loc["Nord", "kita_plaetze"] == 100
    assert kz23.loc["Süd", "einrichtungen"] == 1 and kz24.loc["Süd", "einrichtungen"] == 1


def test_kita_plaetze_nur_aus_kitas(ein):
    ein = ein.copy()
    ein["kapazitaet"] = [40.0, 60.0, 500.0, 80.0]  # KiJuKuZ und Spielplatz mit Zahl: zählen nicht als Kita-Plätze
    kz = kennzahlen_sozialraeume(_indikatoren(), ein, merkmale=MERKMALE).set_index("sozialraum")
    assert kz.loc["Nord", "kita_plaetze"] == 100 and kz.loc["Süd", "kita_plaetze"] == 0
