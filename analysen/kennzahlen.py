"""Kennzahlen je Stadtteil und Sozialraum: Indikatoren eines Jahres breit, Zusammenfassen nach eigener Bezugsgruppe.

Anzahlen (Einwohner, Kinder …) werden summiert. Anteile (Einheit %) werden mit ihrer eigenen Bezugsgruppe
gewichtet gemittelt (`Merkmal.basis` der Konfiguration): die SGB-II-Quote der unter 15-Jährigen eines
Sozialraums ist Σ(Quote · Kinder u15) / Σ Kinder u15 – nicht mit allen Einwohnern gewichtet. Ein Anteil
ohne konfigurierte Bezugsgruppe wird ersatzweise mit den Einwohnern gewichtet (`ERSATZBASIS`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd

from daten.config import Merkmal

ALTER_U18 = ("einwohner_u6", "einwohner_6_14", "einwohner_15_17")
ERSATZBASIS = ("einwohner",)


def letztes_jahr(indikatoren: pd.DataFrame, *, bis: int | None = None) -> int | None:
    """Jüngstes Jahr mit Indikatorwerten (optional höchstens `bis`)."""
    jahre = indikatoren["jahr"] if bis is None else indikatoren.loc[indikatoren["jahr"] <= bis, "jahr"]
    return int(jahre.max()) if len(jahre) else None


def breit(indikatoren: pd.DataFrame, *, jahr: int) -> pd.DataFrame:
    """Eine Zeile je Stadtteil (Index `stadtteil`) mit Spalte `sozialraum` und je Merkmal einer Spalte."""
    ind = indikatoren[indikatoren["jahr"] == int(jahr)]
    tab = ind.pivot_table(index=["stadtteil", "sozialraum"], columns="merkmal", values="wert", aggfunc="first")
    tab.columns.name = None
    return tab.reset_index("sozialraum")


def basis_von(mk: Merkmal) -> tuple[str, ...]:
    """Merkmale, deren Summe das Gewicht beim Zusammenfassen ist (leer bei Anzahlen)."""
    if not mk.ist_anteil:
        return ()
    return tuple(mk.basis) or ERSATZBASIS


def fasse_zusammen(tabelle: pd.DataFrame, merkmale: Sequence[Merkmal], *, nach: str = "sozialraum") -> pd.DataFrame:
    """Fasst Stadtteil-Zeilen nach `nach` zusammen: Anzahlen summiert, Anteile nach ihrer Bezugsgruppe gewichtet.

    Fehlt in einem Stadtteil der Wert oder die Bezugsgruppe, zählt er für diesen Anteil nicht mit.
    """
    gruppen = tabelle.groupby(nach, sort=False)
    aus = pd.DataFrame(index=pd.Index(list(gruppen.groups), name=nach))
    for mk in merkmale:
        if mk.schluessel not in tabelle:
            continue
        basis = basis_von(mk)
        if not basis:
            aus[mk.schluessel] = gruppen[mk.schluessel].sum(min_count=1)
            continue
        gewicht = tabelle.reindex(columns=list(basis)).sum(axis=1, min_count=len(basis))
        wert = tabelle[mk.schluessel]
        gueltig = wert.notna() & gewicht.notna() & (gewicht > 0)
        zaehler = (wert * gewicht).where(gueltig).groupby(tabelle[nach]).sum(min_count=1)
        nenner = gewicht.where(gueltig).groupby(tabelle[nach]).sum(min_count=1)
        aus[mk.schluessel] = zaehler / nenner.replace(0, np.nan)
    return aus


def einrichtungen_am(einrichtungen: gpd.GeoDataFrame | pd.DataFrame, stichtag: date) -> pd.DataFrame:
    """Einrichtungen, die am Stichtag gültig sind (gueltig_von/-bis; fehlende Grenzen = offen)."""
    if "gueltig_von" not in einrichtungen:
        return einrichtungen
    von = pd.to_datetime(einrichtungen["gueltig_von"], errors="coerce")
    bis = pd.to_datetime(einrichtungen["gueltig_bis"], errors="coerce")
    tag = pd.Timestamp(stichtag)
    return einrichtungen[(von.isna() | (von <= tag)) & (bis.isna() | (bis >= tag))]


def _merkmale_standard() -> list[Merkmal]:
    from daten.config import lade_kommune

    return list(lade_kommune().merkmale)


def kennzahlen_sozialraeume(
    indikatoren: pd.DataFrame, einrichtungen: gpd.GeoDataFrame, *, jahr: int | None = None,
    merkmale: Sequence[Merkmal] | None = None, kita_art: str = "kita",
) -> pd.DataFrame:
    """Eine Zeile je Sozialraum: Einwohner, unter 18, Einrichtungen und Kita-Plätze (am 31.12. des Jahres gültig),
    Kita-Plätze je 100 Kinder u6, Einrichtungen je 1.000 u18, SGB-II-Quote u15 (nach Kindern u15 gewichtet).

    `merkmale`: Merkmale der Kommune-Konfiguration (für die Bezugsgruppen); ohne Angabe die der
    mitgelieferten Standardkonfiguration.
    """
    jahr = jahr or letztes_jahr(indikatoren)
    merkmale = list(merkmale) if merkmale is not None else _merkmale_standard()
    tab = breit(indikatoren, jahr=jahr)
    for spalte in ("einwohner", *ALTER_U18, "sgb2_quote_u15"):
        if spalte not in tab:
            tab[spalte] = np.nan
    tab["u18"] = tab[list(ALTER_U18)].sum(axis=1, min_count=1)
    sr = fasse_zusammen(tab, merkmale)
    sr["u18"] = tab.groupby("sozialraum")["u18"].sum(min_count=1)
    sr["u6"] = sr.get("einwohner_u6", np.nan)
    sr = sr.reindex(columns=["einwohner", "u18", "u6", "sgb2_quote_u15"])
    sr["sgb2_quote_u15"] = sr["sgb2_quote_u15"].round(1)
    ein = pd.DataFrame(einrichtungen_am(einrichtungen, date(int(jahr), 12, 31)).drop(columns="geometry",
                                                                                      errors="ignore"))
    sr["einrichtungen"] = ein.groupby("sozialraum").size()
    kita = ein[ein["art"] == kita_art]
    sr["kita_plaetze"] = kita.groupby("sozialraum")["kapazitaet"].sum()
    sr = sr.fillna({"einrichtungen": 0, "kita_plaetze": 0})
    sr["kita_plaetze_je_100_u6"] = (100 * sr["kita_plaetze"] / sr["u6"]).round(1)
    sr["einrichtungen_je_1000_u18"] = (1000 * sr["einrichtungen"] / sr["u18"]).round(2)
    sr["jahr"] = jahr
    return sr.rename_axis("sozialraum").reset_index()
