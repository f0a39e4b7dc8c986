"""Karte als eigenständige HTML-Datei (offline lauffähig) und als PNG aus Headless-Chromium."""

from __future__ import annotations

import concurrent.futures
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import folium

from daten.fehler import EingabeFehler
from karte.assets import fremde_adressen

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Sichtbare Vektorinhalte: Canvas-Renderer (Punkte, Flächen) oder SVG-Pfade, dazu Beschriftungen.
_GEZEICHNET = """() => window.rkKarteFertig === true
  && document.querySelectorAll('.leaflet-pane canvas, path.leaflet-interactive').length > 0"""


@dataclass
class Renderbericht:
    """Was beim Rendern im Browser geschah: blockierte Adressen, Dialoge (= fremdes Skript lief), JS-Fehler."""

    blockiert: list[str] = field(default_factory=list)
    dialoge: list[str] = field(default_factory=list)
    fehler: list[str] = field(default_factory=list)
    canvas: int = 0
    pfade: int = 0
    beschriftungen: int = 0


def html_text(m: folium.Map) -> str:
    """Die Karte als eine eigenständige HTML-Seite ohne Verweise auf CDNs (Kacheln ausgenommen)."""
    html = m.get_root().render()
    fremd = fremde_adressen(html)
    if fremd:  # Schutz vor Plugins, die doch wieder ein CDN einbinden
        raise EingabeFehler(f"Die Karte enthält fremde Adressen ({', '.join(fremd[:3])}); sie wäre nicht offline "
                            "lauffähig. Bitte das zuletzt hinzugefügte Kartenelement entfernen.")
    return html


def speichere_html(m: folium.Map, pfad: str | Path) -> Path:
    """Schreibt die Karte als eine HTML-Datei (siehe `html_text`)."""
    pfad = Path(pfad)
    pfad.write_text(html_text(m), encoding="utf-8")
    return pfad


def png_bytes(m: folium.Map, *, breite: int = 1400, hoehe: int = 900) -> bytes:
    """Rendert die Karte in Headless-Chromium und gibt das PNG zurück (für Downloads)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="rk-png-") as ordner:
        html = speichere_html(m, Path(ordner) / "karte.html")
        png = Path(ordner) / "karte.png"
        speichere_png(html, png, breite=breite, hoehe=hoehe)
        return png.read_bytes()


def _lokal(url: str) -> bool:
    teile = urllib.parse.urlparse(url)
    return teile.scheme in ("file", "data", "blob", "about") or teile.hostname in ("127.0.0.1", "localhost")


def _rendere(html_pfad: Path, png_pfad: Path, breite: int, hoehe: int, wartezeit_ms: int) -> Renderbericht:
    from playwright.sync_api import sync_playwright

    bericht = Renderbericht()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": breite, "height": hoehe})
            page = ctx.new_page()

            def route(r):  # noqa: ANN001, ANN202
                if _lokal(r.request.url):
                    r.continue_()
                else:
                    bericht.blockiert.append(r.request.url)
                    r.abort()

            ctx.route("**/*", route)
            page.on("dialog", lambda d: (bericht.dialoge.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: bericht.fehler.append(str(e)))
            page.goto(html_pfad.resolve().as_uri(), wait_until="load")
            page.wait_for_function(_GEZEICHNET, timeout=wartezeit_ms)
            page.wait_for_timeout(400)  # Canvas zeichnet im nächsten Animationsframe
            bericht.canvas = page.locator(".leaflet-pane canvas").count()
            bericht.pfade = page.locator("path.leaflet-interactive").count()
            bericht.beschriftungen = page.locator(".rk-label").count()
            page.screenshot(path=str(png_pfad))
        finally:
            browser.close()
    return bericht


def speichere_png(html_pfad: str | Path, png_pfad: str | Path, *, breite: int = 1400, hoehe: int = 900,
                  wartezeit_ms: int = 30_000) -> Renderbericht:
    """Rendert die HTML-Datei in Headless-Chromium (nur lokale Anfragen) und speichert ein PNG.

    Läuft in einem eigenen Thread, damit es auch neben einer laufenden asyncio-Schleife funktioniert.
    """
    html_pfad, png_pfad = Path(html_pfad), Path(png_pfad)
    if not html_pfad.exists():
        raise EingabeFehler(f"HTML-Datei {html_pfad} gibt es nicht. Bitte zuerst die Karte speichern.")
    if not Path(CHROMIUM).exists():
        raise EingabeFehler(f"{CHROMIUM} fehlt. Bitte Chromium installieren (apt-get install chromium).")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(_rendere, html_pfad, png_pfad, breite, hoehe, wartezeit_ms).result()
