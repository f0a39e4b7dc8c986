"""Zweiter Vergleich: lonboard (deck.gl + GeoArrow) mit denselben Ebenen, offline lauffähig gemacht.

lonboards eigenständige HTML-Datei (`Map.to_html`, ipywidgets-Einbettung) lädt require.js von cdnjs und
`@jupyter-widgets/html-manager` (embed-amd.js) von jsDelivr; der html-manager lädt dann das Front-end-Modul
`anywidget` nach, wieder von jsDelivr; lonboards eigenes Modul holt schließlich `parquet_wasm_bg.wasm`
(npm-Paket parquet-wasm) von jsDelivr, um die Daten zu lesen. Für die Messung kommen alle aus den Paketen
der npm-Registry (`npm install` in einen Cache-Ordner): require.js, embed-amd.js und anywidget (ein
AMD-Bündel, als benanntes Modul `define("anywidget", …)`) werden – wie Leaflet bei explore() – in die
Datei eingebettet; die WASM-Datei beantwortet der Browser-Test lokal (`route`, wie ein lokaler Server).

lonboard 0.17 lädt parquet-wasm 0.9.0, das die npm-Registry nicht hat (0.8.0 passt nicht zum eingebauten
wasm-bindgen-Code: LinkError). Deshalb misst der Benchmark lonboard 0.16 (lädt parquet-wasm 0.7.1).
Die Hintergrundkarte (MapLibre, CARTO) ist abgeschaltet, wie bei den anderen Verfahren.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

NPM_PAKETE = ["requirejs@2", "@jupyter-widgets/html-manager@1", "anywidget@0.11"]
CACHE = Path(os.environ.get("RK_LONBOARD_NPM", Path.home() / ".cache" / "rk-lonboard"))


class NichtMessbar(RuntimeError):
    """lonboard oder seine npm-Pakete fehlen; der Grund steht in der Meldung."""


def npm_dateien() -> dict[str, Path]:
    """Pfade von require.js, embed-amd.js und anywidget/dist/index.js (einmal aus der npm-Registry geholt)."""
    nm = CACHE / "node_modules"
    dateien = {"require": nm / "requirejs" / "require.js",
               "embed": nm / "@jupyter-widgets" / "html-manager" / "dist" / "embed-amd.js",
               "anywidget": nm / "anywidget" / "dist" / "index.js"}
    if not all(p.exists() for p in dateien.values()):
        if shutil.which("npm") is None:
            raise NichtMessbar("npm fehlt: require.js, html-manager und anywidget nicht lokal verfügbar")
        CACHE.mkdir(parents=True, exist_ok=True)
        lauf = subprocess.run(["npm", "install", "--silent", "--prefix", str(CACHE), *NPM_PAKETE],
                              capture_output=True, text=True, timeout=600, check=False)
        if lauf.returncode != 0 or not all(p.exists() for p in dateien.values()):
            raise NichtMessbar(f"npm install scheiterte: {(lauf.stderr.strip().splitlines() or ['?'])[-1][:120]}")
    return dateien


def wasm_datei() -> Path:
    """parquet_wasm_bg.wasm in der Version, die das installierte lonboard zur Laufzeit lädt."""
    try:
        import lonboard
    except ImportError as exc:
        raise NichtMessbar(f"lonboard nicht installiert ({exc}); pip install -e '.[bench]'") from None
    modul = (Path(lonboard.__file__).parent / "static" / "index.js").read_text(encoding="utf-8")
    treffer = re.search(r'="([\d.]+)",\w+=`https://cdn\.jsdelivr\.net/npm/parquet-wasm@\$\{', modul)
    if not treffer:
        raise NichtMessbar("lonboard lädt parquet-wasm auf unbekannte Weise")
    version = treffer.group(1)
    ziel = CACHE / "wasm" / version
    datei = ziel / "node_modules" / "parquet-wasm" / "esm" / "parquet_wasm_bg.wasm"
    if not datei.exists():
        if shutil.which("npm") is None:
            raise NichtMessbar("npm fehlt: parquet-wasm nicht lokal verfügbar")
        ziel.mkdir(parents=True, exist_ok=True)
        lauf = subprocess.run(["npm", "install", "--silent", "--prefix", str(ziel), f"parquet-wasm@{version}"],
                              capture_output=True, text=True, timeout=600, check=False)
        if lauf.returncode != 0 or not datei.exists():
            raise NichtMessbar(f"parquet-wasm@{version} (von lonboard {lonboard.__version__} zur Laufzeit geladen) "
                               "ist in der npm-Registry nicht zu bekommen")
    return datei


def offline_machen(html: str) -> str:
    """CDN-Skripte der lonboard-Seite durch die eingebetteten npm-Pakete ersetzen (siehe Moduldoku)."""
    d = npm_dateien()
    require = d["require"].read_text(encoding="utf-8")
    embed = d["embed"].read_text(encoding="utf-8")
    anywidget = d["anywidget"].read_text(encoding="utf-8")
    ende = 'define(["@jupyter-widgets/base"], widget_default);'
    if ende not in anywidget:
        raise NichtMessbar("anywidget-Bündel hat eine unbekannte Form (kein anonymes define am Ende)")
    anywidget = anywidget.replace(ende, 'define("anywidget", ["@jupyter-widgets/base"], widget_default);')
    for name, text in (("require.js", require), ("embed-amd.js", embed), ("anywidget", anywidget)):
        if "</script" in text.lower():
            raise NichtMessbar(f"{name} enthält </script> und lässt sich nicht einbetten")
    html, n1 = re.subn(r'<script src="https://cdnjs\.cloudflare\.com/ajax/libs/require\.js/[^"]+"[^>]*></script>',
                       lambda _: f"<script>{require}</script>", html)
    html, n2 = re.subn(r'<script src="https://cdn\.jsdelivr\.net/npm/@jupyter-widgets/html-manager@[^"]+"[^>]*>'
                       r"</script>", lambda _: f"<script>{anywidget}</script><script>{embed}</script>", html)
    if (n1, n2) != (1, 1):
        raise NichtMessbar(f"lonboard-HTML hat eine unbekannte Form (require.js {n1}×, html-manager {n2}×)")
    if re.search(r'<(script|link)[^>]*(src|href)="(https?:)?//', html):
        raise NichtMessbar("nach dem Einbetten ist noch eine externe Adresse übrig")
    return html


def lonboard_karte(argumente: dict[str, Any]) -> Any:
    """Dieselben Ebenen wie bei explore(): Stadtteile, Sozialräume (Umriss), Netzwerkkanten, Einrichtungen."""
    try:
        from lonboard import Map, PathLayer, PolygonLayer, ScatterplotLayer
    except ImportError as exc:
        raise NichtMessbar(f"lonboard nicht installiert ({exc}); pip install -e '.[bench]'") from None
    st = argumente["stadtteile"][["name", "sozialraum", "geometry"]]
    sr = argumente["sozialraeume"][["name", "geometry"]]
    ein = argumente["einrichtungen"][["name", "art", "traeger", "adresse", "angebote", "zielgruppen", "geometry"]]
    ebenen = [
        PolygonLayer.from_geopandas(st, get_fill_color=[200, 200, 200, 40], get_line_color=[102, 102, 102, 255],
                                    get_line_width=1, line_width_units="pixels", pickable=True),
        PolygonLayer.from_geopandas(sr, filled=False, get_line_color=[34, 34, 34, 255], get_line_width=3,
                                    line_width_units="pixels", pickable=False),
    ]
    kanten = argumente["netzwerk_kanten"][["netzwerk", "status", "von", "nach", "geometry"]]
    if len(kanten):
        ebenen.append(PathLayer.from_geopandas(kanten, get_color=[27, 120, 55, 255], get_width=2,
                                               width_units="pixels"))
    ebenen.append(ScatterplotLayer.from_geopandas(ein, get_fill_color=[224, 130, 20, 230], get_radius=5,
                                                  radius_units="pixels", pickable=True))
    return Map(ebenen, basemap=None)


def baue_lonboard(argumente: dict[str, Any], kommune: Any, pfad: Path) -> dict[str, float]:
    wasm_datei()  # vorab: fehlt etwas, gar nicht erst bauen
    t0 = time.perf_counter()
    m = lonboard_karte(argumente)
    t1 = time.perf_counter()
    html = m.to_html(title="Ressourcenkarte (lonboard)")
    pfad.write_text(offline_machen(html), encoding="utf-8")
    return {"baue_s": t1 - t0, "speichern_s": time.perf_counter() - t1}


# Sichtbar bei WebGL: deck.gl zeichnet in eine <canvas>, deren Pixel im DOM nicht abfragbar sind. Gemessen
# wird bis zum ersten Bild, in dem der Kartenbereich nicht mehr leer ist: die Leinwand wird per
# drawImage in eine 2D-Leinwand kopiert (im selben Animationsframe, in dem deck.gl gezeichnet hat) und auf
# nicht-transparente Pixel geprüft.
SICHTBAR_JS = """() => {
  for (const c of document.querySelectorAll('canvas')) {
    const r = c.getBoundingClientRect();
    if (r.width < 50 || r.height < 50 || !c.width) continue;
    const k = document.createElement('canvas'); k.width = 64; k.height = 64;
    const x = k.getContext('2d'); x.drawImage(c, 0, 0, 64, 64);
    const d = x.getImageData(0, 0, 64, 64).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true;
  }
  return false;
}"""


def lokale_antworten() -> dict[str, Path]:
    """Für den Browser-Test: Adressteil → lokale Datei (statt Netz)."""
    return {"parquet_wasm_bg.wasm": wasm_datei()}
