"""Lage je Zeile: Koordinaten aus Geometrie, lat/lon, x/y oder WKT lesen, nach EPSG:4326 bringen, Stadtteil zuordnen
(nach der einen Regel aus `daten.geometrie`)."""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from daten.config import Kommune
from daten.fehler import EingabeFehler
from daten.geometrie import Lage, ablehnung, metrisches_crs, naeherung, ordne_stadtteile
from daten.importe.bericht import Bericht
from daten.importe.koordinaten import WGS84, abstand_km, deute, lies_crs, nach_wgs84, name_crs
from daten.importe.lesen import Rohdaten
from daten.importe.zahlen import KeineZahl, lies_zahl

_EWKT = re.compile(r"^\s*SRID=(\d+);(.*)$", re.IGNORECASE | re.DOTALL)


def _zahlen(werte: pd.Series, feld: str, bericht: Bericht) -> np.ndarray:
    aus = np.full(len(werte), np.nan)
    for i, (nr, text) in enumerate(werte.items()):
        if not str(text).strip():
            continue
        try:
            aus[i], _ = lies_zahl(text, deutsch=False)
        except KeineZahl as exc:
            bericht.fehler(int(nr), feld, f"Koordinate {exc}.", "Zahl mit Dezimalpunkt oder -komma eintragen.")
    return aus


def _aus_geometrien(roh: Rohdaten, bericht: Bericht) -> tuple[np.ndarray, np.ndarray]:
    x = np.full(len(roh.werte), np.nan)
    y = np.full(len(roh.werte), np.nan)
    for i, (nr, g) in enumerate(zip(roh.nummern, roh.geometrien or [], strict=True)):
        if g is None:
            continue
        if g.geom_type == "MultiPoint" and len(g.geoms) == 1:
            g = g.geoms[0]
        if g.geom_type == "Point":
            x[i], y[i] = g.x, g.y
        elif g.geom_type in ("Polygon", "MultiPolygon"):
            p = g.representative_point()
            x[i], y[i] = p.x, p.y
            bericht.hinweis(nr, "geometry", "Fläche statt Punkt: ein Punkt innerhalb der Fläche wird verwendet.")
        else:
            bericht.fehler(nr, "geometry", f"Geometrietyp {g.geom_type} ist kein Punkt.",
                           "Einrichtungen als Punkt (oder Fläche) liefern.")
    return x, y


def _aus_wkt(werte: pd.Series, bericht: Bericht) -> tuple[np.ndarray, np.ndarray, CRS | None]:
    x = np.full(len(werte), np.nan)
    y = np.full(len(werte), np.nan)
    srids = set()
    for i, (nr, text) in enumerate(werte.items()):
        text = str(text).strip()
        if not text:
            continue
        ew = _EWKT.match(text)
        if ew:
            srids.add(int(ew.group(1)))
            text = ew.group(2)
        try:
            g = shapely.from_wkt(text)
        except shapely.errors.ShapelyError:
            bericht.fehler(int(nr), "wkt", f"'{text[:60]}' ist kein gültiges WKT.",
                           "z. B. POINT (8.27 49.99) eintragen.")
            continue
        if g is None or g.is_empty or g.geom_type != "Point":
            bericht.fehler(int(nr), "wkt", "WKT ist kein Punkt.", "POINT (x y) eintragen.")
            continue
        x[i], y[i] = g.x, g.y
    if len(srids) > 1:
        raise EingabeFehler(f"WKT-Spalte nennt mehrere Koordinatensysteme (SRID {sorted(srids)}). Bitte eines.")
    return x, y, CRS.from_epsg(srids.pop()) if srids else None


def koordinaten(roh: Rohdaten, spalten: dict[str, str], *, kommune: Kommune, crs_angabe: str | None,
                bericht: Bericht) -> tuple[np.ndarray, np.ndarray, str]:
    """(lon, lat) je Zeile in EPSG:4326 und das Feld der Lage (für den Bericht); fehlend oder ungültig = NaN
    (mit Fehler im Bericht)."""
    gegeben = lies_crs(crs_angabe)
    if roh.geometrien is not None and any(g is not None for g in roh.geometrien):
        x, y = _aus_geometrien(roh, bericht)
        erklaert, felder, feld = roh.crs, "Geometrien", "geometry"
    elif "lat" in spalten and "lon" in spalten:
        x, y = _zahlen(roh.werte[spalten["lon"]], "lon", bericht), _zahlen(roh.werte[spalten["lat"]], "lat", bericht)
        erklaert, felder = WGS84, f"Spalten {spalten['lat']}/{spalten['lon']}"
        feld = f"{spalten['lat']}/{spalten['lon']}"
    elif "x" in spalten and "y" in spalten:
        x, y = _zahlen(roh.werte[spalten["x"]], "x", bericht), _zahlen(roh.werte[spalten["y"]], "y", bericht)
        erklaert, felder = None, f"Spalten {spalten['x']}/{spalten['y']}"
        feld = f"{spalten['x']}/{spalten['y']}"
    elif "wkt" in spalten:
        x, y, erklaert = _aus_wkt(roh.werte[spalten["wkt"]], bericht)
        felder, feld = f"Spalte {spalten['wkt']}", spalten["wkt"]
    else:
        raise EingabeFehler(
            f"{bericht.datei}: keine Koordinaten gefunden (Spalten lat/lon, x/y oder wkt; Spalten der Datei: "
            f"{', '.join(roh.werte.columns[:30])}). Bitte mit --spalte lat=… --spalte lon=… zuordnen.")
    deutung = deute(x, y, mitte=kommune.kartenmitte, stadt=kommune.name, erklaert=erklaert, gegeben=gegeben,
                    bericht=bericht, felder=felder, crs_kommune=metrisches_crs(kommune))
    bericht.hinweis(0, "KBS", f"{felder} gelesen als {name_crs(deutung.crs)}.")
    lon, lat = nach_wgs84(deutung.crs, x, y)
    for i, nr in enumerate(roh.nummern):
        if np.isnan(x[i]) and np.isnan(y[i]) and nr not in bericht.fehlerzeilen:
            bericht.fehler(nr, "Lage", "Zeile ohne Koordinaten.", "Koordinaten ergänzen oder Zeile überspringen.")
        elif not (np.isnan(x[i]) and np.isnan(y[i])) and np.isnan(lon[i]):
            bericht.fehler(nr, "Lage", f"Koordinaten ({x[i]}, {y[i]}) sind in {name_crs(deutung.crs)} ungültig.",
                           "Koordinaten prüfen.")
    if deutung.crs.is_geographic:
        _einzeln_vertauscht(x, y, roh.nummern, kommune, bericht)
    return lon, lat, feld


def _einzeln_vertauscht(x: np.ndarray, y: np.ndarray, nummern: list[int], kommune: Kommune, bericht: Bericht) -> None:
    """Einzelne Zeilen mit vertauschter Breite/Länge (die Datei im Ganzen ist richtig herum)."""
    weit = abstand_km(x, y, kommune.kartenmitte) > 50
    getauscht_nah = abstand_km(y, x, kommune.kartenmitte) <= 50
    for i in np.flatnonzero(weit & getauscht_nah):
        bericht.fehler(nummern[i], "Lage", f"Breite und Länge scheinen vertauscht ({y[i]}, {x[i]}): so liegt der Punkt "
                       f"weit außerhalb von {kommune.name}, vertauscht mitten darin.", "Werte tauschen.")


def stadtteile_je_zeile(lon: np.ndarray, lat: np.ndarray, nummern: list[int], stadtteile: gpd.GeoDataFrame, *,
                        kommune: Kommune, feld: str, bericht: Bericht) -> list[str | None]:
    """Stadtteil je Zeile nach der Regel aus `daten.geometrie`: im Stadtteil (Rand inklusive); sonst der nächste
    innerhalb der Toleranz der Kommune, mit Warnung; sonst Zeilenfehler mit Punkt, Abstand und Feld."""
    ok = ~(np.isnan(lon) | np.isnan(lat))
    ergebnis: list[str | None] = [None] * len(lon)
    if not ok.any():
        return ergebnis
    idx = np.flatnonzero(ok)
    punkte = gpd.GeoSeries(gpd.points_from_xy(lon[idx], lat[idx]), index=idx, crs=4326)
    zu = ordne_stadtteile(punkte, stadtteile, kommune=kommune)
    for i, name, d, naechster in zip(idx, zu["stadtteil"], zu["abstand_m"], zu["naechster"], strict=True):
        if name is not None:
            ergebnis[i] = name
            if d > 0:
                bericht.warnung(nummern[i], feld, naeherung(Lage(name, float(d))),
                                "Lage prüfen; Lücken zwischen Grenzen bereinigt 'import stadtteile'.")
        else:
            bericht.fehler(nummern[i], feld, ablehnung(punkte[i], abstand_m=d, naechster=naechster, kommune=kommune),
                           "Koordinaten prüfen (Breite/Länge vertauscht? anderes Koordinatensystem, --crs?) "
                           "oder die Zeile überspringen.")
    return ergebnis
