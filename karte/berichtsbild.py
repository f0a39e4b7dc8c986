"""Statische Kartenbilder (PNG) für Berichte: schnell, offline, ohne Browser (matplotlib, Agg).

Gezeichnet wird im metrischen KBS der Kommune (unverzerrt); Stadtteile nach Bedarfsklasse eingefärbt, Sozialraum-
grenzen, Einrichtungen als Punkte in der Farbe ihrer Art. Jedes Bild hat eine Textalternative (`beschreibung`).
Welche Bilder ein Bericht bekommt, entscheidet `berichte.bericht`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

import geopandas as gpd

KLASSENFARBEN = {  # ColorBrewer OrRd (4), Bedarf gering → hoch
    "gering": "#fef0d9", "mittel": "#fdcc8a", "erhöht": "#fc8d59", "hoch": "#d7301f", "keine Angabe": "#d9d9d9",
}
GRAU = "#eeeeee"


def karte_png(stadtteile: gpd.GeoDataFrame, sozialraeume: gpd.GeoDataFrame, *,
              klassen: Mapping[str, str] | None = None, einrichtungen: gpd.GeoDataFrame | None = None,
              artfarben: Mapping[str, str] | None = None, sozialraum: str | None = None, titel: str = "",
              crs_metrisch: int, breite_zoll: float = 5.5, dpi: int = 100) -> bytes:
    """PNG einer Karte. `stadtteile`/`sozialraeume`/`einrichtungen` in EPSG:4326 oder schon in `crs_metrisch`
    (Spalten name, sozialraum, art);
    `klassen`: Bedarfsklasse je Stadtteil; mit `sozialraum` nur dieser Sozialraum farbig, die übrigen grau."""
    from matplotlib.collections import PatchCollection
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch, PathPatch

    st = stadtteile.to_crs(crs_metrisch)
    sr = sozialraeume[sozialraeume.geometry.notna()].to_crs(crs_metrisch)
    klassen = dict(klassen or {})
    farben = [KLASSENFARBEN.get(klassen.get(n, "keine Angabe"), GRAU)
              if (sozialraum is None or s == sozialraum) else GRAU for n, s in zip(st["name"], st["sozialraum"],
                                                                                     strict=True)]
    # Figure ohne pyplot: kein globaler Zustand, kein interaktives Neuzeichnen (schnell, threadsicher)
    fig = Figure(figsize=(breite_zoll, breite_zoll * 0.8), dpi=dpi)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.add_collection(PatchCollection([PathPatch(_pfad(g)) for g in st.geometry], facecolors=farben,
                                      edgecolors="#888888", linewidths=0.5))
    ax.add_collection(PatchCollection([PathPatch(_pfad(g)) for g in sr.geometry], facecolors="none",
                                      edgecolors="#2c3e50", linewidths=1.2))
    if sozialraum is not None:
        ax.add_collection(PatchCollection([PathPatch(_pfad(g)) for g in sr.loc[sr["name"] == sozialraum,
                                                                               "geometry"]],
                                          facecolors="none", edgecolors="#000000", linewidths=2.4))
    x0, y0, x1, y1 = st.total_bounds
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    if einrichtungen is not None and len(einrichtungen):
        e = einrichtungen.to_crs(crs_metrisch)
        if sozialraum is not None:
            e = e[e["sozialraum"] == sozialraum]
        ax.scatter(e.geometry.x, e.geometry.y, s=9, c=[(artfarben or {}).get(a, "#333333") for a in e["art"]],
                   edgecolors="white", linewidths=0.3, zorder=3)
    for name, g in zip(st["name"], st.geometry, strict=True):  # Stadtteilnamen (R1: Aufteilung sichtbar)
        if sozialraum is None or name in set(st.loc[st["sozialraum"] == sozialraum, "name"]):
            p = g.representative_point()
            ax.annotate(name, (p.x, p.y), fontsize=7 if sozialraum is None else 9, ha="center", va="center",
                        color="#222222", zorder=4)
    if sozialraum is not None:
        x0, y0, x1, y1 = sr[sr["name"] == sozialraum].total_bounds
        rand = max(x1 - x0, y1 - y0) * 0.15
        ax.set_xlim(x0 - rand, x1 + rand)
        ax.set_ylim(y0 - rand, y1 + rand)
    ax.set_aspect("equal")
    if titel:  # als Text der Figur: ax.set_title richtet sich nach allen Beschriftungen aus (≈ 40 ms je Bild)
        fig.text(0.5, 0.985, titel, fontsize=10, ha="center", va="top")
    legende = [Patch(facecolor=f, edgecolor="#888888", label=f"Bedarf {k}") for k, f in KLASSENFARBEN.items()
               if k in set(klassen.values())]
    if legende:
        ax.legend(handles=legende, loc="lower left", fontsize=7, frameon=True)
    puffer = io.BytesIO()
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.93)
    fig.savefig(puffer, format="png")  # ohne bbox_inches="tight": spart einen zweiten Zeichenlauf
    return puffer.getvalue()


def _pfad(geometrie: Any) -> Any:
    """Polygon/MultiPolygon als matplotlib-Pfad (Löcher bleiben Löcher)."""
    import shapely
    from matplotlib.path import Path

    ringe = []
    for poly in getattr(geometrie, "geoms", [geometrie]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in [poly.exterior, *poly.interiors]:
            ringe.append(Path(shapely.get_coordinates(ring), closed=True))
    return Path.make_compound_path(*ringe) if ringe else Path([[0, 0]])


def beschreibung(klassen: Mapping[str, str], stadtteile: gpd.GeoDataFrame, sozialraum: str | None) -> str:
    """Textalternative: welche Stadtteile in welcher Bedarfsklasse liegen."""
    st = stadtteile if sozialraum is None else stadtteile[stadtteile["sozialraum"] == sozialraum]
    teile = [f"{n}: Bedarf {klassen.get(n, 'keine Angabe')}" for n in st["name"]]
    wo = f"Sozialraum {sozialraum}" if sozialraum else "Stadtgebiet"
    return f"Karte {wo} mit Einrichtungen; Stadtteile nach Bedarfsklasse – " + "; ".join(teile) + "."
