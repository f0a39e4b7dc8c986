"""Hilfen für die Browser-Tests der Karte: Playwright in eigenem Thread, jede nicht-lokale Anfrage blockiert.

Gewartet wird nie auf eine feste Zeit, sondern auf Zustände (`window.rkKarteFertig`, sichtbare Elemente,
Animationsframes), damit die Tests auch unter Last dasselbe sehen.
"""

from __future__ import annotations

import concurrent.futures
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from karte.export import CHROMIUM, CHROMIUM_ARGS, ist_lokal

# Die Karte (globale Variable map_…) im Browser
KARTE = "window[Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))]"
# Bildschirmlage einer Einrichtung (nach Name) und eines Punkts (lat, lon)
EINRICHTUNG = f"""(name) => {{
  const map = {KARTE}, r = map.getContainer().getBoundingClientRect();
  for (const e of map._rkEinrichtungen) {{
    const i = e.d.n.indexOf(name);
    if (i >= 0) {{ const p = map.latLngToContainerPoint([e.d.y[i], e.d.x[i]]); return [r.left + p.x, r.top + p.y]; }}
  }}
  return null;
}}"""
ORT = f"""(ll) => {{
  const map = {KARTE}, r = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint(ll);
  return [r.left + p.x, r.top + p.y];
}}"""
POPUP = """() => { const p = document.querySelector(".leaflet-popup-content");
  return p && {text: p.textContent, bilder: p.querySelectorAll("img, svg, script").length,
               zeilen: [...p.querySelectorAll("tr")].map(t => t.textContent)}; }"""
SICHTBARE_LABELS = """() => [...document.querySelectorAll('.rk-label')].filter(e => e.style.display !== 'none')
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.textContent, art: e.className, x: r.left, y: r.top, w: r.width, h: r.height}; })"""
HINDERNISSE = """() => [...document.querySelectorAll('.leaflet-control, .rk-ueberschrift')]
  .map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
  .map(r => ({x: r.left, y: r.top, w: r.width, h: r.height}))"""




def schneidet(a: dict, b: dict) -> bool:
    """Überlappen zwei Rechtecke {x, y, w, h}?"""
    waagrecht = a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
    return waagrecht and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]


ZWEI_BILDER = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def braucht_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} fehlt (CI=true)")
        pytest.skip(f"{CHROMIUM} fehlt")


class Seite:
    """Eine geladene Karte: `page` (Playwright), blockierte Adressen, Dialoge, JS-Fehler."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.blockiert: list[str] = []
        self.dialoge: list[str] = []
        self.fehler: list[str] = []

    def js(self, ausdruck: str, arg: Any = None) -> Any:
        return self.page.evaluate(ausdruck, arg)

    def ruhig(self) -> None:
        """Warten, bis keine Karten-Animation läuft und zwei Bilder gezeichnet sind."""
        self.page.wait_for_function(f"() => {{ const m = {KARTE}; return !m._animatingZoom && "
                                    "!(m._panAnim && m._panAnim._inProgress); }")
        self.page.evaluate(ZWEI_BILDER)

    def maus(self, x: float, y: float) -> None:
        self.page.mouse.move(x, y)
        self.page.evaluate(ZWEI_BILDER)

    def tooltip(self) -> list[str]:
        """Zeilen des sichtbaren Tooltips (zentraler Treffertest), leer ohne Tooltip."""
        return self.page.evaluate("""() => { const t = document.querySelector('.leaflet-tooltip.rk-tip');
          return t ? [...t.querySelectorAll('.rk-zeile1, .rk-zeile')].map(z => z.textContent) : []; }""")


def im_browser(pfad: Path, aktion: Callable[[Seite], Any], *, breite: int = 1200, hoehe: int = 800) -> Any:
    """Öffnet `pfad` in Headless-Chromium (eigener Thread), wartet auf die fertige Karte, ruft `aktion(seite)`."""
    braucht_chromium()

    def lauf() -> Any:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": breite, "height": hoehe})
                seite = Seite(page)

                def route(r: Any) -> None:
                    if ist_lokal(r.request.url):
                        r.continue_()
                    else:
                        seite.blockiert.append(r.request.url)
                        r.abort()

                page.route("**/*", route)
                page.on("dialog", lambda d: (seite.dialoge.append(d.message), d.dismiss()))
                page.on("pageerror", lambda e: seite.fehler.append(str(e)))
                page.goto(pfad.resolve().as_uri())
                page.wait_for_function("window.rkKarteFertig === true", timeout=30_000)
                seite.ruhig()
                return aktion(seite)
            finally:
                browser.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lauf).result()
