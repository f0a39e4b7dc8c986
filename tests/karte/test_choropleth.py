"""Choroplethe: Werte, Bezug je 1.000, Klassengrenzen je Klassifikation und ihre Legende."""

from __future__ import annotations

import mapclassify
import numpy as np
import pandas as pd
import pytest

from daten.fehler import EingabeFehler
from karte import Choropleth, baue_karte
from karte.choropleth import KEINE_DATEN, indikatorwerte, klassifiziere, nachkommastellen, zahl
from karte.ebenen import JsEbene
from karte.laufzeit import Steuerung
from tests.karte.conftest import entpackt

WERTE = [2.0, 3.5, 4.0, 7.25, 9.0, 12.0, 15.5, 18.0, 30.0, 41.0]
ERWARTET = {
    "quantile": lambda y: mapclassify.Quantiles(y, k=4).bins,
    "natural_breaks": lambda y: mapclassify.FisherJenks(y, k=4).bins,
    "equal_interval": lambda y: mapclassify.EqualInterval(y, k=4).bins,
    "eigene": lambda y: np.array([5.0, 10.0, 20.0, 41.0]),
}


@pytest.mark.filterwarnings("ignore:Numba not installed")
@pytest.mark.parametrize("art", list(ERWARTET))
def test_klassengrenzen_je_klassifikation(art):
    kl = klassifiziere(WERTE, klassifikation=art, klassen=4, grenzen=[10, 5, 20], einheit="%")
    assert kl.obergrenzen == pytest.approx(list(ERWARTET[art](np.array(WERTE))))
    assert len(kl.beschriftungen) == len(kl.farben) == len(kl.obergrenzen) == 4
    st = nachkommastellen([2.0, *kl.obergrenzen])
    assert kl.beschriftungen[0] == f"{zahl(2.0, st)} bis {zahl(kl.obergrenzen[0], st)} %"
    for unten, oben, text in zip(kl.obergrenzen, kl.obergrenzen[1:], kl.beschriftungen[1:], strict=False):
        assert text == f"über {zahl(unten, st)} bis {zahl(oben, st)} %"
    for wert, klasse in zip(WERTE, kl.zuordnung, strict=True):  # jede Zahl in der Klasse ihrer Grenzen
        assert wert <= kl.obergrenzen[klasse] and (klasse == 0 or wert > kl.obergrenzen[klasse - 1])


def test_eigene_grenzen_unter_dem_minimum():
    kl = klassifiziere([12, 15, 30], klassifikation="eigene", klassen=5, grenzen=[10, 20])
    assert kl.obergrenzen == [10, 20, 30]
    assert kl.beschriftungen == ["bis 10", "über 10 bis 20", "über 20 bis 30"]
    assert kl.zuordnung == [1, 1, 2]


def test_fehlende_werte_ohne_klasse_und_wenige_werte():
    kl = klassifiziere([1.0, float("nan"), 1.0], klassifikation="quantile", klassen=5)
    assert kl.zuordnung == [0, None, 0] and len(kl.obergrenzen) == 1
    leer = klassifiziere([float("nan")], klassifikation="natural_breaks", klassen=3)
    assert leer.obergrenzen == [] and leer.zuordnung == [None]


@pytest.mark.parametrize("art", ["quantile", "natural_breaks", "equal_interval"])
def test_alle_werte_gleich_ergeben_eine_klasse(art):
    kl = klassifiziere([50.0, 50.0, float("nan"), 50.0], klassifikation=art, klassen=3)
    assert kl.obergrenzen == [50.0] and kl.beschriftungen == ["50"] and kl.zuordnung == [0, 0, None, 0]


def test_zahl_deutsch():
    assert zahl(12345.678, 1) == "12.345,7"
    assert zahl(0.5, 2) == "0,50"


def test_bezug_je_1000_der_altersgruppe():
    df = pd.DataFrame([
        {"stadtteil": "A", "jahr": 2024, "merkmal": "kita_plaetze", "wert": 50.0},
        {"stadtteil": "A", "jahr": 2024, "merkmal": "einwohner_u6", "wert": 400.0},
        {"stadtteil": "B", "jahr": 2024, "merkmal": "kita_plaetze", "wert": 10.0},
        {"stadtteil": "B", "jahr": 2024, "merkmal": "einwohner_u6", "wert": 0.0},
        {"stadtteil": "A", "jahr": 2023, "merkmal": "kita_plaetze", "wert": 99.0},
    ])
    werte = indikatorwerte(df, merkmal="kita_plaetze", jahr=2024, bezug="einwohner_u6")
    assert werte.to_dict() == {"A": 125.0}  # 0 Kinder → kein Wert statt Division durch null
    absolut = indikatorwerte(df, merkmal="kita_plaetze", jahr=2024, bezug=None)
    assert absolut.to_dict() == {"A": 50.0, "B": 10.0}


@pytest.mark.parametrize(("feld", "wert", "meldung"), [
    ("klassifikation", "zufall", "Klassifikation 'zufall' ist unbekannt"),
    ("klassen", 12, "bitte 2 bis 9"),
])
def test_choropleth_pruefung(feld, wert, meldung):
    with pytest.raises(EingabeFehler, match=meldung):
        Choropleth.aus({"merkmal": "einwohner", "jahr": 2024, feld: wert})
    with pytest.raises(EingabeFehler, match="Eigene Klassengrenzen fehlen"):
        Choropleth(merkmal="einwohner", jahr=2024, klassifikation="eigene")


def _choro_ebene(m):
    return next(c for c in m._children.values() if isinstance(c, JsEbene) and c.titel.startswith("Indikator"))


def _legende(m):
    return next(c for c in m._children.values() if isinstance(c, Steuerung)).legende_html


@pytest.mark.parametrize("art", ["quantile", "natural_breaks", "equal_interval", "eigene"])
def test_legende_der_karte_zeigt_klassen_und_einheit(daten, kommune, art):
    wahl = {"merkmal": "sgb2_quote_u15", "jahr": 2024, "klassifikation": art, "klassen": 3, "grenzen": [8, 15]}
    m = baue_karte(**daten, kommune=kommune, choropleth=wahl)
    werte = indikatorwerte(daten["indikatoren"], merkmal="sgb2_quote_u15", jahr=2024, bezug=None)
    erwartet = klassifiziere(werte.tolist(), klassifikation=art, klassen=3, grenzen=[8, 15], einheit="%")
    legende = _legende(m)
    for text, farbe in zip(erwartet.beschriftungen, erwartet.farben, strict=True):
        assert f'background:{farbe}"></span><span>{text}</span></li>' in legende
    assert "Einheit: %" in legende
    props = {f["properties"]["n"]: f["properties"] for f in entpackt(m)[_choro_ebene(m).titel]["features"]}
    assert props["Westunten"]["tt"].split("\n")[-1] == "Kinder unter 15 in SGB-II-Bedarfsgemeinschaften 2024: 5,0 %"
    assert props["Ostoben"]["c"] == erwartet.farben[-1]


def test_choropleth_je_1000_und_fehlende_werte(daten, kommune):
    ind = daten["indikatoren"]
    daten["indikatoren"] = ind[~((ind["stadtteil"] == "Ostoben") & (ind["merkmal"] == "einwohner_u6"))]
    wahl = Choropleth(merkmal="einwohner_u6", jahr=2024, bezug="einwohner", klassifikation="quantile", klassen=2)
    m = baue_karte(**daten, kommune=kommune, choropleth=wahl)
    ebene = _choro_ebene(m)
    assert ebene.titel.endswith(", je 1.000 Einwohnerinnen und Einwohner")
    props = {f["properties"]["n"]: f["properties"] for f in entpackt(m)[ebene.titel]["features"]}
    wert = "Kinder unter 6 Jahren 2024: 50 je 1.000 Einwohnerinnen und Einwohner"
    assert props["Westunten"]["tt"] == f"Stadtteil Westunten\nSozialraum West (Gremium Stufe 1)\n{wert}"
    assert props["Ostoben"]["c"] == KEINE_DATEN
    assert props["Ostoben"]["tt"].endswith("\nKinder unter 6 Jahren 2024: keine Daten")
    legende = _legende(m)
    assert "Einheit: je 1.000 Einwohnerinnen und Einwohner" in legende and "keine Daten" in legende


def test_choropleth_ohne_werte_im_jahr(daten, kommune):
    m = baue_karte(**daten, kommune=kommune, choropleth={"merkmal": "einwohner", "jahr": 1999})
    assert "Keine Werte für 1999 vorhanden." in _legende(m)
