"""Eigenes JavaScript und CSS der Karte (ohne Fremdbibliotheken außer Leaflet).

Alle Skripte stehen im `script`-Makro von Kindern der Karte: nur diese übernimmt streamlit-folium in
sein iframe (Kopf-Skripte führt es nicht aus). CSS steht als `<style>` im Kopf; das übernimmt es.
Jeder Text aus den Daten läuft im Browser durch `RK.esc` (HTML-Maskierung), bevor er in HTML landet.
"""

from __future__ import annotations

import json
from typing import Any

from folium.elements import MacroElement
from folium.template import Template

from karte.roh import RohRendern

# Ebenen-Reihenfolge über eigene Panes: das Zu- und Abschalten einer Ebene ändert die Zeichenfolge nicht.
PANES = {"rkChoro": 390, "rkGrenzen": 402, "rkEinzug": 404, "rkNetz": 410, "rkPunkte": 420}

_JS = r"""
(function () {
if (window.RK) { return; }
var RK = window.RK = {};
var ERSATZ = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
RK.esc = function (s) {
  return String(s === null || s === undefined ? "" : s).replace(/[&<>"']/g, function (c) { return ERSATZ[c]; });
};
RK.panes = function (map, panes) {
  Object.keys(panes).forEach(function (p) { if (!map.getPane(p)) { map.createPane(p).style.zIndex = panes[p]; } });
};
RK.flaechen = function (map, fc, o) {
  var gruppe = L.featureGroup();
  gruppe.addLayer(L.geoJSON(fc, {
    pane: o.pane, interactive: !!o.tooltip,
    style: function (f) {
      var s = L.extend({}, o.stil);
      if (f.properties.c) { s.fillColor = f.properties.c; }
      if (f.properties.w) { s.weight = f.properties.w; }
      return s;
    },
    onEachFeature: function (f, l) {
      if (o.tooltip && f.properties.tt) { l.bindTooltip(RK.esc(f.properties.tt), {sticky: true}); }
    }
  }));
  if (o.label) {
    fc.features.forEach(function (f) {
      if (!f.properties.lp) { return; }
      gruppe.addLayer(L.tooltip({permanent: true, direction: "center", className: "rk-label", interactive: false})
        .setLatLng(f.properties.lp).setContent(RK.esc(f.properties.n)));
    });
  }
  return gruppe;
};
RK.popup = function (d, i) {
  var h = '<div class="rk-popup"><div class="rk-titel">' + RK.esc(d.n[i]) + "</div>" +
    '<div class="rk-art">' + RK.esc(d.bez) + "</div><table>";
  d.felder.forEach(function (f) {
    var w = d[f[0]][i];
    if (w === null || w === undefined || w === "") { return; }
    var inhalt = !f[2] ? RK.esc(w) :
      "<ul>" + String(w).split(f[2]).map(function (t) { return "<li>" + RK.esc(t) + "</li>"; }).join("") + "</ul>";
    h += "<tr><th>" + RK.esc(f[1]) + "</th><td>" + inhalt + "</td></tr>";
  });
  return h + "</table></div>";
};
RK.zeige = function (map, m) {
  L.popup({maxWidth: 380, offset: [0, -4]}).setLatLng(m.getLatLng()).setContent(RK.popup(m._rkD, m._rkI)).openOn(map);
};
RK.einrichtungen = function (map, d, o) {
  var g = L.featureGroup(), tip = map._rkTip = map._rkTip || L.tooltip({direction: "top", offset: [0, -6]});
  for (var i = 0; i < d.x.length; i++) {
    var m = L.circleMarker([d.y[i], d.x[i]], {pane: "rkPunkte", radius: o.radius, color: d.g[i] ? "#222222" : "#ffffff",
      weight: d.g[i] ? 2 : 1, fillColor: d.farbe, fillOpacity: 0.92});
    m._rkD = d; m._rkI = i;
    g.addLayer(m);
  }
  g.on("click", function (e) { RK.zeige(map, e.layer); });
  g.on("mouseover", function (e) {
    tip.setLatLng(e.layer.getLatLng()).setContent(RK.esc(d.n[e.layer._rkI]));
    map.openTooltip(tip);
  });
  g.on("mouseout", function () { map.closeTooltip(tip); });
  (map._rkEinrichtungen = map._rkEinrichtungen || []).push(g);
  return g;
};
RK.netze = function (map, fc, o) {
  return L.geoJSON(fc, {pane: "rkNetz",
    style: function (f) {
      return {color: f.properties.c, weight: o.breite, opacity: 0.9, dashArray: f.properties.d || null};
    },
    onEachFeature: function (f, l) { l.bindTooltip(RK.esc(f.properties.tt), {sticky: true}); }});
};
var VOLLBILD_SVG = '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" style="vertical-align:middle">' +
  '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" stroke-width="2"/></svg>';
RK.knopf = function (map, titel, symbol, aktion) {
  var K = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var div = L.DomUtil.create("div", "leaflet-bar rk-knopf"), a = L.DomUtil.create("a", "", div);
    a.href = "#"; a.title = titel; a.setAttribute("role", "button"); a.setAttribute("aria-label", titel);
    a.innerHTML = symbol;  /* festes SVG, keine Daten */
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.on(a, "click", function (e) { L.DomEvent.preventDefault(e); aktion(); });
    return div;
  }});
  return new K().addTo(map);
};
RK.vollbild = function (map) {
  var c = map.getContainer();
  function ersatz() {
    var an = !L.DomUtil.hasClass(c, "rk-vollbild");
    (an ? L.DomUtil.addClass : L.DomUtil.removeClass)(c, "rk-vollbild");
    map.invalidateSize();
  }
  document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
  RK.knopf(map, "Vollbild ein/aus", VOLLBILD_SVG, function () {
    if (document.fullscreenElement) { document.exitFullscreen(); return; }
    var echt = document.fullscreenEnabled && c.requestFullscreen;  /* im iframe ohne allow=fullscreen: Ersatz */
    if (L.DomUtil.hasClass(c, "rk-vollbild") || !echt) { ersatz(); return; }
    c.requestFullscreen().catch(ersatz);
  });
};
RK.minimap = function (map, fc) {
  var C = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
    var div = L.DomUtil.create("div", "rk-minimap");
    div.title = "Übersichtskarte: Klick verschiebt die Karte";
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  }});
  var ctl = new C().addTo(map);
  var mm = L.map(ctl.getContainer(), {attributionControl: false, zoomControl: false, dragging: false,
    scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false,
    preferCanvas: true});
  var umriss = L.geoJSON(fc, {interactive: false, style: {color: "#555555", weight: 1, fillOpacity: 0.12}});
  function passe() {
    ctl.getContainer().style.display = map.getSize().x < 700 ? "none" : "";  /* kleine Karte: ohne Übersicht */
    mm.invalidateSize();
    if (umriss.getLayers().length) { mm.fitBounds(umriss.getBounds(), {animate: false}); }
    else { mm.setView(map.getCenter(), Math.max(map.getZoom() - 4, 0)); }
    rahmen.setBounds(map.getBounds());
  }
  var rahmen = L.rectangle(map.getBounds(), {color: "#c0392b", weight: 2, fill: false, interactive: false});
  passe();  /* erst eine Ansicht, dann Ebenen: sonst hat der Renderer keine Pixelgrenzen */
  umriss.addTo(mm); rahmen.addTo(mm);
  map.on("moveend zoomend resize", function () { rahmen.setBounds(map.getBounds()); });
  map.on("resize", passe);
  mm.on("click", function (e) { map.panTo(e.latlng); });
  return mm;
};
RK.suche = function (map, listenId) {
  var C = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var div = L.DomUtil.create("div", "rk-suche leaflet-bar"), inp = L.DomUtil.create("input", "", div);
    var liste = L.DomUtil.create("datalist", "", div), info = L.DomUtil.create("div", "rk-suche-info", div);
    inp.type = "search"; inp.placeholder = "Einrichtung suchen …"; inp.setAttribute("aria-label", "Einrichtung suchen");
    liste.id = listenId; inp.setAttribute("list", listenId);
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    function alle() {
      var r = [];
      (map._rkEinrichtungen || []).forEach(function (g) { g.eachLayer(function (m) { r.push(m); }); });
      return r;
    }
    function treffer(text, max) {
      var t = text.trim().toLowerCase(), gleich = [], teil = [];
      if (!t) { return []; }
      alle().forEach(function (m) { var n = String(m._rkD.n[m._rkI]); var k = n.toLowerCase();
        if (k === t) { gleich.push(m); } else if (teil.length < max && k.indexOf(t) >= 0) { teil.push(m); } });
      return gleich.concat(teil).slice(0, max);
    }
    L.DomEvent.on(inp, "input", function () {
      liste.textContent = "";
      var namen = {};
      treffer(inp.value, 50).forEach(function (m) {
        var n = m._rkD.n[m._rkI];
        if (namen[n]) { return; }
        namen[n] = 1;
        var o = document.createElement("option");
        o.value = n;  /* Attribut, kein HTML */
        liste.appendChild(o);
      });
    });
    function los() {
      var m = treffer(inp.value, 1)[0];
      info.textContent = m || !inp.value ? "" : "Keine Einrichtung gefunden.";
      if (!m) { return; }
      (map._rkEinrichtungen || []).forEach(function (g) {
        if (g.hasLayer(m) && !map.hasLayer(g)) { map.addLayer(g); }
      });
      map.setView(m.getLatLng(), Math.max(map.getZoom(), 16));
      RK.zeige(map, m);
    }
    L.DomEvent.on(inp, "change", los);
    L.DomEvent.on(inp, "keydown", function (e) { if (e.key === "Enter") { los(); } });
    return div;
  }});
  return new C().addTo(map);
};
RK.legende = function (map, html) {
  var C = L.Control.extend({options: {position: "bottomright"}, onAdd: function () {
    var div = L.DomUtil.create("div", "rk-legende");
    div.innerHTML = html;  /* in Python maskiert (karte/legende.py) */
    var groesse = map.getSize(), details = div.querySelector("details");
    if (details && (groesse.x < 760 || groesse.y < 520)) { details.open = false; }  /* kleine Karte: zugeklappt */
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  }});
  return new C().addTo(map);
};
RK.steuerung = function (map, o) {
  if (o.praesentation) { L.DomUtil.addClass(map.getContainer(), "rk-praesentation"); }
  L.control.zoom({position: "topleft", zoomInTitle: "Hineinzoomen", zoomOutTitle: "Herauszoomen"}).addTo(map);
  RK.vollbild(map);
  if (o.suche) { RK.suche(map, o.listenId); }
  L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
  if (o.legende) { RK.legende(map, o.legende); }
  if (o.minimap) { RK.minimap(map, o.minimap); }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  window.rkKarteFertig = true;
};
})();
"""

_CSS = """
#{k} .rk-label {{ background: rgba(255,255,255,.78); border: 0; box-shadow: none; color: #1f2933;
  font: 600 {label}px/1.2 system-ui, sans-serif; padding: 1px 5px; white-space: nowrap; }}
#{k} .rk-label:before {{ display: none; }}
#{k} .rk-legende {{ background: #fff; padding: 6px 9px; border-radius: 5px; box-shadow: 0 1px 5px rgba(0,0,0,.35);
  max-height: 45vh; max-width: 320px; overflow: auto; font: {text}px/1.35 system-ui, sans-serif; color: #1f2933; }}
#{k} .rk-legende summary {{ font-weight: 700; cursor: pointer; }}
#{k} .rk-legende h4 {{ margin: 6px 0 2px; font-size: 1em; }}
#{k} .rk-legende .hinweis {{ color: #555; font-size: .92em; margin-bottom: 2px; }}
#{k} .rk-legende ul {{ list-style: none; margin: 0; padding: 0; }}
#{k} .rk-legende li {{ margin: 1px 0; }}
#{k} .rk-legende .punkt {{ display: inline-block; width: 11px; height: 11px; border-radius: 50%;
  border: 1px solid #fff; box-shadow: 0 0 0 1px #999; margin-right: 5px; vertical-align: -1px; }}
#{k} .rk-legende .gremium {{ box-shadow: 0 0 0 2px #222; background: #bbb; }}
#{k} .rk-legende .linie {{ display: inline-block; width: 28px; border-top: 3px solid #444; margin-right: 5px;
  vertical-align: middle; }}
#{k} .rk-legende .linie.gestrichelt {{ border-top-style: dashed; }}
#{k} .rk-legende .kasten {{ display: inline-block; width: 16px; height: 12px; border: 1px solid #777;
  margin-right: 5px; vertical-align: -1px; }}
#{k} .rk-legende .kreis {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%; border: 1px solid;
  margin-right: 5px; vertical-align: -1px; }}
#{k} .rk-knopf a {{ font-size: 18px; }}
#{k} .rk-suche {{ background: #fff; padding: 3px; }}
#{k} .rk-suche input {{ width: 230px; padding: 4px 6px; font-size: {text}px; border: 1px solid #bbb;
  border-radius: 3px; }}
#{k} .rk-suche-info {{ font-size: 12px; color: #a00; padding: 0 3px; }}
#{k} .rk-suche-info:empty {{ display: none; }}
#{k} .rk-minimap {{ width: 170px; height: 125px; border: 2px solid rgba(0,0,0,.25); border-radius: 4px;
  background: #f7f7f5; }}
#{k} .rk-popup {{ font: {text}px/1.35 system-ui, sans-serif; }}
#{k} .rk-popup .rk-titel {{ font-weight: 700; font-size: 1.1em; }}
#{k} .rk-popup .rk-art {{ color: #555; margin-bottom: 4px; }}
#{k} .rk-popup th {{ text-align: left; vertical-align: top; padding: 1px 8px 1px 0; font-weight: 600;
  white-space: nowrap; }}
#{k} .rk-popup ul {{ margin: 0; padding-left: 16px; }}
#{k}.rk-vollbild {{ position: fixed !important; top: 0; left: 0; width: 100vw !important; height: 100vh !important;
  z-index: 100000; }}
#{k}.rk-ohne-kacheln {{ background: #f3f1ec; }}
"""


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
        self.js = _JS
        self.panes = js_json(PANES)
        self.praesentation = praesentation
        self.ohne_kacheln = ohne_kacheln

    def css(self, karten_id: str) -> str:
        """CSS, auf die Karte mit dieser Element-ID beschränkt."""
        groessen = {"label": 17, "text": 16} if self.praesentation else {"label": 12, "text": 13}
        return _CSS.format(k=karten_id, **groessen)


class Steuerung(RohRendern, MacroElement):
    """Zoom, Vollbild, Suche, Maßstab, Legende, Übersichtskarte; als letztes Kind vor der Ebenensteuerung."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        RK.steuerung({{ this._parent.get_name() }}, {{ this.optionen_js(this._parent.get_name()) }});
        {% endmacro %}
        """
    )

    def __init__(self, *, legende_html: str, minimap: dict | None, suche: bool, praesentation: bool) -> None:
        super().__init__()
        self._name = "RkSteuerung"
        self.legende_html = legende_html
        self.minimap = minimap
        self.suche = suche
        self.praesentation = praesentation

    def optionen_js(self, karten_id: str) -> str:
        return js_json({"legende": self.legende_html, "minimap": self.minimap, "suche": self.suche,
                        "praesentation": self.praesentation, "listenId": f"{karten_id}_namen"})
