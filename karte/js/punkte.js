/* Einrichtungen: jede als Form (zweiter Kanal neben der Farbe) mit zwei Kontrastringen (karte/symbole.py),
   je Art ein RK.PunktPfad auf der gemeinsamen Leinwand – keine Leaflet-Objekte je Punkt. */
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
     in Gerätepixeln (scharf auf hochauflösenden Bildschirmen), so klein wie möglich: die Zeit des Stempelns
     wächst mit der Fläche des Bildes. */
  if (art.stempel) { return art.stempel; }
  var d = art.d, r = art.r, breit = r >= 6 ? [5, 2] : (r >= 4 ? [4, 1.5] : [3, 1]);
  var dpr = window.devicePixelRatio || 1;
  function male(gremium) {
    var halb = Math.ceil(gremium ? r + 4 + 1.75 + 1 : 1.2 * r + breit[0] / 2 + 1);  /* Formen reichen bis 1,2 r */
    var c = document.createElement("canvas"), ctx = c.getContext("2d");
    c.width = c.height = Math.ceil(2 * halb * dpr);
    ctx.scale(dpr, dpr);
    ctx.lineJoin = "round";
    if (gremium) {  /* Kreis um Einrichtungen im Gremium: dunkel mit hellem Saum */
      ctx.beginPath(); pfad(ctx, null, halb, halb, r + 4);
      ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 3.5; ctx.stroke();
      ctx.strokeStyle = "#1a1a1a"; ctx.lineWidth = 1.5; ctx.stroke();
    }
    ctx.beginPath(); pfad(ctx, d.form, halb, halb, r);
    ctx.strokeStyle = d.aussen; ctx.lineWidth = breit[0]; ctx.stroke();
    ctx.fillStyle = d.farbe; ctx.fill();
    ctx.strokeStyle = d.innen; ctx.lineWidth = breit[1]; ctx.stroke();
    if (d.loch) {
      ctx.beginPath(); pfad(ctx, null, halb, halb, Math.max(1.2, r * 0.32)); ctx.fillStyle = d.innen; ctx.fill();
    }
    return {bild: c, halb: halb};
  }
  art.stempel = {normal: male(false), gremium: d.mitGremium ? male(true) : null};
  return art.stempel;
};
RK.PunktPfad = L.Path.extend({
  /* Alle Einrichtungen einer Art als ein „Pfad“ auf der gemeinsamen Vektor-Leinwand (RK.vektor): eine
     Leinwand für Flächen, Linien und Punkte. Jede Einrichtung wird als vorgezeichnetes Bild gestempelt:
     100.000 Formen mit zwei Ringen als Pfade zu zeichnen kostet Sekunden, sie zu stempeln einen Bruchteil. */
  options: {interactive: false, stroke: false, fill: false},
  initialize: function (d, r, renderer) {
    var n = d.x.length, u = this.u = new Float64Array(n), v = this.v = new Float64Array(n);
    for (var i = 0; i < n; i++) {  /* EPSG:3857 normiert auf [0, 1], wie L.CRS.EPSG3857 */
      var s = Math.sin(Math.max(Math.min(MAXLAT, d.y[i]), -MAXLAT) * Math.PI / 180);
      u[i] = d.x[i] / 360 + 0.5;
      v[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
    }
    this.d = d; this.r = r; this.options.renderer = renderer;
    this.px = new Float32Array(n); this.py = new Float32Array(n);
  },
  _project: function () {  /* Ebenenpixel aller Punkte (nur bei Zoom nötig, nicht beim Verschieben) */
    var map = this._map, d = this.d, n = d.x.length, px = this.px, py = this.py;
    var eigen = map.options.crs !== L.CRS.EPSG3857, s = 256 * Math.pow(2, map.getZoom()), o = map.getPixelOrigin();
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var i = 0; i < n; i++) {
      if (eigen) { var p = map.latLngToLayerPoint([d.y[i], d.x[i]]); px[i] = p.x; py[i] = p.y; }
      else { px[i] = this.u[i] * s - o.x; py[i] = this.v[i] * s - o.y; }
      if (px[i] < x0) { x0 = px[i]; } if (px[i] > x1) { x1 = px[i]; }
      if (py[i] < y0) { y0 = py[i]; } if (py[i] > y1) { y1 = py[i]; }
    }
    var rand = this.r + 8;
    this._pxBounds = n ? L.bounds([x0 - rand, y0 - rand], [x1 + rand, y1 + rand]) : null;
    this._gitter = null;
  },
  _update: function () { this._gitter = null; },  /* neuer Ausschnitt: Trefferraster neu */
  _empty: function () { return !this.d.x.length; },
  _containsPoint: function () { return false; },  /* Treffer prüft RK.treffer (Raster, s. u.) */
  _updatePath: function () {
    var ctx = this._renderer._ctx, b = this._renderer._bounds, st = RK.stempel(this), rand = this.r + 8;
    var g = this.d.g, px = this.px, py = this.py, x0 = b.min.x - rand, x1 = b.max.x + rand, y0 = b.min.y - rand,
      y1 = b.max.y + rand;
    for (var i = 0; i < px.length; i++) {
      if (px[i] < x0 || px[i] > x1 || py[i] < y0 || py[i] > y1) { continue; }
      var s = g[i] ? st.gremium : st.normal;
      ctx.drawImage(s.bild, Math.round(px[i]) - s.halb, Math.round(py[i]) - s.halb, 2 * s.halb, 2 * s.halb);
    }
  },
  treffer: function (p) {  /* nächster Punkt um den Ebenenpunkt p: {i, a: Abstand²} oder null */
    var g = this._gitter, px = this.px, py = this.py, i, k, b = this._renderer && this._renderer._bounds;
    if (!b) { return null; }
    if (!g) {  /* Raster (Zellen zu 24 px) über die Punkte im gezeichneten Bereich */
      g = this._gitter = new Map();
      for (i = 0; i < px.length; i++) {
        if (px[i] < b.min.x || px[i] > b.max.x || py[i] < b.min.y || py[i] > b.max.y) { continue; }
        k = Math.floor(px[i] / ZELLE) * 1e6 + Math.floor(py[i] / ZELLE);
        var z = g.get(k);
        if (z) { z.push(i); } else { g.set(k, [i]); }
      }
    }
    var cx = Math.floor(p.x / ZELLE), cy = Math.floor(p.y / ZELLE), r2 = Math.pow(this.r + 3, 2), best = null;
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
  var g = L.featureGroup(), eintrag = {g: g, p: null, d: null};
  RK.daten(map, k, function (teil, paket) {
    var t = RK.tabelle(paket.tabellen[teil.tab]), a = teil.a, b = teil.b;
    var d = {bez: teil.bez, farbe: teil.farbe, innen: teil.innen, aussen: teil.aussen, form: teil.form,
      loch: teil.loch, felder: teil.felder, mitGremium: t.mitGremium, x: t.x.subarray(a, b), y: t.y.subarray(a, b)};
    Object.keys(t.spalten).forEach(function (s) { if (s !== "xy") { d[s] = t.spalten[s].slice(a, b); } });
    eintrag.p = new RK.PunktPfad(d, o.radius, RK.vektor(map)); eintrag.d = d;
    g.addLayer(eintrag.p);
  });
  (map._rkEinrichtungen = map._rkEinrichtungen || []).push(eintrag);
  RK.treffbar(map, {rang: 10, art: "punkt", gruppe: g, finde: function (p) {
    var t = eintrag.p && map.hasLayer(eintrag.p) && eintrag.p.treffer(p);
    if (!t) { return null; }
    var d = eintrag.d, i = t.i;
    return {a: t.a, zeilen: [d.n[i]], latlng: [d.y[i], d.x[i]], klick: function () { RK.zeige(map, d, i); }};
  }});
  return RK.anmelden(map, g, o);
};
