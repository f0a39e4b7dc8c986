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


def test_lonboard_seite_wird_offline_gemacht(tmp_path, monkeypatch):
    """Die CDN-Skripte der lonboard-Seite werden durch die (hier nachgebildeten) npm-Pakete ersetzt."""
    from bench import _lonboard

    dateien = {"require": tmp_path / "require.js", "embed": tmp_path / "embed-amd.js",
               "anywidget": tmp_path / "index.js"}
    dateien["require"].write_text("var requirejs = 1;", encoding="utf-8")
    dateien["embed"].write_text("window.embed = 1;", encoding="utf-8")
    dateien["anywidget"].write_text('function widget_default() {}\ndefine(["@jupyter-widgets/base"], widget_default);',
                                    encoding="utf-8")
    monkeypatch.setattr(_lonboard, "npm_dateien", lambda: dateien)
    seite = ('<head><script src="https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js" '
             'integrity="sha256-x" crossorigin="anonymous"></script>'
             '<script src="https://cdn.jsdelivr.net/npm/@jupyter-widgets/html-manager@^1.0.1/dist/embed-amd.js" '
             'crossorigin="anonymous"></script></head><body></body>')
    aus = _lonboard.offline_machen(seite)
    assert "https://" not in aus and "integrity" not in aus
    assert '<script>var requirejs = 1;</script>' in aus
    assert 'define("anywidget", ["@jupyter-widgets/base"], widget_default);' in aus
    assert aus.index("define(\"anywidget\"") < aus.index("window.embed")
    with pytest.raises(_lonboard.NichtMessbar, match="unbekannte Form"):
        _lonboard.offline_machen("<head></head>")


def test_zielpruefung_vergleicht_mit_lonboard_und_explore():
    zeilen = [
        {"skala": "land", "methode": "ours", "bytes": 5_000_000, "build_s": 1.0, "build_cpu_s": 0.5,
         "visible_s": 1.5, "hinweis": None},
        {"skala": "land", "methode": "explore", "bytes": 68_000_000, "build_s": 20.0, "build_cpu_s": 8.0,
         "visible_s": None, "hinweis": "timeout > 240 s"},
        {"skala": "land", "methode": "lonboard", "bytes": 12_000_000, "build_s": 5.0, "visible_s": 60.0,
         "hinweis": None},
        {"skala": "mainz", "methode": "ours", "bytes": 1, "build_s": 0.1, "visible_s": 0.30, "hinweis": None},
        {"skala": "mainz", "methode": "explore", "bytes": 1, "build_s": 0.1, "visible_s": 0.25, "hinweis": None},
    ]
    text = _ausgabe.ziele(zeilen)
    assert "✓ Land: Build-Zeit (Uhr) ≤ 0.07" in text and "✓ Land: Build-Zeit (CPU) ≤ 0.07" in text
    assert "✓ Land: Bytes ours ≤ lonboard" in text and "✓ Land: Sichtbar ours ≤ lonboard" in text
    assert "✗ Mainz: Sichtbar ours ≤ explore()" in text
