"""Bedarfsindex nach MSS auf kleinen, von Hand nachgerechneten Daten."""

import math

import pandas as pd
import pytest

from analysen.bedarf import bedarfsindex, dynamik, dynamikklasse, statusklasse, zwerte
from daten.config import Bedarfsindex, Bedarfsindikator


def _konfig(**gewichte):
    return Bedarfsindex(indikatoren=[Bedarfsindikator(merkmal=k, gewicht=g) for k, g in gewichte.items()])


def test_zwerte_von_hand():
    z, mittel, std = zwerte(pd.Series([1.0, 2.0, 3.0, 6.0]))
    assert mittel == 3.0 and std == pytest.approx(math.sqrt(3.5))  # Grundgesamtheit: ddof = 0
    assert list(z.round(4)) == [-1.069, -0.5345, 0.0, 1.6036]
    z, _, std = zwerte(pd.Series([2.0, 2.0, 2.0]))
    assert std == 0 and list(z) == [0.0, 0.0, 0.0]


def test_klassen_an_den_mss_schwellen():
    idx = pd.Series([-1.01, -1.0, 0.0, 1.0, 1.01, 1.5, 1.51, float("nan")])
    assert list(statusklasse(idx)) == ["hoch", "mittel", "mittel", "mittel", "niedrig", "niedrig", "sehr niedrig",
                                       "keine Angabe"]
    assert list(dynamikklasse(pd.Series([-1.2, -1.0, 1.0, 1.2]))) == ["positiv", "stabil", "stabil", "negativ"]


def test_index_ist_standardisierte_gewichtete_summe():
    tab = pd.DataFrame({"a": [0, 0, 1, 1], "b": [0, 1, 0, 1]}, index=list("PQRS"), dtype=float)
    # z_a = [-1, -1, 1, 1], z_b = [-1, 1, -1, 1]
    gleich = bedarfsindex(tab, _konfig(a=1, b=1)).tabelle
    assert list(gleich["summe_gewichtet"]) == [-2, 0, 0, 2]
    assert list(gleich["bedarfsindex"].round(4)) == [-1.4142, 0, 0, 1.4142]
    assert list(gleich["statusklasse"]) == ["hoch", "mittel", "mittel", "niedrig"]
    assert list(gleich["bedarfsklasse"]) == ["gering", "mittel", "mittel", "erhöht"]
    # Gewicht 2 für a: Summe [-3, -1, 1, 3], Standardabweichung √5 → Q und R unterscheiden sich jetzt
    gewichtet = bedarfsindex(tab, _konfig(a=2, b=1))
    assert list(gewichtet.tabelle["summe_gewichtet"]) == [-3, -1, 1, 3]
    assert list(gewichtet.tabelle["bedarfsindex"].round(4)) == [-1.3416, -0.4472, 0.4472, 1.3416]
    assert gewichtet.summe_std == pytest.approx(math.sqrt(5))


def test_schritte_sind_nachvollziehbar():
    tab = pd.DataFrame({"a": [1.0, 2.0, 3.0, 6.0]}, index=list("PQRS"))
    erg = bedarfsindex(tab, _konfig(a=1))
    s = erg.schritte()
    p = s[(s["gebiet"] == "S") & (s["schritt"] == "Indikator")].iloc[0]
    assert p["wert"] == 6 and p["mittelwert"] == 3 and p["z"] == pytest.approx(3 / math.sqrt(3.5))
    assert p["z"] == pytest.approx((p["wert"] - p["mittelwert"]) / p["standardabweichung"])
    index = s[(s["gebiet"] == "S") & (s["schritt"] == "Index")].iloc[0]
    assert index["klasse"] == "sehr niedrig" and index["z"] == pytest.approx(1.6036, abs=1e-4)


def test_kleine_gebiete_zaehlen_nicht_fuer_mittel_und_streuung():
    tab = pd.DataFrame({"a": [1.0, 2.0, 3.0, 100.0], "einwohner": [1000, 1000, 1000, 100]}, index=list("PQRS"))
    erg = bedarfsindex(tab, _konfig(a=1))
    assert erg.mittelwerte["a"] == 2.0  # ohne S (unter 300 Einwohnern)
    assert list(erg.tabelle["kleine_zahl"]) == [False, False, False, True]
    assert erg.tabelle.loc["Q", "z_a"] == 0.0


def test_fehlender_wert_gibt_keine_klasse():
    tab = pd.DataFrame({"a": [1.0, 2.0, None, 3.0]}, index=list("PQRS"))
    t = bedarfsindex(tab, _konfig(a=1)).tabelle
    assert t.loc["R", "statusklasse"] == "keine Angabe" and t.loc["P", "statusklasse"] != "keine Angabe"


def test_dynamik_veraenderung_in_prozentpunkten():
    jetzt = pd.DataFrame({"a": [1.0, 2.0, 3.0, 6.0]}, index=list("PQRS"))
    vorher = pd.DataFrame({"a": [3.0, 2.0, 3.0, 6.0]}, index=list("PQRS"))
    d = dynamik(jetzt, vorher, _konfig(a=1)).tabelle
    assert list(d["d_a"]) == [-2, 0, 0, 0]
    # z = (-2 − (−0,5)) / √0,75 = −1,732 → positiv (Anteil sinkt deutlich stärker als im Mittel)
    assert d.loc["P", "dynamikindex"] == pytest.approx(-math.sqrt(3))
    assert list(d["dynamikklasse"]) == ["positiv", "stabil", "stabil", "stabil"]
