/* Einrichtungen: je Art eine Leinwand; jede Einrichtung als Form (zweiter Kanal neben der Farbe) mit zwei
   Kontrastringen (karte/symbole.py) direkt gezeichnet – keine Leaflet-Objekte je Punkt. */
RK.popupInhalt = function (d, i) {  /* Popup als DOM: jeder Datentext ein Textknoten */
  var div = RK.el("div", "rk-popup"), tab;
  RK.el("div", "rk-titel", div, d.n[i]);
  RK.el("div", "rk-art", div, d.bez);
  tab = RK.el("table", "", div);
  d.felder.forEach(function (f) {
    var w = d[f[0]] ? d[f[0]][i] : null, tr, td, ul;
    if (w === null || w === undefined || w === "") { return; }
    tr = RK.el("tr", "", tab);
    RK.el("th", "", tr, f[1]).setAttribute("scope", "row");
    td = RK.el("td", "", tr);
    if (!f[2]) { td.textContent = String(w); return; }
    ul = RK.el("ul", "", td);
    String(w).split(f[2]).forEach(function (t) { RK.el("li", "", ul, t); });
  });
  return div;
};
RK.zeige = function (map, d, i) {
  L.popup({maxWidth: 380, offset: [0, -6]}).setLatLng([d.y[i], d.x[i]]).setContent(RK.popupInhalt(d, i))
    .openOn(map);
};
var MAXLAT = 85.0511287798, ZELLE = 24;
function pfad(ctx, form, x, y, r) {  /* Form um (x, y): null = Kreis, sonst Eckpunkte der Einheitsform */
  if (!form) { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI); return; }
  ctx.moveTo(x + form[0][0] * r, y + form[0][1] * r);
  for (var j = 1; j < form.length; j++) { ctx.lineTo(x + form[j][0] * r, y + form[j][1] * r); }
  ctx.closePath();
}
RK.stempel = function (art) {
  /* Symbol einer Art (Form, zwei Kontrastringe, Loch; mit Kreis für Gremiumsmitglieder) einmal vorzeichnen,
     in Gerätepixeln (scharf auf hochauflösenden Bildschirmen). */
  if (art.stempel) { return art.stempel; }
  var d = art.d, r = art.r, breit = r >= 6 ? [5, 2] : (r >= 4 ? [4, 1.5] : [3, 1]);
  var dpr = window.devicePixelRatio || 1, groesse = Math.ceil(2 * (r + 7)), m = groesse / 2;
  function male(gremium) {
    var c = document.createElement("canvas"), ctx = c.getContext("2d");
    c.width = c.height = Math.ceil(groesse * dpr);
    ctx.scale(dpr, dpr);
    ctx.lineJoin = "round";
    if (gremium) {  /* Kreis um Einrichtungen im Gremium: dunkel mit hellem Saum */
      ctx.beginPath(); pfad(ctx, null, m, m, r + 4);
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 3.5; ctx.stroke();
      ctx.strokeStyle = "#1a1a1a"; ctx.lineWidth = 1.5; ctx.stroke();
    }
    ctx.beginPath(); pfad(ctx, d.form, m, m, r);
    ctx.strokeStyle = d.aussen; ctx.lineWidth = breit[0]; ctx.stroke();
    ctx.fillStyle = d.farbe; ctx.fill();
    ctx.strokeStyle = d.innen; ctx.lineWidth = breit[1]; ctx.stroke();
    if (d.loch) { ctx.beginPath(); pfad(ctx, null, m, m, Math.max(1.2, r * 0.32)); ctx.fillStyle = d.innen; ctx.fill(); }
    return c;
  }
  art.stempel = {groesse: groesse, normal: male(false), gremium: d.mitGremium ? male(true) : null};
  return art.stempel;
};
RK.PunktArt = function (d, r) {  /* Daten einer Art: Lage normiert (EPSG:3857 in [0, 1]) und in Ebenenpixeln */
  var n = d.x.length, u = this.u = new Float64Array(n), v = this.v = new Float64Array(n);
  for (var i = 0; i < n; i++) {
    var s = Math.sin(Math.max(Math.min(MAXLAT, d.y[i]), -MAXLAT) * Math.PI / 180);
    u[i] = d.x[i] / 360 + 0.5;
    v[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
  }
  this.d = d; this.r = r; this.an = false;
  this.px = new Float32Array(n); this.py = new Float32Array(n);
};
RK.Punkte = L.Canvas.extend({
  /* Eine Leinwand für alle Einrichtungsarten (nicht eine je Art: jede kostet beim Laden Speicher und Zeit). */
  initialize: function () {
    L.Canvas.prototype.initialize.call(this, {pane: "rkPunkte"});
    this._arten = [];
  },
  onAdd: function () {
    L.Canvas.prototype.onAdd.call(this);  /* Leinwand anlegen und sofort zeichnen */
    L.DomUtil.addClass(this._container, "rk-punkte");
  },
  neu: function () {  /* neu zeichnen, gebündelt im nächsten Bild (beim Laden melden sich alle Arten nacheinander) */
    this._gitter = null;
    if (this._map && !this._geplant) {
      this._geplant = L.Util.requestAnimFrame(function () { this._geplant = null; this._redraw(); }, this);
    }
  },
  _projiziere: function (art) {
    var map = this._map, d = art.d, b = this._bounds, n = d.x.length, r = art.r + 8;
    var px = art.px, py = art.py, eigen = map.options.crs !== L.CRS.EPSG3857;
    var s = 256 * Math.pow(2, map.getZoom()), o = map.getPixelOrigin();
    var x0 = b.min.x - r, x1 = b.max.x + r, y0 = b.min.y - r, y1 = b.max.y + r;
    for (var i = 0; i < n; i++) {
      if (eigen) { var p = map.latLngToLayerPoint([d.y[i], d.x[i]]); px[i] = p.x; py[i] = p.y; }
      else { px[i] = art.u[i] * s - o.x; py[i] = art.v[i] * s - o.y; }
      if (px[i] < x0 || px[i] > x1 || py[i] < y0 || py[i] > y1) { px[i] = NaN; }
    }
  },
  _draw: function () {
    /* Jede Art als vorgezeichnetes Bild (Stempel) je Punkt: 100.000 Formen mit zwei Ringen als Pfade zu
       zeichnen kostet Sekunden, 100.000 kleine Bilder zu stempeln einen Bruchteil. */
    var map = this._map, ctx = this._ctx, self = this;
    if (!map || !ctx || !this._bounds) { return; }
    this._arten.forEach(function (art) {
      if (!art.an) { return; }
      self._projiziere(art);
      var st = RK.stempel(art), g = art.d.g, px = art.px, py = art.py, h = st.groesse / 2;
      for (var i = 0; i < px.length; i++) {
        if (px[i] !== px[i]) { continue; }
        ctx.drawImage(g[i] ? st.gremium : st.normal, Math.round(px[i] - h), Math.round(py[i] - h), st.groesse,
          st.groesse);
      }
    });
    this._gitter = null;
  },
  treffer: function (art, p) {  /* nächster Punkt der Art um den Ebenenpunkt p: {i, a: Abstand²} oder null */
    var g = this._gitter, px, py, i, k;
    if (!g) {  /* ein Raster über alle sichtbaren Arten: Zelle → [[Art, Index], …] */
      g = this._gitter = new Map();
      this._arten.forEach(function (x) {
        if (!x.an) { return; }
        for (i = 0; i < x.px.length; i++) {
          if (x.px[i] !== x.px[i]) { continue; }
          k = Math.floor(x.px[i] / ZELLE) * 1e6 + Math.floor(x.py[i] / ZELLE);
          var z = g.get(k);
          if (z) { z.push([x, i]); } else { g.set(k, [[x, i]]); }
        }
      });
    }
    px = art.px; py = art.py;
    var cx = Math.floor(p.x / ZELLE), cy = Math.floor(p.y / ZELLE), r2 = Math.pow(art.r + 3, 2), best = null;
    for (var dx = -1; dx <= 1; dx++) {
      for (var dy = -1; dy <= 1; dy++) {
        (g.get((cx + dx) * 1e6 + cy + dy) || []).forEach(function (t) {
          if (t[0] !== art) { return; }
          var a = Math.pow(px[t[1]] - p.x, 2) + Math.pow(py[t[1]] - p.y, 2);
          if (a <= r2 && (!best || a <= best.a)) { best = {i: t[1], a: a}; }
        });
      }
    }
    return best;
  }
});
RK.leinwand = function (map) {  /* die gemeinsame Leinwand der Einrichtungen, beim ersten Gebrauch angelegt */
  if (!map._rkLeinwand) { map._rkLeinwand = new RK.Punkte(); }
  return map._rkLeinwand;
};
RK.PunktEbene = L.Layer.extend({
  /* Schaltbare Ebene einer Art: meldet ihre Daten bei der gemeinsamen Leinwand an und ab. */
  initialize: function (leinwand) { this._l = leinwand; this._art = null; },
  setzeArt: function (art) {
    this._art = art; this._l._arten.push(art);
    art.an = !!this._map;
    this._l.neu();
  },
  onAdd: function (map) {
    if (!map.hasLayer(this._l)) { map.addLayer(this._l); }
    if (this._art) { this._art.an = true; this._l.neu(); }
  },
  onRemove: function () { if (this._art) { this._art.an = false; this._l.neu(); } }
});
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
  var leinwand = RK.leinwand(map), g = new RK.PunktEbene(leinwand), eintrag = {g: g, p: null, d: null};
  RK.daten(map, k, function (teil, paket) {
    var t = RK.tabelle(paket.tabellen[teil.tab]), a = teil.a, b = teil.b;
    var d = {bez: teil.bez, farbe: teil.farbe, innen: teil.innen, aussen: teil.aussen, form: teil.form,
      loch: teil.loch, felder: teil.felder, mitGremium: t.mitGremium, x: t.x.subarray(a, b), y: t.y.subarray(a, b)};
    Object.keys(t.spalten).forEach(function (s) { if (s !== "xy") { d[s] = t.spalten[s].slice(a, b); } });
    eintrag.p = new RK.PunktArt(d, o.radius); eintrag.d = d;
    g.setzeArt(eintrag.p);
  });
  (map._rkEinrichtungen = map._rkEinrichtungen || []).push(eintrag);
  RK.treffbar(map, {rang: 10, art: "punkt", gruppe: g, finde: function (p) {
    var t = eintrag.p && leinwand.treffer(eintrag.p, p);
    if (!t) { return null; }
    var d = eintrag.d, i = t.i;
    return {a: t.a, zeilen: [d.n[i]], latlng: [d.y[i], d.x[i]], klick: function () { RK.zeige(map, d, i); }};
  }});
  return RK.anmelden(map, g, o);
};
