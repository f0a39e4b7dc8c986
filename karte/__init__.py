"""Karten aus GeoDataFrames (EPSG:4326): folium-Objekte, offline lauffähig; ruft nie Streamlit auf."""

from karte.choropleth import KLASSIFIKATIONEN, Choropleth
from karte.export import (
    BildFehler,
    Renderbericht,
    html_text,
    png_bytes,
    pruefe_ziele,
    speichere_html,
    speichere_karte,
    speichere_png,
)
from karte.karte import baue_karte, dokumenttitel
from karte.netze import netzwerk_tabelle

__all__ = [
    "KLASSIFIKATIONEN",
    "BildFehler",
    "Choropleth",
    "Renderbericht",
    "baue_karte",
    "dokumenttitel",
    "html_text",
    "netzwerk_tabelle",
    "png_bytes",
    "pruefe_ziele",
    "speichere_html",
    "speichere_karte",
    "speichere_png",
]
