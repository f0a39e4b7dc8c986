import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysen.auswahl import filtere_einrichtungen, zielgruppen
from analysen.kennzahlen import kennzahlen_sozialraeume, letztes_jahr


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


def test_kennzahlen_bedarf_gegen_angebot(ein):
    zeilen = []
    for st, sr, ew, u6, sgb in (("N1", "Nord", 1000, 100, 10.0), ("N2", "Nord", 3000, 100, 20.0),
                                ("S1", "Süd", 2000, 50, 5.0)):
        for merkmal, wert in (("einwohner", ew), ("einwohner_u6", u6), ("einwohner_6_14", 80),
                              ("einwohner_15_17", 20), ("sgb2_quote_u15", sgb)):
            zeilen.append({"stadtteil": st, "sozialraum": sr, "jahr": 2024, "merkmal": merkmal, "wert": wert})
    ind = pd.DataFrame(zeilen)
    assert letztes_jahr(ind) == 2024 and letztes_jahr(ind, bis=2023) is None
    kz = kennzahlen_sozialraeume(ind, ein).set_index("sozialraum")
    assert kz.loc["Nord", "einwohner"] == 4000 and kz.loc["Nord", "u18"] == 400
    assert kz.loc["Nord", "kita_plaetze_je_100_u6"] == 50.0  # 100 Plätze / 200 Kinder
    assert kz.loc["Nord", "sgb2_quote_u15"] == 17.5  # mit Einwohnern gewichtet: (10·1000 + 20·3000) / 4000
    assert kz.loc["Süd", "einrichtungen"] == 2 and kz.loc["Süd", "kita_plaetze"] == 0
