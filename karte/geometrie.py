"""Geometrie für die Anzeige: Vereinfachung mit gemeinsamen Grenzen, Beschriftungspunkte.

Eingang und Ausgang in EPSG:4326; gerechnet wird in der metrischen Projektion der Kommune (`crs_metrisch`).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.ops import polylabel

STELLEN = 5  # Nachkommastellen in Grad: etwa 1 m, genug für die Anzeige
# Flächen mit im Mittel höchstens so vielen Stützpunkten gelten als schon einfach: die Vereinfachung würde
# kaum etwas entfernen, kostet aber bei 10.000 Flächen die meiste Bauzeit (amtliche Grenzen haben Hunderte).
SCHON_EINFACH = 24


def vereinfache_flaechen(gdf: gpd.GeoDataFrame, *, crs_metrisch: int, toleranz_m: float = 5.0
                         ) -> gpd.GeoDataFrame:
    """Vereinfacht eine Flächen-Überdeckung so, dass gemeinsame Grenzen gemeinsam bleiben (EPSG:4326 → 4326).

    `shapely.coverage_simplify` vereinfacht jede gemeinsame Kante genau einmal; ist die Eingabe keine
    saubere Überdeckung, wird jede Fläche einzeln topologieerhaltend vereinfacht. Schon einfache Flächen
    (im Mittel ≤ `SCHON_EINFACH` Stützpunkte) bleiben, wie sie sind.
    """
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if gdf.empty:
        return gdf.copy()
    if shapely.get_num_coordinates(np.asarray(gdf.geometry.values, dtype=object)).sum() <= SCHON_EINFACH * len(gdf):
        return gdf.to_crs(epsg=4326)
    metrisch = gdf.to_crs(epsg=crs_metrisch)
    geo = metrisch.geometry.values
    try:
        einfach = shapely.coverage_simplify(geo, toleranz_m)
        if not shapely.is_valid(einfach).all() or shapely.is_empty(einfach).any():
            raise ValueError("ungültige Überdeckung")
    except (ValueError, shapely.errors.GEOSException):
        einfach = shapely.simplify(geo, toleranz_m, preserve_topology=True)
    out = metrisch.copy()
    out.geometry = gpd.GeoSeries(einfach, index=metrisch.index, crs=metrisch.crs)
    return out.to_crs(epsg=4326)


def _vereinige(geos: Any) -> Any:
    """Überdeckung (gemeinsame Kanten, keine Überlappung) schnell vereinigen; sonst allgemein."""
    try:
        schnell = shapely.coverage_union_all(geos)
        flaeche = float(shapely.area(geos).sum())
        if shapely.is_valid(schnell) and abs(schnell.area - flaeche) <= 1e-9 * max(flaeche, 1e-12):
            return schnell
    except shapely.errors.GEOSException:
        pass
    return shapely.union_all(geos)


def vereinige_nach(gdf: gpd.GeoDataFrame, spalte: str) -> dict[str, Any]:
    """Vereinigt (bereits vereinfachte) Flächen je Wert von `spalte`; Ergebnis: Name → Geometrie (EPSG:4326)."""
    codes, namen = pd.factorize(gdf[spalte], sort=False)
    gueltig = codes >= 0
    codes, geos = codes[gueltig], np.asarray(gdf.geometry.values, dtype=object)[gueltig]
    reihenfolge = np.argsort(codes, kind="stable")  # ohne groupby: je Gruppe ein Abschnitt des sortierten Arrays
    grenzen = np.flatnonzero(np.diff(codes[reihenfolge])) + 1
    return {name: _vereinige(teil) for name, teil in zip(namen, np.split(geos[reihenfolge], grenzen), strict=True)}


def beschriftungspunkte(geometrien: gpd.GeoSeries, *, crs_metrisch: int) -> list[list[float] | None]:
    """Ein Punkt im Inneren jeder Fläche (Pol der Unerreichbarkeit der größten Teilfläche) als [lat, lon]."""
    metrisch = geometrien.to_crs(epsg=crs_metrisch)
    punkte = []
    for geo in metrisch.values:
        if geo is None or geo.is_empty:
            punkte.append(None)
            continue
        teil = max(getattr(geo, "geoms", [geo]), key=lambda g: g.area)
        try:
            punkte.append(polylabel(teil, tolerance=10.0))
        except Exception:  # noqa: BLE001 - seltene Sonderfälle: dann ein sicherer Innenpunkt
            punkte.append(teil.representative_point())
    pts = gpd.GeoSeries(punkte, crs=metrisch.crs).to_crs(epsg=4326)
    return [None if p is None else [round(p.y, STELLEN), round(p.x, STELLEN)] for p in pts.values]
