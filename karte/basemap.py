"""Hintergrundkarten: OpenStreetMap, basemap.de (BKG), ein städtischer WMS oder keine.

Kacheln sind die einzigen Anfragen ins Netz; ohne Netz bleiben sie leer, die Vektorinhalte erscheinen trotzdem.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlparse

import folium

from daten.fehler import EingabeFehler

OSM_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTR = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>-Mitwirkende'
BASEMAPDE_URL = ("https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/de_basemapde_web_raster_farbe/"
                 "default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png")
BASEMAPDE_ATTR = '&copy; GeoBasis-DE / BKG, <a href="https://basemap.de">basemap.de</a> (CC BY 4.0)'
ERLAUBT = "osm, basemapde, keine oder wms:URL|Layer"


def _wms(angabe: str) -> folium.WmsTileLayer:
    url, _, layers = angabe.removeprefix("wms:").partition("|")
    teile = urlparse(url.strip())
    if teile.scheme not in ("http", "https") or not teile.netloc or not layers.strip():
        raise EingabeFehler(
            f"Hintergrundkarte '{angabe}': WMS bitte als wms:https://server/pfad|layername angeben "
            "(Adresse mit http/https und mindestens ein Layer)."
        )
    return folium.WmsTileLayer(
        url=url.strip(), layers=layers.strip(), fmt="image/png", transparent=False, version="1.3.0",
        attr=f"Hintergrund: {escape(teile.netloc)}", name="Stadtplan (WMS)", overlay=False, control=True,
    )


def hintergrund(basemap: str) -> folium.TileLayer | folium.WmsTileLayer | None:
    """Kachel-Ebene für `basemap` (osm, basemapde, keine, wms:URL|Layer); None = ohne Hintergrund."""
    art = (basemap or "").strip()
    if art == "osm":
        return folium.TileLayer(tiles=OSM_URL, attr=OSM_ATTR, name="OpenStreetMap", max_zoom=19,
                                overlay=False, control=True)
    if art == "basemapde":
        return folium.TileLayer(tiles=BASEMAPDE_URL, attr=BASEMAPDE_ATTR, name="basemap.de (farbig)", max_zoom=19,
                                max_native_zoom=18, overlay=False, control=True)
    if art == "keine":
        return None
    if art.startswith("wms:"):
        return _wms(art)
    raise EingabeFehler(f"Hintergrundkarte '{basemap}' ist unbekannt. Erlaubt: {ERLAUBT}.")
