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
var MAXLAT = 85.0511287798, ZELLE = 24, STAPEL = 4000;
function pfad(ctx, form, x, y, r) {  /* Form um (x, y): null = Kreis, sonst Eckpunkte der Einheitsform */
  if (!form) { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, 2 * Math.PI); return; }
  ctx.moveTo(x + form[0][0] * r, y + form[0][1] * r);
  for (var j = 1; j < form.length; j++) { ctx.lineTo(x + form[j][0] * r, y + form[j][1] * r); }
  ctx.closePath();
}
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
  _projiziere: function () {
    var map = this._map, d = this._d, b = this._bounds, n = d.x.length, r = this._r + 8;
    var px = this._px, py = this._py, eigen = map.options.crs !== L.CRS.EPSG3857;
    var s = 256 * Math.pow(2, map.getZoom()), o = map.getPixelOrigin();
    var x0 = b.min.x - r, x1 = b.max.x + r, y0 = b.min.y - r, y1 = b.max.y + r;
    for (var i = 0; i < n; i++) {
      if (eigen) { var p = map.latLngToLayerPoint([d.y[i], d.x[i]]); px[i] = p.x; py[i] = p.y; }
      else { px[i] = this._u[i] * s - o.x; py[i] = this._v[i] * s - o.y; }
      if (px[i] < x0 || px[i] > x1 || py[i] < y0 || py[i] > y1) { px[i] = NaN; }
    }
  },
  _durchgang: function (ctx, nur, zeichne, stil) {  /* alle Punkte (nur: 1 = Gremium) in Stapeln zeichnen */
    var d = this._d, px = this._px, py = this._py, n = px.length;
    for (var a = 0; a < n; a += STAPEL) {
      ctx.beginPath();
      var leer = true;
      for (var i = a, e = Math.min(n, a + STAPEL); i < e; i++) {
        if (px[i] !== px[i] || (nur && !d.g[i])) { continue; }
        zeichne(px[i], py[i]); leer = false;
      }
      if (!leer) { stil(); }
    }
  },
  _draw: function () {
    var map = this._map, ctx = this._ctx, d = this._d;
    if (!map || !ctx || !this._bounds) { return; }
    this._projiziere();
    var r = this._r, form = d.form, breit = r >= 6 ? [5, 2] : (r >= 4 ? [4, 1.5] : [3, 1]);
    ctx.save();
    ctx.lineJoin = "round";
    if (d.mitGremium) {  /* Kreis um Einrichtungen im Gremium: dunkel mit hellem Saum */
      this._durchgang(ctx, 1, function (x, y) { pfad(ctx, null, x, y, r + 4); }, function () {
        ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 3.5; ctx.stroke();
        ctx.strokeStyle = "#1a1a1a"; ctx.lineWidth = 1.5; ctx.stroke();
      });
    }
    this._durchgang(ctx, 0, function (x, y) { pfad(ctx, form, x, y, r); }, function () {
      ctx.strokeStyle = d.aussen; ctx.lineWidth = breit[0]; ctx.stroke();
      ctx.fillStyle = d.farbe; ctx.fill();
      ctx.strokeStyle = d.innen; ctx.lineWidth = breit[1]; ctx.stroke();
    });
    if (d.loch) {
      this._durchgang(ctx, 0, function (x, y) { pfad(ctx, null, x, y, Math.max(1.2, r * 0.32)); }, function () {
        ctx.fillStyle = d.innen; ctx.fill();
      });
    }
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
  var g = L.layerGroup(), eintrag = {g: g, p: null, d: null};
  RK.daten(map, k, function (teil, paket) {
    var t = RK.tabelle(paket.tabellen[teil.tab]), a = teil.a, b = teil.b;
    var d = {bez: teil.bez, farbe: teil.farbe, innen: teil.innen, aussen: teil.aussen, form: teil.form,
      loch: teil.loch, felder: teil.felder, mitGremium: t.mitGremium, x: t.x.subarray(a, b), y: t.y.subarray(a, b)};
    Object.keys(t.spalten).forEach(function (s) { if (s !== "xy") { d[s] = t.spalten[s].slice(a, b); } });
    eintrag.p = new RK.Punkte(d, o); eintrag.d = d;
    g.addLayer(eintrag.p);
  });
  (map._rkEinrichtungen = map._rkEinrichtungen || []).push(eintrag);
  RK.treffbar(map, {rang: 10, art: "punkt", gruppe: g, finde: function (p) {
    var t = eintrag.p && eintrag.p.treffer(p);
    if (!t) { return null; }
    var d = eintrag.d, i = t.i;
    return {a: t.a, zeilen: [d.n[i]], latlng: [d.y[i], d.x[i]], klick: function () { RK.zeige(map, d, i); }};
  }});
  return RK.anmelden(map, g, o);
};
