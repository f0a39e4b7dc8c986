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
/* ---- Datenpaket (karte/paket.py): base64 → deflate → Gerüst-JSON + Zahlenreihen ---- */
var TYPEN = {u1: Uint8Array, i1: Int8Array, u2: Uint16Array, i2: Int16Array, u4: Uint32Array, i4: Int32Array,
  f8: Float64Array};
RK.auspacken = function (buf) {
  var n = new DataView(buf).getUint32(0, true), pos = 4 + n, reihen = [];
  var kopf = JSON.parse(new TextDecoder().decode(new Uint8Array(buf, 4, n)));
  kopf.b.forEach(function (b) {
    var T = TYPEN[b[0]];
    pos += (8 - pos % 8) % 8;
    reihen.push(new T(buf, pos, b[1]));
    pos += b[1] * T.BYTES_PER_ELEMENT;
  });
  function ersetze(o) {
    if (Array.isArray(o)) { return o.map(ersetze); }
    if (o === null || typeof o !== "object") { return o; }
    if ("$b" in o) { return reihen[o.$b]; }
    if ("$w" in o) {
      var w = o.$w, idx = reihen[o.$i.$b], r = new Array(idx.length);
      for (var i = 0; i < idx.length; i++) { r[i] = w[idx[i]]; }
      return r;
    }
    Object.keys(o).forEach(function (k) { o[k] = ersetze(o[k]); });
    return o;
  }
  return ersetze(kopf.d);
};
RK.entpacke = function (b64) {  /* Promise des Inhalts; „-“ vorn: unkomprimiert, sofort gelesen */
  var roh = b64.charAt(0) === "-", bin = atob(roh ? b64.slice(1) : b64), u = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) { u[i] = bin.charCodeAt(i); }
  if (roh) { return Promise.resolve(RK.auspacken(u.buffer)); }
  var strom = new Blob([u]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(strom).arrayBuffer().then(RK.auspacken);
};
RK.paket = function (map, b64) {
  map._rkPaket = RK.entpacke(b64);
  map._rkPaket.catch(function (e) { console.error("Kartendaten nicht lesbar", e); });
};
RK.daten = function (map, k, f) {  /* f(teil, paket) nach dem Entpacken; alle in Aufrufreihenfolge, in einem Schritt */
  map._rkPaket.then(function (p) { f(k === null ? null : p[k], p); });
};
RK.koordinaten = function (g) {  /* Differenzen ganzer Zahlen → Float64Array Länge, Breite */
  var n = g.x.length, lon = new Float64Array(n), lat = new Float64Array(n), sx = 0, sy = 0;
  for (var i = 0; i < n; i++) { sx += g.x[i]; sy += g.y[i]; lon[i] = sx / 1e5; lat[i] = sy / 1e5; }
  return [lon, lat];
};
RK.geometrien = function (g) {  /* ragged arrays → GeoJSON-Geometrien */
  var ll = RK.koordinaten(g), lon = ll[0], lat = ll[1];
  var off = g.o.map(function (c) {
    var r = new Array(c.length + 1); r[0] = 0;
    for (var k = 0; k < c.length; k++) { r[k + 1] = r[k] + c[k]; }
    return r;
  });
  function stufe(s, j) {
    var a = off[s][j], b = off[s][j + 1], r = new Array(b - a);
    for (var k = a; k < b; k++) { r[k - a] = s === 0 ? [lon[k], lat[k]] : stufe(s - 1, k); }
    return r;
  }
  var n = off.length ? off[off.length - 1].length - 1 : lon.length, out = new Array(n);
  for (var i = 0; i < n; i++) {
    out[i] = {type: g.typ, coordinates: off.length ? stufe(off.length - 1, i) : [lon[i], lat[i]]};
  }
  return out;
};
RK.fc = function (d) {  /* Flächen-Teil des Pakets → FeatureCollection */
  var geos = d.g ? RK.geometrien(d.g) : [], keys = Object.keys(d.p);
  return {type: "FeatureCollection", features: geos.map(function (g, i) {
    var p = {};
    keys.forEach(function (k) { p[k] = d.p[k][i]; });
    if (d.lp) { p.lp = d.lp[i]; }
    return {type: "Feature", properties: p, geometry: g};
  })};
};
RK.MAX_LABELS = 60;
RK.flaechen = function (map, k, o) {
  var gruppe = L.featureGroup();
  RK.daten(map, k, function (d) {
    var fc = RK.fc(d);
    gruppe.addLayer(L.geoJSON(fc, {
      pane: o.pane, interactive: !!o.tooltip,
      style: function (f) {
        var s = L.extend({}, o.stil);
        if (f.properties.c) { s.fillColor = f.properties.c; }
        if (f.properties.w) { s.weight = f.properties.w; }
        return s;
      },
      onEachFeature: function (f, l) {
        var tt = o.ttVor !== undefined ? o.ttVor + f.properties.n : f.properties.tt;
        if (o.tooltip && tt) { l.bindTooltip(RK.esc(tt), {sticky: true}); }
      }
    }));
    if (o.label) { RK.beschriftungen(map, gruppe, fc); }
  });
  return gruppe;
};
RK.beschriftungen = function (map, gruppe, fc) {
  /* Feste Beschriftungen nur, wenn wenige im Ausschnitt liegen: viele verdecken die Karte und kosten Zeit. */
  var labels = [];
  fc.features.forEach(function (f) {
    if (!f.properties.lp) { return; }
    labels.push(L.tooltip({permanent: true, direction: "center", className: "rk-label", interactive: false})
      .setLatLng(f.properties.lp).setContent(RK.esc(f.properties.n)));
  });
  var schicht = L.layerGroup().addTo(gruppe);
  function passe() {
    if (!map.hasLayer(gruppe)) { return; }
    var b = map.getBounds(), sichtbar = labels.filter(function (l) { return b.contains(l.getLatLng()); });
    if (sichtbar.length > RK.MAX_LABELS) { sichtbar = []; }
    schicht.eachLayer(function (l) { if (sichtbar.indexOf(l) < 0) { schicht.removeLayer(l); } });
    sichtbar.forEach(function (l) { if (!schicht.hasLayer(l)) { schicht.addLayer(l); } });
  }
  map.on("moveend zoomend", passe);
  gruppe.on("add", passe);
  passe();
};
RK.popup = function (d, i) {
  var h = '<div class="rk-popup"><div class="rk-titel">' + RK.esc(d.n[i]) + "</div>" +
    '<div class="rk-art">' + RK.esc(d.bez) + "</div><table>";
  d.felder.forEach(function (f) {
    var w = d[f[0]] ? d[f[0]][i] : null;
    if (w === null || w === undefined || w === "") { return; }
    var inhalt = !f[2] ? RK.esc(w) :
      "<ul>" + String(w).split(f[2]).map(function (t) { return "<li>" + RK.esc(t) + "</li>"; }).join("") + "</ul>";
    h += "<tr><th>" + RK.esc(f[1]) + "</th><td>" + inhalt + "</td></tr>";
  });
  return h + "</table></div>";
};
RK.zeige = function (map, d, i) {
  L.popup({maxWidth: 380, offset: [0, -4]}).setLatLng([d.y[i], d.x[i]]).setContent(RK.popup(d, i)).openOn(map);
};
/* ---- Einrichtungen: je Art eine Leinwand, Kreise direkt gezeichnet (keine Leaflet-Objekte je Punkt) ---- */
var MAXLAT = 85.0511287798, ZELLE = 24;
RK.Punkte = L.Canvas.extend({
  initialize: function (d, o) {
    L.Canvas.prototype.initialize.call(this, {pane: "rkPunkte"});
    this._d = d; this._r = o.radius;
    var n = d.x.length, u = this._u = new Float64Array(n), v = this._v = new Float64Array(n);
    for (var i = 0; i < n; i++) {  /* EPSG:3857 normiert auf [0, 1], wie L.CRS.EPSG3857 */
      var s = Math.sin(Math.max(Math.min(MAXLAT, d.y[i]), -MAXLAT) * Math.PI / 180);
      u[i] = d.x[i] / 360 + 0.5;
      v[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    this._px = new Float32Array(n); this._py = new Float32Array(n);
  },
  onAdd: function () {
    L.Canvas.prototype.onAdd.call(this);  /* Leinwand anlegen und sofort zeichnen */
    L.DomUtil.addClass(this._container, "rk-punkte");
  },
  _draw: function () {
    var map = this._map, ctx = this._ctx, d = this._d, b = this._bounds;
    if (!map || !ctx || !b) { return; }
    var n = d.x.length, r = this._r, px = this._px, py = this._py, eigen = map.options.crs !== L.CRS.EPSG3857;
    var s = 256 * Math.pow(2, map.getZoom()), o = map.getPixelOrigin(), voll = 2 * Math.PI;
    var x0 = b.min.x - r - 2, x1 = b.max.x + r + 2, y0 = b.min.y - r - 2, y1 = b.max.y + r + 2;
    for (var i = 0; i < n; i++) {
      if (eigen) { var p = map.latLngToLayerPoint([d.y[i], d.x[i]]); px[i] = p.x; py[i] = p.y; }
      else { px[i] = this._u[i] * s - o.x; py[i] = this._v[i] * s - o.y; }
      if (px[i] < x0 || px[i] > x1 || py[i] < y0 || py[i] > y1) { px[i] = NaN; }
    }
    ctx.save();
    ctx.fillStyle = d.farbe;
    [[0, "#ffffff", 1], [1, "#222222", 2]].forEach(function (art) {  /* erst normale, dann Gremiums-Ränder */
      for (var a = 0; a < n; a += 4000) {
        ctx.beginPath();
        var leer = true;
        for (var i = a, e = Math.min(n, a + 4000); i < e; i++) {
          if (px[i] !== px[i] || (d.g[i] ? 1 : 0) !== art[0]) { continue; }
          ctx.moveTo(px[i] + r, py[i]); ctx.arc(px[i], py[i], r, 0, voll); leer = false;
        }
        if (leer) { continue; }
        ctx.globalAlpha = 0.92; ctx.fill(); ctx.globalAlpha = 1;
        ctx.strokeStyle = art[1]; ctx.lineWidth = art[2]; ctx.stroke();
      }
    });
    ctx.restore();
    this._gitter = null;
  },
  treffer: function (p) {  /* nächster Punkt um den Ebenenpunkt p: {i, a: Abstand²} oder null */
    var px = this._px, py = this._py, g = this._gitter, i, k;
    if (!g) {
      g = this._gitter = new Map();
      for (i = 0; i < px.length; i++) {
        if (px[i] !== px[i]) { continue; }
        k = Math.floor(px[i] / ZELLE) * 1e6 + Math.floor(py[i] / ZELLE);
        var z = g.get(k);
        if (z) { z.push(i); } else { g.set(k, [i]); }
      }
    }
    var cx = Math.floor(p.x / ZELLE), cy = Math.floor(p.y / ZELLE), r2 = Math.pow(this._r + 3, 2), best = null;
    for (var dx = -1; dx <= 1; dx++) {
      for (var dy = -1; dy <= 1; dy++) {
        (g.get((cx + dx) * 1e6 + cy + dy) || []).forEach(function (j) {
          var a = Math.pow(px[j] - p.x, 2) + Math.pow(py[j] - p.y, 2);
          if (a <= r2 && (!best || a <= best.a)) { best = {i: j, a: a}; }
        });
      }
    }
    return best;
  }
});
RK.finde = function (map, p) {  /* oberster Treffer über alle sichtbaren Einrichtungsebenen */
  var best = null;
  (map._rkEinrichtungen || []).forEach(function (e) {
    if (!map.hasLayer(e.p)) { return; }
    var t = e.p.treffer(p);
    if (t && (!best || t.a <= best.a)) { best = {e: e, i: t.i, a: t.a}; }
  });
  return best;
};
RK.trefferTest = function (map) {
  if (map._rkTip) { return; }
  var tip = map._rkTip = L.tooltip({direction: "top", offset: [0, -6]}), c = map.getContainer();
  map.on("click", function (e) {
    var t = RK.finde(map, e.layerPoint);
    if (t) { RK.zeige(map, t.e.d, t.i); }
  });
  map.on("mousemove", function (e) {
    var t = RK.finde(map, e.layerPoint);
    if (t) {
      tip.setLatLng([t.e.d.y[t.i], t.e.d.x[t.i]]).setContent(RK.esc(t.e.d.n[t.i]));
      if (!map.hasLayer(tip)) { map.openTooltip(tip); }
      L.DomUtil.addClass(c, "rk-zeiger");
    } else if (map.hasLayer(tip)) {
      map.closeTooltip(tip);
      L.DomUtil.removeClass(c, "rk-zeiger");
    }
  });
};
RK.tabelle = function (t) {  /* gemeinsame Einrichtungstabelle einmal vorbereiten */
  if (t.x) { return t; }
  var ll = RK.koordinaten(t.spalten.xy);
  t.x = ll[0]; t.y = ll[1];
  t.spalten.gr = Array.prototype.map.call(t.spalten.g, function (g) {
    return t.mitGremium ? (g ? "ja" : "nein") : "";
  });
  return t;
};
RK.einrichtungen = function (map, k, o) {
  var g = L.layerGroup();
  RK.daten(map, k, function (teil, paket) {
    var t = RK.tabelle(paket.tabellen[teil.tab]), a = teil.a, b = teil.b;
    var d = {bez: teil.bez, farbe: teil.farbe, felder: teil.felder, x: t.x.subarray(a, b), y: t.y.subarray(a, b)};
    Object.keys(t.spalten).forEach(function (s) { if (s !== "xy") { d[s] = t.spalten[s].slice(a, b); } });
    var p = new RK.Punkte(d, o);
    (map._rkEinrichtungen = map._rkEinrichtungen || []).push({g: g, p: p, d: d});
    RK.trefferTest(map);
    g.addLayer(p);
  });
  return g;
};
RK.netze = function (map, k, o) {
  var gruppe = L.featureGroup();
  RK.daten(map, k, function (d) {
    gruppe.addLayer(L.geoJSON(RK.fc(d), {pane: "rkNetz",
      style: function (f) {
        return {color: f.properties.c, weight: o.breite, opacity: 0.9, dashArray: f.properties.d || null};
      },
      onEachFeature: function (f, l) { l.bindTooltip(RK.esc(f.properties.tt), {sticky: true}); }}));
  });
  return gruppe;
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
    function treffer(text, max) {  /* [{e, i}]: gleiche Namen zuerst, dann Teiltreffer */
      var t = text.trim().toLowerCase(), gleich = [], teil = [];
      if (!t) { return []; }
      (map._rkEinrichtungen || []).forEach(function (e) {
        for (var i = 0; i < e.d.n.length; i++) {
          var k = String(e.d.n[i]).toLowerCase();
          if (k === t) { gleich.push({e: e, i: i}); }
          else if (teil.length < max && k.indexOf(t) >= 0) { teil.push({e: e, i: i}); }
        }
      });
      return gleich.concat(teil).slice(0, max);
    }
    L.DomEvent.on(inp, "input", function () {
      liste.textContent = "";
      var namen = {};
      treffer(inp.value, 50).forEach(function (m) {
        var n = m.e.d.n[m.i];
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
      if (!map.hasLayer(m.e.g)) { map.addLayer(m.e.g); }
      map.setView([m.e.d.y[m.i], m.e.d.x[m.i]], Math.max(map.getZoom(), 16), {animate: false});
      RK.zeige(map, m.e.d, m.i);
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
  map.getContainer().setAttribute("aria-label", o.titel);  /* Attribut, kein HTML */
  L.control.zoom({position: "topleft", zoomInTitle: "Hineinzoomen", zoomOutTitle: "Herauszoomen"}).addTo(map);
  RK.vollbild(map);
  if (o.suche) { RK.suche(map, o.listenId); }
  L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
  if (o.legende) { RK.legende(map, o.legende); }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  RK.daten(map, o.minimap ? "minimap" : null, function (mini) {  /* nach allen Ebenen: Karte fertig */
    if (mini) { RK.minimap(map, RK.fc(mini)); }
    window.rkKarteFertig = true;
  });
};
})();
