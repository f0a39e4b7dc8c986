"""Daten für den Karten-Benchmark: Mainzer Demo-Datenbank und synthetische Flächendatensätze.

Synthetisch = deterministisch (numpy default_rng mit fester Saat): Voronoi-Zerlegung eines Rechtecks
in EPSG:25832 (lückenlos, überlappungsfrei), Einrichtungen als Punkte darin, Spalten wie
`daten.kartendaten.lade_kartendaten` sie liefert.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

CRS_METRISCH = 25832
SAAT = 20260


@dataclass(frozen=True)
class Skala:
    """Größe eines synthetischen Datensatzes; `gebiet` = (xmin, ymin, xmax, ymax) in EPSG:25832."""

    name: str
    flaechen: int
    einrichtungen: int
    sozialraeume: int
    netzwerke: int
    gebiet: tuple[float, float, float, float]


SKALEN: dict[str, Skala] = {
    # Ersatz, falls die Demo-Datenbank (daten/demo) nicht verfügbar ist: Mainzer Größe.
    "mainz": Skala("mainz", 15, 220, 10, 12, (440_000, 5_531_000, 455_000, 5_545_000)),
    # Großstadt (Köln-Größe, ~25 × 20 km um Mainz herum verschoben, damit die Kartenmitte passt).
    "grossstadt": Skala("grossstadt", 500, 5_000, 50, 60, (435_000, 5_528_000, 460_000, 5_548_000)),
    # Flächenland (~ Rheinland-Pfalz, 160 × 200 km).
    "land": Skala("land", 10_000, 100_000, 500, 150, (300_000, 5_440_000, 460_000, 5_640_000)),
}

ZIELGRUPPEN = ["Kinder 0–6", "Kinder 6–14", "Jugendliche", "Junge Erwachsene", "Familien", "Alleinerziehende",
               "Eltern", "Senioren"]
ANGEBOTE = ["Offener Treff", "Hausaufgabenhilfe", "Elterncafé", "Beratung", "Ferienprogramm", "Sprachförderung",
            "Bewegungsangebote", "Mittagstisch", "Familienbildung", "Medienpädagogik", "Streetwork", "Sportangebote",
            "Musikgruppe", "Kreativwerkstatt", "Bewerbungstraining", "Krabbelgruppe", "Lernpatenschaften",
            "Mädchentreff", "Jungenarbeit", "Gruppenangebote"]
STRASSEN = ["Hauptstraße", "Schulstraße", "Gartenstraße", "Bahnhofstraße", "Kirchstraße", "Lindenweg", "Am Markt",
            "Rheinallee", "Bergstraße", "Waldweg", "Mühlgasse", "Wiesenstraße", "Ringstraße", "Am Park"]
TRAEGER_FREI = ["Caritasverband (synthetisch)", "Diakonisches Werk (synthetisch)", "AWO Kreisverband (synthetisch)",
                "DRK Kreisverband (synthetisch)", "Kinderschutzbund (synthetisch)", "Ev. Kirchengemeinde (synthetisch)",
                "Kath. Pfarrei (synthetisch)", "Förderverein Jugend e. V. (synthetisch)", "Paritätischer (synthetisch)"]
TRAEGER_STADT = "Kommune, Amt für Jugend und Familie (synthetisch)"


def lade_mainz_demo(kommune: Any, verzeichnis: Path | None = None) -> tuple[dict[str, Any], str, str]:
    """Demo-Datenbank (SQLite) anlegen und lesen → (Argumente für baue_karte, DB-URL, Quelle).

    Fehlt der Demo-Generator noch, werden synthetische Daten in Mainzer Größe geliefert (DB-URL leer).
    """
    try:
        from daten.db import erstelle_engine
        from daten.kartendaten import lade_kartendaten
        from daten.laden import initialisiere
    except ImportError as exc:  # pragma: no cover – nur während der Entwicklung
        return synthetische_daten(SKALEN["mainz"], kommune), "", f"synthetisch (Demo fehlt: {exc})"
    ordner = verzeichnis or Path(tempfile.mkdtemp(prefix="bench_demo_"))
    url = f"sqlite:///{ordner / 'demo.db'}"
    try:
        engine = erstelle_engine(url)
        initialisiere(engine, kommune, demo=True)
        argumente = lade_kartendaten(engine, kommune).als_argumente()
    except (ImportError, ModuleNotFoundError) as exc:  # pragma: no cover
        return synthetische_daten(SKALEN["mainz"], kommune), "", f"synthetisch (Demo fehlt: {exc})"
    return argumente, url, "Demo-Datenbank"


def synthetische_daten(skala: Skala, kommune: Any, saat: int = SAAT) -> dict[str, Any]:
    """Alle Ebenen als Argumente für `baue_karte` (ohne `kommune`)."""
    rng = np.random.default_rng(saat)
    stadtteile = flaechen_der_skala(skala, rng)
    sozialraeume = _sozialraeume(stadtteile)
    einrichtungen = _einrichtungen(skala, kommune, stadtteile, rng)
    kanten, netze_je_einrichtung = _netzwerke(skala, einrichtungen, rng)
    einrichtungen["netzwerke"] = [", ".join(netze_je_einrichtung.get(i, [])) for i in einrichtungen["id"]]
    return {
        "sozialraeume": sozialraeume.to_crs(4326),
        "stadtteile": stadtteile.to_crs(4326),
        "einrichtungen": einrichtungen.to_crs(4326),
        "netzwerk_kanten": kanten.to_crs(4326),
        "indikatoren": _indikatoren(stadtteile, rng),
    }


def flaechen_der_skala(skala: Skala, rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Voronoi-Zellen zufälliger Stützpunkte, am Rechteck abgeschnitten, Sozialräume als Gruppen."""
    xmin, ymin, xmax, ymax = skala.gebiet
    rechteck = shapely.box(xmin, ymin, xmax, ymax)
    xy = np.column_stack([rng.uniform(xmin, xmax, skala.flaechen), rng.uniform(ymin, ymax, skala.flaechen)])
    punkte = shapely.points(xy)
    zellen = shapely.voronoi_polygons(shapely.multipoints(punkte), extend_to=rechteck, ordered=True)
    flaechen = shapely.intersection(shapely.get_parts(zellen), rechteck)
    # Sozialräume: jeder Stützpunkt gehört zum nächstgelegenen von `sozialraeume` zufällig gewählten Zentren.
    zentren = rng.choice(skala.flaechen, size=skala.sozialraeume, replace=False)
    baum = shapely.STRtree(punkte[zentren])
    eingabe, naechste = baum.query_nearest(punkte, all_matches=False)
    sr_nr = np.empty(skala.flaechen, dtype=int)
    sr_nr[eingabe] = naechste
    ids = np.arange(1, skala.flaechen + 1)
    return gpd.GeoDataFrame({
        "id": ids,
        "name": [f"Stadtteil {i:05d}" for i in ids],
        "sozialraum": [f"Sozialraum {n + 1:03d}" for n in sr_nr],
        "sozialraum_id": sr_nr + 1,
    }, geometry=flaechen, crs=CRS_METRISCH)


def _sozialraeume(stadtteile: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    gruppen = stadtteile.dissolve(by="sozialraum_id", method="coverage",
                                  aggfunc={"sozialraum": "first", "name": ", ".join})
    sr = gpd.GeoDataFrame({
        "id": gruppen.index.to_numpy(),
        "name": gruppen["sozialraum"].to_numpy(),
        "stufe": (gruppen.index.to_numpy() % 3) + 1,
        "teamleitung": [f"Teamleitung {i:03d}" for i in gruppen.index],
        "stadtteile": gruppen["name"].to_numpy(),
    }, geometry=gruppen.geometry.to_numpy(), crs=stadtteile.crs)
    return sr.reset_index(drop=True)


def _auswahl(rng: np.random.Generator, liste: list[str], anzahl: np.ndarray, trenner: str) -> list[str]:
    return [trenner.join(rng.choice(liste, size=int(k), replace=False)) for k in anzahl]


def _einrichtungen(skala: Skala, kommune: Any, stadtteile: gpd.GeoDataFrame,
                   rng: np.random.Generator) -> gpd.GeoDataFrame:
    n = skala.einrichtungen
    xmin, ymin, xmax, ymax = skala.gebiet
    punkte = shapely.points(rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n))
    lage = _lage(punkte, stadtteile)
    ids = np.arange(1, n + 1)
    arten = kommune.einrichtungsarten
    art = [arten[i % len(arten)] for i in range(n)]
    frei = rng.random(n) < 0.6
    traeger_art = np.where(frei, "frei", "staedtisch")
    stufe = [a.stufe_fuer(t) for a, t in zip(art, traeger_art, strict=True)]
    sr_stufe = dict(zip(stadtteile["sozialraum"], (stadtteile["sozialraum_id"] % 3) + 1, strict=False))
    kap = np.where(rng.random(n) < 0.5, rng.integers(10, 150, n).astype(float), np.nan)
    von = [date(1990 + int(j), 1 + int(mo), 1) for j, mo in zip(rng.integers(0, 35, n), rng.integers(0, 12, n),
                                                                 strict=True)]
    bis = [date(2027 + int(j), 12, 31) if j < 3 else None for j in rng.integers(0, 30, n)]
    daten = {
        "id": ids, "schluessel": [f"syn-{a.schluessel}-{i:06d}" for a, i in zip(art, ids, strict=True)],
        "name": [f"Einrichtung {i}" for i in ids], "art": [a.schluessel for a in art],
        "art_bezeichnung": [a.bezeichnung for a in art], "traeger_art": traeger_art,
        "traeger": np.where(frei, np.array(TRAEGER_FREI)[ids % len(TRAEGER_FREI)], TRAEGER_STADT),
        "adresse": [f"{STRASSEN[i % len(STRASSEN)]} {i % 97 + 1}, {55000 + i % 900} Musterort" for i in ids],
        "zielgruppen": _auswahl(rng, ZIELGRUPPEN, rng.integers(1, 4, n), ", "),
        "angebote": _auswahl(rng, ANGEBOTE, rng.integers(2, 5, n), "; "),
        "kapazitaet": kap, "gueltig_von": von, "gueltig_bis": bis,
        "stadtteil": lage["name"].to_numpy(), "sozialraum": lage["sozialraum"].to_numpy(), "netzwerke": "",
        "gremium_ab_stufe": np.array([np.nan if s is None else float(s) for s in stufe]),
    }
    ein = gpd.GeoDataFrame(daten, geometry=punkte, crs=CRS_METRISCH)
    sr_stufe_je = ein["sozialraum"].map(sr_stufe).to_numpy()
    ein["im_gremium"] = ~np.isnan(ein["gremium_ab_stufe"].to_numpy()) & (ein["gremium_ab_stufe"] <= sr_stufe_je)
    ein["version"] = 1
    return ein[[*daten.keys(), "im_gremium", "version", "geometry"]]


def _lage(punkte: np.ndarray, stadtteile: gpd.GeoDataFrame) -> pd.DataFrame:
    """Stadtteil und Sozialraum je Punkt (Punkt im Polygon; Randpunkte: erster Treffer)."""
    p_idx, f_idx = stadtteile.sindex.query(punkte, predicate="intersects")
    erster = pd.Series(f_idx, index=p_idx).groupby(level=0).first()
    fehlend = np.setdiff1d(np.arange(len(punkte)), erster.index.to_numpy())
    if len(fehlend):  # numerisch auf dem Rand des Gebiets: nächste Fläche
        _, naechste = stadtteile.sindex.nearest(punkte[fehlend], return_all=False)
        erster = pd.concat([erster, pd.Series(naechste, index=fehlend)]).sort_index()
    return stadtteile.iloc[erster.to_numpy()][["name", "sozialraum"]].reset_index(drop=True)


def _netzwerke(skala: Skala, ein: gpd.GeoDataFrame,
               rng: np.random.Generator) -> tuple[gpd.GeoDataFrame, dict[int, list[str]]]:
    """Je Netzwerk 3–6 Mitglieder aus einem Sozialraum, Sternkanten von der Koordination aus."""
    je_sr = ein.groupby("sozialraum").indices
    sr_namen = sorted(je_sr)
    zeilen, mitgliedschaft = [], {}
    for nr in range(1, skala.netzwerke + 1):
        sr = sr_namen[int(rng.integers(len(sr_namen)))]
        kandidaten = je_sr[sr]
        mitglieder = rng.choice(kandidaten, size=min(len(kandidaten), int(rng.integers(3, 7))), replace=False)
        name = f"Netzwerk {nr:03d} {sr}"
        status = "soll entwickelt werden" if nr % 4 == 0 else "besteht"
        for i in mitglieder:
            mitgliedschaft.setdefault(int(ein["id"].iat[i]), []).append(name)
        von = mitglieder[0]
        for nach in mitglieder[1:]:
            linie = shapely.linestrings([ein.geometry.iat[von].coords[0], ein.geometry.iat[nach].coords[0]])
            zeilen.append({"netzwerk_id": nr, "netzwerk": name, "status": status, "sozialraum": sr,
                           "von": ein["name"].iat[von], "nach": ein["name"].iat[nach], "geometry": linie})
    return gpd.GeoDataFrame(zeilen, geometry="geometry", crs=ein.crs), mitgliedschaft


def _indikatoren(stadtteile: gpd.GeoDataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(stadtteile)
    einwohner = rng.integers(800, 25_000, n)
    teile = []
    for jahr in (2023, 2024):
        for merkmal, wert in (("einwohner", einwohner), ("einwohner_u6", (einwohner * 0.06).round())):
            teile.append(pd.DataFrame({"stadtteil": stadtteile["name"], "sozialraum": stadtteile["sozialraum"],
                                       "jahr": jahr, "merkmal": merkmal, "wert": wert.astype(float),
                                       "quelle": "synthetisch"}))
    return pd.concat(teile, ignore_index=True)
