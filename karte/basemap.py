"""Hintergrundkarten: OpenStreetMap, basemap.de (BKG), ein städtischer WMS oder keine.

Kacheln sind die einzigen Anfragen ins Netz; ohne Netz bleiben sie leer, die Vektorinhalte erscheinen trotzdem.
Die Kachel-Ebene entsteht im Browser (`RK.kacheln`) aus maskiertem JSON, nie aus einer Vorlage.
"""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import urlparse

from folium.elements import MacroElement
from folium.template import Template

from daten.fehler import EingabeFehler
from karte.laufzeit import js_json
from karte.roh import RohRendern

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
BASEMAPDE_URL = ("https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe/"
                 "default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png")
BASEMAPDE_ATTR = '&copy; GeoBasis-DE / BKG, <a href="https://basemap.de">basemap.de</a> (CC BY 4.0)'
ERLAUBT = "osm, basemapde, keine oder wms:URL|Layer"


class Kacheln(RohRendern, MacroElement):
    """Eine Hintergrund-Ebene (XYZ-Kacheln oder WMS); Name und Quellenangabe als JSON-Daten."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        RK.kacheln({{ this._parent.get_name() }}, {{ this.optionen_js() }});
        {% endmacro %}
        """
    )

    def __init__(self, *, url: str, name: str, attribution: str, art: str, wms: dict[str, Any] | None = None,
                 max_zoom: int = 19, max_native_zoom: int | None = None) -> None:
        super().__init__()
        self._name = "RkKacheln"
        self.url, self.name, self.attribution, self.art, self.wms = url, name, attribution, art, wms
        self.max_zoom, self.max_native_zoom = max_zoom, max_native_zoom

    def optionen_js(self) -> str:
        optionen: dict[str, Any] = {"attribution": self.attribution, "maxZoom": self.max_zoom}
        if self.max_native_zoom is not None:
            optionen["maxNativeZoom"] = self.max_native_zoom
        if self.wms:
            optionen.update(self.wms)
        return js_json({"url": self.url, "name": self.name, "wms": bool(self.wms), "optionen": optionen})


def _wms(angabe: str) -> Kacheln:
    url, _, layers = angabe.removeprefix("wms:").partition("|")
    teile = urlparse(url.strip())
    if teile.scheme not in ("http", "https") or not teile.netloc or not layers.strip():
        raise EingabeFehler(
            f"Hintergrundkarte '{angabe}': WMS bitte als wms:https://server/pfad|layername angeben "
            "(Adresse mit http/https und mindestens ein Layer)."
        )
    wms = {"layers": layers.strip(), "format": "image/png", "transparent": False, "version": "1.3.0"}
    return Kacheln(url=url.strip(), name="Stadtplan (WMS)", attribution=f"Hintergrund: {escape(teile.netloc)}",
                   art="wms", wms=wms)


def hintergrund(basemap: str) -> Kacheln | None:
    """Kachel-Ebene für `basemap` (osm, basemapde, keine, wms:URL|Layer); None = ohne Hintergrund."""
    art = (basemap or "").strip()
    if art == "osm":
        return Kacheln(url=OSM_URL, name="OpenStreetMap", attribution=OSM_ATTR, art="osm")
    if art == "basemapde":
        return Kacheln(url=BASEMAPDE_URL, name="basemap.de (farbig)", attribution=BASEMAPDE_ATTR, art="basemapde",
                       max_native_zoom=18)
    if art == "keine":
        return None
    if art.startswith("wms:"):
        return _wms(art)
    raise EingabeFehler(f"Hintergrundkarte '{basemap}' ist unbekannt. Erlaubt: {ERLAUBT}.")
