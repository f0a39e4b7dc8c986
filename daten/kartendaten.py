"""Alle Frames, die eine Karte braucht, in einem Aufruf (eine Lesetransaktion)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd
import pandas as pd
from sqlalchemy.engine import Engine

from daten import repository as repo
from daten.config import Kommune
from daten.db import pruefe_verbindung, sitzung


@dataclass(frozen=True)
class Kartendaten:
    """GeoDataFrames in EPSG:4326 (Indikatoren als DataFrame)."""

    sozialraeume: gpd.GeoDataFrame
    stadtteile: gpd.GeoDataFrame
    einrichtungen: gpd.GeoDataFrame
    netzwerk_kanten: gpd.GeoDataFrame
    indikatoren: pd.DataFrame
    # Frage 6 der Protokolle: Kurzbezeichnung, Sozialraum, Sitzungsdatum (nie der Protokolltext)
    fehlende_ressourcen: gpd.GeoDataFrame | None = None

    def als_argumente(self) -> dict[str, object]:
        """Schlüsselwort-Argumente für `karte.baue_karte`."""
        return {
            "sozialraeume": self.sozialraeume, "stadtteile": self.stadtteile, "einrichtungen": self.einrichtungen,
            "netzwerk_kanten": self.netzwerk_kanten, "indikatoren": self.indikatoren,
            "fehlende_ressourcen": self.fehlende_ressourcen,
        }


def lade_kartendaten(engine: Engine, kommune: Kommune, *, stichtag: date | None = None,
                     jahr: int | None = None, pruefen: bool = True) -> Kartendaten:
    """Liest alle Ebenen; `stichtag` (Standard: heute) filtert Einrichtungen nach Gültigkeit,
    `jahr` die Indikatoren und fehlenden Ressourcen (bis einschließlich)."""
    from daten.protokolle import fehlende_ressourcen

    stichtag = stichtag or date.today()
    if pruefen:
        pruefe_verbindung(engine)
    with sitzung(engine, akteur=None) as s:
        ein = repo.einrichtungen(session=s, kommune=kommune, stichtag=stichtag)
        ind = repo.indikatoren(session=s)
        fehlt = fehlende_ressourcen(session=s)
        fehlt = fehlt[pd.to_datetime(fehlt["datum"]).dt.date <= stichtag]
        if jahr is not None:
            ind = ind[ind["jahr"] <= jahr]
            fehlt = fehlt[pd.to_datetime(fehlt["datum"]).dt.year <= jahr]
        return Kartendaten(
            sozialraeume=repo.sozialraeume(session=s),
            stadtteile=repo.stadtteile(session=s),
            einrichtungen=ein,
            netzwerk_kanten=repo.netzwerk_kanten(session=s, einrichtungen_gdf=ein),
            indikatoren=ind,
            fehlende_ressourcen=fehlt,
        )
