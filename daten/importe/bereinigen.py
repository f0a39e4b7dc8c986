"""Stadtteil-Polygone reparieren und zu einer lückenlosen, überlappungsfreien Fläche bereinigen.

Alles im metrischen KBS der Kommune (Meter). `make_valid` repariert ungültige Ringe; `shapely.coverage_clean`
(GEOS ≥ 3.14) ordnet Überlappungen dem Nachbarn mit der längsten gemeinsamen Grenze zu und füllt
Lücken schmaler als `luecke_bis_m` ebenso; danach sind gemeinsame Grenzen Stützpunkt für Stützpunkt
gleich, jeder Punkt der Stadt liegt in genau einem Stadtteil. Der Bericht nennt, was wohin wanderte.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from daten.importe.bericht import Bericht

FLAECHE_MIN_M2 = 0.5  # kleinere Verschiebungen sind Rechenrauschen und werden nicht berichtet
_POLYGONAL = ("Polygon", "MultiPolygon")


def m2(flaeche: float) -> str:
    """Fläche deutsch formatiert: „1.234 m²“."""
    return f"{flaeche:,.0f} m²".replace(",", ".")


def polygonal(geo: BaseGeometry | None) -> BaseGeometry | None:
    """Nur die Flächenanteile (Linien/Punkte aus make_valid fallen weg); leer → None."""
    if geo is None or geo.is_empty:
        return None
    if geo.geom_type in _POLYGONAL:
        return geo
    teile = [t for t in shapely.get_parts(geo) if t.geom_type in _POLYGONAL and not t.is_empty]
    if not teile:
        return None
    return shapely.union_all(teile) if len(teile) > 1 else teile[0]


@dataclass(frozen=True)
class Geprueft:
    """Ergebnis der Prüfung einer Geometrie: `grund` der Ungültigkeit (None = gültig), die gültige Fläche (None =
    keine übrig) und ob der Typ überhaupt eine Fläche war."""

    grund: str | None
    flaeche: BaseGeometry | None
    typ: str


def gueltig_machen(geometrien: list[BaseGeometry]) -> list[Geprueft]:
    """Prüft und repariert (make_valid) jede Geometrie; rein rechnend, läuft mit Frist im Kindprozess."""
    aus = []
    for geo in geometrien:
        if geo.geom_type not in (*_POLYGONAL, "GeometryCollection"):
            aus.append(Geprueft(None, None, geo.geom_type))
        elif geo.is_valid:
            aus.append(Geprueft(None, polygonal(geo), geo.geom_type))
        else:
            aus.append(Geprueft(shapely.is_valid_reason(geo), polygonal(shapely.make_valid(geo)), geo.geom_type))
    return aus


def melde_reparatur(p: Geprueft, *, zeile: int, name: str, bericht: Bericht) -> BaseGeometry | None:
    """Schreibt das Ergebnis von `gueltig_machen` in den Bericht; gültige Fläche (metrisch) oder None."""
    if p.typ not in (*_POLYGONAL, "GeometryCollection"):
        bericht.fehler(zeile, "geometry", f"{name}: Geometrietyp {p.typ} ist keine Fläche.",
                       "Stadtteile als Polygon oder MultiPolygon liefern.")
        return None
    if p.grund is not None and p.flaeche is not None:
        bericht.warnung(zeile, "geometry", f"{name}: ungültige Geometrie ({p.grund}) mit make_valid repariert, "
                        f"Fläche jetzt {m2(p.flaeche.area)}.", "Ergebnis auf der Karte prüfen.")
    if p.flaeche is None:
        bericht.fehler(zeile, "geometry", f"{name}: keine Fläche übrig (leer oder nur Linien).",
                       "Geometrie in der Quelle prüfen.")
    return p.flaeche


@dataclass(frozen=True)
class Verschiebung:
    """Fläche, die bei der Bereinigung den Stadtteil wechselte; `von` None = Lücke gefüllt."""

    von: str | None
    nach: str
    flaeche_m2: float


@dataclass
class Bereinigung:
    geometrien: dict[str, BaseGeometry]  # metrisches KBS
    verschiebungen: list[Verschiebung] = field(default_factory=list)
    flaechen: dict[str, tuple[float, float]] = field(default_factory=dict)  # vorher, nachher (m²)
    restluecken: list[tuple[float, float, float]] = field(default_factory=list)  # m², x, y (metrisches KBS)


def bereinige(geometrien: dict[str, BaseGeometry], luecke_bis_m: float) -> Bereinigung:
    """Bereinigt Flächen (metrisches KBS, Meter) je Name zu einer gültigen Überdeckung."""
    namen = list(geometrien)
    vorher = np.array([geometrien[n] for n in namen], dtype=object)
    nachher = shapely.coverage_clean(vorher, gap_width=luecke_bis_m)
    nachher = np.array([polygonal(g) or shapely.Polygon() for g in nachher], dtype=object)
    erg = Bereinigung(dict(zip(namen, nachher, strict=True)))
    erg.flaechen = {n: (float(a.area), float(b.area)) for n, a, b in zip(namen, vorher, nachher, strict=True)}
    baum = shapely.STRtree(nachher)
    for i, n in enumerate(namen):
        verlust = shapely.difference(vorher[i], nachher[i])
        if verlust.area < FLAECHE_MIN_M2:
            continue
        for j in baum.query(verlust):
            if j == i:
                continue
            a = shapely.intersection(verlust, nachher[j]).area
            if a >= FLAECHE_MIN_M2:
                erg.verschiebungen.append(Verschiebung(n, namen[j], float(a)))
    alles_vorher = shapely.union_all(vorher)
    for i, n in enumerate(namen):
        a = shapely.difference(nachher[i], alles_vorher).area
        if a >= FLAECHE_MIN_M2:
            erg.verschiebungen.append(Verschiebung(None, n, float(a)))
    gesamt = shapely.union_all(nachher)
    for teil in shapely.get_parts(gesamt):
        for ring in getattr(teil, "interiors", []):
            loch = shapely.Polygon(ring)
            if loch.area >= FLAECHE_MIN_M2:
                p = loch.representative_point()
                erg.restluecken.append((float(loch.area), p.x, p.y))
    return erg
