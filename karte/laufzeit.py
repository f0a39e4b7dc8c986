"""Eigenes JavaScript und CSS der Karte (ohne Fremdbibliotheken außer Leaflet).

Alle Skripte stehen im `script`-Makro von Kindern der Karte: nur diese übernimmt streamlit-folium in
sein iframe (Kopf-Skripte führt es nicht aus). CSS steht als `<style>` im Kopf; das übernimmt es.
Texte aus Daten und Konfiguration kommen nur als JSON (`js_json`) oder im Datenpaket in den Browser und
werden dort als Textknoten gesetzt (`RK.el`, `RK.zeilen`), nie als HTML oder Vorlage.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from folium.elements import MacroElement
from folium.map import FitBounds
from folium.template import Template

from karte.roh import RohRendern

# Panes: Flächen, Linien und Einrichtungen auf einer Leinwand (Reihenfolge der Ebenen: RK.ordne), darüber die
# Ringe um Mitglieder eines gewählten Netzwerks und die Beschriftungen.
PANES = {"rkVektor": 400, "rkWahl": 425, "rkLabels": 450}

# Das JavaScript (`window.RK`, nach Themen in karte/js/) und die CSS-Vorlage liegen als eigene Dateien.
JS_DATEIEN = ("kern", "flaechen", "punkte", "netze", "treffer", "beschriftung", "bedienung", "steuerung")
_JS = "\n".join((files("karte") / "js" / f"{n}.js").read_text(encoding="utf-8") for n in JS_DATEIEN)
_CSS = (files("karte") / "laufzeit.css").read_text(encoding="utf-8").split("*/\n", 1)[1]


def js_json(obj: Any) -> str:
    """JSON für ein `<script>`: `<`, `>`, `&`, `'` und Zeilentrenner maskiert, damit kein Text ausbricht."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for zeichen, ersatz in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                            ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(zeichen, ersatz)
    return text


class Laufzeit(RohRendern, MacroElement):
    """Gemeinsame Funktionen (`window.RK`), Panes und CSS; als erstes Kind der Karte hinzufügen."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}<style>{{ this.css(this._parent.get_name()) }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}{{ this.js }}
        RK.panes({{ this._parent.get_name() }}, {{ this.panes }});
        {% if this.ohne_kacheln -%}
        L.DomUtil.addClass({{ this._parent.get_name() }}.getContainer(), "rk-ohne-kacheln");
        {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, *, praesentation: bool = False, ohne_kacheln: bool = False) -> None:
        super().__init__()
        self._name = "RkLaufzeit"
        self.js = "(function () {\nif (window.RK) { return; }\nvar RK = window.RK = {};\n" + _JS + "\n})();"
        self.panes = js_json(PANES)
        self.praesentation = praesentation
        self.ohne_kacheln = ohne_kacheln

    def css(self, karten_id: str) -> str:
        """CSS, auf die Karte mit dieser Element-ID beschränkt."""
        groessen = ({"label": 17, "label_klein": 15, "text": 16, "titel": 22} if self.praesentation
                    else {"label": 12, "label_klein": 11, "text": 13, "titel": 16})
        return _CSS.format(k=karten_id, **groessen)


class Steuerung(RohRendern, MacroElement):
    """Zoom, Vollbild, Suche, Maßstab, Legende, Übersichtskarte; als letztes Kind vor der Ebenensteuerung.

    In der Druckansicht (`#druck`) nur Legende, Maßstab, Nordpfeil, Überschrift und Quellenangabe."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        RK.steuerung({{ this._parent.get_name() }}, {{ this.optionen_js(this._parent.get_name()) }});
        {% endmacro %}
        """
    )

    def __init__(self, *, legende_html: str, minimap: Any, suche: bool, praesentation: bool,
                 titel: str = "Ressourcenkarte", ueberschrift: str | None = None,
                 gesamt: list[list[float]] | None = None, legende_offen: bool = True, quelle: str = "") -> None:
        super().__init__()
        self._name = "RkSteuerung"
        self.legende_html = legende_html
        self.minimap = minimap
        self.suche = suche
        self.praesentation = praesentation
        self.titel = titel
        self.ueberschrift = ueberschrift
        self.gesamt = gesamt
        self.legende_offen = legende_offen
        self.quelle = quelle

    def optionen_js(self, karten_id: str) -> str:
        """Alles als JSON-Daten: `titel` (Dokumenttitel, Kartenname für Screenreader), `ueberschrift`
        (sichtbarer Titel auf der Karte), `gesamt` (Grenzen aller Flächen, EPSG:4326: daraus die
        Detail-Zoomstufe für Stadtteilnamen und Netzwerklinien), `quelle` (Quellenangabe der Druckansicht)."""
        return js_json({"legende": self.legende_html, "legendeOffen": self.legende_offen,
                        "minimap": self.minimap is not None, "suche": self.suche, "titel": self.titel,
                        "ueberschrift": self.ueberschrift, "gesamt": self.gesamt,
                        "praesentation": self.praesentation, "listenId": f"{karten_id}_namen",
                        "quelle": self.quelle})


class Ausschnitt(RohRendern, FitBounds):
    """Passt den Ausschnitt an `bounds` an – auch wenn der Kartenrahmen erst danach seine Größe bekommt
    (im Streamlit-iframe wächst die Karte nach dem ersten Zeichnen). Sobald jemand die Karte selbst
    bewegt oder zoomt, bleibt der Ausschnitt, wie er ist."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        RK.ausschnitt({{ this._parent.get_name() }}, {{ this.grenzen_js() }}, {{ this.optionen_js() }});
        {% endmacro %}
        """
    )

    def grenzen_js(self) -> str:
        return js_json(self.bounds)

    def optionen_js(self) -> str:
        return js_json(self.options)
