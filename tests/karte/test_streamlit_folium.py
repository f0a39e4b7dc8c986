"""Was streamlit-folium aus der Karte macht: Skripte/Stile offline, unsere Skripte im ausgeführten Teil.

streamlit-folium entfernt `<script src>` und Stylesheet-Links aus dem Kopf und lädt stattdessen die
`default_js`/`default_css` aller Elemente; ausgeführt werden nur die `script`-Makros der Kartenkinder.
"""

from __future__ import annotations

import re

import folium
import folium.elements
import pytest

from karte import baue_karte, html_text

streamlit_folium = pytest.importorskip("streamlit_folium")


def _links(m: folium.Map) -> tuple[list[str], list[str]]:
    """Wie `st_folium` die nachzuladenden Adressen sammelt (Baum aller JSCSSMixin-Elemente)."""
    js, css, offen = [], [], [m]
    while offen:
        e = offen.pop()
        if isinstance(e, folium.elements.JSCSSMixin):
            js += [u for _, u in e.default_js]
            css += [u for _, u in e.default_css]
        offen += list(getattr(e, "_children", {}).values())
    return js, css


def test_st_folium_laedt_nur_data_uris(daten, kommune):
    m = baue_karte(**daten, kommune=kommune, einzugsbereiche=("kita",))
    m.get_root().render()
    js, css = _links(m)
    assert len(js) == 1 and len(css) == 1
    assert js[0].startswith("data:text/javascript;base64,") and css[0].startswith("data:text/css;base64,")
    assert "url(images/" not in __import__("base64").b64decode(css[0].split(",", 1)[1]).decode()


def test_st_folium_fuehrt_unsere_skripte_aus(daten, kommune):
    m = baue_karte(**daten, kommune=kommune, einzugsbereiche=("kita",), basemap="osm")
    m.get_root().render()
    header = streamlit_folium._get_header(m)
    skript = streamlit_folium._get_map_string(m)
    assert "<script src" not in header and ".rk-label" in header  # unser CSS bleibt, mit map_div als ID
    assert "#map_div .rk-label" in header
    for aufruf in ("window.RK = {}", "RK.panes(map_div", "RK.einrichtungen(map_div",
                   "RK.netze(map_div", "RK.flaechen(map_div", "RK.steuerung(map_div", "RK.kacheln(map_div"):
        assert aufruf in skript, aufruf
    assert skript.index("window.RK = {}") < skript.index("RK.flaechen(") < skript.index("RK.steuerung(")
    assert "cdn" not in skript.lower()


def test_zwischengespeicherte_karte_bleibt_beim_zweiten_rendern_gueltig(daten, kommune):
    """Die Seite speichert die Karte zwischen; st_folium benennt dabei bei jedem Lauf Variablen um."""
    m = baue_karte(**daten, kommune=kommune, einzugsbereiche=("kita",))
    for _ in range(3):
        m.get_root().render()
        skript = streamlit_folium._get_map_string(m)
    definiert = set(re.findall(r"\b(?:var|let)\s+([A-Za-z_$][\w$]*)", skript))
    benutzt = set(re.findall(r"\bRK\.\w+\((map_\w+),", skript))
    assert benutzt == {"map_div"}, f"Aufrufe mit unbekannter Karte: {sorted(benutzt)}"
    assert benutzt <= definiert
    ebenen = re.findall(r"var (rk_ebene_div_\d+) = RK\.", skript)
    assert len(ebenen) == len(set(ebenen)) == 7  # jede Ebene genau einmal (hängt sich selbst an die Karte)


def test_html_download_nach_st_folium_enthaelt_die_karte_einmal(daten, kommune):
    """Fehler 2: st_folium benennt die Karte um (map_… → map_div); die Figure sammelte danach zwei Karten."""
    m = baue_karte(**daten, kommune=kommune)
    vorher = html_text(m)
    m.get_root().render()
    streamlit_folium._get_map_string(m)  # was st_folium bei jedem Lauf tut
    m.get_root().render()
    assert m.get_root().render().count('class="folium-map"') == 2  # der alte Weg über die Figure: doppelt
    for _ in range(2):
        text = html_text(m)
        assert text.count('class="folium-map"') == 1
        assert len(re.findall(r"= L\.map\(\"map_", text)) == 1 and text.count("RK.paket(map") == 1
    for aufruf in ("RK.flaechen(map", "RK.einrichtungen(map", "RK.netze(map", "RK.steuerung(map"):
        assert text.count(aufruf) == vorher.count(aufruf) > 0
