"""Kompaktes Datenpaket für den Browser: ein JSON-Gerüst plus binäre Zahlenreihen, deflate-komprimiert, base64.

Kleine Pakete (< 1 MB) bleiben unkomprimiert (Text beginnt mit „-“) und werden synchron gelesen.
Aufbau nach dem Entpacken (`DecompressionStream("deflate")` im Browser, `zlib` hier):

    u32 (little endian) Länge des Gerüsts · Gerüst (UTF-8-JSON) · Zahlenreihen, je auf 8 Bytes ausgerichtet

Im Gerüst stehen `{"$b": k}` für die k-te Zahlenreihe (Typ und Länge in `gerüst["b"]`) und
`{"$w": [Texte], "$i": {"$b": k}}` für eine wörterbuchkodierte Textspalte (jeder Text einmal, je Zeile
ein Index). Der Browser (`RK.entpacke` in karte/laufzeit.py) ersetzt beides durch Arrays; `entpacke`
hier macht dasselbe in Python (Tests). Koordinaten (EPSG:4326) sind auf 5 Nachkommastellen gerundete
ganze Zahlen, fortlaufend als Differenzen gespeichert.

Das Paket ist reine Daten: es wird nie als Vorlage ausgewertet, Texte maskiert der Browser beim Anzeigen.
"""

from __future__ import annotations

import base64
import json
import struct
import zlib
from typing import Any

import numpy as np
import pandas as pd
import shapely

from karte.geometrie import STELLEN

FAKTOR = 10**STELLEN
UNKOMPRIMIERT_BIS = 1_000_000  # kleinere Pakete ohne deflate: synchron entpackt, Karte im ersten Bild fertig
STUFE = 1  # zlib-Stufe: 6 spart ~8 % Bytes und kostet das Fünffache an Zeit (Land: 0,07 s gegen 0,35 s)
_TYPEN = [("u1", np.uint8), ("i1", np.int8), ("u2", np.uint16), ("i2", np.int16), ("u4", np.uint32),
          ("i4", np.int32)]
_GEOJSON_TYP = {"POINT": "Point", "LINESTRING": "LineString", "POLYGON": "Polygon", "MULTIPOINT": "MultiPoint",
                "MULTILINESTRING": "MultiLineString", "MULTIPOLYGON": "MultiPolygon"}
_NP = {name: np.dtype(t).newbyteorder("<") for name, t in [*_TYPEN, ("f8", np.float64)]}


class Paket:
    """Sammelt Zahlenreihen; `packe(gerüst)` liefert den base64-Text."""

    def __init__(self) -> None:
        self._reihen: list[bytes] = []
        self._typen: list[list[Any]] = []

    def zahlen(self, werte: Any) -> dict[str, int]:
        """Ganze Zahlen in der kleinsten passenden Breite (Gleitkommazahlen als f8)."""
        arr = np.asarray(werte)
        if arr.dtype.kind == "f":
            typ = "f8"
        else:
            arr = arr.astype(np.int64, copy=False)
            lo, hi = (int(arr.min()), int(arr.max())) if arr.size else (0, 0)
            typ = next((n for n, t in _TYPEN if np.iinfo(t).min <= lo and hi <= np.iinfo(t).max), None)
            if typ is None:
                raise ValueError("Zahlen außerhalb von 32 Bit")
        self._reihen.append(arr.astype(_NP[typ], copy=False).tobytes())
        self._typen.append([typ, int(arr.size)])
        return {"$b": len(self._reihen) - 1}

    def texte_kodiert(self, codes: np.ndarray, woerter: list[Any]) -> dict[str, Any]:
        """Spalte aus Indizes in `woerter` (Texte oder None)."""
        return {"$w": woerter, "$i": self.zahlen(codes)}

    def texte(self, werte: Any, *, leer: str | None = "") -> dict[str, Any]:
        """Textspalte wörterbuchkodiert; fehlende Werte (None/NaN) werden zu `leer`."""
        codes, eindeutig = pd.factorize(pd.Series(werte, dtype=object), use_na_sentinel=True)
        woerter: list[Any] = eindeutig.tolist()
        if pd.api.types.infer_dtype(woerter, skipna=True) not in ("string", "empty"):
            woerter = [v if isinstance(v, str) else str(v) for v in woerter]
        if (codes < 0).any():
            codes = np.where(codes < 0, len(woerter), codes)
            woerter.append(leer)
        return self.texte_kodiert(codes, woerter)

    def koordinaten(self, xy: np.ndarray) -> dict[str, Any]:
        """(N, 2)-Array Länge/Breite → gerundete ganze Zahlen als fortlaufende Differenzen."""
        ganz = np.rint(np.asarray(xy, dtype=float).reshape(-1, 2) * FAKTOR).astype(np.int64)
        diff = np.diff(ganz, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
        return {"x": self.zahlen(diff[:, 0]), "y": self.zahlen(diff[:, 1])}

    def geometrien(self, geos: Any) -> dict[str, Any]:
        """Geometrien (EPSG:4326, ohne leere) als ragged arrays; Versätze als Längen je Stufe."""
        arr = np.asarray(geos, dtype=object)
        try:
            typ, xy, versaetze = shapely.to_ragged_array(arr, include_z=False)
        except ValueError:  # gemischte Arten (z. B. GeometryCollection): nur Flächenanteile
            arr = np.array([shapely.union_all(shapely.get_parts(g)[shapely.get_dimensions(shapely.get_parts(g)) == 2])
                            for g in arr], dtype=object)
            typ, xy, versaetze = shapely.to_ragged_array(arr, include_z=False)
        return {"typ": _GEOJSON_TYP[typ.name], **self.koordinaten(xy),
                "o": [self.zahlen(np.diff(v)) for v in versaetze]}

    def packe(self, geruest: Any) -> str:
        kopf = json.dumps({"b": self._typen, "d": geruest}, ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False).encode("utf-8")
        teile, laenge = [struct.pack("<I", len(kopf)), kopf], 4 + len(kopf)
        for reihe in self._reihen:
            fuellung = -laenge % 8
            teile += [b"\0" * fuellung, reihe]
            laenge += fuellung + len(reihe)
        roh = b"".join(teile)
        if len(roh) < UNKOMPRIMIERT_BIS:  # „-“ vorn: nicht komprimiert
            text = "-" + base64.b64encode(roh).decode("ascii")
        else:
            text = base64.b64encode(zlib.compress(roh, STUFE)).decode("ascii")
        # Zufällige Buchstabenfolgen wie „cdn“ durch ein Leerzeichen trennen (atob und b64decode überspringen
        # es): Prüfungen auf CDN-Namen im HTML bleiben so eindeutig.
        return _trenne(text)


# Wörter aus CDN_MUSTER, die in base64 (Buchstaben, Ziffern, + und /) vorkommen können (Test prüft Vollständigkeit)
_WOERTER = ("cdn", "jsdelivr", "unpkg", "googleapis", "fontawesome")


def _trenne(text: str) -> str:
    """Setzt nach dem ersten Buchstaben jedes solchen Worts (Groß-/Kleinschreibung egal) ein Leerzeichen."""
    klein, stellen = text.lower(), set()
    for wort in _WOERTER:
        i = klein.find(wort)
        while i >= 0:
            stellen.add(i + 1)
            i = klein.find(wort, i + 1)
    if not stellen:
        return text
    grenzen = [0, *sorted(stellen), len(text)]
    return " ".join(text[a:b] for a, b in zip(grenzen, grenzen[1:], strict=False))


# ---------------------------------------------------------------- Entpacken (wie RK.entpacke im Browser)

def entpacke(text: str) -> Any:
    """Gegenstück zu `Paket.packe`: Zahlenreihen als numpy-Arrays, Textspalten als Listen."""
    roh = base64.b64decode(text[1:]) if text.startswith("-") else zlib.decompress(base64.b64decode(text))
    (n,) = struct.unpack_from("<I", roh, 0)
    kopf = json.loads(roh[4:4 + n].decode("utf-8"))
    reihen, pos = [], 4 + n
    for typ, anzahl in kopf["b"]:
        pos += -pos % 8
        dt = _NP[typ]
        reihen.append(np.frombuffer(roh, dtype=dt, count=anzahl, offset=pos))
        pos += anzahl * dt.itemsize

    def ersetze(o: Any) -> Any:
        if isinstance(o, list):
            return [ersetze(v) for v in o]
        if isinstance(o, dict):
            if "$b" in o:
                return reihen[o["$b"]]
            if "$w" in o:
                return [o["$w"][i] for i in reihen[o["$i"]["$b"]]]
            return {k: ersetze(v) for k, v in o.items()}
        return o

    return ersetze(kopf["d"])


def koordinaten_aus(g: dict[str, Any]) -> np.ndarray:
    """Entpackte Koordinaten (Differenzen) → (N, 2)-Array Länge/Breite."""
    return np.column_stack([np.cumsum(g["x"].astype(np.int64)), np.cumsum(g["y"].astype(np.int64))]) / FAKTOR


def geometrien_aus(g: dict[str, Any]) -> np.ndarray:
    """Entpackte Geometrien → shapely-Geometrien."""
    versaetze = tuple(np.concatenate([[0], np.cumsum(o.astype(np.int64))]) for o in g["o"])
    return shapely.from_ragged_array(shapely.GeometryType[g["typ"].upper()], koordinaten_aus(g), versaetze or None)
