/* Kern: Texte sicher setzen, Panes, Datenpaket entpacken, Ebenen anmelden, Hintergrundkacheln.
   Texte aus Daten und Konfiguration werden nur als Textknoten gesetzt (RK.el, RK.zeilen), nie als HTML. */
RK.el = function (tag, klasse, eltern, text) {  /* Element mit Klasse und optionalem Text (als Textknoten) */
  var e = document.createElement(tag);
  if (klasse) { e.className = klasse; }
  if (text !== undefined && text !== null) { e.textContent = String(text); }
  if (eltern) { eltern.appendChild(e); }
  return e;
};
RK.zeilen = function (zeilen, klasse) {  /* Liste von Texten → <div> mit einer Zeile je Text (erste fett) */
  var div = RK.el("div", klasse || "rk-zeilen");
  zeilen.forEach(function (z, i) { RK.el("div", i === 0 ? "rk-zeile1" : "rk-zeile", div, z); });
  return div;
};
RK.panes = function (map, panes) {
  Object.keys(panes).forEach(function (p) { if (!map.getPane(p)) { map.createPane(p).style.zIndex = panes[p]; } });
  map.getPane("rkLabels").style.pointerEvents = "none";
};
RK.vektor = function (map) {
  /* Eine Leinwand für alle Flächen, Linien und Netzwerkknoten (jede weitere Leinwand kostet beim Zeichnen
     Speicher und Kopierzeit). Die Zeichenfolge ist die Reihenfolge der Ebenen (RK.ordne). */
  if (!map._rkVektor) { map._rkVektor = L.canvas({pane: "rkVektor"}); }
  return map._rkVektor;
};
RK.ordne = function (map) {  /* nach dem Ein-/Ausschalten: Ebenen wieder in ihrer Reihenfolge übereinander */
  (map._rkEbenen || []).forEach(function (e) {
    if (!e.basis && e.layer.bringToFront && map.hasLayer(e.layer)) { e.layer.bringToFront(); }
  });
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
/* ---- Ebenen anmelden: Reihenfolge = Ebenenwahl; `anzeigen` = beim Laden sichtbar ---- */
RK.anmelden = function (map, layer, o, basis) {
  if (!map._rkEbenen) {
    map._rkEbenen = [];
    map.on("rkebenen", function () { RK.ordne(map); });
  }
  map._rkEbenen.push({layer: layer, titel: String(o.titel || ""), basis: !!basis});
  if (o.anzeigen !== false) { layer.addTo(map); }
  return layer;
};
RK.kacheln = function (map, o) {
  var layer = o.wms ? L.tileLayer.wms(o.url, o.optionen) : L.tileLayer(o.url, o.optionen);
  layer._rkUrl = o.url;
  return RK.anmelden(map, layer, {titel: o.name}, true);
};
