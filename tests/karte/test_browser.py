"""Echter Browser (Debians Chromium, jede nicht-lokale Anfrage blockiert): eigenständige Karten-HTML.

Playwright läuft hier in einem eigenen Thread, damit die Tests neben einer schon laufenden
Playwright-Sitzung (tests/e2e) funktionieren.
"""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path

import pytest

from karte import baue_karte, speichere_html, speichere_png
from karte.export import CHROMIUM, CHROMIUM_ARGS, _lokal
from tests.karte.conftest import XSS

pytestmark = pytest.mark.browser

# Findet die Karte (globale Variable map_…) und die Bildschirmposition der Einrichtung mit XSS-Namen.
_XSS_PUNKT = """() => {
  const map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];
  const e = map._rkEinrichtungen.find(e => e.d.n.some(n => n.startsWith("<img")));
  const i = e.d.n.findIndex(n => n.startsWith("<img"));
  const p = map.latLngToContainerPoint([e.d.y[i], e.d.x[i]]), r = map.getContainer().getBoundingClientRect();
  const frei = [[0, 12], [12, 0], [-12, 0], [0, 20], [20, 20]].find(
    ([dx, dy]) => !RK.finde(map, map.containerPointToLayerPoint([p.x + dx, p.y + dy])));
  return {x: r.left + p.x, y: r.top + p.y, frei: [r.left + p.x + frei[0], r.top + p.y + frei[1]],
          punkte: map._rkEinrichtungen.reduce((s, e) => s + e.d.n.length, 0)};
}"""
_POPUP = """() => {
  const p = document.querySelector(".leaflet-popup-content");
  return p && {text: p.textContent, bilder: p.querySelectorAll("img").length, listen: p.querySelectorAll("li").length};
}"""
# Einzugsbereich: in EPSG:25832 gepufferte Fläche; der erste Teil ist ein einzelner Kreis um eine Kita.
_KREIS = """() => {
  const map = window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))];
  let flaeche = null;
  map.eachLayer(l => { if (!flaeche && l instanceof L.Polygon && l.options.pane === "rkEinzug") { flaeche = l; } });
  let ring = flaeche.getLatLngs();
  while (Array.isArray(ring[0])) { ring = ring[0]; }
  const b = L.latLngBounds(ring), lat = b.getCenter().lat;
  return {teile: flaeche.getLatLngs().length, breite_m: map.distance([lat, b.getWest()], [lat, b.getEast()])};
}"""


@pytest.fixture(scope="module")
def artefakte(tmp_path_factory) -> Path:
    ziel = Path(os.environ["RK_ARTEFAKTE"]) if os.environ.get("RK_ARTEFAKTE") else tmp_path_factory.mktemp("karte")
    ziel.mkdir(parents=True, exist_ok=True)
    return ziel


@pytest.fixture(scope="module")
def karten_html(artefakte, kommune) -> Path:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} fehlt")
    from tests.karte.conftest import karten_daten

    daten = karten_daten(xss=True)
    daten["sozialraeume"].loc[1, "name"] = XSS  # auch eine feste Beschriftung
    daten["stadtteile"]["sozialraum"] = daten["stadtteile"]["sozialraum"].replace("Ost", XSS)
    m = baue_karte(**daten, kommune=kommune, einzugsbereiche=("kita",), basemap="osm",
                   choropleth={"merkmal": "sgb2_quote_u15", "jahr": 2024, "klassen": 3})
    return speichere_html(m, artefakte / "karte_xss.html")


def test_karte_offline_sichtbar_und_ohne_skriptausfuehrung(karten_html, artefakte):
    png = artefakte / "karte_xss.png"
    bericht = speichere_png(karten_html, png, breite=1200, hoehe=800)
    assert png.stat().st_size > 20_000
    assert bericht.dialoge == [], f"ein eingeschleustes Skript lief: {bericht.dialoge}"
    assert bericht.fehler == [], bericht.fehler
    assert bericht.canvas >= 2  # Karte (Panes) und Übersichtskarte
    assert bericht.beschriftungen == 2
    fremd = [u for u in bericht.blockiert if "tile.openstreetmap.org" not in u]
    assert fremd == [], f"nicht-lokale Anfragen außer Kacheln: {fremd[:5]}"


def _im_browser(html: Path, artefakte: Path) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        dialoge: list[str] = []
        page.on("dialog", lambda d: (dialoge.append(d.message), d.dismiss()))
        page.route("**/*", lambda r: r.continue_() if _lokal(r.request.url) else r.abort())
        page.goto(html.resolve().as_uri())
        page.wait_for_function("window.rkKarteFertig === true", timeout=20_000)
        labels = page.locator(".rk-label").all_text_contents()  # Gesamtansicht: alle Beschriftungen im Ausschnitt
        punkt = page.evaluate(_XSS_PUNKT)
        page.mouse.move(punkt["x"], punkt["y"])  # Treffertest: Tooltip beim Überfahren …
        page.wait_for_timeout(100)
        tooltip = page.locator(".leaflet-tooltip:not(.rk-label)").all_text_contents()
        page.mouse.click(punkt["x"], punkt["y"])  # … und Popup beim Klick, ohne Leaflet-Objekt je Punkt
        page.wait_for_timeout(500)  # Popup verschiebt die Karte (animiert)
        popup = page.evaluate(_POPUP)
        page.mouse.click(*page.evaluate(_XSS_PUNKT)["frei"])  # knapp daneben: Popup schließt, kein neues
        page.wait_for_timeout(400)  # Ausblenden dauert 200 ms
        daneben = page.evaluate(_POPUP)
        kreis = page.evaluate(_KREIS)
        page.screenshot(path=str(artefakte / "karte_popup.png"))
        page.fill(".rk-suche input", "Einrichtung 5")
        page.press(".rk-suche input", "Enter")
        page.wait_for_timeout(300)
        gesucht = page.locator(".leaflet-popup-content .rk-titel").text_content()
        browser.close()
    return {"popup": popup, "kreis": kreis, "gesucht": gesucht, "labels": labels, "dialoge": dialoge,
            "tooltip": tooltip, "daneben": daneben, "punkte": punkt["punkte"]}


def test_popup_suche_und_kreise_im_browser(karten_html, artefakte):
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        erg = pool.submit(_im_browser, karten_html, artefakte).result()
    assert erg["dialoge"] == []
    assert erg["punkte"] == 12  # alle Einrichtungen aus dem Datenpaket entpackt
    assert XSS in erg["tooltip"]
    assert erg["popup"] is not None, "Klick auf den Punkt öffnet kein Popup"
    assert erg["daneben"] is None
    assert XSS in erg["popup"]["text"] and erg["popup"]["bilder"] == 0  # als Text, nicht als Element
    assert "Träger" in erg["popup"]["text"] and erg["popup"]["listen"] >= 2
    assert XSS in erg["labels"]
    assert erg["kreis"]["teile"] == 4  # vier Kitas weit auseinander: vier Kreise in einer Fläche
    assert erg["kreis"]["breite_m"] == pytest.approx(1600, rel=0.02)  # Durchmesser am Boden in Metern
    assert erg["gesucht"] == "Einrichtung 5"


def test_komprimiertes_paket_im_browser(kommune, tmp_path, monkeypatch):
    """Großes Paket (hier erzwungen): deflate, im Browser per DecompressionStream entpackt."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} fehlt")
    from playwright.sync_api import sync_playwright

    from tests.karte.conftest import karten_daten

    monkeypatch.setattr("karte.paket.UNKOMPRIMIERT_BIS", 0)
    html = speichere_html(baue_karte(**karten_daten(xss=True), kommune=kommune, basemap="keine"), tmp_path / "k.html")
    assert '"-' not in html.read_text(encoding="utf-8").split("RK.paket(", 1)[1][:40]

    def lauf() -> dict:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            fehler: list[str] = []
            page.on("pageerror", lambda e: fehler.append(str(e)))
            page.goto(html.resolve().as_uri())
            page.wait_for_function("window.rkKarteFertig === true", timeout=20_000)
            erg = page.evaluate(_XSS_PUNKT)
            browser.close()
        return {**erg, "fehler": fehler}

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        erg = pool.submit(lauf).result()
    assert erg["fehler"] == [] and erg["punkte"] == 12
