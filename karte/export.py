"""Karte als eigenständige HTML-Datei (offline lauffähig) und als PNG aus Headless-Chromium.

Das PNG zeigt die Druckansicht derselben Datei (`…/karte.html#druck`, karte/js/steuerung.js): ohne Zoom-,
Vollbild-, Such- und Ebenenknöpfe, mit offener Legende, Maßstab, Nordpfeil, Titel und Quellenangabe. Die
Pixelgröße folgt aus Papierformat und Auflösung (`Bildformat`): A4 quer mit 150 dpi = 1754 × 1240 Pixel.

`html_text` baut das Dokument selbst aus den Makro-Ausgaben der Kartenelemente (karte/roh.py): ohne
branca-Figure, also ohne Zustand – wiederholtes Aufrufen (auch nachdem streamlit-folium die Karte
umbenannt hat) liefert genau eine Karte – und ohne dass je ein Text durch Jinja läuft. Dateien werden
erst in eine temporäre Datei im Zielordner geschrieben und dann umbenannt: ein Fehler oder Strg+C lässt
die alte Datei stehen und keine halbe zurück.
"""

from __future__ import annotations

import concurrent.futures
import io
import math
import tempfile
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import folium

from daten.dateien import schreibe_atomar
from daten.fehler import EingabeFehler, RessourcenkarteFehler
from karte.assets import fremde_adressen, leaflet_css, leaflet_js
from karte.roh import teile

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
CHROMIUM_HINWEIS = ("Für den Bild-Export (PNG) fehlt der Browser Chromium ({pfad}). Bitte installieren: "
                    "sudo apt-get install chromium")
# Sichtbare Vektorinhalte: Canvas-Renderer (Punkte, Flächen) oder SVG-Pfade.
_GEZEICHNET = """() => window.rkKarteFertig === true
  && document.querySelectorAll('.leaflet-pane canvas, path.leaflet-interactive').length > 0"""


DRUCK_ANKER = "#druck"  # Druckansicht derselben HTML-Datei: ohne Bedienelemente (karte/js/steuerung.js)
PAPIER_MM = {"A4": (297, 210), "A3": (420, 297)}  # quer: Breite × Höhe in Millimetern (DIN EN ISO 216)
DPI_GRENZEN = (72, 600)
CSS_DPI = 96  # ein CSS-Pixel ist 1/96 Zoll: daraus die Größe des Kartenrahmens in CSS-Pixeln


class BildFehler(RessourcenkarteFehler):
    """Das PNG konnte nicht erzeugt werden (Browser fehlt oder antwortet nicht)."""


@dataclass(frozen=True)
class Bildformat:
    """Papierformat (A4, A3), Ausrichtung und Auflösung des PNG.

    Der Kartenrahmen ist so groß wie das Blatt in CSS-Pixeln (1/96 Zoll), die Auflösung kommt über den
    Skalierungsfaktor des Geräts: Schrift und Symbole haben auf dem Papier dieselbe Größe, gleich welche dpi.
    """

    papier: str = "A4"
    quer: bool = True
    dpi: int = 150

    def __post_init__(self) -> None:
        if self.papier not in PAPIER_MM:
            raise EingabeFehler(f"Papierformat '{self.papier}' gibt es nicht. Erlaubt: {', '.join(PAPIER_MM)}.")
        unten, oben = DPI_GRENZEN
        if not unten <= int(self.dpi) <= oben:
            raise EingabeFehler(f"Auflösung {self.dpi} dpi liegt außerhalb von {unten} bis {oben} dpi. "
                                "Bitte z. B. --dpi 150 (Bildschirm, Büro) oder --dpi 300 (Druckerei) angeben.")

    def _mm(self) -> tuple[int, int]:
        breit, hoch = PAPIER_MM[self.papier]
        return (breit, hoch) if self.quer else (hoch, breit)

    @property
    def pixel(self) -> tuple[int, int]:
        """Breite und Höhe des PNG in Pixeln (Millimeter / 25,4 × dpi, gerundet)."""
        return tuple(round(mm / 25.4 * self.dpi) for mm in self._mm())  # type: ignore[return-value]

    @property
    def skalierung(self) -> float:
        """Gerätepixel je CSS-Pixel (dpi / 96)."""
        return self.dpi / CSS_DPI

    def beschreibung(self) -> str:
        breite, hoehe = self.pixel
        return f"{self.papier} {'quer' if self.quer else 'hoch'}, {self.dpi} dpi, {breite} × {hoehe} Pixel"


@dataclass
class Renderbericht:
    """Was beim Rendern im Browser geschah: blockierte Adressen, Dialoge (= fremdes Skript lief), JS-Fehler."""

    blockiert: list[str] = field(default_factory=list)
    dialoge: list[str] = field(default_factory=list)
    fehler: list[str] = field(default_factory=list)
    canvas: int = 0
    pfade: int = 0
    beschriftungen: int = 0
    # Was im Bild steht (Druckansicht): sichtbare Bedienelemente (sollen fehlen) und die Kartenelemente
    bedienelemente: list[str] = field(default_factory=list)
    ueberschrift: str = ""
    legende_offen: bool = False
    massstab: bool = False
    nordpfeil: bool = False
    quelle: str = ""


def html_text(m: folium.Map) -> str:
    """Die Karte als eine eigenständige HTML-Seite ohne Verweise auf CDNs (Kacheln ausgenommen).

    Deutsch (`lang="de"`), mit `<title>`, ohne Zoom-Sperre; Leaflet als Text eingebettet. Wiederholbar:
    jeder Aufruf liefert dasselbe Dokument mit genau einer Karte.
    """
    t = teile(m)
    titel = escape(str(getattr(m, "titel", None) or "Ressourcenkarte"))
    html = "\n".join([
        "<!DOCTYPE html>",
        '<html lang="de">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{titel}</title>",
        f"<style>{leaflet_css()}</style>",
        "<style>html, body { width: 100%; height: 100%; margin: 0; padding: 0; }</style>",
        *t["header"],
        f"<script>{leaflet_js()}</script>",
        "</head>",
        "<body>",
        *t["html"],
        "<script>",
        *t["script"],
        "</script>",
        "</body>",
        "</html>",
    ])
    # Das Datenpaket (base64, ohne Anführungszeichen und spitze Klammern) kann keine Quelle laden; es macht
    # bei großen Karten aber fast das ganze Dokument aus – geprüft wird alles andere.
    fremd = fremde_adressen("\n".join(teil for teil in [*t["header"], *t["html"], *t["script"]]
                                       if not teil.lstrip().startswith("RK.paket(")))
    if fremd:  # Schutz vor Plugins, die doch wieder ein CDN einbinden
        raise EingabeFehler(f"Die Karte enthält fremde Adressen ({', '.join(fremd[:3])}); sie wäre nicht offline "
                            "lauffähig. Bitte das zuletzt hinzugefügte Kartenelement entfernen.")
    return html


def _atomar(ziel: Path, schreibe: Callable[[Path], None]) -> Path:
    """`schreibe(tmp)` füllt eine temporäre Datei im Zielordner; erst danach ersetzt sie `ziel` (daten.dateien)."""
    return schreibe_atomar(Path(ziel), schreibe)


def pruefe_ziele(html_pfad: str | Path | None = None, png_pfad: str | Path | None = None) -> None:
    """Prüft Endungen und Ordner vor dem Schreiben (damit `--png x.txt` kein halbes Ergebnis hinterlässt)."""
    for pfad, endungen, art in ((html_pfad, (".html", ".htm"), "HTML-Datei (.html)"),
                                (png_pfad, (".png",), "Bild (.png)")):
        if pfad is None:
            continue
        pfad = Path(pfad)
        if pfad.suffix.lower() not in endungen:
            raise EingabeFehler(f"{pfad}: Erwartet wird eine {art}. Bitte die Dateiendung anpassen.")
        if pfad.is_dir():
            raise EingabeFehler(f"{pfad} ist ein Ordner. Bitte einen Dateinamen angeben.")
        if not pfad.parent.is_dir():
            raise EingabeFehler(f"Ordner {pfad.parent} existiert nicht. Bitte zuerst anlegen.")


def speichere_html(m: folium.Map, pfad: str | Path) -> Path:
    """Schreibt die Karte als eine HTML-Datei (siehe `html_text`), atomar."""
    text = html_text(m)  # erst vollständig bauen, dann schreiben
    return _atomar(Path(pfad), lambda tmp: tmp.write_text(text, encoding="utf-8", errors="replace"))


def speichere_karte(m: folium.Map, html_pfad: str | Path, png_pfad: str | Path | None = None, *,
                    bildformat: Bildformat | None = None) -> Renderbericht | None:
    """HTML und optional PNG: beide Ziele zuerst geprüft, das Bild vor dem Ersetzen der HTML-Datei erzeugt.

    Scheitert das Bild (etwa weil Chromium fehlt), bleiben beide alten Dateien unverändert.
    """
    pruefe_ziele(html_pfad, png_pfad)
    if png_pfad is None:
        speichere_html(m, html_pfad)
        return None
    text = html_text(m)
    with tempfile.TemporaryDirectory(prefix="rk-karte-") as ordner:
        entwurf = Path(ordner) / "karte.html"
        entwurf.write_text(text, encoding="utf-8", errors="replace")
        bericht = speichere_png(entwurf, png_pfad, bildformat=bildformat)
    _atomar(Path(html_pfad), lambda tmp: tmp.write_text(text, encoding="utf-8", errors="replace"))
    return bericht


def png_bytes(m: folium.Map, *, bildformat: Bildformat | None = None) -> bytes:
    """Rendert die Druckansicht der Karte in Headless-Chromium und gibt das PNG zurück (für Downloads)."""
    with tempfile.TemporaryDirectory(prefix="rk-png-") as ordner:
        html = Path(ordner) / "karte.html"
        html.write_text(html_text(m), encoding="utf-8", errors="replace")
        png = Path(ordner) / "karte.png"
        speichere_png(html, png, bildformat=bildformat)
        return png.read_bytes()


def ist_lokal(url: str) -> bool:
    teile_ = urllib.parse.urlparse(url)
    return teile_.scheme in ("file", "data", "blob", "about") or teile_.hostname in ("127.0.0.1", "localhost")


def _rendere(html_pfad: Path, png_pfad: Path, bildformat: Bildformat, wartezeit_ms: int) -> Renderbericht:
    from playwright.sync_api import sync_playwright

    bericht = Renderbericht()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            breite, hoehe = bildformat.pixel
            # CSS-Größe des Blatts (aufgerundet) – das Bildschirmfoto schneidet genau die Pixelgröße aus
            css_b, css_h = breite / bildformat.skalierung, hoehe / bildformat.skalierung
            ctx = browser.new_context(viewport={"width": math.ceil(css_b), "height": math.ceil(css_h)},
                                      device_scale_factor=bildformat.skalierung, locale="de-DE")
            page = ctx.new_page()

            def route(r):  # noqa: ANN001, ANN202
                if ist_lokal(r.request.url):
                    r.continue_()
                else:
                    bericht.blockiert.append(r.request.url)
                    r.abort()

            ctx.route("**/*", route)
            page.on("dialog", lambda d: (bericht.dialoge.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: bericht.fehler.append(str(e)))
            page.goto(html_pfad.resolve().as_uri() + DRUCK_ANKER, wait_until="load")
            page.wait_for_function(_GEZEICHNET, timeout=wartezeit_ms)
            # zwei Animationsframes: Leinwände und Beschriftungen sind gezeichnet
            page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
            bericht.canvas = page.locator(".leaflet-pane canvas").count()
            bericht.pfade = page.locator("path.leaflet-interactive").count()
            bericht.beschriftungen = page.locator(".rk-label:visible").count()
            _lies_kartenelemente(page, bericht)
            roh = page.screenshot(type="png", clip={"x": 0, "y": 0, "width": css_b, "height": css_h})
            bild = _auf_format(roh, bildformat)
            _atomar(png_pfad, lambda tmp: tmp.write_bytes(bild))
        finally:
            browser.close()
    return bericht


_KARTENELEMENTE = """() => {
  const sichtbar = el => !!el && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
  const bedien = [".leaflet-control-zoom", ".rk-suche", ".rk-ebenenwahl", ".rk-knopf", ".leaflet-control-layers"];
  const text = sel => { const el = document.querySelector(sel); return sichtbar(el) ? el.textContent.trim() : ""; };
  return {
    bedienelemente: bedien.filter(sel => [...document.querySelectorAll(sel)].some(sichtbar)),
    ueberschrift: text(".rk-ueberschrift"),
    legende_offen: sichtbar(document.querySelector(".rk-legende details[open] ul")),
    massstab: sichtbar(document.querySelector(".leaflet-control-scale")),
    nordpfeil: sichtbar(document.querySelector(".rk-nordpfeil")),
    quelle: text(".leaflet-control-attribution"),
  };
}"""


def _lies_kartenelemente(page, bericht: Renderbericht) -> None:  # noqa: ANN001 - playwright.Page
    for name, wert in page.evaluate(_KARTENELEMENTE).items():
        setattr(bericht, name, wert)


def _auf_format(roh: bytes, bildformat: Bildformat) -> bytes:
    """Genau die Pixelgröße des Formats (Chromium rundet Bruchteile von CSS-Pixeln auf ±1 Pixel) und die
    Auflösung als pHYs-Angabe: so druckt ein Bildprogramm das Blatt in seiner Papiergröße."""
    from PIL import Image

    with Image.open(io.BytesIO(roh)) as bild:
        bild = bild.convert("RGB")
        if bild.size != bildformat.pixel:
            leer = Image.new("RGB", bildformat.pixel, (255, 255, 255))
            leer.paste(bild, (0, 0))
            bild = leer
        aus = io.BytesIO()
        bild.save(aus, format="PNG", dpi=(bildformat.dpi, bildformat.dpi), optimize=False)
        return aus.getvalue()


def _pruefe_browser() -> None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise BildFehler("Für den Bild-Export fehlt das Python-Paket playwright. Bitte die Anwendung neu "
                         "installieren (pip install -e .).") from None
    if not Path(CHROMIUM).exists():
        raise BildFehler(CHROMIUM_HINWEIS.format(pfad=CHROMIUM))


def speichere_png(html_pfad: str | Path, png_pfad: str | Path, *, bildformat: Bildformat | None = None,
                  wartezeit_ms: int = 30_000) -> Renderbericht:
    """Rendert die Druckansicht der HTML-Datei in Headless-Chromium (nur lokale Anfragen) und speichert ein PNG
    in der Größe von `bildformat` (Standard: A4 quer, 150 dpi) mit der Auflösung im Bild (pHYs), atomar.

    Läuft in einem eigenen Thread, damit es auch neben einer laufenden asyncio-Schleife funktioniert.
    Fehlt Chromium oder playwright, kommt ein `BildFehler` mit der Anleitung zur Installation.
    """
    html_pfad, png_pfad = Path(html_pfad), Path(png_pfad)
    pruefe_ziele(None, png_pfad)
    if not html_pfad.exists():
        raise EingabeFehler(f"HTML-Datei {html_pfad} gibt es nicht. Bitte zuerst die Karte speichern.")
    _pruefe_browser()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        try:
            return pool.submit(_rendere, html_pfad, png_pfad, bildformat or Bildformat(), wartezeit_ms).result()
        except RessourcenkarteFehler:
            raise
        except Exception as exc:  # noqa: BLE001 - Browserfehler als eine deutsche Zeile
            name = type(exc).__name__
            text = str(exc).strip().splitlines()[0][:160] if str(exc).strip() else ""
            raise BildFehler(f"Chromium hat die Karte nicht gezeichnet ({name}: {text}). Bitte die HTML-Datei "
                             "öffnen oder den Export wiederholen.") from None
