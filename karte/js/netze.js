/* Netzwerke (karte/netze.py): unterhalb der Detail-Zoomstufe ein Knoten je Netzwerk (Mitte der Mitglieder,
   Größe nach Mitgliederzahl), ab ihr die Verbindungslinien. Ein gewähltes Netzwerk (Klick auf Knoten oder
   Linie, RK.netzWahl, baue_karte(auswahl_netzwerk=…)) zeigt Hülle, Ringe um die Mitglieder und seine Linien.
   Was gerade nicht zu sehen ist, liegt gar nicht auf der Karte (Leaflet rechnet sonst jede Linie mit). */
RK.knotenRadius = function (n) { return 5 + 1.5 * Math.sqrt(Math.max(n, 1)); };
RK.netzLinien = function (map, fc, d, o, nur) {  /* weißer Saum und Linie je Kante (nur: Netzwerk-Nummer oder null) */
  var teil = nur === null ? fc : {type: "FeatureCollection",
    features: fc.features.filter(function (f) { return f.properties.i === nur; })};
  var breite = nur === null ? o.breite : o.breite + 1.5;
  return L.featureGroup([
    L.geoJSON(teil, {renderer: RK.vektor(map), interactive: false, style: {color: "#ffffff", weight: breite + 3,
      opacity: 0.85}}),  /* Saum: Linien heben sich auch von dunklen Flächen ab (3:1) */
    L.geoJSON(teil, {renderer: RK.vektor(map), interactive: false, style: function (f) {
      var i = f.properties.i;
      return {color: d.c[i], weight: breite, opacity: 0.9,
        dashArray: d.s[i] === "soll entwickelt werden" ? o.strich : null};
    }})
  ]);
};
RK.netze = function (map, k, o) {
  var gruppe = L.featureGroup(), st = {d: null, wahl: null, fc: null, alle: null, knoten: L.featureGroup(),
    wahlSchicht: L.featureGroup()};
  gruppe._rkNetz = st;
  function detail() { return map.getZoom() >= (map._rkDetailZoom || 0); }
  function zeige(layer, an) {
    if (an && !gruppe.hasLayer(layer)) { gruppe.addLayer(layer); RK.ordne(map); }  /* Einrichtungen bleiben oben */
    if (!an && gruppe.hasLayer(layer)) { gruppe.removeLayer(layer); }
  }
  function zeichne() {
    if (!st.d) { return; }
    if (detail() && !st.alle) { st.alle = RK.netzLinien(map, st.fc, st.d, o, null); }
    if (st.alle) { zeige(st.alle, detail()); }
    zeige(st.knoten, !detail());
    st.knoten.eachLayer(function (m) { m.setStyle({weight: st.wahl === m._rkI ? 4 : 2}); });
  }
  function waehle(i) {
    st.wahl = i === undefined ? null : i;
    st.wahlSchicht.clearLayers();
    if (st.d && st.wahl !== null) {
      var farbe = st.d.c[st.wahl];
      st.huelle.eachLayer(function (l) {
        if (l.feature.properties.i === st.wahl) {
          st.wahlSchicht.addLayer(L.geoJSON(l.feature, {renderer: RK.vektor(map), interactive: false,
            style: {color: farbe, weight: 2, dashArray: "4 4", fillColor: farbe, fillOpacity: 0.07}}));
        }
      });
      st.wahlSchicht.addLayer(RK.netzLinien(map, st.fc, st.d, o, st.wahl));  /* seine Linien, in jeder Zoomstufe */
      RK.ordne(map);
      st.d.mxy[st.wahl].forEach(function (ll) {  /* Ring um jedes Mitglied: Netzfarbe mit weißem Saum */
        st.wahlSchicht.addLayer(L.circleMarker(ll, {pane: "rkWahl", radius: 12, color: "#ffffff", weight: 6,
          fill: false, interactive: false}));
        st.wahlSchicht.addLayer(L.circleMarker(ll, {pane: "rkWahl", radius: 12, color: farbe, weight: 3,
          fill: false, interactive: false}));
      });
    }
    zeichne();
    map.fire("rknetzwahl", {nummer: st.wahl, name: st.wahl === null ? null : st.d.n[st.wahl]});
  }
  st.waehle = waehle;
  st.zeichne = zeichne;
  RK.daten(map, k, function (d) {
    st.d = d;
    st.fc = RK.fc(d.kanten);
    st.huelle = L.geoJSON(RK.fc(d.huelle), {interactive: false});
    d.hub.forEach(function (ll, i) {
      if (!ll) { return; }
      var m = L.circleMarker(ll, {renderer: RK.vektor(map), radius: RK.knotenRadius(d.m[i].length), color: "#ffffff",
        weight: 2, fillColor: d.c[i], fillOpacity: 0.9, interactive: false,
        dashArray: d.s[i] === "soll entwickelt werden" ? "3 3" : null});
      m._rkI = i;
      st.knoten.addLayer(m);
    });
    gruppe.addLayer(st.wahlSchicht);
    waehle(o.auswahl === null || o.auswahl === undefined ? null : o.auswahl);
  });
  map.on("zoomend", zeichne);
  RK.treffbar(map, {rang: o.rang || 8, art: "netz", gruppe: gruppe, finde: function (p) {
    if (!st.d) { return null; }
    var d = st.d, i = null, a = Infinity, zeilen;
    if (gruppe.hasLayer(st.knoten)) {
      st.knoten.eachLayer(function (m) {
        var q = map.latLngToLayerPoint(m.getLatLng()), r = m.options.radius + 3, ab = q.distanceTo(p);
        if (ab <= r && ab < a) { a = ab; i = m._rkI; }
      });
    }
    function durch(x) {  /* Linien in (verschachtelten) Gruppen; Hülle und Ringe haben keinen Tooltip */
      if (i !== null || !x.eachLayer) { return; }
      x.eachLayer(function (l) {
        if (l.feature && l.feature.properties.tt !== undefined) {
          if (i === null && l._pxBounds && l._containsPoint(p)) {
            i = l.feature.properties.i; zeilen = String(l.feature.properties.tt).split("\n");
          }
        } else { durch(l); }
      });
    }
    [st.alle, st.wahlSchicht].forEach(function (g) { if (g && gruppe.hasLayer(g)) { durch(g); } });
    if (i === null) { return null; }
    zeilen = zeilen || [d.n[i] + " (" + d.s[i] + ")"];
    zeilen = zeilen.concat([d.m[i].length + " Mitglieder" + (d.sr[i] ? ", Sozialraum " + d.sr[i] : ""),
      st.wahl === i ? "Klick: Hervorhebung aufheben" : "Klick: Mitglieder hervorheben"]);
    return {zeilen: zeilen, klick: function () { waehle(st.wahl === i ? null : i); }};
  }});
  map.on("click", function (e) {  /* Klick ins Leere hebt die Hervorhebung auf */
    if (st.wahl !== null && !e._rkTreffer) { waehle(null); }
  });
  return RK.anmelden(map, gruppe, o);
};
RK.netzWahl = function (map, nummer) {  /* von außen (Liste neben der Karte): Netzwerk hervorheben oder null */
  (map._rkEbenen || []).forEach(function (e) { if (e.layer._rkNetz) { e.layer._rkNetz.waehle(nummer); } });
};
