"""Karten aus GeoDataFrames (EPSG:4326): folium-Objekte, offline lauffähig; ruft nie Streamlit auf."""

from karte.choropleth import KLASSIFIKATIONEN, Choropleth
from karte.export import Renderbericht, html_text, png_bytes, speichere_html, speichere_png
from karte.karte import baue_karte

__all__ = [
    "KLASSIFIKATIONEN",
    "Choropleth",
    "Renderbericht",
    "baue_karte",
    "html_text",
    "png_bytes",
    "speichere_html",
    "speichere_png",
]
