"""Die öffentliche Karte (Offene Daten): Einrichtungen je Art, Stadtteile, Sozialräume und eine Kennzahl als
Choroplethe – nur aus den öffentlichen Sichten (`daten.offene_dateien.OffeneDaten`), ohne Netzwerke,
Einzugsbereiche und fehlende Ressourcen der Protokolle. Alle Frames in EPSG:4326; ruft nie Streamlit auf.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from karte.choropleth import indikatorwerte, klassifiziere, zahl
from karte.karte import baue_karte

TITEL = "Offene Daten"
KLASSEN = 5


def choropleth_wahl(merkmal: str | None, jahr: int | None) -> dict[str, Any] | None:
    """Die feste Choroplethen-Auswahl der öffentlichen Karte: fünf Quantile, absolute Werte (kein Bezug)."""
    if not merkmal or jahr is None:
        return None
    return {"merkmal": merkmal, "jahr": int(jahr), "bezug": None, "klassifikation": "quantile",
            "klassen": KLASSEN, "grenzen": None}


def baue_oeffentliche_karte(daten: Any, kommune: Any, *, merkmal: str | None = None, jahr: int | None = None,
                            basemap: str = "keine") -> folium.Map:
    """Offline lauffähige Karte aus `OffeneDaten`; `merkmal`/`jahr` färben die Stadtteile (Legende mit Klassen).

    `kommune` mit den Bezeichnungen der veröffentlichten Kennzahlen (`daten.offene_dateien.mit_kennzahlen`).
    Netzwerke und Einzugsbereiche bleiben weg: die öffentliche Karte zeigt Einrichtungen und Gebiete.
    """
    leer = gpd.GeoDataFrame({"netzwerk_id": [], "status": []}, geometry=[], crs="EPSG:4326")
    return baue_karte(sozialraeume=daten.flaechen("sozialraeume"), stadtteile=daten.flaechen("stadtteile"),
                      einrichtungen=daten.einrichtungen, netzwerk_kanten=leer, kommune=kommune,
                      indikatoren=daten.indikatoren(), choropleth=choropleth_wahl(merkmal, jahr), basemap=basemap,
                      quelle=f"Daten: {kommune.name}, {kommune.amt} ({TITEL})")  # ohne Titel: die Seite hat einen


def kennzahl_tabelle(daten: Any, kommune: Any, *, merkmal: str, jahr: int) -> tuple[pd.DataFrame, str]:
    """Textfassung der Choroplethe: je Stadtteil Sozialraum, Wert und Klasse (dieselben Klassen wie die Legende),
    absteigend nach Wert; dazu die Überschrift „Bezeichnung Jahr (Einheit)“."""
    mk = next((m for m in kommune.merkmale if m.schluessel == merkmal), None)
    bez, einheit = (mk.bezeichnung, mk.einheit) if mk else (merkmal, "")
    werte = indikatorwerte(daten.indikatoren(), merkmal=merkmal, jahr=jahr, bezug=None)
    teile = pd.DataFrame(daten.flaechen("stadtteile")[["name", "sozialraum"]])
    teile["wert"] = teile["name"].map(werte).astype(float)
    kl = klassifiziere(teile["wert"].tolist(), klassifikation="quantile", klassen=KLASSEN,
                       einheit=einheit if len(einheit) <= 3 else "")
    teile["klasse"] = [kl.beschriftungen[k] if k is not None else "keine Daten" for k in kl.zuordnung]
    teile = teile.sort_values("wert", ascending=False, na_position="last")
    stellen = 1 if any(not float(v).is_integer() for v in teile["wert"].dropna()) else 0
    tab = pd.DataFrame({"Stadtteil": teile["name"], "Sozialraum": teile["sozialraum"],
                        f"Wert ({einheit})" if einheit else "Wert": teile["wert"].map(
                            lambda v: "–" if pd.isna(v) else zahl(float(v), stellen)),
                        "Klasse auf der Karte": teile["klasse"]})
    return tab.reset_index(drop=True), f"{bez} {jahr}" + (f" ({einheit})" if einheit else "")
