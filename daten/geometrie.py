"""Portabler Geometrie-Spaltentyp: PostGIS `geometry(…, 4326)` auf PostgreSQL, WKB-Blob sonst.

Auf beiden Backends liest und schreibt der Typ Shapely-Geometrien in EPSG:4326 (lon, lat).
SQLite braucht damit keine SpatiaLite-Erweiterung; räumliche Arbeit läuft dort in GeoPandas.
"""

from __future__ import annotations

from typing import Any

import shapely
from geoalchemy2 import Geometry, WKBElement
from geoalchemy2.shape import to_shape
from sqlalchemy.types import LargeBinary, TypeDecorator

SRID = 4326


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
