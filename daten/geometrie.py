"""Geometrie: der portable Spaltentyp, das metrische Bezugssystem der Kommune und die eine Regel Punkt → Stadtteil.

`Geo`: PostGIS `geometry(…, 4326)` auf PostgreSQL, WKB-Blob sonst. Auf beiden Backends liest und schreibt der Typ
Shapely-Geometrien in EPSG:4326 (lon, lat). SQLite braucht damit keine SpatiaLite-Erweiterung; räumliche Arbeit
läuft dort in GeoPandas.

`metrisches_crs(kommune)`: das metrische KBS aus der Kommune-Konfiguration (`crs_metrisch`, Mainz EPSG:25832).
Abstände und Flächen werden nur darin gerechnet; eine Stadt in einer anderen UTM-Zone ändert nur die Konfiguration.

Punkt → Stadtteil (`ordne_stadtteile` für viele Punkte, `stadtteil_fuer_punkt` für einen; Import, Pflege, Demo
und Analysen benutzen nur sie). Die Regel, gerechnet im metrischen KBS der Kommune:
1. Liegt der Punkt in einem Stadtteil, gehört er zu ihm; der Rand zählt dazu (bis `RAND_M` = 1 cm daneben: so
   genau sind gespeicherte Koordinaten, und eine Umprojektion verschiebt Grenzpunkte um Bruchteile davon). Die
   Grenze ist die gespeicherte (EPSG:4326, Kanten gerade in Länge/Breite).
   Liegt er in mehreren (gemeinsame Grenze, Überlappung ungereinigter Grenzen), entscheidet die kleinste
   Stadtteil-id (Spalte `id`, ohne sie die Zeilenfolge) – das ist der in der Kommune-Konfiguration zuerst
   genannte Stadtteil.
2. Sonst gehört er zum nächsten Stadtteil, wenn dieser höchstens `stadtteil_toleranz_m` Meter entfernt ist
   (Lücke zwischen Grenzen, Stadtrand; Mainz: 100 m); bei gleichem Abstand wieder die kleinste id.
3. Sonst wird er abgelehnt; die Meldung nennt den Punkt, den nächsten Stadtteil und den Abstand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import shapely
from geoalchemy2 import Geometry, WKBElement
from geoalchemy2.shape import to_shape
from pyproj import Transformer
from sqlalchemy.types import LargeBinary, TypeDecorator

from daten.fehler import EingabeFehler

if TYPE_CHECKING:
    import geopandas as gpd

    from daten.config import Kommune

SRID = 4326
RAND_M = 0.01  # so nah am Rand eines Stadtteils zählt ein Punkt als darin (Regel 1)
UNTERTEILUNG_GRAD = 0.0005  # Grenzen in Grad werden vor der Umrechnung so fein unterteilt (≈ 50 m)
KEINE_GRENZEN = ("Es sind noch keine Stadtteilgrenzen geladen; ohne sie lässt sich kein Punkt einem Stadtteil "
                 "zuordnen. Bitte zuerst die Stadtteilgrenzen importieren (Administration: Seite Importe oder "
                 "'ressourcenkarte import stadtteile DATEI'; für die Demo 'ressourcenkarte init --demo').")


class Geo(TypeDecorator):
    """Geometrie-Spalte; Werte sind Shapely-Objekte in EPSG:4326."""

    impl = LargeBinary
    cache_ok = True

    def __init__(self, geometry_type: str = "GEOMETRY", *, index: bool = True) -> None:
        super().__init__()
        # GeoAlchemy2's DDL events read these attributes to create the PostGIS column and GiST index.
        self.geometry_type = geometry_type
        self.spatial_index = index
        self.srid = SRID
        self.dimension = 2
        self.use_typmod = None
        self.use_N_D_index = False
        self.nullable = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        # GeoAlchemy2 asks with dialect=None when probing for raster columns.
        if dialect is None:
            return LargeBinary()
        if dialect.name == "postgresql":
            return dialect.type_descriptor(
                Geometry(self.geometry_type, srid=SRID, spatial_index=self.spatial_index)
            )
        return dialect.type_descriptor(LargeBinary())

    def bind_expression(self, bindvalue: Any) -> Any:
        # GeoAlchemy2 wraps PostGIS binds in ST_GeomFromEWKT; the WKB blob needs nothing.
        return bindvalue

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        if not isinstance(value, shapely.Geometry):
            raise TypeError(f"Geometrie erwartet, nicht {type(value).__name__}")
        if dialect.name == "postgresql":
            return WKBElement(shapely.to_wkb(value, include_srid=False), srid=SRID)
        return shapely.to_wkb(value)

    def process_result_value(self, value: Any, dialect: Any) -> shapely.Geometry | None:
        if value is None:
            return None
        if isinstance(value, WKBElement):
            return to_shape(value)
        if isinstance(value, str):  # hex-WKB (z. B. aus Roh-SQL)
            return shapely.from_wkb(bytes.fromhex(value))
        return shapely.from_wkb(bytes(value))


def metrisches_crs(kommune: Kommune) -> int:
    """EPSG-Code des metrischen Bezugssystems der Kommune (`crs_metrisch`); darin Abstände und Flächen in Metern."""
    return int(kommune.crs_metrisch)


@lru_cache(maxsize=8)
def _transformer(von: int, nach: int) -> Transformer:
    return Transformer.from_crs(von, nach, always_xy=True)


def nach_metrisch(geom: shapely.Geometry, *, crs_metrisch: int) -> shapely.Geometry:
    """Eine Geometrie von EPSG:4326 (lon, lat) in das metrische KBS `crs_metrisch` (EPSG-Code)."""
    t = _transformer(SRID, crs_metrisch)
    return shapely.transform(geom, lambda x, y: t.transform(x, y), interleaved=False)


def nach_wgs84(geom: shapely.Geometry, *, crs_metrisch: int, stellen: int | None = None) -> shapely.Geometry:
    """Eine Geometrie aus dem metrischen KBS `crs_metrisch` nach EPSG:4326; mit `stellen` auf so viele
    Nachkommastellen gerundet (7 ≈ 1 cm: gleiche Eckpunkte bleiben gleich)."""
    t = _transformer(crs_metrisch, SRID)

    def _f(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = t.transform(x, y)
        return (lon, lat) if stellen is None else (np.round(lon, stellen), np.round(lat, stellen))

    return shapely.transform(geom, _f, interleaved=False)


@dataclass(frozen=True)
class Lage:
    """Stadtteil eines Punktes nach der Regel; `abstand_m` 0 = im Stadtteil (oder auf seinem Rand), sonst so
    viele Meter außerhalb, innerhalb der Toleranz."""

    stadtteil: str
    abstand_m: float

    @property
    def innen(self) -> bool:
        return self.abstand_m == 0


def entfernung(meter: float) -> str:
    """„12,3 m“ oder „4,2 km“ (deutsch)."""
    text = f"{meter:.1f} m" if meter < 1000 else f"{meter / 1000:.1f} km"
    return text.replace(".", ",")


def naeherung(lage: Lage) -> str:
    """Hinweis zu einem Punkt, der über die Toleranz (Regel 2) zu seinem Stadtteil kam."""
    return (f"Der Punkt liegt in keinem Stadtteil, sondern {entfernung(lage.abstand_m)} daneben (Lücke zwischen "
            f"den Grenzen oder Stadtrand); er gehört zum nächsten Stadtteil {lage.stadtteil}.")


def ablehnung(punkt: shapely.Point, *, abstand_m: float, naechster: str, kommune: Kommune) -> str:
    """Warum ein Punkt (EPSG:4326) keinem Stadtteil zugeordnet wird (Regel 3) – Importbericht und Pflege-Seite."""
    return (f"Der Punkt (Breite {punkt.y:.5f}, Länge {punkt.x:.5f}) liegt außerhalb des Stadtgebiets: "
            f"{entfernung(abstand_m)} vom nächsten Stadtteil {naechster} entfernt, mehr als die erlaubten "
            f"{kommune.stadtteil_toleranz_m:g} m.")


def _flaechen(stadtteile: gpd.GeoDataFrame, crs: int) -> gpd.GeoDataFrame:
    import geopandas as gpd

    if stadtteile.crs is None:
        raise ValueError("Stadtteile ohne Koordinatensystem")
    st = stadtteile[stadtteile.geometry.notna() & ~stadtteile.geometry.is_empty]
    if st.empty:
        raise EingabeFehler(KEINE_GRENZEN)
    rang = st["id"].to_numpy() if "id" in st else np.arange(len(st))
    geo = st.geometry
    if geo.crs.is_geographic:
        # Eine gerade Kante in Länge/Breite ist metrisch gekrümmt (3 km lang: bis 19 cm Abweichung). Unterteilt
        # bleibt sie auf Bruchteile eines Millimeters dieselbe Linie – ein Punkt auf ihr bleibt auf dem Rand.
        geo = geo.segmentize(UNTERTEILUNG_GRAD)
    return gpd.GeoDataFrame({"_name": st["name"].to_numpy(), "_rang": rang}, geometry=geo.to_crs(crs).to_numpy(),
                            crs=crs)


def _je_punkt(treffer: pd.DataFrame, *reihenfolge: str) -> pd.DataFrame:
    """Ein Treffer je Punkt (`_i`): der erste nach `reihenfolge` (Abstand, dann kleinste id)."""
    return treffer.sort_values(["_i", *reihenfolge], kind="stable").drop_duplicates("_i").set_index("_i")


def ordne_stadtteile(punkte: gpd.GeoSeries, stadtteile: gpd.GeoDataFrame, *, kommune: Kommune) -> pd.DataFrame:
    """Die Regel (siehe Modul) für viele Punkte auf einmal: `sjoin` (im Stadtteil oder auf seinem Rand, `dwithin`
    `RAND_M`), dann `sjoin_nearest` mit `max_distance` = Toleranz, beides im metrischen KBS der Kommune.

    `punkte`: GeoSeries (oder GeoDataFrame) mit KBS; fehlende, leere oder nicht endliche Punkte sind erlaubt.
    `stadtteile`: GeoDataFrame mit `name` (und `id`), KBS beliebig; ohne eine einzige Grenze → EingabeFehler.
    Ergebnis mit dem Index von `punkte`: `stadtteil` (Name; None = abgelehnt oder ohne Lage), `abstand_m`
    (0 im Stadtteil, sonst Meter zum nächsten; NaN ohne Lage), `naechster` (nächster Stadtteil, auch bei Ablehnung).
    """
    import geopandas as gpd

    crs = metrisches_crs(kommune)
    geo = punkte.geometry if isinstance(punkte, gpd.GeoDataFrame) else punkte
    st = _flaechen(stadtteile, crs)
    m = geo.to_crs(crs).to_numpy()
    gueltig = ~shapely.is_missing(m) & ~shapely.is_empty(m)
    gueltig[gueltig] = np.isfinite(shapely.get_coordinates(m[gueltig])).all(axis=1)
    pkt = gpd.GeoDataFrame({"_i": np.flatnonzero(gueltig)}, geometry=m[gueltig], crs=crs)
    n = len(geo)
    name = np.full(n, None, dtype=object)
    naechster = np.full(n, None, dtype=object)
    abstand = np.full(n, np.nan)
    drin = _je_punkt(gpd.sjoin(pkt, st, how="inner", predicate="dwithin", distance=RAND_M), "_rang")
    name[drin.index], naechster[drin.index], abstand[drin.index] = drin["_name"], drin["_name"], 0.0
    offen = pkt[~pkt["_i"].isin(drin.index)]
    if len(offen):
        nah = _je_punkt(gpd.sjoin_nearest(offen, st, how="inner", max_distance=float(kommune.stadtteil_toleranz_m),
                                          distance_col="_d"), "_d", "_rang")
        name[nah.index], naechster[nah.index], abstand[nah.index] = nah["_name"], nah["_name"], nah["_d"]
        weit = offen[~offen["_i"].isin(nah.index)]
        if len(weit):  # abgelehnt: für die Meldung der nächste Stadtteil und sein Abstand
            fern = _je_punkt(gpd.sjoin_nearest(weit, st, how="inner", distance_col="_d"), "_d", "_rang")
            naechster[fern.index], abstand[fern.index] = fern["_name"], fern["_d"]
    return pd.DataFrame({"stadtteil": pd.Series(name, dtype=object, index=geo.index), "abstand_m": abstand,
                         "naechster": pd.Series(naechster, dtype=object, index=geo.index)}, index=geo.index)


def stadtteil_fuer_punkt(punkt: shapely.Point, stadtteile: gpd.GeoDataFrame, *, kommune: Kommune) -> Lage:
    """Die Regel (siehe Modul) für einen Punkt in EPSG:4326 – dieselbe Rechnung wie `ordne_stadtteile`.

    Fehlt der Punkt oder liegt er zu weit außerhalb: EingabeFehler mit dem Punkt, dem nächsten Stadtteil und
    was zu tun ist.
    """
    import geopandas as gpd

    if not isinstance(punkt, shapely.Point) or punkt.is_empty or not all(map(math.isfinite, (punkt.x, punkt.y))):
        raise EingabeFehler("Position fehlt oder ist ungültig. Bitte auf die Karte klicken oder Koordinaten eingeben.")
    getauscht = shapely.Point(punkt.y, punkt.x)
    zz = ordne_stadtteile(gpd.GeoSeries([punkt, getauscht], crs=SRID), stadtteile, kommune=kommune)
    z = zz.iloc[0]
    if pd.isna(z["stadtteil"]):
        # den Tausch nur vorschlagen, wenn die getauschten Zahlen wirklich im Stadtgebiet lägen
        rat = (f" Vielleicht sind Breite und Länge vertauscht: getauscht läge der Punkt in {zz.iloc[1]['stadtteil']}."
               if pd.notna(zz.iloc[1]["stadtteil"]) else
               " Bitte eine Stelle innerhalb des Stadtgebiets wählen (auf der Karte innerhalb der Grenzen klicken).")
        raise EingabeFehler(ablehnung(punkt, abstand_m=z["abstand_m"], naechster=z["naechster"], kommune=kommune)
                            + rat)
    return Lage(z["stadtteil"], float(z["abstand_m"]))
