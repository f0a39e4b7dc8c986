"""Bevölkerungsraster lesen, z. B. das Gitter des Zensus 2022 (100-m-Zellen, EPSG:3035).

Der Zensus veröffentlicht CSV-Dateien mit den Spalten `GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner`
(Zellmittelpunkt in EPSG:3035, Meter; geheim gehaltene Werte als „–“). Andere Raster gehen als GeoPackage
oder GeoJSON mit einer Spalte `einwohner` (CRS aus der Datei). Ergebnis: Punkte mit `einwohner`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from daten.fehler import EingabeFehler

ZENSUS_CRS = "EPSG:3035"
_ZENSUS_SPALTEN = ("x_mp_100m", "y_mp_100m")


def lese_bevoelkerungsraster(pfad: str | Path) -> gpd.GeoDataFrame:
    """Liest ein Raster als GeoDataFrame (Spalte `einwohner`, CRS der Quelle; Zensus-CSV: EPSG:3035)."""
    pfad = Path(pfad)
    if not pfad.is_file():
        raise EingabeFehler(f"Bevölkerungsraster {pfad} nicht gefunden.")
    if pfad.suffix.lower() == ".csv":
        try:
            df = pd.read_csv(pfad, sep=None, engine="python", encoding="utf-8-sig", dtype=str)
        except (UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise EingabeFehler(f"{pfad}: keine lesbare CSV-Datei (UTF-8, ';'): {exc}") from None
        spalten = {c.lower(): c for c in df.columns}
        fehlt = [s for s in (*_ZENSUS_SPALTEN, "einwohner") if s not in spalten]
        if fehlt:
            raise EingabeFehler(f"{pfad}: Spalten {', '.join(fehlt)} fehlen (Zensus-Gitter erwartet: "
                                "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner).")
        zahl = {s: pd.to_numeric(df[spalten[s]].str.replace(",", ".", regex=False), errors="coerce")
                for s in (*_ZENSUS_SPALTEN, "einwohner")}
        ok = zahl["x_mp_100m"].notna() & zahl["y_mp_100m"].notna()
        if not ok.any():
            raise EingabeFehler(f"{pfad}: keine Zeile mit Koordinaten.")
        return gpd.GeoDataFrame({"einwohner": zahl["einwohner"][ok].fillna(0).to_numpy()},
                                geometry=gpd.points_from_xy(zahl["x_mp_100m"][ok], zahl["y_mp_100m"][ok]),
                                crs=ZENSUS_CRS)
    try:
        gdf = gpd.read_file(pfad, engine="pyogrio")
    except Exception as exc:  # noqa: BLE001 - GDAL-Fehler als deutsche Meldung
        raise EingabeFehler(f"{pfad}: nicht lesbar ({type(exc).__name__}). GeoPackage oder GeoJSON angeben.") from None
    spalten = {c.lower(): c for c in gdf.columns}
    if "einwohner" not in spalten or gdf.crs is None:
        raise EingabeFehler(f"{pfad}: braucht eine Spalte 'einwohner' und ein Koordinatensystem.")
    gdf = gdf.rename(columns={spalten["einwohner"]: "einwohner"})
    gdf["einwohner"] = pd.to_numeric(gdf["einwohner"], errors="coerce").fillna(0)
    return gdf[["einwohner", "geometry"]]
