"""Datenpaket (karte/paket.py): Entpacken wie im Browser ergibt die Eingabe (Koordinaten auf 1e-5 gerundet)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from karte import baue_karte
from karte.paket import Paket, entpacke, geometrien_aus, koordinaten_aus
from tests.karte.conftest import XSS, entpackt


@pytest.fixture(params=["roh", "deflate"])
def art(request, monkeypatch):
    """Beide Wege: kleine Pakete unkomprimiert, große deflate-komprimiert."""
    if request.param == "deflate":
        monkeypatch.setattr("karte.paket.UNKOMPRIMIERT_BIS", 0)
    return request.param


def test_zahlen_texte_koordinaten_rundreise(art):
    rng = np.random.default_rng(1)
    p = Paket()
    zahlen = {n: rng.integers(lo, hi, 500) for n, (lo, hi) in
              {"u1": (0, 255), "i1": (-100, 100), "u2": (0, 60_000), "i4": (-2**31, 2**31 - 1)}.items()}
    texte = [XSS, None, "ä\u2028ö", "", float("nan"), "{{ 7*7 }}", XSS]
    xy = np.column_stack([rng.uniform(6, 9, 1000), rng.uniform(48, 51, 1000)])
    geruest = {"z": {k: p.zahlen(v) for k, v in zahlen.items()}, "t": p.texte(texte), "leer": p.texte([]),
               "k": p.koordinaten(xy), "f": p.zahlen(np.array([0.5, -1.25]))}
    text = p.packe(geruest)
    assert text.startswith("-") == (art == "roh")
    aus = entpacke(text)
    for k, v in zahlen.items():
        assert np.array_equal(aus["z"][k], v)
    assert aus["t"] == [XSS, "", "ä\u2028ö", "", "", "{{ 7*7 }}", XSS]
    assert aus["leer"] == []
    assert np.abs(koordinaten_aus(aus["k"]) - xy).max() <= 0.5e-5 + 1e-12
    assert aus["f"].tolist() == [0.5, -1.25]


def test_geometrien_rundreise_gemischt(art):
    flaechen = [box(8.1, 49.9, 8.2, 50.0),
                MultiPolygon([box(8.3, 49.9, 8.4, 50.0), Polygon(box(8.5, 49.9, 8.7, 50.1).exterior.coords,
                                                                  [box(8.55, 49.95, 8.6, 50.0).exterior.coords])])]
    linien = [LineString([(8.123456, 49.987654), (8.2, 50.0), (8.25, 50.1)]), LineString([(8, 49), (9, 50)])]
    p = Paket()
    aus = entpacke(p.packe({"f": p.geometrien(flaechen), "l": p.geometrien(linien)}))
    assert aus["f"]["typ"] == "MultiPolygon" and aus["l"]["typ"] == "LineString"
    for original, zurueck in zip([*flaechen, *linien], [*geometrien_aus(aus["f"]), *geometrien_aus(aus["l"])],
                                 strict=True):
        assert shapely.equals_exact(shapely.set_precision(original, 1e-5), zurueck, tolerance=1e-9) or \
            shapely.equals(shapely.set_precision(original, 1e-5), zurueck)


def test_einrichtungstabelle_rundreise(kommune):
    from tests.karte.conftest import karten_daten

    daten = karten_daten(anzahl=30, xss=True)
    m = baue_karte(**daten, kommune=kommune)
    ein = daten["einrichtungen"].set_index("name")
    gesehen = 0
    for titel, d in entpackt(m).items():
        if not titel.startswith("Einrichtungen:"):
            continue
        for i, name in enumerate(d["n"]):
            z = ein.loc[name]
            assert abs(d["x"][i] - z.geometry.x) < 1e-5 and abs(d["y"][i] - z.geometry.y) < 1e-5
            assert d["ad"][i] == z["adresse"] and d["an"][i] == z["angebote"] and d["nw"][i] == z["netzwerke"]
            assert d["st"][i] == z["stadtteil"] and d["sr"][i] == z["sozialraum"]
            assert d["t"][i].startswith(z["traeger"]) and d["t"][i].endswith(("(frei)", "(städtisch)"))
            assert d["k"][i] == (None if pd.isna(z["kapazitaet"]) else f"{z['kapazitaet']:.0f}")
            assert d["gr"][i] == ("ja" if z["im_gremium"] else "nein")
            assert d["gv"][i] == ("seit 01.01.2020" if z["gueltig_von"] else "")
            gesehen += 1
    assert gesehen == 30


def test_keine_cdn_namen_im_base64_text(art):
    """Komprimierte Daten sind zufällige Buchstaben; „cdn“ u. ä. werden durch ein Leerzeichen getrennt."""
    from karte.assets import CDN_MUSTER

    rng = np.random.default_rng(7)
    p = Paket()
    zahlen = rng.integers(0, 2**31 - 1, 200_000)
    text = p.packe({"r": p.zahlen(zahlen)})
    assert CDN_MUSTER.search(text) is None and " " in text
    assert np.array_equal(entpacke(text)["r"], zahlen)


def test_trennwoerter_decken_cdn_muster_ab():
    """Jedes Wort aus CDN_MUSTER, das nur aus base64-Zeichen besteht, wird im Paket getrennt."""
    from karte.assets import CDN_MUSTER
    from karte.paket import _WOERTER

    moeglich = {w for w in CDN_MUSTER.pattern.split("|") if w.isalnum()}
    assert moeglich and all(any(w in m for w in _WOERTER) for m in moeglich)
