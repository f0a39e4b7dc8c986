"""GeoPackage, Shapefile (auch gezippt) und GeoJSON im Zip über GDAL (pyogrio) lesen.

Zip-Archive werden in einen temporären Ordner entpackt – nur die Dateinamen, nie Pfade aus dem Archiv.
"""

from __future__ import annotations

import io
import tempfile
import warnings
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from daten.fehler import EingabeFehler
from daten.importe.bericht import Bericht
from daten.importe.lesen import HOECHSTENS_BYTES, Quelle, Rohdaten, spaltennamen, wert_als_text

_SHP_TEILE = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def _entpacke(quelle: Quelle, ziel: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(quelle.daten)) as zf:
        eintraege = [i for i in zf.infolist() if not i.is_dir() and not Path(i.filename).name.startswith(".")]
        if sum(i.file_size for i in eintraege) > HOECHSTENS_BYTES:
            raise EingabeFehler(f"{quelle.name}: entpackt größer als 300 MB.")
        for i in eintraege:
            # nur der Dateiname: Pfade im Archiv (auch ../) werden nie übernommen
            (ziel / Path(i.filename).name).write_bytes(zf.read(i))
    kandidaten = sorted(p for p in ziel.iterdir() if p.suffix.lower() in (".shp", ".gpkg", ".geojson"))
    if not kandidaten:
        raise EingabeFehler(f"{quelle.name}: keine .shp, .gpkg oder .geojson im Zip-Archiv gefunden.")
    if len(kandidaten) > 1:
        raise EingabeFehler(f"{quelle.name}: mehrere Geodateien im Archiv ({', '.join(p.name for p in kandidaten)}). "
                            "Bitte nur eine je Archiv.")
    return kandidaten[0]


def lies_ogr(quelle: Quelle, bericht: Bericht) -> Rohdaten:
    """Liest die erste Ebene einer GDAL-lesbaren Datei (Werte als Text, Objekte ab 1 nummeriert)."""
    import pyogrio

    with tempfile.TemporaryDirectory(prefix="rk_import_") as ordner:
        o = Path(ordner)
        if quelle.endung == ".zip":
            pfad = _entpacke(quelle, o)
        elif quelle.endung == ".shp":
            if quelle.pfad is None:
                raise EingabeFehler(f"{quelle.name}: Shapefiles bitte als .zip mit .shp, .shx, .dbf und .prj "
                                    "hochladen.")
            for teil in _SHP_TEILE:
                neben = quelle.pfad.with_suffix(teil)
                if not neben.exists():
                    neben = quelle.pfad.with_suffix(teil.upper())
                if neben.exists():
                    (o / f"daten{teil}").write_bytes(neben.read_bytes())
            if not (o / "daten.dbf").exists() or not (o / "daten.shx").exists():
                raise EingabeFehler(f"{quelle.name}: zum Shapefile fehlen .shx oder .dbf daneben. Bitte alle Teile "
                                    "in denselben Ordner legen oder als .zip angeben.")
            pfad = o / "daten.shp"
        else:
            pfad = o / f"daten{quelle.endung}"
            pfad.write_bytes(quelle.daten)
        ebenen = pyogrio.list_layers(pfad)
        if len(ebenen) > 1:
            bericht.hinweis(0, "", f"Mehrere Ebenen ({', '.join(str(e[0]) for e in ebenen)}); gelesen wird "
                            f"'{ebenen[0][0]}'.", "Andere Ebene: als eigene Datei exportieren.")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            gdf = pyogrio.read_dataframe(pfad, layer=0)
    nummern = list(range(1, len(gdf) + 1))
    werte = pd.DataFrame({c: [wert_als_text(None if _fehlt(v) else v) for v in gdf[c]] for c in gdf.columns
                          if c != gdf.geometry.name}, index=nummern, dtype=object)
    werte.columns = spaltennamen(list(werte.columns))
    geometrien = [None if g is None or g.is_empty else g for g in gdf.geometry]
    return Rohdaten(werte, geometrien, gdf.crs, beschreibung=quelle.endung.lstrip(".").upper())


def _fehlt(v: Any) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False
