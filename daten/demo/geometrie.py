"""Schematische Demo-Geometrie: Stadtteil-Polygone und Punkte darin.

Die Stadtteile sind Voronoi-Zellen selbst gesetzter Stützpunkte (`stadtteile.yaml`), im metrischen KBS der
Kommune (`crs_metrisch`, Mainz EPSG:25832) berechnet, am selbst gezeichneten Stadtumriss abgeschnitten und je
Stadtteil vereinigt. So gibt es innerhalb der Stadt weder Lücken noch Überlappungen. Keine amtlichen Geodaten.
"""

from __future__ import annotations

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon

from daten import geometrie
from daten.demo._stammdaten import lade, stadtteil_daten

RANDABSTAND_M = 30.0  # Einrichtungen halten Abstand zur Stadtteilgrenze: Zuordnung bleibt eindeutig
MINDESTABSTAND_M = 40.0  # zwischen zwei Einrichtungen, damit Marker nicht aufeinander liegen



def nach_wgs84(geom: shapely.Geometry, *, crs_metrisch: int) -> shapely.Geometry:
    """Metrisch → EPSG:4326, auf 7 Nachkommastellen (≈1 cm) gerundet; gleiche Eckpunkte bleiben gleich."""
    return geometrie.nach_wgs84(geom, crs_metrisch=crs_metrisch, stellen=7)


def stadtumriss(*, crs_metrisch: int) -> Polygon:
    """Der selbst gezeichnete Stadtumriss im metrischen KBS `crs_metrisch`."""
    return geometrie.nach_metrisch(Polygon(lade("stadtteile.yaml")["umriss"]), crs_metrisch=crs_metrisch)


def stadtteil_polygone(namen: list[str], *, crs_metrisch: int) -> dict[str, Polygon]:
    """Ein Polygon je Stadtteilname (metrisch), lückenlos und überlappungsfrei im Stadtumriss."""
    umriss = stadtumriss(crs_metrisch=crs_metrisch)
    punkte: list[Point] = []
    zu: list[str] = []
    for name in namen:
        for lon, lat in stadtteil_daten(name)["stuetzpunkte"]:
            punkte.append(geometrie.nach_metrisch(Point(lon, lat), crs_metrisch=crs_metrisch))
            zu.append(name)
    zellen = shapely.voronoi_polygons(MultiPoint(punkte), extend_to=umriss.buffer(5000), ordered=True)
    teile: dict[str, list[shapely.Geometry]] = {n: [] for n in namen}
    for name, zelle in zip(zu, zellen.geoms, strict=True):
        teile[name].append(zelle.intersection(umriss))
    ergebnis: dict[str, Polygon] = {}
    for name in namen:
        geom = shapely.union_all(teile[name])
        if geom.geom_type != "Polygon":
            # Stützpunkte eines Stadtteils müssen benachbarte Zellen ergeben; sonst Datenfehler.
            raise ValueError(f"Demo-Stadtteil {name}: Stützpunkte ergeben keine zusammenhängende Fläche")
        ergebnis[name] = shapely.normalize(geom)
    return ergebnis


def kern(name: str, *, crs_metrisch: int) -> Point:
    """Der erste Stützpunkt (Ortskern) des Stadtteils, metrisch."""
    lon, lat = stadtteil_daten(name)["stuetzpunkte"][0]
    return geometrie.nach_metrisch(Point(lon, lat), crs_metrisch=crs_metrisch)


class Punktstreuer:
    """Zieht Einrichtungspunkte (metrisch) gehäuft um den Ortskern, mit Rand- und Mindestabstand."""

    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._belegt: list[Point] = []
        self._innen: dict[int, shapely.Geometry] = {}

    def _innenflaeche(self, polygon: Polygon) -> shapely.Geometry:
        schluessel = id(polygon)
        if schluessel not in self._innen:
            innen = polygon.buffer(-RANDABSTAND_M)
            shapely.prepare(innen)
            self._innen[schluessel] = innen
        return self._innen[schluessel]

    def _frei(self, p: Point) -> bool:
        return all(p.distance(q) >= MINDESTABSTAND_M for q in self._belegt)

    def ziehe(self, polygon: Polygon, mitte: Point, streuung_m: float) -> Point:
        """Ein Punkt im Polygon (mindestens RANDABSTAND_M vom Rand), normalverteilt um `mitte`."""
        innen = self._innenflaeche(polygon)
        for versuch in range(400):
            # Nach vielen Fehlversuchen (kleiner Stadtteil, Kern am Rand) gleichmäßig über die Fläche.
            if versuch < 200:
                x, y = self._rng.normal((mitte.x, mitte.y), streuung_m)
            else:
                minx, miny, maxx, maxy = innen.bounds
                x, y = self._rng.uniform((minx, miny), (maxx, maxy))
            p = Point(round(float(x), 2), round(float(y), 2))
            if innen.contains(p) and self._frei(p):
                self._belegt.append(p)
                return p
        p = innen.representative_point()
        self._belegt.append(p)
        return p
