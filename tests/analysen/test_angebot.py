"""Angebot und Versorgungsgrad auf kleinen Flächen in EPSG:25832 (von Hand nachgerechnet)."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysen.angebot import (
    angebot,
    bevoelkerungspunkte,
    bevoelkerungspunkte_aus_raster,
    netzwerke_je_sozialraum,
    versorgt_zusammenfassen,
    versorgungsgrad,
)
from daten.config import Versorgung, Versorgungsart

X0, Y0 = 445_000, 5_540_000  # Mainz, EPSG:25832
M = 25832  # das metrische KBS der Mainzer Konfiguration


def _st():
    # A: 2000 × 100 m (20 Rasterpunkte bei 100 m), B: 1000 × 1000 m daneben
    geo = [box(X0, Y0, X0 + 2000, Y0 + 100), box(X0 + 2000, Y0, X0 + 3000, Y0 + 1000)]
    return gpd.GeoDataFrame({"name": ["A", "B"], "sozialraum": ["S", "S"]}, geometry=geo, crs=25832).to_crs(4326)


def _ein(punkte, arten, kap=None):
    return gpd.GeoDataFrame({"art": arten, "kapazitaet": kap or [np.nan] * len(arten),
                             "stadtteil": ["A"] * len(arten), "sozialraum": ["S"] * len(arten)},
                            geometry=[Point(X0 + x, Y0 + y) for x, y in punkte], crs=25832).to_crs(4326)


def test_bevoelkerungspunkte_gleichmaessig():
    p = bevoelkerungspunkte(_st(), raster_m=100, crs_metrisch=M)
    a = p[p["stadtteil"] == "A"]
    assert len(a) == 20 and a["anteil"].sum() == pytest.approx(1.0)
    assert len(p[p["stadtteil"] == "B"]) == 100
    assert sorted(a["x"].round(0) - X0) == [50 + 100 * i for i in range(20)]


def test_versorgungsgrad_entfernung_und_art():
    p = bevoelkerungspunkte(_st(), raster_m=100, crs_metrisch=M)
    ein = _ein([(0, 50), (0, 50)], ["kita", "kijukuz"])
    arten = [Versorgungsart(art="kita", zielgruppe=["einwohner_u6"], abstand_m=950),
             Versorgungsart(art="kijukuz", zielgruppe=["einwohner_6_14"], abstand_m=949),
             Versorgungsart(art="spielplatz", zielgruppe=["einwohner_u6"], abstand_m=5000)]
    v = versorgungsgrad(p, ein, arten, crs_metrisch=M)
    # Punkte bei x = 50 … 950 liegen höchstens 950 m entfernt (einschließlich) → 10 von 20
    assert v.loc["A", "versorgt_kita"] == pytest.approx(50.0)
    assert v.loc["A", "versorgt_kijukuz"] == pytest.approx(45.0)  # 949 m: x = 950 fällt heraus
    assert v.loc["B", "versorgt_kita"] == 0.0  # B beginnt 2 km entfernt
    assert (v["versorgt_spielplatz"] == 0).all()  # keine Einrichtung der Art: niemand versorgt


def test_versorgungsgrad_aus_raster_epsg3035(kommune):
    st = _st()
    t = kommune.stadtteil_toleranz_m
    # Zellmittelpunkte: zwei in A, einer t − 1 m unter A (Regel 2: gehört zu A), einer t + 1 m darunter und einer
    # weit weg (fallen weg) – dieselbe Regel wie Import und Pflege
    zellen = gpd.GeoDataFrame({"einwohner": [300, 60, 40, 70, 50]},
                              geometry=[Point(X0 + 100, Y0 + 50), Point(X0 + 1900, Y0 + 50),
                                        Point(X0 + 1800, Y0 - (t - 1)), Point(X0 + 1700, Y0 - (t + 1)), Point(0, 0)],
                              crs=25832).to_crs(3035)
    p = bevoelkerungspunkte_aus_raster(zellen, st, kommune=kommune)
    assert len(p) == 3 and p["anteil"].sum() == pytest.approx(1.0)
    assert p["y"].min() == pytest.approx(Y0 - (t - 1), abs=0.01)  # x, y im metrischen KBS der Kommune
    ein = _ein([(0, 50)], ["kita"])
    v = versorgungsgrad(p, ein, [Versorgungsart(art="kita", zielgruppe=["einwohner_u6"], abstand_m=500)],
                        crs_metrisch=M)
    assert v.loc["A", "versorgt_kita"] == pytest.approx(75.0)  # 300 von 400 Einwohnern


def _konfig(klein=0):
    return Versorgung(arten=[Versorgungsart(art="kita", zielgruppe=["einwohner_u6"], abstand_m=500),
                             Versorgungsart(art="kijukuz", zielgruppe=["einwohner_6_14"], abstand_m=1500)],
                      kita_zielgruppe=["einwohner_u6"], budget_zielgruppe=["einwohner_u6", "einwohner_6_14"],
                      kleine_zahl=klein)


def test_angebot_je_zielgruppe_plaetze_budget():
    tab = pd.DataFrame({"einwohner_u6": [200.0], "einwohner_6_14": [400.0]}, index=pd.Index(["A"]))
    ein = _ein([(1, 1), (2, 2), (3, 3), (4, 4)], ["kita", "kita", "kijukuz", "grundschule"], kap=[30, 50, 99, 500])
    a = angebot(tab, ein, _konfig(), gebiet="stadtteil", budget_eur=pd.Series({"A": 6000.0}))
    z = a.loc["A"]
    assert z["anzahl_kita"] == 2 and z["je_1000_kita"] == 10.0  # 2 / 200 Kinder u6
    assert z["anzahl_kijukuz"] == 1 and z["je_1000_kijukuz"] == 2.5  # 1 / 400 Kinder 6–14, nicht / 600
    assert z["kita_plaetze"] == 80 and z["kita_plaetze_je_kind"] == 0.4  # Schule und KiJuKuZ zählen nicht
    assert z["budget_je_kind_eur"] == 10.0  # 6000 € / 600 Kinder
    assert z["kleine_zahl"] == ""


def test_kleine_nenner_werden_markiert():
    tab = pd.DataFrame({"einwohner_u6": [20.0], "einwohner_6_14": [400.0]}, index=pd.Index(["A"]))
    a = angebot(tab, _ein([(1, 1)], ["kita"]), _konfig(klein=50), gebiet="stadtteil")
    assert "je_1000_kita: Nenner 20" in a.loc["A", "kleine_zahl"]
    assert "kijukuz" not in a.loc["A", "kleine_zahl"]


def test_versorgung_der_sozialraeume_nach_zielgruppe_gewichtet():
    versorgt = pd.DataFrame({"versorgt_kita": [100.0, 0.0]}, index=pd.Index(["A", "B"]))
    tab = pd.DataFrame({"einwohner_u6": [300.0, 100.0], "einwohner_6_14": [0.0, 900.0]}, index=["A", "B"])
    sr = versorgt_zusammenfassen(versorgt, tab, pd.Series({"A": "S", "B": "S"}), _konfig())
    assert sr.loc["S", "versorgt_kita"] == 75.0  # 300 von 400 Kindern u6, nicht (100 + 0) / 2


def test_netzwerke_je_sozialraum():
    n = pd.DataFrame({"sozialraum": ["S", "S", "T", ""], "status": ["besteht", "soll entwickelt werden",
                                                                   "besteht", "besteht"]})
    t = netzwerke_je_sozialraum(n)
    assert t.loc["S"].tolist() == [1, 1] and t.loc["T"].tolist() == [1, 0] and "" not in t.index


def test_versorgungsgrad_raster_naeherung():
    from analysen.angebot import versorgungsgrad_raster

    st = gpd.GeoDataFrame({"name": ["Q", "Fern", "Winzig"]},
                          geometry=[box(X0, Y0, X0 + 1000, Y0 + 1000), box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000),
                                    box(X0 + 1020, Y0 + 420, X0 + 1040, Y0 + 440)], crs=25832).to_crs(4326)
    ein = _ein([(500, 500)], ["kita"])
    arten = [Versorgungsart(art="kita", zielgruppe=["einwohner_u6"], abstand_m=500),
             Versorgungsart(art="kijukuz", zielgruppe=["einwohner_6_14"], abstand_m=500)]
    v = versorgungsgrad_raster(st, ein, arten, raster_m=50, crs_metrisch=M)
    # Kreis mit 500 m um die Mitte deckt π/4 ≈ 78,5 % des Quadrats; Raster ± eine Zellweite
    assert 72 <= v.loc["Q", "versorgt_kita"] <= 85
    assert v.loc["Fern", "versorgt_kita"] == 0 and (v["versorgt_kijukuz"] == 0).all()
    assert v.loc["Winzig", "versorgt_kita"] in (0.0, 100.0)  # kleiner als eine Zelle: bekommt trotzdem einen Wert


def test_raster_und_punkte_stimmen_auf_mainz_ueberein(berichtsdaten, kommune):
    from analysen.angebot import versorgungsgrad_raster

    d = berichtsdaten
    m = kommune.crs_metrisch
    genau = versorgungsgrad(bevoelkerungspunkte(d.stadtteile, crs_metrisch=m), d.einrichtungen,
                            kommune.versorgung.arten, crs_metrisch=m)
    raster = versorgungsgrad_raster(d.stadtteile, d.einrichtungen, kommune.versorgung.arten, raster_m=100,
                                    crs_metrisch=m)
    assert (genau - raster.reindex(genau.index)).abs().max().max() < 8  # Prozentpunkte
