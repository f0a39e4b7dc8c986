/* Netzwerke (karte/netze.py): unterhalb der Detail-Zoomstufe ein Knoten je Netzwerk (Mitte der Mitglieder,
   Größe nach Mitgliederzahl), ab ihr die Verbindungslinien. Ein gewähltes Netzwerk (Klick auf Knoten oder
   Linie, RK.netzWahl, baue_karte(auswahl_netzwerk=…)) zeigt Hülle, Ringe um die Mitglieder und seine Linien. */
RK.knotenRadius = function (n) { return 5 + 1.5 * Math.sqrt(Math.max(n, 1)); };
RK.netze = function (map, k, o) {
  var gruppe = L.featureGroup(), st = {d: null, wahl: null, linien: null, knoten: [], wahlSchicht: L.layerGroup()};
  gruppe._rkNetz = st;
  function detail() { return map.getZoom() >= (map._rkDetailZoom || 0); }
  function stil(f) {
    var i = f.properties.i, gewaehlt = st.wahl === i, an = gewaehlt || (st.wahl === null && detail());
    return {color: st.d.c[i], weight: gewaehlt ? o.breite + 1.5 : o.breite, opacity: an ? 0.9 : 0,
      dashArray: st.d.s[i] === "soll entwickelt werden" ? o.strich : null, interactive: false};
  }
  function zeichne() {
    if (!st.d) { return; }
    st.linien.setStyle(stil);
    st.saum.setStyle(function (f) {  /* weißer Saum: Linien heben sich auch von dunklen Flächen ab (3:1) */
      var s = stil(f);
      return {color: "#ffffff", weight: s.weight + 3, opacity: s.opacity ? 0.85 : 0, dashArray: null};
    });
    var zeigeKnoten = !detail();
    st.knoten.forEach(function (m, i) { m.setStyle({opacity: zeigeKnoten ? 1 : 0, fillOpacity: zeigeKnoten ? 0.9 : 0,
      weight: st.wahl === i ? 4 : 2}); });
  }
  function waehle(i) {
    st.wahl = i === undefined ? null : i;
    st.wahlSchicht.clearLayers();
    if (st.d && st.wahl !== null) {
      var farbe = st.d.c[st.wahl];
      st.huelle.eachLayer(function (l) {
        if (l.feature.properties.i === st.wahl) {
          st.wahlSchicht.addLayer(L.geoJSON(l.feature, {pane: "rkNetz", interactive: false,
            style: {color: farbe, weight: 2, dashArray: "4 4", fillColor: farbe, fillOpacity: 0.07}}));
        }
      });
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
  RK.daten(map, k, function (d) {
    st.d = d;
    var kanten = RK.fc(d.kanten);
    st.saum = L.geoJSON(kanten, {pane: "rkNetz", interactive: false, style: {opacity: 0}});
    st.linien = L.geoJSON(kanten, {pane: "rkNetz", interactive: false, style: function (f) {
      return {color: d.c[f.properties.i], weight: o.breite, opacity: 0};
    }});
    st.huelle = L.geoJSON(RK.fc(d.huelle), {interactive: false});
    st.knoten = d.hub.map(function (ll, i) {
      return ll ? L.circleMarker(ll, {pane: "rkNetz", radius: RK.knotenRadius(d.m[i].length), color: "#ffffff",
        weight: 2, fillColor: d.c[i], fillOpacity: 0.9, interactive: false,
        dashArray: d.s[i] === "soll entwickelt werden" ? "3 3" : null}) : null;
    }).filter(function (m) { return m; });
    gruppe.addLayer(st.saum);
    gruppe.addLayer(st.linien);
    st.knoten.forEach(function (m) { gruppe.addLayer(m); });
    gruppe.addLayer(st.wahlSchicht);
    waehle(o.auswahl === null || o.auswahl === undefined ? null : o.auswahl);
  });
  map.on("zoomend", zeichne);
  RK.treffbar(map, {rang: o.rang || 8, art: "netz", gruppe: gruppe, finde: function (p) {
    if (!st.d) { return null; }
    var d = st.d, i = null, a = Infinity, zeilen;
    if (!detail()) {
      st.knoten.forEach(function (m, j) {
        var q = map.latLngToLayerPoint(m.getLatLng()), r = m.options.radius + 3, ab = q.distanceTo(p);
        if (ab <= r && ab < a) { a = ab; i = j; }
      });
    }
    if (i === null) {
      st.linien.eachLayer(function (l) {
        var j = l.feature.properties.i;
        if (i === null && (detail() || st.wahl === j) && l._pxBounds && l._containsPoint(p)) {
          i = j; zeilen = String(l.feature.properties.tt).split("\n");
        }
      });
    }
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
