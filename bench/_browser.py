"""Sichtbarkeitsmessung im Headless-Chromium (Playwright): Zeit von page.goto(file://…) bis Marker/Pfade da sind."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from karte.export import ist_lokal

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# SVG-Marker/Pfade, Marker-Cluster oder die Leinwand des Canvas-Renderers (unsere Karte zeichnet dorthin).
SELEKTOR = ".leaflet-marker-icon, .marker-cluster, path.leaflet-interactive, canvas.leaflet-zoom-animated"
_SICHTBAR_JS = """(sel) => {
  for (const e of document.querySelectorAll(sel)) {
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) return true;
  }
  return false;
}"""
# Zwei Animationsframes abwarten: der Canvas-Renderer zeichnet erst im nächsten Frame.
_GEZEICHNET_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


@dataclass
class Sichtbarkeit:
    """Median der Läufe in Sekunden (None bei Zeitüberschreitung/Fehler) und ein Hinweis."""

    sekunden: float | None
    hinweis: str | None = None
    laeufe: int = 0


@contextmanager
def chromium() -> Iterator[Any]:
    """Ein Browser für alle Messungen (Start nicht mitgemessen)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} fehlt: apt-get install chromium")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _ein_lauf(browser: Any, pfad: Path, zeitlimit_s: float, bild: Path | None, pruefung: str | None = None,
              lokal: dict[str, Path] | None = None) -> tuple[float | None, str | None]:
    from playwright.sync_api import Error as PlaywrightFehler
    from playwright.sync_api import TimeoutError as PlaywrightZeit

    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    blockiert: list[str] = []
    skriptfehler: list[str] = []

    def route(r: Any) -> None:
        datei = next((d for teil, d in (lokal or {}).items() if teil in r.request.url), None)
        if datei is not None:  # wie ein lokaler Server (lonboard: WASM aus dem npm-Paket)
            r.fulfill(path=str(datei), headers={"Access-Control-Allow-Origin": "*",
                                                "Content-Type": "application/wasm"})
        elif ist_lokal(r.request.url):
            r.continue_()
        else:
            blockiert.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    page = ctx.new_page()
    page.on("pageerror", lambda e: skriptfehler.append(str(e)[:120]))
    ms = zeitlimit_s * 1000
    try:
        t0 = time.perf_counter()
        page.goto(pfad.resolve().as_uri(), wait_until="commit", timeout=ms)
        rest = max(1.0, ms - (time.perf_counter() - t0) * 1000)
        if pruefung is None:
            page.wait_for_function(_SICHTBAR_JS, arg=SELEKTOR, polling="raf", timeout=rest)
        else:
            page.wait_for_function(pruefung, polling="raf", timeout=rest)
        page.evaluate(_GEZEICHNET_JS)
        dauer = time.perf_counter() - t0
        if bild is not None:
            page.screenshot(path=str(bild))
    except PlaywrightZeit:
        return None, f"timeout > {zeitlimit_s:g} s"
    except PlaywrightFehler as exc:
        return None, f"Browserfehler: {exc.message.splitlines()[0][:100]}"
    finally:
        ctx.close()
    hinweise = []
    if blockiert:
        hinweise.append(f"{len(blockiert)} externe Anfragen blockiert (z. B. {blockiert[0][:60]})")
    if skriptfehler:
        hinweise.append(f"JS-Fehler: {skriptfehler[0]}")
    return dauer, "; ".join(hinweise) or None


def miss_sichtbar(browser: Any, pfad: Path, *, zeitlimit_s: float = 120, wiederholungen: int = 1,
                  bild: Path | None = None, budget_s: float = 15.0, pruefung: str | None = None,
                  lokal: dict[str, Path] | None = None) -> Sichtbarkeit:
    """Median über bis zu `wiederholungen` Läufe (keine Wiederholung mehr nach `budget_s`); Abbruch bei Timeout.

    `pruefung`: eigene JS-Funktion „sichtbar?“ (WebGL), `lokal`: Adressteil → lokale Datei als Antwort.
    """
    zeiten: list[float] = []
    hinweis = None
    start = time.perf_counter()
    for i in range(max(1, wiederholungen)):
        if zeiten and time.perf_counter() - start > budget_s:
            break
        dauer, hinweis_lauf = _ein_lauf(browser, pfad, zeitlimit_s, bild if i == 0 else None, pruefung, lokal)
        hinweis = hinweis or hinweis_lauf
        if dauer is None:
            return Sichtbarkeit(None, hinweis_lauf)
        zeiten.append(dauer)
    return Sichtbarkeit(statistics.median(zeiten), hinweis, len(zeiten))
