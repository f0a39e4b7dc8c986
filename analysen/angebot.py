"""Angebot und Versorgung je Gebiet: Einrichtungen je 1.000 der Zielgruppe, Kita-Plätze je Kind, Budget je Kind,
Versorgungsgrad (Anteil der Menschen im Umkreis der nächsten Einrichtung einer Art).

Entfernungen sind euklidisch in EPSG:25832 (ETRS89 / UTM 32N, Meter). Wo die Menschen wohnen, sagen
Bevölkerungspunkte mit einem Anteil an den Einwohnern ihres Stadtteils:
- `bevoelkerungspunkte`: ohne Raster gleichmäßig über die Stadtteilfläche verteilt (Punkte im Abstand `raster_m`);
- `bevoelkerungspunkte_aus_raster`: aus einem importierten Bevölkerungsraster, z. B. dem Zensus-2022-Gitter
  (100-m-Zellen in EPSG:3035 mit Spalte `einwohner`): Zellmittelpunkte nach EPSG:25832, dem Stadtteil
  zugeordnet, in dem sie liegen; Anteil = Einwohner der Zelle / Einwohner aller Zellen des Stadtteils.
Für eine Altersgruppe gilt die Verteilung der Einwohner im Stadtteil (das Raster kennt nur alle Einwohner).
"""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysen.zuordnung import ordne_zu
from daten.config import Versorgung

HOECHSTENS_PUNKTE_JE_FLAECHE = 400  # große Flächen bekommen ein gröberes Raster (Laufzeit bei Landesgröße)


def bevoelkerungspunkte(stadtteile: gpd.GeoDataFrame, *, raster_m: float = 100, crs_metrisch: int = 25832,
                        hoechstens: int = HOECHSTENS_PUNKTE_JE_FLAECHE) -> pd.DataFrame:
    """Punkte (x, y in `crs_metrisch`) gleichmäßig in jedem Stadtteil, mit `anteil` (Summe je Stadtteil = 1).

    `stadtteile`: GeoDataFrame mit Spalte `name` (CRS beliebig, wird umprojiziert). Rasterabstand `raster_m`,
    bei großen Flächen so vergröbert, dass höchstens `hoechstens` Punkte je Fläche entstehen; Flächen ohne
    Rasterpunkt bekommen ihren repräsentativen Punkt.
    """
    st = stadtteile[stadtteile.geometry.notna() & ~stadtteile.geometry.is_empty].to_crs(crs_metrisch)
    geo = st.geometry.to_numpy()
    xs, ys, idx = [], [], []
    for i, g in enumerate(geo):
        x0, y0, x1, y1 = g.bounds
        schritt = max(raster_m, float(np.sqrt(max(g.area, 1.0) / hoechstens)))
        gx, gy = np.meshgrid(np.arange(x0 + schritt / 2, x1, schritt), np.arange(y0 + schritt / 2, y1, schritt))
        xs.append(gx.ravel())
        ys.append(gy.ravel())
        idx.append(np.full(gx.size, i))
    x, y, i = (np.concatenate(a) if a else np.array([]) for a in (xs, ys, idx))
    i = i.astype(int)
    drin = shapely.contains_xy(geo[i], x, y) if len(i) else np.array([], dtype=bool)
    x, y, i = x[drin], y[drin], i[drin]
    fehlt = np.setdiff1d(np.arange(len(geo)), i)
    if len(fehlt):
        rp = shapely.point_on_surface(geo[fehlt])
        x, y, i = np.r_[x, shapely.get_x(rp)], np.r_[y, shapely.get_y(rp)], np.r_[i, fehlt]
    namen = st["name"].to_numpy()[i]
    pkt = pd.DataFrame({"x": x, "y": y, "stadtteil": namen})
    pkt["anteil"] = 1.0 / pkt.groupby("stadtteil")["x"].transform("size")
    return pkt


def bevoelkerungspunkte_aus_raster(raster: gpd.GeoDataFrame, stadtteile: gpd.GeoDataFrame, *,
                                   crs_metrisch: int = 25832, spalte: str = "einwohner") -> pd.DataFrame:
    """Bevölkerungspunkte aus einem Raster (Zellen oder Zellmittelpunkte, z. B. Zensus 2022, EPSG:3035).

    Zellen außerhalb aller Stadtteile und Zellen ohne Einwohner fallen weg.
    """
    if raster.crs is None:
        raise ValueError("Das Bevölkerungsraster hat kein Koordinatensystem (erwartet z. B. EPSG:3035).")
    r = raster[[spalte, "geometry"]].to_crs(crs_metrisch)
    mitte = r.geometry.centroid
    st = stadtteile[["name", "geometry"]].to_crs(crs_metrisch)
    zu = ordne_zu(mitte.to_numpy(), st.geometry.to_numpy())
    ew = pd.to_numeric(r[spalte], errors="coerce").fillna(0).to_numpy(dtype=float)
    ok = (zu >= 0) & (ew > 0)
    pkt = pd.DataFrame({"x": mitte.x.to_numpy()[ok], "y": mitte.y.to_numpy()[ok],
                        "stadtteil": st["name"].to_numpy()[zu[ok]], "einwohner": ew[ok]})
    pkt["anteil"] = pkt["einwohner"] / pkt.groupby("stadtteil")["einwohner"].transform("sum")
    return pkt.drop(columns="einwohner")


def versorgungsgrad(punkte: pd.DataFrame, einrichtungen: gpd.GeoDataFrame, arten: Sequence, *,
                    crs_metrisch: int = 25832) -> pd.DataFrame:
    """Je Stadtteil (Index) und Art (`versorgt_<art>`): Anteil der Einwohner in % mit der nächsten Einrichtung
    der Art höchstens `abstand_m` entfernt (EPSG:25832). Ohne Einrichtung der Art: 0 %."""
    from scipy.spatial import cKDTree

    aus = pd.DataFrame(index=pd.Index(sorted(punkte["stadtteil"].unique()), name="stadtteil"))
    if einrichtungen.empty:
        for va in arten:
            aus[f"versorgt_{va.art}"] = 0.0
        return aus
    ein = einrichtungen[["art", "geometry"]].to_crs(crs_metrisch)
    ex, ey = ein.geometry.x.to_numpy(), ein.geometry.y.to_numpy()
    xy = np.column_stack([punkte["x"].to_numpy(), punkte["y"].to_numpy()])
    for va in arten:
        m = (ein["art"] == va.art).to_numpy()
        if not m.any() or not len(xy):
            aus[f"versorgt_{va.art}"] = 0.0
            continue
        abstand, _ = cKDTree(np.column_stack([ex[m], ey[m]])).query(xy, k=1, distance_upper_bound=_bis(va.abstand_m))
        versorgt = np.isfinite(abstand) * punkte["anteil"].to_numpy()
        aus[f"versorgt_{va.art}"] = pd.Series(versorgt).groupby(punkte["stadtteil"].to_numpy()).sum() * 100
    return aus


def _bis(abstand_m: float) -> float:
    # cKDTree zählt nur Abstände echt kleiner als die Grenze; „höchstens abstand_m“ heißt einschließlich.
    return float(np.nextafter(abstand_m, np.inf)) + 1e-9


def _summe(tabelle: pd.DataFrame, merkmale: Sequence[str]) -> pd.Series:
    if not merkmale or not set(merkmale) <= set(tabelle.columns):
        return pd.Series(np.nan, index=tabelle.index)
    return tabelle[list(merkmale)].sum(axis=1, min_count=len(merkmale))


def angebot(tabelle: pd.DataFrame, einrichtungen: pd.DataFrame, konfig: Versorgung, *, gebiet: str,
            versorgt: pd.DataFrame | None = None, budget_eur: pd.Series | None = None) -> pd.DataFrame:
    """Angebotskennzahlen je Gebiet (Index von `tabelle`; Einrichtungen über ihre Spalte `gebiet` zugeordnet).

    `tabelle`: Einwohnerzahlen je Gebiet (Merkmal-Spalten); `einrichtungen`: schon auf den Stichtag gefiltert;
    `versorgt`: Versorgungsgrade je Gebiet (%), `budget_eur`: Budget je Gebiet. Spalten: `anzahl_<art>`,
    `zielgruppe_<art>`, `je_1000_<art>`, `versorgt_<art>`, `kita_plaetze`, `kinder_kita`, `kita_plaetze_je_kind`,
    `budget_eur`, `kinder_budget`, `budget_je_kind_eur`, `kleine_zahl` (Nenner unter `konfig.kleine_zahl`).
    """
    aus = pd.DataFrame(index=tabelle.index)
    je_gebiet = einrichtungen.groupby([gebiet, "art"]).size()
    klein: dict[object, list[str]] = {g: [] for g in aus.index}

    def _nenner(name: str, nenner: pd.Series) -> None:
        for g, n in nenner.items():
            if pd.notna(n) and n < konfig.kleine_zahl:
                klein[g].append(f"{name}: Nenner {n:.0f}")

    for va in konfig.arten:
        anzahl = je_gebiet.xs(va.art, level="art") if va.art in je_gebiet.index.get_level_values("art") else None
        aus[f"anzahl_{va.art}"] = (anzahl.reindex(aus.index) if anzahl is not None else np.nan)
        aus[f"anzahl_{va.art}"] = aus[f"anzahl_{va.art}"].fillna(0).astype(int)
        ziel = _summe(tabelle, va.zielgruppe)
        aus[f"zielgruppe_{va.art}"] = ziel
        aus[f"je_1000_{va.art}"] = 1000 * aus[f"anzahl_{va.art}"] / ziel.where(ziel > 0)
        _nenner(f"je_1000_{va.art}", ziel)
        if versorgt is not None and f"versorgt_{va.art}" in versorgt:
            aus[f"versorgt_{va.art}"] = versorgt[f"versorgt_{va.art}"].reindex(aus.index)
    kitas = einrichtungen[einrichtungen["art"] == konfig.kita_art]
    aus["kita_plaetze"] = pd.to_numeric(kitas["kapazitaet"], errors="coerce").groupby(kitas[gebiet]).sum()
    aus["kita_plaetze"] = aus["kita_plaetze"].fillna(0)
    kinder = _summe(tabelle, konfig.kita_zielgruppe)
    aus["kinder_kita"] = kinder
    aus["kita_plaetze_je_kind"] = aus["kita_plaetze"] / kinder.where(kinder > 0)
    _nenner("kita_plaetze_je_kind", kinder)
    if budget_eur is not None:
        kinder_b = _summe(tabelle, konfig.budget_zielgruppe)
        aus["budget_eur"] = budget_eur.reindex(aus.index)
        aus["kinder_budget"] = kinder_b
        aus["budget_je_kind_eur"] = aus["budget_eur"] / kinder_b.where(kinder_b > 0)
        _nenner("budget_je_kind_eur", kinder_b)
    aus["kleine_zahl"] = pd.Series({g: "; ".join(v) for g, v in klein.items()}, dtype=object).reindex(aus.index)
    return aus


def versorgt_zusammenfassen(versorgt: pd.DataFrame, tabelle: pd.DataFrame, zuordnung: pd.Series,
                            konfig: Versorgung) -> pd.DataFrame:
    """Versorgungsgrade der Stadtteile zu Sozialräumen: gewichtet mit der Zielgruppe der Art im Stadtteil."""
    aus = {}
    for va in konfig.arten:
        spalte = f"versorgt_{va.art}"
        if spalte not in versorgt:
            continue
        ziel = _summe(tabelle, va.zielgruppe).reindex(versorgt.index)
        gewicht = ziel.where(versorgt[spalte].notna())
        aus[spalte] = (versorgt[spalte] * gewicht).groupby(zuordnung).sum(min_count=1) / gewicht.groupby(
            zuordnung).sum(min_count=1)
    return pd.DataFrame(aus)


def netzwerke_je_sozialraum(netzwerke: pd.DataFrame) -> pd.DataFrame:
    """Anzahl Netzwerke je Sozialraum: `netzwerke_bestehend`, `netzwerke_geplant` (Status ≠ besteht)."""
    if netzwerke is None or netzwerke.empty:
        return pd.DataFrame(columns=["netzwerke_bestehend", "netzwerke_geplant"])
    n = netzwerke[netzwerke["sozialraum"].fillna("") != ""]
    besteht = n["status"] == "besteht"
    return pd.DataFrame({
        "netzwerke_bestehend": n[besteht].groupby("sozialraum").size(),
        "netzwerke_geplant": n[~besteht].groupby("sozialraum").size(),
    }).fillna(0).astype(int)
