"""Stabiler Schlüssel eines Datenstands, damit die Oberfläche die Kartenerzeugung zwischenspeichern kann."""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd
import shapely


def _spalte(serie: pd.Series) -> bytes:
    if isinstance(serie.dtype, pd.CategoricalDtype) or serie.dtype == object:
        serie = serie.map(lambda v: None if v is None or (isinstance(v, float) and v != v) else repr(v))
    return pd.util.hash_pandas_object(serie, index=False).to_numpy().tobytes()


def _rahmen(h: Any, df: pd.DataFrame) -> None:
    h.update(repr((type(df).__name__, df.shape, list(map(str, df.columns)), list(map(str, df.dtypes)))).encode())
    h.update(pd.util.hash_pandas_object(df.index.to_series(), index=False).to_numpy().tobytes())
    crs = getattr(df, "crs", None) if hasattr(df, "geometry") else None
    h.update(str(crs.to_epsg() if crs is not None else None).encode())
    for name in df.columns:
        serie = df[name]
        if serie.dtype.name == "geometry":
            wkb = shapely.to_wkb(serie.to_numpy(), output_dimension=2)
            h.update(b"".join(b"-" if w is None else w for w in wkb))
        else:
            h.update(_spalte(serie))


def daten_schluessel(*frames: pd.DataFrame | None) -> str:
    """SHA-256 über Spalten, Typen, Index, Werte und Geometrien (WKB) aller Frames; None zählt als leer.

    Gleiche Daten → gleicher Schlüssel, auch zwischen Prozessen (kein Python-`hash()` mit Zufallssalz).
    """
    h = hashlib.sha256()
    for df in frames:
        h.update(b"|frame|")
        if df is None:
            h.update(b"none")
        else:
            _rahmen(h, df)
    return h.hexdigest()
