"""Flächenebenen der Ressourcenkarte: Indikator-Choroplethe, Stadtteile, Sozialräume (alle EPSG:4326).

Jede Fläche trägt ihren Tooltip als Zeilen (Text mit \\n, im Browser Zeile für Zeile als Textknoten):
ein Stadtteil zeigt Name, Sozialraum (mit Gremiumsstufe) und – mit Choroplethe – den Indikatorwert mit
Einheit und Jahr. Liegen mehrere Flächenebenen übereinander, zeigt der Tooltip ihre Zeilen zusammen.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import pandas as pd

from karte.choropleth import KEINE_DATEN, KLASSIFIKATIONEN, Choropleth, indikatorwerte, klassifiziere, zahl
from karte.ebenen import JsEbene, flaechen_ebene
from karte.legende import Abschnitt, Eintrag

AUSWAHL_FARBE = "#111111"  # Umriss der gewählten Fläche (mit weißem Saum, karte/js/flaechen.js)


def merkmal(kommune: Any, schluessel: str) -> tuple[str, str]:
    """(Bezeichnung, Einheit) eines Indikators aus der Konfiguration."""
    for mk in getattr(kommune, "merkmale", []):
        if mk.schluessel == schluessel:
            return mk.bezeichnung, mk.einheit
    return schluessel, ""


def _text(wert: Any) -> str | None:
    return None if wert is None or (not isinstance(wert, str) and pd.isna(wert)) else str(wert)


def _spalte(df: pd.DataFrame, name: str) -> list[str | None]:
    if name not in df:
        return [None] * len(df)
    werte = df[name]
    if pd.api.types.is_string_dtype(werte.dtype):  # ganze Spalte auf einmal (10.000 Stadtteile)
        return werte.astype(object).where(werte.notna(), None).tolist()
    return [_text(w) for w in werte]


def sozialraum_zeile(sozialraeume: gpd.GeoDataFrame) -> dict[str, str]:
    """Name → „Sozialraum X (Gremium Stufe n)“ für die Tooltips."""
    stufen = sozialraeume["stufe"] if "stufe" in sozialraeume else [None] * len(sozialraeume)
    return {str(n): f"Sozialraum {n}" + (f" (Gremium Stufe {int(s)})" if s is not None and pd.notna(s) else "")
            for n, s in zip(sozialraeume["name"], stufen, strict=True)}


def sozialraum_ebene(sr: gpd.GeoDataFrame, *, auswahl: str | None, praesentation: bool, crs: int) -> JsEbene:
    kopf = sozialraum_zeile(sr)
    props = []
    for name, tl, teile in zip(sr["name"], _spalte(sr, "teamleitung"), _spalte(sr, "stadtteile"), strict=True):
        zeilen = [kopf[str(name)]]
        if tl:
            zeilen.append(f"Teamleitung ASD: {tl}")
        if teile:
            zeilen.append(f"Stadtteile: {teile}")
        gewaehlt = auswahl is not None and name == auswahl
        props.append({"n": str(name), "tt": "\n".join(zeilen), "w": 5 if gewaehlt else None,
                      "hc": AUSWAHL_FARBE if gewaehlt else None})
    stil = {"color": "#2c3e50", "weight": 3 if praesentation else 2.5, "opacity": 0.9, "fill": True,
            "fillOpacity": 0.0}
    return flaechen_ebene(sr, titel="Sozialräume", eigenschaften=props, stil=stil,
                          label="sozialraum", crs_metrisch=crs, rang=2)


def stadtteil_zeilen(st: gpd.GeoDataFrame, sr_zeile: dict[str, str], werte: list[str] | None = None) -> list[str]:
    """Tooltip je Stadtteil: Name, Sozialraum (Stufe) und ggf. Indikatorzeile (spaltenweise gebaut)."""
    if st.empty:
        return []
    text = "Stadtteil " + st["name"].astype(str).astype(object)
    sr = pd.Series(_spalte(st, "sozialraum"), index=st.index, dtype=object)
    zweite = sr.map(sr_zeile).where(sr.map(sr_zeile).notna(), "Sozialraum " + sr)  # None bleibt None
    text = text.where(sr.isna(), text + "\n" + zweite)
    if werte is not None:
        text = text + "\n" + pd.Series(werte, index=st.index, dtype=object)
    return text.tolist()


def stadtteil_ebene(st: gpd.GeoDataFrame, *, tooltips: list[str], auswahl: str | None, crs: int) -> JsEbene:
    gewaehlt = [auswahl is not None and n == auswahl for n in st["name"]]
    props = {"n": st["name"].astype(str).tolist(), "tt": tooltips,
             "w": [4 if g else None for g in gewaehlt], "hc": [AUSWAHL_FARBE if g else None for g in gewaehlt]}
    stil = {"color": "#6c7a89", "weight": 1, "opacity": 0.8, "dashArray": "3 3", "fill": True, "fillOpacity": 0.0}
    return flaechen_ebene(st, titel="Stadtteile", eigenschaften=props, stil=stil, crs_metrisch=crs,
                          label="stadtteil", rang=3, geometrien=st.geometry.values)


def choropleth_ebene(st: gpd.GeoDataFrame, indikatoren: pd.DataFrame | None, wahl: Choropleth, kommune: Any,
                     crs: int, sr_zeile: dict[str, str]) -> tuple[JsEbene, Abschnitt, list[str]]:
    """Choroplethe, Legendenabschnitt und je Stadtteil der Tooltip (mit „Indikator Jahr: Wert Einheit“)."""
    bez, einheit = merkmal(kommune, wahl.merkmal)
    titel = f"{bez} {wahl.jahr}"
    if wahl.bezug:
        gruppe, _ = merkmal(kommune, wahl.bezug)
        einheit = f"je 1.000 {gruppe}"
    leer = pd.DataFrame(columns=["stadtteil", "jahr", "merkmal", "wert"])
    werte = indikatorwerte(indikatoren if indikatoren is not None else leer, merkmal=wahl.merkmal,
                           jahr=wahl.jahr, bezug=wahl.bezug)
    je_teil = st["name"].map(werte).astype(float).tolist()
    kurz = einheit if len(einheit) <= 3 else ""  # kurze Einheit (%) an jede Klasse, lange einmal darüber
    kl = klassifiziere(je_teil, klassifikation=wahl.klassifikation, klassen=wahl.klassen, grenzen=wahl.grenzen,
                       einheit=kurz)
    stellen = 1 if any(not float(v).is_integer() for v in je_teil if v == v) else 0
    zeilen, farben = [], []
    for wert, klasse in zip(je_teil, kl.zuordnung, strict=True):
        text = f"{zahl(wert, stellen)} {einheit}".strip() if klasse is not None else "keine Daten"
        zeilen.append(f"{titel}: {text}")
        farben.append(kl.farben[klasse] if klasse is not None else KEINE_DATEN)
    stil = {"color": "#555555", "weight": 0.6, "opacity": 0.7, "fillOpacity": 0.7}
    tooltips = stadtteil_zeilen(st, sr_zeile, zeilen)
    props = {"n": st["name"].astype(str).tolist(), "c": farben, "tt": tooltips}
    ebene = flaechen_ebene(st, titel=f"Indikator: {titel}" + (f", {einheit}" if wahl.bezug else ""),
                           eigenschaften=props, stil=stil, crs_metrisch=crs, rang=3,
                           geometrien=st.geometry.values)
    eintraege = [Eintrag("kasten", f, t) for f, t in zip(kl.farben, kl.beschriftungen, strict=True)]
    if any(k is None for k in kl.zuordnung):
        eintraege.append(Eintrag("kasten", KEINE_DATEN, "keine Daten"))
    if not kl.obergrenzen:
        eintraege = [Eintrag("kasten", KEINE_DATEN, f"Keine Werte für {wahl.jahr} vorhanden.")]
    hinweis = " · ".join(t for t in (f"Einheit: {einheit}" if einheit else "",
                                      f"Klassen: {KLASSIFIKATIONEN[wahl.klassifikation]}") if t)
    return ebene, Abschnitt(titel, tuple(eintraege), hinweis=hinweis), tooltips
