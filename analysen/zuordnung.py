"""Punkte Flächen zuordnen (Einrichtung → Stadtteil/Sozialraum), vektorisiert über einen STRtree.

Beide Eingaben im selben Koordinatensystem (für Abstände: EPSG:25832). Ein Punkt auf einer gemeinsamen Grenze
liegt in keiner Fläche „within“; er geht an eine der Flächen, die ihn berühren, damit kein Punkt an den
Rändern verloren geht (ebenso bei Überlappungen: eine der Flächen). Außerhalb aller Flächen: -1, oder mit
`hoechstens_m` die nächste Fläche bis zu dieser Entfernung (Einheit des Koordinatensystems).
"""

from __future__ import annotations

import numpy as np
import shapely


def ordne_zu(punkte: np.ndarray, flaechen: np.ndarray, *, hoechstens_m: float | None = None) -> np.ndarray:
    """Index der enthaltenden Fläche je Punkt (Arrays von Shapely-Geometrien); -1 = keine."""
    punkte = np.asarray(punkte)
    baum = shapely.STRtree(np.asarray(flaechen))
    p_idx, f_idx = baum.query(punkte, predicate="within")
    ergebnis = np.full(len(punkte), -1, dtype=np.int64)
    ergebnis[p_idx] = f_idx
    offen = np.flatnonzero(ergebnis < 0)
    if len(offen):
        p2, f2 = baum.query(punkte[offen], predicate="intersects")
        ergebnis[offen[p2]] = f2
        offen = np.flatnonzero(ergebnis < 0)
    if len(offen) and hoechstens_m is not None:
        p3, f3 = baum.query_nearest(punkte[offen], max_distance=hoechstens_m)
        ergebnis[offen[p3]] = f3
    return ergebnis
