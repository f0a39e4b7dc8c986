"""Benchmark Landesgröße (100.000 Einrichtungen, 10.000 Flächen): Zuordnung Punkt → Fläche und Angebotskennzahlen.

Aufruf:  python bench/zuordnung.py [--ohne-postgis] [--raster-m 100] [--json PFAD]

1. Zuordnung: roher `shapely.STRtree(flaechen).query(punkte, predicate="within")` gegen die eine Regel
   `daten.geometrie.ordne_stadtteile` (Rand, kleinste id, Toleranz der Kommune) auf denselben Daten (EPSG:25832,
   das metrische KBS der Mainzer Konfiguration), je Median aus 5 Läufen inkl. Baumaufbau.
2. Dieselbe Zuordnung in PostGIS: `ST_Contains` mit GiST-Index (Datenbank wird angelegt und gelöscht;
   RESSOURCENKARTE_TEST_PG_URL oder postgresql+psycopg://postgres@127.0.0.1:5432/test).
3. Alle Angebotskennzahlen (Zuordnung, Versorgungsgrad je Art über das Raster-Verfahren
   `versorgungsgrad_raster`, je 1.000, Kita-Plätze, Budget je Kind, Zusammenfassung der Sozialräume) mit der
   Mainzer Versorgungs-Konfiguration; Einwohner gleichmäßig je Fläche.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import shapely  # noqa: E402

from bench._daten import SAAT, SKALEN, flaechen_der_skala  # noqa: E402

PG_URL = os.environ.get("RESSOURCENKARTE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _median(f, n: int = 5) -> tuple[float, object]:  # noqa: ANN001
    zeiten, erg = [], None
    for _ in range(n):
        t = time.perf_counter()
        erg = f()
        zeiten.append(time.perf_counter() - t)
    return statistics.median(zeiten), erg


def daten(saat: int = SAAT):  # noqa: ANN201
    """10.000 Voronoi-Flächen und 100.000 Punkte (EPSG:25832), dazu Einwohner je Fläche."""
    skala = SKALEN["land"]
    rng = np.random.default_rng(saat)
    flaechen = flaechen_der_skala(skala, rng)
    xmin, ymin, xmax, ymax = skala.gebiet
    punkte = shapely.points(rng.uniform(xmin, xmax, skala.einrichtungen), rng.uniform(ymin, ymax, skala.einrichtungen))
    return flaechen, punkte, rng


def _ordne(flaechen, punkte) -> np.ndarray:  # noqa: ANN001
    """Index der Fläche je Punkt nach der einen Regel (-1 = abgelehnt)."""
    import geopandas as gpd

    from daten.config import lade_kommune
    from daten.geometrie import ordne_stadtteile

    zu = ordne_stadtteile(gpd.GeoSeries(punkte, crs=flaechen.crs), flaechen, kommune=lade_kommune())
    nr = pd.Series(np.arange(len(flaechen)), index=flaechen["name"].to_numpy())
    return nr.reindex(zu["stadtteil"].to_numpy()).fillna(-1).to_numpy(dtype=np.int64)


def zuordnung(flaechen, punkte) -> dict:  # noqa: ANN001
    geo = flaechen.geometry.to_numpy()
    roh_s, (p, f) = _median(lambda: shapely.STRtree(geo).query(punkte, predicate="within"))
    unser_s, zu = _median(lambda: _ordne(flaechen, punkte))
    from daten.geometrie import RAND_M

    # gleich bis auf Punkte höchstens RAND_M neben einer Grenze: die gehen nach der Regel an die kleinste id
    anders = np.flatnonzero(zu[p] != f)
    am_rand = shapely.distance(shapely.boundary(geo[f[anders]]), punkte[p[anders]]) <= RAND_M
    gleich = bool(am_rand.all()) and int((zu >= 0).sum()) >= len(p)
    return {"roh_strtree_s": roh_s, "ordne_stadtteile_s": unser_s, "faktor": unser_s / roh_s, "gleich": gleich,
            "am_rand_anders": len(anders), "zugeordnet": int((zu >= 0).sum())}


def postgis(flaechen, punkte) -> dict:  # noqa: ANN001
    import psycopg
    from sqlalchemy.engine import make_url

    basis = make_url(PG_URL)
    name = f"rk_bench_{uuid.uuid4().hex[:8]}"
    dsn = f"host={basis.host} port={basis.port or 5432} user={basis.username} dbname={basis.database}"
    with psycopg.connect(dsn, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(dsn.replace(f"dbname={basis.database}", f"dbname={name}"), autocommit=True) as c:
            c.execute("CREATE EXTENSION IF NOT EXISTS postgis")
            c.execute("CREATE TABLE flaeche (id int PRIMARY KEY, geom geometry(Polygon, 25832))")
            c.execute("CREATE TABLE punkt (id int PRIMARY KEY, geom geometry(Point, 25832))")
            t = time.perf_counter()
            for tabelle, geos in (("flaeche", flaechen.geometry.to_numpy()), ("punkt", punkte)):
                with c.cursor().copy(f"COPY {tabelle} (id, geom) FROM STDIN") as kopie:
                    for i, wkb in enumerate(shapely.to_wkb(geos, hex=True, include_srid=False)):
                        kopie.write_row((i, wkb))
                c.execute(f"UPDATE {tabelle} SET geom = ST_SetSRID(geom, 25832)")
            c.execute("CREATE INDEX ON flaeche USING gist (geom)")
            c.execute("CREATE INDEX ON punkt USING gist (geom)")
            c.execute("ANALYZE")
            laden_s = time.perf_counter() - t
            sql = "SELECT p.id, f.id FROM punkt p JOIN flaeche f ON ST_Contains(f.geom, p.geom)"
            abfrage_s, zeilen = _median(lambda: c.execute(sql).fetchall(), n=3)
            plan = "\n".join(r[0] for r in c.execute("EXPLAIN " + sql).fetchall())
        return {"postgis_laden_s": laden_s, "postgis_st_contains_s": abfrage_s, "postgis_zeilen": len(zeilen),
                "gist_genutzt": "Index" in plan}
    finally:
        with psycopg.connect(dsn, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def angebot_land(flaechen, punkte, rng, raster_m: float) -> dict:  # noqa: ANN001
    import geopandas as gpd

    from analysen.angebot import angebot, versorgt_zusammenfassen, versorgungsgrad_raster
    from daten.config import lade_kommune
    from daten.geometrie import metrisches_crs

    kommune = lade_kommune()
    v = kommune.versorgung.model_copy(update={"raster_m": raster_m})
    arten = [a.schluessel for a in kommune.einrichtungsarten]
    n = len(punkte)
    ew = rng.integers(800, 25_000, len(flaechen)).astype(float)
    tab = pd.DataFrame({"sozialraum": flaechen["sozialraum"].to_numpy(), "einwohner": ew,
                        "einwohner_u6": (ew * 0.06).round(), "einwohner_6_14": (ew * 0.08).round(),
                        "einwohner_15_17": (ew * 0.03).round()}, index=flaechen["name"].to_numpy())
    ein = gpd.GeoDataFrame({"art": np.array(arten)[np.arange(n) % len(arten)],
                            "kapazitaet": rng.integers(10, 150, n).astype(float)}, geometry=punkte, crs=25832)
    st_4326 = flaechen[["name", "geometry"]]
    budget = tab.groupby("sozialraum")["einwohner"].sum() * 0.5
    zeiten = {}
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    zu = _ordne(flaechen, punkte)
    ein["stadtteil"] = flaechen["name"].to_numpy()[zu]
    ein["sozialraum"] = flaechen["sozialraum"].to_numpy()[zu]
    zeiten["zuordnung_s"] = time.perf_counter() - t0
    t = time.perf_counter()
    versorgt = versorgungsgrad_raster(st_4326, ein, v.arten, raster_m=raster_m, crs_metrisch=metrisches_crs(kommune))
    zeiten["versorgungsgrad_s"] = time.perf_counter() - t
    t = time.perf_counter()
    st = angebot(tab, ein, v, gebiet="stadtteil", versorgt=versorgt)
    sr_tab = tab.groupby("sozialraum")[["einwohner", "einwohner_u6", "einwohner_6_14", "einwohner_15_17"]].sum()
    sr = angebot(sr_tab, ein, v, gebiet="sozialraum", versorgt=versorgt_zusammenfassen(versorgt, tab,
                                                                                       tab["sozialraum"], v),
                 budget_eur=budget)
    zeiten["kennzahlen_s"] = time.perf_counter() - t
    zeiten["gesamt_s"] = time.perf_counter() - t0
    zeiten["gesamt_cpu_s"] = time.process_time() - cpu0  # Rechenzeit des Prozesses: weniger lastabhängig
    x0, y0, x1, y1 = flaechen.total_bounds
    zellen = int((x1 - x0) / raster_m + 1) * int((y1 - y0) / raster_m + 1)
    return {**zeiten, "rasterzellen": zellen, "stadtteile": len(st), "sozialraeume": len(sr), "raster_m": raster_m}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--ohne-postgis", action="store_true")
    p.add_argument("--raster-m", type=float, default=100.0)
    p.add_argument("--json", type=Path)
    a = p.parse_args(argv)
    flaechen, punkte, rng = daten()
    erg = {"flaechen": len(flaechen), "einrichtungen": len(punkte)}
    erg |= zuordnung(flaechen, punkte)
    print(f"Zuordnung {len(punkte):,} Punkte → {len(flaechen):,} Flächen: roher STRtree {erg['roh_strtree_s']:.3f} s,"
          f" ordne_stadtteile {erg['ordne_stadtteile_s']:.3f} s (Faktor {erg['faktor']:.2f}, Ziel ≤ 1,5; "
          f"gleiches Ergebnis: {erg['gleich']})")
    if not a.ohne_postgis:
        try:
            erg |= postgis(flaechen, punkte)
            print(f"PostGIS ST_Contains mit GiST: {erg['postgis_st_contains_s']:.3f} s ({erg['postgis_zeilen']:,} "
                  f"Paare; Laden + Index {erg['postgis_laden_s']:.1f} s; GiST im Plan: {erg['gist_genutzt']})")
        except Exception as exc:  # noqa: BLE001 - ohne Server nur diese Zeile
            print(f"PostGIS nicht gemessen: {type(exc).__name__}: {exc}")
    erg |= angebot_land(flaechen, punkte, rng, a.raster_m)
    print(f"Angebotskennzahlen (Raster {a.raster_m:.0f} m, {erg['rasterzellen']:,} Zellen, 7 Arten): "
          f"gesamt {erg['gesamt_s']:.2f} s, CPU {erg['gesamt_cpu_s']:.2f} s (Ziel ≤ 2 s) – Zuordnung "
          f"{erg['zuordnung_s']:.2f}, Versorgungsgrad "
          f"{erg['versorgungsgrad_s']:.2f}, Kennzahlen je Stadtteil und Sozialraum {erg['kennzahlen_s']:.2f}")
    erg["last"] = os.getloadavg()[0]
    print(f"Systemlast (1 min) am Ende: {erg['last']:.1f} auf {os.cpu_count()} Kernen")
    if a.json:
        a.json.write_text(json.dumps(erg, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
