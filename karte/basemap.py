"""Hintergrundkarten: keine (Standard), OpenStreetMap, basemap.de (BKG), ein WMS oder ein Kachelserver.

Kacheln sind die einzigen Anfragen ins Netz; ohne Netz bleiben sie leer, die Vektorinhalte erscheinen trotzdem.
Der Standard `keine` fragt nichts an (Intranet): heller Grund mit den Grenzen der Stadtteile und Sozialräume.
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
BKG_HOST = "geodatenzentrum.de"  # Dienste des BKG (basemap.de als WMS): deren Quellenangabe statt des Hostnamens
ERLAUBT = "keine, osm, basemapde, wms:URL|Layer oder xyz:URL mit {z}/{x}/{y}"


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
    if _vom_bkg(teile.hostname):
        return Kacheln(url=url.strip(), name="basemap.de (WMS)", attribution=BASEMAPDE_ATTR, art="wms", wms=wms)
    return Kacheln(url=url.strip(), name="Stadtplan (WMS)", attribution=f"Hintergrund: {escape(teile.netloc)}",
                   art="wms", wms=wms)


def _vom_bkg(host: str | None) -> bool:
    return bool(host) and (host == BKG_HOST or host.endswith("." + BKG_HOST))


def _xyz(angabe: str) -> Kacheln:
    url = angabe.removeprefix("xyz:").strip()
    teile = urlparse(url)
    if teile.scheme not in ("http", "https") or not teile.netloc or not all(t in url for t in ("{z}", "{x}", "{y}")):
        raise EingabeFehler(
            f"Hintergrundkarte '{angabe}': Kachelserver bitte als xyz:https://server/pfad/{{z}}/{{x}}/{{y}}.png "
            "angeben (Adresse mit http/https und den Platzhaltern {z}, {x}, {y})."
        )
    if _vom_bkg(teile.hostname):
        return Kacheln(url=url, name="basemap.de", attribution=BASEMAPDE_ATTR, art="xyz", max_native_zoom=18)
    return Kacheln(url=url, name="Stadtplan (Kacheln)", attribution=f"Hintergrund: {escape(teile.netloc)}",
                   art="xyz")


def hintergrund(basemap: str) -> Kacheln | None:
    """Kachel-Ebene für `basemap` (keine, osm, basemapde, wms:URL|Layer, xyz:URL); None = ohne Hintergrund."""
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
    if art.startswith("xyz:"):
        return _xyz(art)
    raise EingabeFehler(f"Hintergrundkarte '{basemap}' ist unbekannt. Erlaubt: {ERLAUBT}.")
