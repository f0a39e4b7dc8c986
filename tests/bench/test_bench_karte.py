"""Rauchtest des Karten-Benchmarks (bench/): synthetische Daten und Offline-Umbau der explore()-Seite."""

from __future__ import annotations

import re

import pytest
import shapely

from bench import _ausgabe, _daten, _methoden

KLEIN = _daten.Skala("klein", 40, 300, 6, 8, (440_000, 5_531_000, 450_000, 5_541_000))


@pytest.fixture(scope="module")
def klein(kommune):
    return _daten.synthetische_daten(KLEIN, kommune)


def test_synthetische_daten_lueckenlos_und_deterministisch(klein, kommune):
    st, sr, ein = klein["stadtteile"], klein["sozialraeume"], klein["einrichtungen"]
    assert (len(st), len(sr), len(ein)) == (40, 6, 300)
    assert st.crs.to_epsg() == 4326 and shapely.coverage_is_valid(st.geometry.values)
    flaeche = st.to_crs(25832).area.sum()
    assert flaeche == pytest.approx(100e6) and sr.to_crs(25832).area.sum() == pytest.approx(flaeche)
    assert ein["stadtteil"].notna().all() and set(ein["art"]) <= {a.schluessel for a in kommune.einrichtungsarten}
    assert set(klein["netzwerk_kanten"]["status"]) <= {"besteht", "soll entwickelt werden"}
    nochmal = _daten.synthetische_daten(KLEIN, kommune)
    assert nochmal["einrichtungen"].drop(columns="geometry").equals(ein.drop(columns="geometry"))


def test_explore_offline_ohne_externe_adressen(klein, kommune):
    m = _methoden.explore_karte(klein, kommune)
    html, entfernt = _methoden.offline_machen(m.get_root().render())
    kopf = html.split("</head>")[0]
    assert not re.search(r'<(script|link)[^>]*(src|href)="(https?:)?//', kopf)
    assert "L.map(" in html and any("bootstrap" in u for u in entfernt)


def test_zielpruefung_kennzeichnet_abbruch():
    zeilen = [
        {"skala": "land", "methode": "ours", "bytes": 1_000_000, "build_s": 1.0, "visible_s": 1.5, "hinweis": None},
        {"skala": "land", "methode": "explore", "bytes": 20_000_000, "build_s": None, "visible_s": None,
         "hinweis": "abgebrochen: > 480 s"},
    ]
    text = _ausgabe.ziele(zeilen)
    assert "✓ Land: HTML-Bytes" in text and "✓ Land: Build-Zeit" in text and "> 480 s" in text
