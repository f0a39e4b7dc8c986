"""Offline-Ressourcen: Leaflet aus dem installierten Paket XStatic-Leaflet, eingebettet; die Karte selbst.

Zwei Wege, beide ohne Netz: Die eigenständige HTML-Datei (`karte.export.html_text`) enthält Leaflet als
`<script>`/`<style>`-Text (der Browser liest ihn ohne base64-Umweg). streamlit-folium dagegen entfernt
`<script src>`/`<link>` aus dem Kopf, sammelt `default_js`/`default_css` aller Elemente und lädt sie
im Komponenten-iframe selbst nach – dafür stehen dort data:-URIs. jQuery, Bootstrap, Awesome-Markers
und Font-Awesome werden nicht gebraucht.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from pathlib import Path

import folium
from folium.template import Template

from karte.laufzeit import js_json
from karte.roh import RohesElement, RohRendern

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
def leaflet_js() -> str:
    """Leaflet-JavaScript (ohne Verweis auf eine Source-Map, die nachgeladen würde)."""
    text = (_leaflet_ordner() / "leaflet.js").read_text(encoding="utf-8")
    text = re.sub(r"//# sourceMappingURL=\S+\s*$", "", text)
    if "</script" in text.lower():  # könnte das <script>-Element der HTML-Datei vorzeitig schließen
        raise RuntimeError("leaflet.js enthält </script>; so nicht einbettbar")
    return text


@lru_cache(maxsize=1)
def leaflet_css() -> str:
    """Leaflet-CSS ohne Bildverweise: Ebenen-Symbol und Standardmarker von Leaflet nutzt die Karte nicht
    (eigene Ebenenwahl, Symbole auf der Leinwand); so lädt auch nichts nach."""
    css = (_leaflet_ordner() / "leaflet.css").read_text(encoding="utf-8")
    return re.sub(r"url\((images/[\w.-]+\.png)\)", "none", css)


@lru_cache(maxsize=1)
def leaflet_js_uri() -> str:
    return _data_uri("text/javascript", leaflet_js().encode("utf-8"))


@lru_cache(maxsize=1)
def leaflet_css_uri() -> str:
    return _data_uri("text/css", leaflet_css().encode("utf-8"))


class OfflineKarte(RohRendern, folium.Map):
    """Leaflet-Karte ohne CDN-Verweise (Koordinaten in EPSG:4326), gerendert ohne zweiten Jinja-Durchlauf.

    Eigene Vorlage statt der von folium: kein `maximum-scale=1, user-scalable=no` (Nutzer müssen
    zoomen können, WCAG 1.4.4), keine globalen Schalter, Optionen als maskiertes JSON. `titel` ist
    der Dokumenttitel der eigenständigen HTML-Datei.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>#{{ this.get_name() }} { position: relative; width: 100%;
          height: {{ this.hoehe_css() }}; left: 0; top: 0; }
        .leaflet-container { font-size: {{ this.font_size }}; }</style>{% endmacro %}
        {% macro html(this, kwargs) %}<div class="folium-map" id="{{ this.get_name() }}" ></div>{% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.map("{{ this.get_name() }}", Object.assign({crs: L.CRS.EPSG3857},
          {{ this.optionen_js() }}));
        {% endmacro %}
        """
    )

    def __init__(self, *, titel: str = "Ressourcenkarte", **kwargs: object) -> None:
        super().__init__(**kwargs)
        # Instanz-Attribute: die Klassenlisten von folium.Map bleiben unangetastet.
        self.default_js = [("leaflet", leaflet_js_uri())]
        self.default_css = [("leaflet_css", leaflet_css_uri())]
        self.titel = titel

    def hoehe_css(self) -> str:
        zahl, einheit = self.height
        return f"{float(zahl):g}{einheit}" if einheit in ("px", "%", "vh") else "100%"

    def optionen_js(self) -> str:
        def kamel(k: str) -> str:
            kopf, *rest = k.split("_")
            return kopf + "".join(t.title() for t in rest)

        return js_json({"center": list(self.location), **{kamel(k): v for k, v in self.options.items()}})

    def render(self, **kwargs: object) -> None:
        # Für m.get_root().render(): Leaflet als data:-URI in den Kopf (streamlit-folium entfernt diese Tags
        # und lädt default_js/default_css selbst); dann die eigenen Makros ohne zweiten Jinja-Durchlauf.
        kopf = self.get_root().header
        kopf.add_child(RohesElement(f'<script src="{leaflet_js_uri()}"></script>'), name="leaflet_js")
        kopf.add_child(RohesElement(f'<link rel="stylesheet" href="{leaflet_css_uri()}"/>'), name="leaflet_css")
        super().render(**kwargs)


def fremde_adressen(html: str) -> list[str]:
    """Alle nicht-lokalen Skript-/Stil-/Bildquellen und CDN-Namen im HTML (leer = offline lauffähig)."""
    treffer = [m.group(0) for m in _EXTERN.finditer(html)]
    # CDN-Namen nur in Quellangaben suchen, nicht in den Daten (ein Angebot darf „CDN“ heißen)
    treffer += [q for q in _QUELLEN.findall(html) if CDN_MUSTER.search(q)]
    return treffer
