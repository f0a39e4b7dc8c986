"""Offline-Ressourcen: Leaflet aus dem installierten Paket XStatic-Leaflet, als data:-URIs eingebettet.

Warum data:-URIs in `default_js`/`default_css`: folium schreibt sie als `<script src=…>`/`<link href=…>`
in den Kopf der eigenständigen HTML-Datei; streamlit-folium entfernt genau diese Tags aus dem Kopf,
sammelt aber `default_js`/`default_css` aller Elemente und lädt sie im Komponenten-iframe selbst als
`<script src>`/`<link href>` nach. Ein data:-URI funktioniert in beiden Wegen ohne Netz und ohne
Webserver. jQuery, Bootstrap, Awesome-Markers und Font-Awesome werden nicht gebraucht.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

import folium

# Muster für Adressen, die eine fertige Karte nie enthalten darf (Kacheln ausgenommen).
CDN_MUSTER = re.compile(
    r"cdn|jsdelivr|unpkg|code\.jquery|bootstrapcdn|cdnjs|googleapis|d3js\.org|fontawesome", re.IGNORECASE
)
_QUELLEN = re.compile(r"""\b(?:src|href)\s*=\s*["']?(?!data:)([^"'\s>]{0,300})""", re.IGNORECASE)
_EXTERN = re.compile(
    r"""<(?:script|link|img|iframe)\b[^>]*?(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+|@import\s+url\(\s*["']?https?:""",
    re.IGNORECASE,
)


def _leaflet_ordner() -> Path:
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR)


def _data_uri(mime: str, inhalt: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(inhalt).decode('ascii')}"


@lru_cache(maxsize=1)
def leaflet_js_uri() -> str:
    """Leaflet-JavaScript als data:-URI (ohne Verweis auf eine Source-Map, die nachgeladen würde)."""
    text = (_leaflet_ordner() / "leaflet.js").read_text(encoding="utf-8")
    text = re.sub(r"//# sourceMappingURL=\S+\s*$", "", text)
    return _data_uri("text/javascript", text.encode("utf-8"))


@lru_cache(maxsize=1)
def leaflet_css_uri() -> str:
    """Leaflet-CSS als data:-URI; Bilder (Ebenen-Symbol) sind darin selbst als data:-URI eingebettet."""
    ordner = _leaflet_ordner()
    css = (ordner / "leaflet.css").read_text(encoding="utf-8")

    def bild(treffer: re.Match[str]) -> str:
        datei = ordner / treffer.group(1)
        return f"url({_data_uri('image/png', datei.read_bytes())})" if datei.exists() else "none"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", bild, css)
    return _data_uri("text/css", css.encode("utf-8"))


class OfflineKarte(folium.Map):
    """folium.Map ohne CDN-Verweise: nur Leaflet, eingebettet (Koordinaten in EPSG:4326)."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        # Instanz-Attribute: die Klassenlisten von folium.Map bleiben unangetastet.
        self.default_js = [("leaflet", leaflet_js_uri())]
        self.default_css = [("leaflet_css", leaflet_css_uri())]


def fremde_adressen(html: str) -> list[str]:
    """Alle nicht-lokalen Skript-/Stil-/Bildquellen und CDN-Namen im HTML (leer = offline lauffähig)."""
    treffer = [m.group(0) for m in _EXTERN.finditer(html)]
    # CDN-Namen nur in Quellangaben suchen, nicht in den Daten (ein Angebot darf „CDN“ heißen)
    treffer += [q for q in _QUELLEN.findall(html) if CDN_MUSTER.search(q)]
    return treffer
