"""Kartenebenen als folium-Layer, die ihre Daten kompakt als JSON tragen und im Browser mit Canvas zeichnen.

Alle Geometrien in EPSG:4326. Texte werden im Browser mit `RK.esc` maskiert (siehe karte/laufzeit.py);
das JSON selbst ist für `<script>` maskiert (`js_json`). Ebenennamen maskiert `html.escape`, weil die
Leaflet-Ebenensteuerung sie als HTML einsetzt.
"""

from __future__ import annotations

from html import escape
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from folium.map import Layer
from folium.template import Template

from karte.geometrie import STELLEN, beschriftungspunkte, feature_collection
from karte.laufzeit import js_json
from karte.legende import sichere_farbe
from karte.roh import RohRendern

FABRIKEN = ("flaechen", "einrichtungen", "netze", "einzug")
NETZ_FARBEN = ["#1b4f72", "#7d3c98", "#117a65", "#b9770e", "#943126", "#2e4053", "#b03a2e", "#1e8449"]
GESTRICHELT = "8 6"
STATUS_GEPLANT = "soll entwickelt werden"
TRAEGERARTEN = {"staedtisch": "städtisch", "frei": "frei"}
FELDER = [  # Schlüssel, Beschriftung im Popup, Trennzeichen für Listen (oder None)
    ("t", "Träger", None), ("ad", "Adresse", None), ("st", "Stadtteil", None), ("sr", "Sozialraum", None),
    ("an", "Angebote", "; "), ("z", "Zielgruppen", ", "), ("k", "Plätze", None), ("nw", "Netzwerke", ", "),
    ("gr", "Im Sozialraumgremium", None), ("gv", "Gültig", None),
]


class JsEbene(RohRendern, Layer):
    """Eine Ebene der Ebenensteuerung; `fabrik` ist eine der RK-Funktionen, `daten`/`optionen` ihr JSON."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = RK.{{ this.fabrik }}({{ this._parent.get_name() }}, {{ this.daten_js() }},
            {{ this.optionen_js() }});
        {% if this.show %}{{ this.get_name() }}.addTo({{ this._parent.get_name() }});{% endif %}
        {% endmacro %}
        """
    )

    def __init__(self, *, titel: str, fabrik: str, daten: dict[str, Any], optionen: dict[str, Any],
                 anzeigen: bool = True) -> None:
        if fabrik not in FABRIKEN:
            raise ValueError(f"unbekannte Ebenenart {fabrik!r}")
        super().__init__(name=escape(titel), overlay=True, control=True, show=anzeigen)
        self._name = "RkEbene"
        self.titel = titel
        self.fabrik = fabrik
        self.daten = daten
        self.optionen = optionen

    # render() aus RohRendern: ohne folium's zusätzliches Kind-Element „…_add“ (streamlit-folium benennt
    # Elemente bei jedem Aufruf um; ein zwischengespeichertes Kind mit altem Namen bräche das Skript) und
    # ohne zweiten Jinja-Durchlauf über die Daten.

    def daten_js(self) -> str:
        return js_json(self.daten)

    def optionen_js(self) -> str:
        return js_json(self.optionen)


def _texte(df: pd.DataFrame, spalte: str) -> list[str]:
    if spalte not in df:
        return [""] * len(df)
    return ["" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in df[spalte].tolist()]


def _datum(v: Any) -> str | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    return v.strftime("%d.%m.%Y") if hasattr(v, "strftime") else str(v)


def _gueltig(von: Any, bis: Any) -> str:
    v, b = _datum(von), _datum(bis)
    if v and b:
        return f"{v} bis {b}"
    return f"seit {v}" if v else (f"bis {b}" if b else "")


def _kapazitaet(v: Any) -> str | None:
    if v is None or pd.isna(v):
        return None
    return f"{float(v):,.0f}".replace(",", ".")


def flaechen_ebene(gdf: gpd.GeoDataFrame, *, titel: str, eigenschaften: list[dict[str, Any]], stil: dict[str, Any],
                   pane: str, label: bool = False, tooltip: bool = True, anzeigen: bool = True,
                   crs_metrisch: int = 25832) -> JsEbene:
    """Flächen (EPSG:4326) mit Stil; `label` = feste Beschriftung mit `n` an einem Innenpunkt."""
    props = [dict(p) for p in eigenschaften]
    if label:
        for p, punkt in zip(props, beschriftungspunkte(gdf.geometry, crs_metrisch=crs_metrisch), strict=True):
            p["lp"] = punkt
    daten = feature_collection(list(gdf.geometry.values), props)
    return JsEbene(titel=titel, fabrik="flaechen", daten=daten, anzeigen=anzeigen,
                   optionen={"pane": pane, "stil": stil, "label": label, "tooltip": tooltip})


def einrichtungs_daten(df: gpd.GeoDataFrame, *, bezeichnung: str, farbe: str,
                       traegerarten: dict[str, str] | None = None) -> dict[str, Any]:
    """Spaltenweise, kompakte Daten einer Einrichtungsart für Canvas-Punkte und Popups (EPSG:4326)."""
    arten = traegerarten or TRAEGERARTEN
    traeger, ta = _texte(df, "traeger"), _texte(df, "traeger_art")
    gremium = df["im_gremium"].fillna(False).astype(bool).tolist() if "im_gremium" in df else [False] * len(df)
    von = df["gueltig_von"].tolist() if "gueltig_von" in df else [None] * len(df)
    bis = df["gueltig_bis"].tolist() if "gueltig_bis" in df else [None] * len(df)
    kap = df["kapazitaet"].tolist() if "kapazitaet" in df else [None] * len(df)
    return {
        "bez": bezeichnung, "farbe": sichere_farbe(farbe), "felder": [list(f) for f in FELDER],
        "x": np.round(df.geometry.x.to_numpy(), STELLEN).tolist(),
        "y": np.round(df.geometry.y.to_numpy(), STELLEN).tolist(),
        "n": _texte(df, "name"),
        "t": [f"{t} ({arten.get(a, a)})" if t and a else (t or arten.get(a, a))
              for t, a in zip(traeger, ta, strict=True)],
        "ad": _texte(df, "adresse"), "st": _texte(df, "stadtteil"), "sr": _texte(df, "sozialraum"),
        "an": _texte(df, "angebote"), "z": _texte(df, "zielgruppen"), "nw": _texte(df, "netzwerke"),
        "k": [_kapazitaet(v) for v in kap],
        "g": [1 if g else 0 for g in gremium],
        "gr": ["ja" if g else "nein" for g in gremium] if "im_gremium" in df else [""] * len(df),
        "gv": [_gueltig(v, b) for v, b in zip(von, bis, strict=True)],
    }


def nur_punkte(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Zeilen mit gültiger Punktgeometrie."""
    geo = gdf.geometry
    return gdf[geo.notna() & ~geo.is_empty & (geo.geom_type == "Point")]


def netz_ebene(kanten: gpd.GeoDataFrame, *, titel: str = "Netzwerke", breite: float = 3.0) -> JsEbene:
    """Verbindungen zwischen Mitgliedern: durchgezogen = besteht, gestrichelt = soll entwickelt werden."""
    ids = sorted({int(v) for v in kanten["netzwerk_id"].dropna()}) if "netzwerk_id" in kanten else []
    farbe = {nid: NETZ_FARBEN[i % len(NETZ_FARBEN)] for i, nid in enumerate(ids)}
    props = []
    for _, z in kanten.iterrows():
        geplant = str(z.get("status", "")) == STATUS_GEPLANT
        status = "soll entwickelt werden" if geplant else "besteht"
        nid = z.get("netzwerk_id")
        props.append({
            "c": farbe.get(int(nid), NETZ_FARBEN[0]) if nid is not None and not pd.isna(nid) else NETZ_FARBEN[0],
            "d": GESTRICHELT if geplant else None,
            "s": status,
            "tt": f"{z.get('netzwerk', '')} ({status}): {z.get('von', '')} – {z.get('nach', '')}",
        })
    daten = feature_collection(list(kanten.geometry.values), props)
    return JsEbene(titel=titel, fabrik="netze", daten=daten, optionen={"breite": breite})


def einzugs_ebene(punkte: gpd.GeoDataFrame, *, titel: str, radius_m: float, farbe: str,
                  crs_metrisch: int = 25832) -> JsEbene:
    """Einzugsbereiche: Puffer mit `radius_m` Metern, metrisch in `crs_metrisch` (EPSG:25832) gerechnet,
    je Art zu einer Fläche vereinigt und nach EPSG:4326 zurückprojiziert."""
    puffer = punkte.geometry.to_crs(crs_metrisch).buffer(radius_m, quad_segs=16)
    flaeche = gpd.GeoSeries([puffer.union_all()], crs=crs_metrisch)
    km2 = float(flaeche.area.iloc[0]) / 1e6
    tt = f"{titel} – abgedeckt: {km2:.1f} km²".replace(".", ",")
    stil = {"color": sichere_farbe(farbe), "weight": 1, "opacity": 0.6, "fillColor": sichere_farbe(farbe),
            "fillOpacity": 0.08}
    ebene = flaechen_ebene(flaeche.to_crs(4326), titel=titel, eigenschaften=[{"tt": tt}], stil=stil,
                           pane="rkEinzug", crs_metrisch=crs_metrisch)
    ebene.optionen["radius_m"] = float(radius_m)
    return ebene
