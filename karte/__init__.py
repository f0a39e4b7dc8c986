"""Karten aus GeoDataFrames (EPSG:4326): folium-Objekte, offline lauffähig; ruft nie Streamlit auf."""

from karte.choropleth import KLASSIFIKATIONEN, Choropleth
from karte.export import Renderbericht, html_text, png_bytes, speichere_html, speichere_png
from karte.karte import baue_karte
from karte.schluessel import daten_schluessel

__all__ = [
    "KLASSIFIKATIONEN",
    "Choropleth",
    "Renderbericht",
    "baue_karte",
    "daten_schluessel",
    "html_text",
    "png_bytes",
    "speichere_html",
    "speichere_png",
]
