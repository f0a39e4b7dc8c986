"""Gemeinsames der Dienst-Tests: eine kleine Stadt aus 15 Rechteck-Stadtteilen (EPSG:4326) auf beiden Backends.

Jeder Stadtteil der Mainz-Konfiguration bekommt ein Rechteck in einem 5×3-Raster; `mitte(name)` liegt darin.
So lässt sich jede Regel mit bekannten Punkten prüfen, ohne die (langsame) Demo zu laden.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import shapely
from sqlalchemy import select

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.laden import initialisiere
from daten.politik import SYSTEM, Akteur

LON0, LAT0, DLON, DLAT = 8.15, 49.93, 0.04, 0.036


@dataclass
class Welt:
    engine: object
    kommune: object
    sozialraum: dict[str, int]  # Name → id
    stadtteil: dict[str, int]
    boxen: dict[str, shapely.Polygon]

    def mitte(self, stadtteil: str, dx: float = 0.0, dy: float = 0.0) -> shapely.Point:
        c = self.boxen[stadtteil].centroid
        return shapely.Point(c.x + dx, c.y + dy)

    def tl(self, sozialraum: str, login: str = "tl") -> Akteur:
        return Akteur(login, "teamleitung", self.sozialraum[sozialraum])


def baue_welt(url: str, kommune) -> Welt:  # noqa: ANN001
    engine = erstelle_engine(url)
    initialisiere(engine, kommune)
    boxen = {}
    for i, name in enumerate(kommune.stadtteile):
        spalte, zeile = i % 5, i // 5
        boxen[name] = shapely.box(LON0 + spalte * DLON, LAT0 + zeile * DLAT,
                                  LON0 + (spalte + 1) * DLON, LAT0 + (zeile + 1) * DLAT)
    with sitzung(engine, akteur=SYSTEM) as s:
        teile = {st.name: st for st in s.scalars(select(m.Stadtteil))}
        for name, box in boxen.items():
            teile[name].geometrie = box
        sr = {x.name: x.id for x in s.scalars(select(m.Sozialraum))}
        st_ids = {n: t.id for n, t in teile.items()}
    return Welt(engine, kommune, sr, st_ids, boxen)


@pytest.fixture
def welt(leere_db, kommune):
    w = baue_welt(leere_db, kommune)
    yield w
    w.engine.dispose()


@pytest.fixture
def welt_sqlite(tmp_path, kommune):
    """Nur SQLite – für reine Rechenlogik, bei der die Datenbank nur das Stadtgebiet liefert."""
    w = baue_welt(f"sqlite:///{tmp_path / 'welt.db'}", kommune)
    yield w
    w.engine.dispose()
