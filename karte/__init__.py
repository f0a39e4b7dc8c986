"""Karten aus GeoDataFrames (EPSG:4326): folium-Objekte, offline lauffähig; ruft nie Streamlit auf.

Die Namen unten werden erst beim ersten Zugriff geladen (PEP 562): Befehle, die keine folium-Karte bauen
(Bericht, Vergleich, Import …), sparen so das Laden von folium, branca und scipy (≈ 1 s je Aufruf).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HERKUNFT = {
    "KLASSIFIKATIONEN": "karte.choropleth", "Choropleth": "karte.choropleth",
    "BildFehler": "karte.export", "Bildformat": "karte.export", "Renderbericht": "karte.export",
    "html_text": "karte.export",
    "png_bytes": "karte.export", "pruefe_ziele": "karte.export", "speichere_html": "karte.export",
    "speichere_karte": "karte.export", "speichere_png": "karte.export",
    "baue_karte": "karte.karte", "dokumenttitel": "karte.karte",
}
__all__ = sorted(_HERKUNFT)

if TYPE_CHECKING:  # für Werkzeuge, die Namen statisch auflösen
    from karte.choropleth import KLASSIFIKATIONEN, Choropleth  # noqa: F401
    from karte.export import (  # noqa: F401
        BildFehler,
        Bildformat,
        Renderbericht,
        html_text,
        png_bytes,
        pruefe_ziele,
        speichere_html,
        speichere_karte,
        speichere_png,
    )
    from karte.karte import baue_karte, dokumenttitel  # noqa: F401


def __getattr__(name: str) -> Any:
    if name not in _HERKUNFT:
        raise AttributeError(f"module 'karte' has no attribute {name!r}")
    wert = getattr(importlib.import_module(_HERKUNFT[name]), name)
    globals()[name] = wert
    return wert


def __dir__() -> list[str]:
    return sorted([*globals(), *_HERKUNFT])
