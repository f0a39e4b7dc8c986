"""Angebot und Versorgung je Gebiet: Einrichtungen je 1.000 der Zielgruppe, Kita-Plätze je Kind, Budget je Kind,
Versorgungsgrad (Anteil der Menschen im Umkreis der nächsten Einrichtung einer Art).

Entfernungen sind euklidisch im metrischen KBS der Kommune (`crs_metrisch`, Meter; Mainz EPSG:25832, ETRS89 /
UTM 32N). Wo die Menschen wohnen, sagen Bevölkerungspunkte mit einem Anteil an den Einwohnern ihres Stadtteils:
- `bevoelkerungspunkte`: ohne Raster gleichmäßig über die Stadtteilfläche verteilt (Punkte im Abstand `raster_m`);
- `bevoelkerungspunkte_aus_raster`: aus einem importierten Bevölkerungsraster, z. B. dem Zensus-2022-Gitter
  (100-m-Zellen in EPSG:3035 mit Spalte `einwohner`): Zellmittelpunkte ins metrische KBS, ihrem Stadtteil nach der
  Regel aus `daten.geometrie` zugeordnet (im Stadtteil, sonst der nächste innerhalb der Toleranz der Kommune);
  Anteil = Einwohner der Zelle / Einwohner aller Zellen des Stadtteils.
Für eine Altersgruppe gilt die Verteilung der Einwohner im Stadtteil (das Raster kennt nur alle Einwohner).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from daten.config import Kommune, Versorgung
from daten.geometrie import metrisches_crs, ordne_stadtteile

HOECHSTENS_PUNKTE_JE_FLAECHE = 400  # große Flächen bekommen ein gröberes Raster (Laufzeit bei Landesgröße)


def bevoelkerungspunkte(stadtteile: gpd.GeoDataFrame, *, raster_m: float = 100, crs_metrisch: int,
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


def bevoelkerungspunkte_aus_raster(raster: gpd.GeoDataFrame, stadtteile: gpd.GeoDataFrame, *, kommune: Kommune,
                                   spalte: str = "einwohner") -> pd.DataFrame:
    """Bevölkerungspunkte (x, y im metrischen KBS der Kommune) aus einem Raster (Zellen oder Zellmittelpunkte,
    z. B. Zensus 2022, EPSG:3035); Stadtteil je Zellmittelpunkt nach der Regel aus `daten.geometrie`.

    Zellen, deren Mittelpunkt keinem Stadtteil zugeordnet wird (weiter als die Toleranz draußen), und Zellen ohne
    Einwohner fallen weg.
    """
    if raster.crs is None:
        raise ValueError("Das Bevölkerungsraster hat kein Koordinatensystem (erwartet z. B. EPSG:3035).")
    r = raster[[spalte, "geometry"]].to_crs(metrisches_crs(kommune))
    mitte = r.geometry.centroid
    zu = ordne_stadtteile(mitte, stadtteile, kommune=kommune)["stadtteil"].to_numpy()
    ew = pd.to_numeric(r[spalte], errors="coerce").fillna(0).to_numpy(dtype=float)
    ok = pd.notna(zu) & (ew > 0)
    pkt = pd.DataFrame({"x": mitte.x.to_numpy()[ok], "y": mitte.y.to_numpy()[ok],
                        "stadtteil": zu[ok], "einwohner": ew[ok]})
    pkt["anteil"] = pkt["einwohner"] / pkt.groupby("stadtteil")["einwohner"].transform("sum")
    return pkt.drop(columns="einwohner")


def versorgungsgrad(punkte: pd.DataFrame, einrichtungen: gpd.GeoDataFrame, arten: Sequence, *,
                    crs_metrisch: int) -> pd.DataFrame:
    """Je Stadtteil (Index) und Art (`versorgt_<art>`): Anteil der Einwohner in % mit der nächsten Einrichtung
    der Art höchstens `abstand_m` entfernt (gemessen in `crs_metrisch`, dem KBS der Punkte `x`, `y`).
    Ohne Einrichtung der Art: 0 %."""
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
    klein: list[pd.Series] = []

    def _nenner(name: str, nenner: pd.Series) -> None:
        m = nenner.notna() & (nenner < konfig.kleine_zahl)
        if m.any():  # selten: nur dann Texte bauen (Landesgröße: 10.000 Gebiete)
            klein.append(pd.Series(f"{name}: Nenner ", index=nenner.index).where(m, "")
                         + nenner.round().astype("Int64").astype(str).where(m, ""))

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
    texte = pd.Series("", index=aus.index, dtype=object)
    for teil in klein:  # spaltenweise verketten (zeilenweises apply ist bei 10.000 Gebieten zu langsam)
        trenner = pd.Series(np.where(texte == "", "", "; "), index=aus.index)
        texte = texte.where(teil == "", texte + trenner + teil)
    aus["kleine_zahl"] = texte
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


def versorgungsgrad_raster(stadtteile: gpd.GeoDataFrame, einrichtungen: gpd.GeoDataFrame, arten: Sequence, *,
                           raster_m: float = 100, crs_metrisch: int) -> pd.DataFrame:
    """Versorgungsgrad wie `versorgungsgrad`, aber über ein Raster – für Landesgröße (Millionen Zellen).

    Die Stadtteile werden auf ein Raster der Weite `raster_m` (Meter in `crs_metrisch`) gezeichnet (Einwohner
    gleichmäßig über die Zellen eines Stadtteils), je Art misst eine euklidische Distanztransformation (scipy) den
    Abstand jeder Zelle zur nächsten Zelle mit einer Einrichtung. Genauigkeit: etwa ± eine Rasterweite; Flächen
    kleiner als eine Zelle bekommen die Zelle ihres repräsentativen Punkts.
    """
    from PIL import Image, ImageDraw
    from scipy.ndimage import distance_transform_edt

    st = stadtteile[stadtteile.geometry.notna() & ~stadtteile.geometry.is_empty].to_crs(crs_metrisch)
    x0, y0, x1, y1 = st.total_bounds
    breite, hoehe = int(np.ceil((x1 - x0) / raster_m)) + 1, int(np.ceil((y1 - y0) / raster_m)) + 1
    bild = Image.new("I", (breite, hoehe), 0)
    zeichne = ImageDraw.Draw(bild)

    def pixel(ring: Any) -> list[tuple[float, float]]:
        xy = shapely.get_coordinates(ring)
        return list(zip((xy[:, 0] - x0) / raster_m, (xy[:, 1] - y0) / raster_m, strict=True))

    for i, g in enumerate(st.geometry.to_numpy(), start=1):
        for poly in getattr(g, "geoms", [g]):
            if poly.geom_type == "Polygon" and not poly.is_empty:
                zeichne.polygon(pixel(poly.exterior), fill=i)
                for loch in poly.interiors:
                    zeichne.polygon(pixel(loch), fill=0)
    zellen = np.asarray(bild)  # [zeile = y, spalte = x], 0 = außerhalb
    flach = zellen.ravel()
    n = len(st)
    anzahl = np.bincount(flach, minlength=n + 1)
    klein = np.flatnonzero(anzahl[1:] == 0) + 1  # zu klein für eine Zelle: repräsentativer Punkt
    rp = shapely.point_on_surface(st.geometry.to_numpy()[klein - 1]) if len(klein) else []
    kx = np.clip(((shapely.get_x(rp) - x0) / raster_m).astype(int), 0, breite - 1) if len(klein) else []
    ky = np.clip(((shapely.get_y(rp) - y0) / raster_m).astype(int), 0, hoehe - 1) if len(klein) else []
    ein = einrichtungen[["art", "geometry"]].to_crs(crs_metrisch)
    ex = np.clip(((ein.geometry.x.to_numpy() - x0) / raster_m).astype(int), 0, breite - 1)
    ey = np.clip(((ein.geometry.y.to_numpy() - y0) / raster_m).astype(int), 0, hoehe - 1)
    aus = pd.DataFrame(index=pd.Index(st["name"].to_numpy(), name="stadtteil"))
    for va in arten:
        m = (ein["art"] == va.art).to_numpy()
        if not m.any():
            aus[f"versorgt_{va.art}"] = 0.0
            continue
        frei = np.ones_like(zellen, dtype=bool)
        frei[ey[m], ex[m]] = False
        abstand = distance_transform_edt(frei, sampling=raster_m)
        versorgt = np.bincount(flach[(abstand <= va.abstand_m).ravel()], minlength=n + 1)
        anteil = versorgt[1:] / np.where(anzahl[1:] > 0, anzahl[1:], 1)
        if len(klein):
            anteil[klein - 1] = (abstand[ky, kx] <= va.abstand_m).astype(float)
        aus[f"versorgt_{va.art}"] = anteil * 100
    return aus
