"""Filter auf Einrichtungs-Frames (reine Funktionen, keine Datenbank)."""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd


def filtere_einrichtungen(
    einrichtungen: gpd.GeoDataFrame,
    *,
    sozialraum: str | None = None,
    stadtteil: str | None = None,
    arten: Iterable[str] | None = None,
    traeger_art: str | None = None,
    zielgruppe: str | None = None,
    nur_gremium: bool = False,
) -> gpd.GeoDataFrame:
    """Wendet die Kartenfilter an; `None` bzw. leere Auswahl heißt: nicht filtern."""
    maske = einrichtungen.index == einrichtungen.index
    if sozialraum:
        maske &= einrichtungen["sozialraum"] == sozialraum
    if stadtteil:
        maske &= einrichtungen["stadtteil"] == stadtteil
    arten = list(arten or [])
    if arten:
        maske &= einrichtungen["art"].isin(arten)
    if traeger_art:
        maske &= einrichtungen["traeger_art"] == traeger_art
    if zielgruppe:
        maske &= einrichtungen["zielgruppen"].fillna("").str.split(", ").map(lambda z: zielgruppe in z)
    if nur_gremium:
        maske &= einrichtungen["im_gremium"].astype(bool)
    return einrichtungen[maske]


def zielgruppen(einrichtungen: gpd.GeoDataFrame) -> list[str]:
    """Alle vorkommenden Zielgruppen, sortiert."""
    werte = {z for s in einrichtungen["zielgruppen"].fillna("") for z in s.split(", ") if z}
    return sorted(werte)
