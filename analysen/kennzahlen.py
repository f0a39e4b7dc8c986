"""Kennzahlen je Sozialraum: Bedarf (Einwohner, Kinder, soziale Lage) gegen Angebot (Einrichtungen, Plätze)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

ALTER_U18 = ("einwohner_u6", "einwohner_6_14", "einwohner_15_17")


def letztes_jahr(indikatoren: pd.DataFrame, *, bis: int | None = None) -> int | None:
    """Jüngstes Jahr mit Indikatorwerten (optional höchstens `bis`)."""
    jahre = indikatoren["jahr"] if bis is None else indikatoren.loc[indikatoren["jahr"] <= bis, "jahr"]
    return int(jahre.max()) if len(jahre) else None


def kennzahlen_sozialraeume(
    indikatoren: pd.DataFrame, einrichtungen: gpd.GeoDataFrame, *, jahr: int | None = None
) -> pd.DataFrame:
    """Eine Zeile je Sozialraum: Einwohner, unter 18, Einrichtungen, Kita-Plätze je 100 Kinder u6, SGB-II-Quote.

    Quoten (%) werden mit der Einwohnerzahl des Stadtteils gewichtet gemittelt.
    """
    jahr = jahr or letztes_jahr(indikatoren)
    ind = indikatoren[indikatoren["jahr"] == jahr]
    breit = ind.pivot_table(index=["sozialraum", "stadtteil"], columns="merkmal", values="wert", aggfunc="first")
    breit = breit.reset_index()
    for spalte in ("einwohner", *ALTER_U18, "sgb2_quote_u15"):
        if spalte not in breit:
            breit[spalte] = float("nan")
    breit["u18"] = breit[list(ALTER_U18)].sum(axis=1, min_count=1)
    breit["_sgb2_gewicht"] = breit["sgb2_quote_u15"] * breit["einwohner"]
    sr = breit.groupby("sozialraum").agg(
        einwohner=("einwohner", "sum"), u18=("u18", "sum"), u6=("einwohner_u6", "sum"),
        _sgb2=("_sgb2_gewicht", "sum"))
    sr["sgb2_quote_u15"] = (sr.pop("_sgb2") / sr["einwohner"]).round(1)
    ein = pd.DataFrame(einrichtungen.drop(columns="geometry"))
    sr["einrichtungen"] = ein.groupby("sozialraum").size()
    kita = ein[ein["art"] == "kita"]
    sr["kita_plaetze"] = kita.groupby("sozialraum")["kapazitaet"].sum()
    sr = sr.fillna({"einrichtungen": 0, "kita_plaetze": 0})
    sr["kita_plaetze_je_100_u6"] = (100 * sr["kita_plaetze"] / sr["u6"]).round(1)
    sr["einrichtungen_je_1000_u18"] = (1000 * sr["einrichtungen"] / sr["u18"]).round(2)
    sr["jahr"] = jahr
    return sr.reset_index()
