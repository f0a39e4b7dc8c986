"""Vereinfachung mit gemeinsamen Grenzen."""

from __future__ import annotations

import itertools

import shapely

from karte.geometrie import vereinfache_flaechen
from tests.karte.conftest import stadtteil_flaechen


def test_vereinfachung_haelt_gemeinsame_grenzen():
    st = stadtteil_flaechen()
    einfach = vereinfache_flaechen(st, toleranz_m=5.0, crs_metrisch=25832)
    assert einfach.crs.to_epsg() == 4326
    vorher = shapely.get_num_coordinates(st.geometry.values).sum()
    nachher = shapely.get_num_coordinates(einfach.geometry.values).sum()
    assert nachher < vorher / 10  # die Zacken sind weg
    m = einfach.to_crs(epsg=25832)
    for a, b in itertools.combinations(m.geometry.values, 2):
        assert a.intersection(b).area < 1.0  # keine Überlappung (m²)
    assert abs(shapely.union_all(m.geometry.values).area - m.area.sum()) < 1.0  # keine Lücke
    assert abs(m.area.sum() - st.to_crs(epsg=25832).area.sum()) < 1_000  # Gesamtfläche bleibt (±0,01 %)


def test_schon_einfache_flaechen_bleiben_unveraendert():
    """Wenige Stützpunkte je Fläche: keine Vereinfachung (spart bei 10.000 Flächen die meiste Bauzeit)."""
    import geopandas as gpd
    from shapely.geometry import box

    gdf = gpd.GeoDataFrame({"n": ["a", "b"]}, geometry=[box(8.20, 50.0, 8.21, 50.01), box(8.21, 50.0, 8.22, 50.01)],
                           crs="EPSG:4326")
    einfach = vereinfache_flaechen(gdf, crs_metrisch=25832)
    assert einfach.crs.to_epsg() == 4326
    assert list(einfach.geometry.values) == list(gdf.geometry.values)
