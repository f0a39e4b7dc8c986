"""Die verglichenen Verfahren: unsere Karte (`karte.baue_karte` + `speichere_html`) und `GeoDataFrame.explore()`.

Beide schreiben eine eigenständige HTML-Datei mit denselben lokalen Bibliotheken (Leaflet aus xstatic-leaflet,
inline) ohne Hintergrundkarte; gemessen wird die Zeit bis die Datei auf der Platte liegt.
"""

from __future__ import annotations

import base64
import re
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Popup-/Tooltip-Felder der Einrichtungen, wie sie auch unsere Karte zeigt.
FELDER = ["name", "art_bezeichnung", "traeger", "adresse", "angebote", "zielgruppen", "kapazitaet", "netzwerke"]
ALIASE = ["Name", "Art", "Träger", "Adresse", "Angebote", "Zielgruppen", "Plätze", "Netzwerke"]

# Ersatz für jQuery UI (nur für die verschiebbare Legende von explore() nötig; kein lokales Paket vorhanden).
JQUERY_UI_ERSATZ = "jQuery.fn.draggable = function () { return this; };"


def _inline_bibliotheken() -> dict[str, str]:
    import xstatic.pkg.jquery as xjquery
    import xstatic.pkg.leaflet as xleaflet

    leaflet, jquery = Path(xleaflet.BASE_DIR), Path(xjquery.BASE_DIR)

    def bild(t: re.Match[str]) -> str:  # Ebenen-Symbol usw. als data:-URI, damit nichts nachgeladen wird
        return f"url(data:image/png;base64,{base64.b64encode((leaflet / t.group(1)).read_bytes()).decode()})"

    css = re.sub(r"url\((images/[\w-]+\.png)\)", bild, (leaflet / "leaflet.css").read_text(encoding="utf-8"))
    return {
        "leaflet_js": (leaflet / "leaflet.js").read_text(encoding="utf-8"),
        "leaflet_css": css,
        "jquery_js": (jquery / "jquery.min.js").read_text(encoding="utf-8"),
    }


def offline_machen(html: str) -> tuple[str, list[str]]:
    """Externe <script src>/<link href> im <head> einer folium-Seite ersetzen → (HTML, entfernte URLs).

    Leaflet (JS+CSS) wird aus xstatic-leaflet eingebettet, jQuery aus xstatic-jquery nur, wenn die Legende
    von explore() es braucht (`.draggable`), jQuery UI durch einen Einzeiler ersetzt. Bootstrap, Font
    Awesome, Awesome-Markers und Glyphicons entfallen: Kreismarker, GeoJSON, Tooltips und Popups brauchen sie
    nicht. Danach darf keine externe Adresse mehr geladen werden (sonst ValueError).
    """
    kopf, trenner, rest = html.partition("</head>")
    if not trenner:
        raise ValueError("kein </head> in der folium-Seite")
    lib = _inline_bibliotheken()
    braucht_jquery = ".draggable(" in kopf
    entfernt: list[str] = []

    def js(treffer: re.Match[str]) -> str:
        url = treffer.group(1)
        if re.search(r"leaflet(@[\d.]+)?(/dist)?/leaflet\.js$", url):
            return "<script>\0leaflet_js\0</script>"
        if "jquery-ui" in url or "/ui/" in url:
            return f"<script>{JQUERY_UI_ERSATZ}</script>" if braucht_jquery else ""
        if re.search(r"jquery-[\d.]+(\.min)?\.js$", url) and braucht_jquery:
            return "<script>\0jquery_js\0</script>"
        entfernt.append(url)
        return ""

    def css(treffer: re.Match[str]) -> str:
        url = treffer.group(1)
        if url.endswith("/leaflet.css"):
            return "<style>\0leaflet_css\0</style>"
        entfernt.append(url)
        return ""

    kopf = re.sub(r'<script\s+src="((?:https?:)?//[^"]+)"\s*>\s*</script>', js, kopf)
    kopf = re.sub(r'<link\s+rel="stylesheet"\s+href="((?:https?:)?//[^"]+)"\s*/?>', css, kopf)
    if re.search(r'(src|href)="(https?:)?//', kopf):  # vor dem Einbetten prüfen: Leaflet selbst enthält Links
        raise ValueError("externe Adresse im <head> übrig geblieben")
    kopf = re.sub("\0(\\w+)\0", lambda t: lib[t.group(1)], kopf)
    return kopf + trenner + rest, entfernt


def explore_karte(argumente: dict[str, Any], kommune: Any) -> Any:
    """Dieselben Ebenen mit `GeoDataFrame.explore()` auf einer folium-Karte (ohne Hintergrundkarte)."""
    import folium

    arten = kommune.einrichtungsarten
    stadtteile = argumente["stadtteile"][["name", "sozialraum", "geometry"]]
    m = stadtteile.explore(tiles=None, name="Stadtteile", tooltip=["name", "sozialraum"],
                           tooltip_kwds={"aliases": ["Stadtteil", "Sozialraum"]}, popup=False,
                           style_kwds={"color": "#666666", "weight": 1, "fillOpacity": 0.05})
    argumente["sozialraeume"][["name", "geometry"]].explore(
        m=m, name="Sozialräume", tooltip=["name"], tooltip_kwds={"aliases": ["Sozialraum"]},
        style_kwds={"fill": False, "color": "#222222", "weight": 3})
    kanten = argumente["netzwerk_kanten"][["netzwerk", "status", "von", "nach", "geometry"]]
    if len(kanten):
        kanten.explore(m=m, name="Netzwerke", column="status", categories=["besteht", "soll entwickelt werden"],
                       cmap=["#1b7837", "#999999"], legend=False, tooltip=["netzwerk", "status", "von", "nach"],
                       tooltip_kwds={"aliases": ["Netzwerk", "Status", "von", "nach"]})
    ein = argumente["einrichtungen"][[*FELDER, "art", "geometry"]]
    ein.explore(m=m, name="Einrichtungen", column="art", categories=[a.schluessel for a in arten],
                cmap=[a.farbe for a in arten], legend=True,
                legend_kwds={"labels": [a.bezeichnung for a in arten], "caption": "Einrichtungsart"},
                tooltip=["name", "art_bezeichnung"], tooltip_kwds={"aliases": ["Name", "Art"]},
                popup=FELDER, popup_kwds={"aliases": ALIASE}, marker_kwds={"radius": 5})
    folium.LayerControl().add_to(m)
    return m


def baue_explore(argumente: dict[str, Any], kommune: Any, pfad: Path) -> dict[str, float]:
    t0 = time.perf_counter()
    m = explore_karte(argumente, kommune)
    t1 = time.perf_counter()
    html, _ = offline_machen(m.get_root().render())
    pfad.write_text(html, encoding="utf-8")
    return {"baue_s": t1 - t0, "speichern_s": time.perf_counter() - t1}


def baue_unsere(argumente: dict[str, Any], kommune: Any, pfad: Path) -> dict[str, float]:
    from karte import baue_karte, speichere_html
    t0 = time.perf_counter()
    m = baue_karte(**argumente, kommune=kommune, basemap="keine")
    t1 = time.perf_counter()
    speichere_html(m, pfad)
    return {"baue_s": t1 - t0, "speichern_s": time.perf_counter() - t1}


def baue_lonboard(argumente: dict[str, Any], kommune: Any, pfad: Path) -> dict[str, float]:
    from bench._lonboard import baue_lonboard as baue

    return baue(argumente, kommune, pfad)


VERFAHREN: dict[str, Callable[[dict[str, Any], Any, Path], dict[str, float]]] = {
    "ours": baue_unsere, "explore": baue_explore, "lonboard": baue_lonboard,
}


def miss_build(methode: str, argumente: dict[str, Any], kommune: Any, pfad: Path, wiederholungen: int = 1,
               budget_s: float = 15.0) -> dict[str, Any]:
    """Baut bis zu `wiederholungen`-mal (keine Wiederholung mehr nach `budget_s`); Median und Schritte dazu."""
    laeufe: list[dict[str, float]] = []
    start = time.perf_counter()
    while len(laeufe) < max(1, wiederholungen) and (not laeufe or time.perf_counter() - start < budget_s):
        cpu = time.process_time()  # Rechenzeit dieses Prozesses: kaum von der Last anderer Prozesse abhängig
        lauf = VERFAHREN[methode](argumente, kommune, pfad)
        lauf["cpu_s"] = time.process_time() - cpu
        laeufe.append(lauf)
    laeufe.sort(key=lambda r: r["baue_s"] + r["speichern_s"])
    mitte = laeufe[len(laeufe) // 2]
    gesamt = statistics.median(r["baue_s"] + r["speichern_s"] for r in laeufe)
    return {"build_s": gesamt, "baue_s": mitte["baue_s"], "speichern_s": mitte["speichern_s"],
            "build_cpu_s": statistics.median(r["cpu_s"] for r in laeufe),
            "bytes": pfad.stat().st_size, "laeufe": len(laeufe)}
