"""Kartenebenen, die ihre Daten kompakt im Datenpaket tragen und im Browser mit Canvas zeichnen.

Alle Geometrien in EPSG:4326. Kein Text aus Daten oder Konfiguration wird hier zu HTML oder zu einer
Vorlage: Titel, Tooltips und Namen reisen als JSON (`js_json`) bzw. im Datenpaket und werden im
Browser als Textknoten gesetzt (karte/js/). Die Ebenenwahl baut der Browser aus denselben Daten.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.elements import MacroElement
from folium.map import Layer
from folium.template import Template

from karte.geometrie import beschriftungspunkte
from karte.laufzeit import Steuerung, js_json
from karte.legende import sichere_farbe
from karte.paket import Paket
from karte.roh import RohRendern

FABRIKEN = ("flaechen", "einrichtungen", "netze")
# Bis so viele Flächen: Beschriftung am Pol der Unerreichbarkeit (schön, aber je Fläche gerechnet); darüber der
# schnelle Innenpunkt von GEOS (bei Hunderten Flächen sind Beschriftungen ohnehin klein und dicht).
VIELE_FLAECHEN = 200


class JsEbene(RohRendern, Layer):
    """Eine Ebene der Ebenenwahl; `fabrik` ist eine der RK-Funktionen, `daten` ihr Teil des Datenpakets.

    `daten` ist ein Objekt mit `kodiere(paket, geteilt)` (siehe `Flaechen`, karte/einrichtungen.py); das
    `Datenpaket` der Karte (unten) vergibt beim Rendern `schluessel` und packt alle Daten in
    einen Block. Die Ebene entsteht im Browser sofort und füllt sich, sobald das Paket entpackt ist.
    `titel` erscheint in der Ebenenwahl (als Text, nie als HTML).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = RK.{{ this.fabrik }}({{ this._parent.get_name() }}, {{ this.schluessel_js() }},
            {{ this.optionen_js() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, titel: str, fabrik: str, daten: Any, optionen: dict[str, Any],
                 anzeigen: bool = True) -> None:
        if fabrik not in FABRIKEN:
            raise ValueError(f"unbekannte Ebenenart {fabrik!r}")
        # Der folium-Name bleibt fest: folium.LayerControl würde ihn als HTML/Vorlage einsetzen.
        super().__init__(name="Ebene", overlay=True, control=False, show=anzeigen)
        self._name = "RkEbene"
        self.titel = titel
        self.fabrik = fabrik
        self.daten = daten
        self.optionen = optionen
        self.schluessel: str | None = None

    # render() aus RohRendern: ohne folium's Kind-Element „…_add“ (streamlit-folium benennt Elemente bei
    # jedem Aufruf um; ein zwischengespeichertes Kind mit altem Namen bräche das Skript). Die Ebene
    # hängt sich im Browser selbst an die Karte (`anzeigen`).

    def schluessel_js(self) -> str:
        if self.schluessel is None:
            raise RuntimeError("JsEbene ohne Datenpaket: zuerst Datenpaket zur Karte hinzufügen")
        return js_json(self.schluessel)

    def optionen_js(self) -> str:
        return js_json({**self.optionen, "titel": self.titel, "anzeigen": bool(self.show)})


class Datenpaket(RohRendern, MacroElement):
    """Alle Daten der Ebenen (und der Übersichtskarte) als ein komprimierter Block (karte/paket.py).

    Als Kind der Karte vor den Ebenen hinzufügen: beim Rendern vergibt es jeder `JsEbene` ihren
    Schlüssel. Im Browser entpackt `RK.paket` den Block asynchron; die Ebenen füllen sich danach in
    einem Schritt, dann setzt `RK.steuerung` `window.rkKarteFertig`.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        RK.paket({{ this._parent.get_name() }}, "{{ this.block() }}");
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "RkDatenpaket"
        self._zwischen: tuple[tuple[int, ...], str] | None = None

    def block(self) -> str:
        kinder = list(self._parent._children.values())
        ebenen = [k for k in kinder if isinstance(k, JsEbene)]
        mini = [k.minimap for k in kinder if isinstance(k, Steuerung) and k.minimap is not None]
        for i, e in enumerate(ebenen):
            e.schluessel = f"e{i}"
        kennung = tuple(id(e.daten) for e in ebenen) + tuple(id(m) for m in mini)
        if self._zwischen is None or self._zwischen[0] != kennung:  # st_folium rendert die Karte je Lauf neu
            paket, geteilt = Paket(), {}
            inhalt = {e.schluessel: e.daten.kodiere(paket, geteilt) for e in ebenen}
            if mini:
                inhalt["minimap"] = mini[0].kodiere(paket, geteilt)
            inhalt["tabellen"] = geteilt.get("tabellen", {})
            self._zwischen = (kennung, paket.packe(inhalt))
        return self._zwischen[1]


class Flaechen:
    """Geometrien (EPSG:4326) mit spaltenweisen Eigenschaften (Texte, Zahlen oder None je Geometrie)."""

    def __init__(self, geometrien: Any, eigenschaften: dict[str, list[Any]],
                 beschriftung: list[list[float] | None] | None = None) -> None:
        geo = np.asarray(geometrien, dtype=object)
        gueltig = ~(pd.isna(geo) | shapely.is_empty(np.where(pd.isna(geo), None, geo)))
        self.geometrien = geo[gueltig]
        if gueltig.all():  # dieselben Listenobjekte behalten: geteilte Texte (siehe kodiere)
            self.eigenschaften = {k: v if isinstance(v, list) else list(v) for k, v in eigenschaften.items()}
        else:
            self.eigenschaften = {k: [w for w, g in zip(v, gueltig, strict=True) if g]
                                  for k, v in eigenschaften.items()}
        self.beschriftung = (None if beschriftung is None
                             else [p for p, g in zip(beschriftung, gueltig, strict=True) if g])

    def __len__(self) -> int:
        return len(self.geometrien)

    def kodiere(self, paket: Paket, geteilt: dict[int, Any]) -> dict[str, Any]:
        g = geteilt.get(id(self.geometrien))  # gleiche Geometrien (Stadtteile, Choroplethe) nur einmal
        if g is None:
            g = geteilt[id(self.geometrien)] = paket.geometrien(self.geometrien) if len(self) else None
        p = {}
        for k, v in self.eigenschaften.items():
            if pd.api.types.infer_dtype(v, skipna=True) not in ("string", "empty"):  # in C, nicht je Wert
                p[k] = v
            elif ("texte", id(v)) in geteilt:  # dieselbe Liste (Tooltips der Stadtteile und Choroplethe) einmal
                p[k] = geteilt[("texte", id(v))]
            else:
                p[k] = geteilt[("texte", id(v))] = paket.texte(v, leer=None)
        return {"g": g, "p": p, "lp": self.beschriftung}


def flaechen_ebene(gdf: gpd.GeoDataFrame, *, titel: str, eigenschaften: list[dict[str, Any]] | dict[str, list[Any]],
                   stil: dict[str, Any], label: str | None = None, tooltip: bool = True,
                   anzeigen: bool = True, crs_metrisch: int, rang: int = 0,
                   geometrien: Any = None) -> JsEbene:
    """Flächen (EPSG:4326) mit Stil. Eigenschaften je Fläche: `n` Name, `tt` Tooltip (Zeilen mit \\n),
    `c` Füllfarbe, `w`/`hc` Linienbreite/-farbe einer Hervorhebung.

    `label`: feste Beschriftung mit `n` am Innenpunkt – "sozialraum" (immer) oder "stadtteil" (erst
    vergrößert); `rang`: Vorrang beim Treffertest (höher = zuerst); `geometrien`: schon vereinfachte
    Geometrien, die mehrere Ebenen teilen (gleiches Objekt → im Paket nur einmal).
    """
    if isinstance(eigenschaften, list):
        schluessel = list(dict.fromkeys(k for p in eigenschaften for k in p))
        eigenschaften = {k: [p.get(k) for p in eigenschaften] for k in schluessel}
    punkte = None
    if label:
        punkte = (beschriftungspunkte(gdf.geometry, crs_metrisch=crs_metrisch) if len(gdf) <= VIELE_FLAECHEN
                  else _innenpunkte(gdf.geometry))
    daten = Flaechen(gdf.geometry.values if geometrien is None else geometrien, eigenschaften, punkte)
    optionen = {"stil": stil, "label": label, "tooltip": tooltip, "rang": rang}
    return JsEbene(titel=titel, fabrik="flaechen", daten=daten, anzeigen=anzeigen, optionen=optionen)


def _innenpunkte(geometrien: gpd.GeoSeries) -> list[list[float] | None]:
    """Schneller Innenpunkt je Fläche ([lat, lon]) für sehr viele Flächen (GEOS, vektorisiert)."""
    p = shapely.point_on_surface(np.asarray(geometrien.values, dtype=object))
    lon, lat = np.round(shapely.get_x(p), 5), np.round(shapely.get_y(p), 5)  # NaN für leere/fehlende
    return [None if la != la else [la, lo] for la, lo in zip(lat.tolist(), lon.tolist(), strict=True)]


def nur_punkte(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Zeilen mit gültiger Punktgeometrie."""
    geo = gdf.geometry
    return gdf[geo.notna() & ~geo.is_empty & (geo.geom_type == "Point")]


def einzugs_ebene(punkte: gpd.GeoDataFrame, *, titel: str, radius_m: float, farbe: str,
                  crs_metrisch: int) -> JsEbene:
    """Einzugsbereiche: Puffer mit `radius_m` Metern, metrisch in `crs_metrisch` (KBS der Kommune) gerechnet,
    je Art zu einer Fläche vereinigt und nach EPSG:4326 zurückprojiziert."""
    puffer = punkte.geometry.to_crs(crs_metrisch).buffer(radius_m, quad_segs=16)
    flaeche = gpd.GeoSeries([puffer.union_all()], crs=crs_metrisch)
    km2 = float(flaeche.area.iloc[0]) / 1e6
    tt = f"{titel}\nabgedeckt: " + f"{km2:.1f} km²".replace(".", ",")  # nur die Zahl: „2.500 m“ bleibt
    stil = {"color": sichere_farbe(farbe), "weight": 1, "opacity": 0.6, "fillColor": sichere_farbe(farbe),
            "fillOpacity": 0.08}
    ebene = flaechen_ebene(flaeche.to_crs(4326), titel=titel, eigenschaften=[{"tt": tt}], stil=stil,
                           crs_metrisch=crs_metrisch, rang=1)
    ebene.optionen["radius_m"] = float(radius_m)
    return ebene


FEHLEND_FARBE = "#a3261a"  # dunkles Rot: ≥ 3:1 gegen Weiß und die hellen Choroplethenklassen (WCAG 1.4.11)
FEHLEND_RADIUS_M = 250.0  # auch in der Stadtansicht hinter den Symbolen sichtbar (≈ 12 px)


def fehlende_ressourcen_ebene(punkte: gpd.GeoDataFrame, *, crs_metrisch: int) -> JsEbene:
    """Fehlende Ressourcen (Frage 6 der Protokolle) als eigene Ebene: ein gestrichelter Kreis je Punkt
    (Radius 250 m, metrisch gerechnet), Tooltip mit Bezeichnung, Sozialraum und Sitzungsdatum.

    `punkte` (EPSG:4326) mit den Spalten bezeichnung, sozialraum, datum (wie
    `daten.protokolle.fehlende_ressourcen`). Die Bezeichnung ist die Kurzbeschreibung, nie der
    Protokolltext; alle Texte gelangen nur als Daten in die Karte.
    """
    kreise = punkte.geometry.to_crs(crs_metrisch).buffer(FEHLEND_RADIUS_M, quad_segs=8).to_crs(4326)
    tt = []
    for name, sr, datum in zip(punkte["bezeichnung"], punkte["sozialraum"], punkte["datum"], strict=True):
        wann = f" · Sitzung vom {datum:%d.%m.%Y}" if pd.notna(datum) else ""
        tt.append(f"Fehlende Ressource (Frage 6)\n{name}\nSozialraum {sr}{wann}")
    stil = {"color": FEHLEND_FARBE, "weight": 2.5, "opacity": 1, "dashArray": "5 4", "fillColor": FEHLEND_FARBE,
            "fillOpacity": 0.25}
    return flaechen_ebene(gpd.GeoDataFrame(geometry=kreise.values, crs=4326), titel="Fehlende Ressourcen",
                          eigenschaften={"tt": tt}, stil=stil, crs_metrisch=crs_metrisch, rang=4)  # vor dem Stadtteil
