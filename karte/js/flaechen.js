/* Flächen (Choroplethe, Stadtteile, Sozialräume, Einzugsbereiche): Leaflet-Pfade ohne eigene Maus-
   ereignisse. Welche Fläche unter dem Zeiger liegt, prüft RK.treffer zentral über alle sichtbaren Ebenen:
   so fängt keine obere Leinwand (etwa die Netzwerklinien, auch ausgeschaltet) die Maus für die unteren ab. */
RK.flaechen = function (map, k, o) {
  var gruppe = L.featureGroup();
  RK.daten(map, k, function (d) {
    var fc = RK.fc(d), geo = L.geoJSON(fc, {
      renderer: RK.vektor(map), interactive: false,
      style: function (f) {
        var s = L.extend({}, o.stil), p = f.properties;
        if (p.c) { s.fillColor = p.c; }
        if (p.w) { s.weight = p.w; s.dashArray = null; s.opacity = 1; }
        if (p.hc) { s.color = p.hc; }
        return s;
      }
    });
    var gewaehlt = fc.features.filter(function (f) { return f.properties.w; });
    if (gewaehlt.length) {  /* weißer Saum unter dem Umriss der gewählten Fläche: auf jedem Grund sichtbar */
      gruppe.addLayer(L.geoJSON({type: "FeatureCollection", features: gewaehlt}, {renderer: RK.vektor(map), interactive: false,
        style: function (f) { return {color: "#ffffff", weight: f.properties.w + 4, opacity: 0.9, fill: false}; }}));
    }
    gruppe.addLayer(geo);
    gruppe._rkGeo = geo;
    geo.eachLayer(function (l) { if (l.feature.properties.w) { gruppe._rkAuswahl = l; l.bringToFront(); } });
    if (o.label) { RK.beschriftung.hinzu(map, gruppe, fc, o.label); }
  });
  if (o.tooltip) {
    RK.treffbar(map, {rang: o.rang || 0, art: "flaeche", gruppe: gruppe, finde: function (p) {
      var treffer = null;
      if (!gruppe._rkGeo) { return null; }
      gruppe._rkGeo.eachLayer(function (l) {
        if (!treffer && l._pxBounds && l._containsPoint(p)) { treffer = l; }
      });
      if (!treffer) { return null; }
      var f = treffer.feature.properties, tt = f.tt;
      if (tt === undefined || tt === null) { tt = (o.ttVor || "") + (f.n || ""); }
      return {zeilen: String(tt).split("\n")};
    }});
  }
  return RK.anmelden(map, gruppe, o);
};
