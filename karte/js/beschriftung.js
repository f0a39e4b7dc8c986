/* Feste Beschriftungen ohne Überschneidung: Sozialraumnamen immer, Stadtteilnamen ab der Detail-Zoomstufe.
   Nach jeder Bewegung werden sie der Reihe nach (Sozialräume zuerst, kleinere Flächen zuerst: sie haben
   weniger Platz zum Ausweichen) gesetzt: an
   ihrem Innenpunkt oder leicht verschoben, aber nur innerhalb der Karte, innerhalb ihrer Fläche, ohne
   andere Beschriftungen und ohne Bedienelemente (Legende, Ebenenwahl, Suche …) zu berühren. Was nicht
   passt, wird ausgeblendet. Texte als Textknoten. */
RK.beschriftung = {};
var RAND = 3, ABSTAND = 4, VERSATZ = [[0, 0], [0, -1], [0, 1], [-1, 0], [1, 0], [0, -2], [0, 2], [-1, -1], [1, -1],
  [-1, 1], [1, 1], [0, -3], [0, 3], [-0.5, -2], [0.5, -2], [-0.5, 2], [0.5, 2], [-2, 0], [2, 0]];
RK.beschriftung.hinzu = function (map, gruppe, fc, art) {
  var st = map._rkLabel = map._rkLabel || {liste: [], pane: map.getPane("rkLabels")};
  var geo = gruppe._rkGeo, lagen = [];
  if (geo) { geo.eachLayer(function (l) { lagen.push(l); }); }
  fc.features.forEach(function (f, i) {
    if (!f.properties.lp || f.properties.n === null || f.properties.n === undefined) { return; }
    st.liste.push({text: String(f.properties.n), ll: L.latLng(f.properties.lp), art: art, gruppe: gruppe,
      flaeche: lagen[i], el: null, w: 0, h: 0});
  });
  st.liste.forEach(function (l) {  /* Größe der Fläche in Grad² (nur zum Ordnen) */
    var b = l.flaeche && l.flaeche.getBounds ? l.flaeche.getBounds() : null;
    l.groesse = b ? (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth()) : 0;
  });
  st.liste.sort(function (a, b) {
    if (a.art !== b.art) { return a.art === "sozialraum" ? -1 : 1; }
    return a.groesse - b.groesse;
  });
  if (!st.an) {
    st.an = true;
    map.on("moveend zoomend resize rkebenen rklayout", function () {
      RK.beschriftung.bald(map);
    });
    map.on("zoomstart", function () { st.pane.style.visibility = "hidden"; });
  }
  RK.beschriftung.bald(map);
};
RK.beschriftung.bald = function (map) {  /* gebündelt im nächsten Bild, nicht je Ereignis */
  var st = map._rkLabel;
  if (!st || st.geplant) { return; }
  st.geplant = true;
  L.Util.requestAnimFrame(function () { st.geplant = false; RK.beschriftung.setze(map); });
};
RK.beschriftung.hindernisse = function (map) {  /* sichtbare Bedienelemente in Kartenpixeln, mit Abstand */
  var c = map.getContainer(), cr = c.getBoundingClientRect(), out = [];
  c.querySelectorAll(".leaflet-control, .rk-ueberschrift").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (r.width && r.height) {
      out.push({x: r.left - cr.left - ABSTAND, y: r.top - cr.top - ABSTAND, w: r.width + 2 * ABSTAND,
        h: r.height + 2 * ABSTAND});
    }
  });
  return out;
};
function schneidet(a, b) { return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h; }
RK.beschriftung.setze = function (map) {
  var st = map._rkLabel, groesse = map.getSize(), detail = map.getZoom() >= (map._rkDetailZoom || 0);
  var frei = RK.beschriftung.hindernisse(map), gesetzt = [], namen = {}, neu = [], kandidaten = [];
  if (!st) { return; }
  var sicht = L.bounds([-groesse.x, -groesse.y], [2 * groesse.x, 2 * groesse.y]);
  st.liste.forEach(function (l) {
    l.sichtbar = false;
    if (!map.hasLayer(l.gruppe) || (l.art === "stadtteil" && !detail)) { return; }
    l.cp = map.latLngToContainerPoint(l.ll);
    if (!sicht.contains(l.cp) || kandidaten.length > 600) { return; }
    kandidaten.push(l);
    if (!l.el) {
      l.el = RK.el("div", "rk-label rk-label-" + l.art, st.pane, l.text);
      l.el.setAttribute("aria-hidden", "true");  /* Namen stehen auch in Tooltip, Tabelle und Ebenenwahl */
      neu.push(l);
    }
  });
  neu.forEach(function (l) { l.w = l.el.offsetWidth; l.h = l.el.offsetHeight; });  /* einmal messen */
  kandidaten.forEach(function (l) {
    if (l.art === "stadtteil" && namen[l.text]) { return; }  /* Stadtteil heißt wie sein Sozialraum */
    var ort = RK.beschriftung.ort(map, l, groesse, frei, gesetzt);
    if (ort) { l.sichtbar = true; l.rect = ort; gesetzt.push(ort); namen[l.text] = 1; }
  });
  st.liste.forEach(function (l) {
    if (!l.el) { return; }
    l.el.style.display = l.sichtbar ? "" : "none";
    if (l.sichtbar) { L.DomUtil.setPosition(l.el, map.containerPointToLayerPoint([l.rect.x, l.rect.y])); }
  });
  st.pane.style.visibility = "";
};
RK.beschriftung.ort = function (map, l, groesse, frei, gesetzt) {
  var w = l.w, h = l.h, anker = l.cp;
  for (var k = 0; k < VERSATZ.length; k++) {
    var dx = VERSATZ[k][0] * (w / 2 + RAND), dy = VERSATZ[k][1] * (h + RAND);
    var r = {x: anker.x - w / 2 + dx, y: anker.y - h / 2 + dy, w: w, h: h};
    if (r.x < RAND || r.y < RAND || r.x + w > groesse.x - RAND || r.y + h > groesse.y - RAND) { continue; }
    if (frei.some(function (f) { return schneidet(r, f); })) { continue; }
    if (gesetzt.some(function (f) { return schneidet(r, {x: f.x - RAND, y: f.y - RAND, w: f.w + 2 * RAND,
      h: f.h + 2 * RAND}); })) { continue; }
    if (k > 0 && l.flaeche && l.flaeche._containsPoint) {  /* verschoben: Mitte bleibt in der eigenen Fläche */
      var mitte = map.containerPointToLayerPoint([r.x + w / 2, r.y + h / 2]);
      if (!l.flaeche._pxBounds || !l.flaeche._containsPoint(mitte)) { continue; }
    }
    return r;
  }
  return null;
};
