/* Bedienelemente: Knopf, Vollbild, Übersichtskarte, Suche, Legende, Ebenenwahl. Alles deutsch, per Tastatur
   erreichbar, Texte aus Daten als Textknoten. Änderungen an Größe/Lage melden sie mit „rklayout“, damit
   Beschriftungen und Popups ihnen ausweichen. */
var VOLLBILD_SVG = '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false" ' +
  'style="vertical-align:middle"><path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="#333" ' +
  'stroke-width="2"/></svg>';
var EBENEN_SVG = '<svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">' +
  '<path d="M10 2 1 7l9 5 9-5zM1 11l9 5 9-5M1 14.5l9 5 9-5" fill="none" stroke="#333" stroke-width="1.6" ' +
  'stroke-linejoin="round"/></svg>';
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
  /* Übersichtskarte als kleines SVG (Umrisse der Sozialräume, roter Rahmen = Ausschnitt): keine zweite
     Leaflet-Karte und keine zweite Leinwand. Klick verschiebt die Karte dorthin. */
  var B = 170, H = 125, RAND = 5, NS = "http://www.w3.org/2000/svg", crs = map.options.crs;
  var C = L.Control.extend({options: {position: "bottomleft"}, onAdd: function () {
    var div = L.DomUtil.create("div", "rk-minimap");
    div.title = "Übersichtskarte: Klick verschiebt die Karte";
    div.setAttribute("aria-hidden", "true");  /* nur Maus; die Karte selbst ist per Tastatur bedienbar */
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  }});
  var ctl = new C().addTo(map), div = ctl.getContainer();
  var svg = document.createElementNS(NS, "svg"), ringe = [], min = [Infinity, Infinity], max = [-Infinity, -Infinity];
  svg.setAttribute("width", B); svg.setAttribute("height", H); svg.setAttribute("focusable", "false");
  function sammle(k, tiefe) {  /* Ringe (Listen von [lon, lat]) aus Polygon/MultiPolygon */
    if (tiefe === 0) {
      var ring = k.map(function (p) { var q = crs.project(L.latLng(p[1], p[0])); return [q.x, q.y]; });
      ring.forEach(function (q) {
        min = [Math.min(min[0], q[0]), Math.min(min[1], q[1])]; max = [Math.max(max[0], q[0]), Math.max(max[1], q[1])];
      });
      ringe.push(ring);
      return;
    }
    k.forEach(function (t) { sammle(t, tiefe - 1); });
  }
  fc.features.forEach(function (f) {
    if (f.geometry.type === "Polygon") { sammle(f.geometry.coordinates, 1); }
    if (f.geometry.type === "MultiPolygon") { sammle(f.geometry.coordinates, 2); }
  });
  if (!ringe.length) { div.style.display = "none"; return ctl; }
  var s = Math.min((B - 2 * RAND) / Math.max(max[0] - min[0], 1e-9), (H - 2 * RAND) / Math.max(max[1] - min[1], 1e-9));
  var ox = (B - s * (max[0] - min[0])) / 2, oy = (H - s * (max[1] - min[1])) / 2;
  function bild(q) { return [ox + s * (q[0] - min[0]), H - oy - s * (q[1] - min[1])]; }  /* y: Norden oben */
  function punkt(ll) { var q = crs.project(ll); return bild([q.x, q.y]); }
  var weg = document.createElementNS(NS, "path");
  weg.setAttribute("d", ringe.map(function (r) {
    return "M" + r.map(function (q) { var b = bild(q); return b[0].toFixed(1) + " " + b[1].toFixed(1); }).join("L") + "Z";
  }).join(""));
  weg.setAttribute("fill", "rgba(85,85,85,0.12)"); weg.setAttribute("stroke", "#555555");
  weg.setAttribute("stroke-width", "1"); weg.setAttribute("fill-rule", "evenodd");
  var rahmen = document.createElementNS(NS, "rect");
  rahmen.setAttribute("fill", "none"); rahmen.setAttribute("stroke", "#c0392b"); rahmen.setAttribute("stroke-width", "2");
  svg.appendChild(weg); svg.appendChild(rahmen); div.appendChild(svg);
  function passe() {
    div.style.display = map.getSize().x < 700 ? "none" : "";  /* kleine Karte: ohne Übersicht */
    var b = map.getBounds(), a = punkt(b.getSouthWest()), c = punkt(b.getNorthEast());
    var x0 = Math.max(1, Math.min(a[0], c[0])), x1 = Math.min(B - 1, Math.max(a[0], c[0]));  /* im Bild halten */
    var y0 = Math.max(1, Math.min(a[1], c[1])), y1 = Math.min(H - 1, Math.max(a[1], c[1]));
    rahmen.setAttribute("x", x0); rahmen.setAttribute("y", y0);
    rahmen.setAttribute("width", Math.max(2, x1 - x0)); rahmen.setAttribute("height", Math.max(2, y1 - y0));
  }
  passe();
  map.on("moveend zoomend resize", passe);
  L.DomEvent.on(svg, "click", function (e) {
    var r = svg.getBoundingClientRect(), x = e.clientX - r.left, y = e.clientY - r.top;
    var q = L.point(min[0] + (x - ox) / s, min[1] + (H - oy - y) / s);
    map.panTo(crs.unproject(q));
  });
  map.fire("rklayout");
  return ctl;
};
RK.suche = function (map, listenId) {
  var C = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var div = L.DomUtil.create("div", "rk-suche leaflet-bar"), inp = L.DomUtil.create("input", "", div);
    var liste = L.DomUtil.create("datalist", "", div), info = L.DomUtil.create("div", "rk-suche-info", div);
    inp.type = "search"; inp.placeholder = "Einrichtung suchen …"; inp.setAttribute("aria-label", "Einrichtung suchen");
    inp.setAttribute("autocomplete", "off");
    info.setAttribute("role", "status");  /* „Keine Einrichtung gefunden“ wird angesagt */
    liste.id = listenId; inp.setAttribute("list", listenId);
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    function treffer(text, max) {  /* [{e, i}]: gleiche Namen zuerst, dann Teiltreffer */
      var t = text.trim().toLowerCase(), gleich = [], teil = [];
      if (!t) { return []; }
      (map._rkEinrichtungen || []).forEach(function (e) {
        if (!e.d) { return; }
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
      map.fire("rklayout");
      if (!m) { return; }
      if (!map.hasLayer(m.e.g)) { map.addLayer(m.e.g); map.fire("rkebenen"); }
      map.setView([m.e.d.y[m.i], m.e.d.x[m.i]], Math.max(map.getZoom(), 16), {animate: false});
      RK.zeige(map, m.e.d, m.i);
    }
    L.DomEvent.on(inp, "change", los);
    L.DomEvent.on(inp, "keydown", function (e) { if (e.key === "Enter") { los(); } });
    return div;
  }});
  return new C().addTo(map);
};
RK.legende = function (map, html, offen) {
  var C = L.Control.extend({options: {position: "bottomright"}, onAdd: function () {
    /* offen: siehe RK.steuerung (nur auf großen Karten); zugeklappt bleibt „Legende“ ein Klick entfernt und
       der Inhalt entsteht erst beim ersten Öffnen (die Symbole kosten beim Laden Zeit). */
    var div = L.DomUtil.create("div", "rk-legende"), auf = offen;
    div.innerHTML = auf ? html : '<details><summary>Legende</summary></details>';  /* html: in Python maskiert */
    var details = div.querySelector("details");
    if (details) {
      details.addEventListener("toggle", function () {
        if (details.open && details.children.length === 1) {
          var t = document.createElement("template");
          t.innerHTML = html;  /* in Python maskiert (karte/legende.py) */
          var voll = t.content.querySelector("details");
          while (voll && voll.children.length > 1) { details.appendChild(voll.children[1]); }
        }
        if (details.open) { RK.platzRechts(map, "legende"); }
        map.fire("rklayout");
      });
    }
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  }});
  map._rkLegende = new C().addTo(map);
  return map._rkLegende;
};
RK.platzRechts = function (map, zuletzt) {
  /* Ebenenwahl (oben rechts) und Legende (unten rechts) teilen sich die Höhe der Karte: beide bekommen
     höchstens den Rest; reicht er nicht, klappt das zuvor geöffnete zu. */
  var h = map.getSize().y, wahl = map._rkWahl, leg = map._rkLegende;
  var liste = wahl && wahl._liste, det = leg && leg.getContainer().querySelector("details");
  var legEl = leg && leg.getContainer(), knopfH = wahl ? wahl._knopf.offsetHeight : 0;
  var wahlOffen = liste && !liste.hidden, legOffen = det && det.open;
  if (wahlOffen && legOffen) {
    var noetig = liste.scrollHeight + knopfH + Math.min(legEl.scrollHeight, 200) + 60;
    if (noetig > h) {
      if (zuletzt === "legende") { wahl._zu(); } else { det.open = false; }
    }
  }
  var legH = legEl ? legEl.offsetHeight : 0, wahlH = wahl ? wahl.getContainer().offsetHeight : 0;
  if (liste) { liste.style.maxHeight = Math.max(80, h - knopfH - legH - 50) + "px"; }
  if (legEl) { legEl.style.maxHeight = Math.max(60, h - wahlH - 40) + "px"; }
};
RK.ebenenListe = function (map, liste) {  /* Inhalt der Ebenenwahl: Hintergrund (Radio), Ebenen (Häkchen) */
  var basis = (map._rkEbenen || []).filter(function (e) { return e.basis; });
  var ueber = (map._rkEbenen || []).filter(function (e) { return !e.basis; });
  if (basis.length) {
    var fs = RK.el("fieldset", "", liste), name = liste.id + "_basis";
    RK.el("legend", "", fs, "Hintergrund");
    basis.concat([{layer: null, titel: "ohne Hintergrund"}]).forEach(function (e) {
      var lab = RK.el("label", "", fs), r = RK.el("input", "", lab);
      r.type = "radio"; r.name = name; r.checked = e.layer ? map.hasLayer(e.layer) : false;
      RK.el("span", "", lab, e.titel);
      L.DomEvent.on(r, "change", function () {
        basis.forEach(function (b) { if (b.layer !== e.layer && map.hasLayer(b.layer)) { map.removeLayer(b.layer); } });
        if (e.layer && !map.hasLayer(e.layer)) { map.addLayer(e.layer); }
        map.fire("rkebenen");
      });
    });
  }
  var fs2 = RK.el("fieldset", "", liste);
  RK.el("legend", "", fs2, "Ebenen");
  ueber.forEach(function (e) {
    var lab = RK.el("label", "", fs2), cb = RK.el("input", "", lab);
    cb.type = "checkbox"; cb.checked = map.hasLayer(e.layer);
    RK.el("span", "", lab, e.titel);
    e.kasten = cb;
    L.DomEvent.on(cb, "change", function () {
      if (cb.checked) { map.addLayer(e.layer); } else { map.removeLayer(e.layer); }
      map.fire("rkebenen");
    });
  });
};
RK.ebenenwahl = function (map) {
  /* Eigene Ebenenwahl statt L.control.layers: deutsch, Namen als Text, ein echter Knopf mit aria-expanded,
     zugeklappt ohne Tabstopps (hidden), schließt bei Escape und wenn der Fokus sie verlässt. Die Liste
     entsteht erst beim ersten Öffnen (zugeklappt kostet sie beim Laden nichts). */
  var C = L.Control.extend({options: {position: "topright"}, onAdd: function () {
    var div = L.DomUtil.create("div", "rk-ebenenwahl leaflet-bar"), ctl = this;
    var knopf = this._knopf = RK.el("button", "rk-ebenen-knopf", div);
    knopf.type = "button"; knopf.setAttribute("aria-expanded", "false");
    knopf.innerHTML = EBENEN_SVG;  /* festes SVG */
    RK.el("span", "", knopf, "Ebenen");
    var liste = this._liste = RK.el("div", "rk-ebenen-liste", div);
    liste.id = map.getContainer().id + "_ebenen"; liste.hidden = true;
    knopf.setAttribute("aria-controls", liste.id);
    function auf() {
      if (!liste.firstChild) { RK.ebenenListe(map, liste); }
      liste.hidden = false; knopf.setAttribute("aria-expanded", "true"); L.DomUtil.addClass(div, "rk-offen");
      RK.platzRechts(map, "wahl"); map.fire("rklayout");
    }
    this._zu = function () {
      liste.hidden = true; knopf.setAttribute("aria-expanded", "false"); L.DomUtil.removeClass(div, "rk-offen");
      map.fire("rklayout");
    };
    L.DomEvent.on(knopf, "click", function () { if (liste.hidden) { auf(); } else { ctl._zu(); } });
    L.DomEvent.on(div, "keydown", function (e) {
      if (e.key === "Escape" && !liste.hidden) { ctl._zu(); knopf.focus(); }
    });
    div.addEventListener("focusout", function (e) {
      if (!liste.hidden && e.relatedTarget && !div.contains(e.relatedTarget)) { ctl._zu(); }
    });
    map.on("click", function () { if (!liste.hidden) { ctl._zu(); } });
    L.DomEvent.disableClickPropagation(div); L.DomEvent.disableScrollPropagation(div);
    return div;
  }});
  map._rkWahl = new C().addTo(map);
  map.on("layeradd layerremove", function (e) {  /* Suche u. a. schalten Ebenen ein: Häkchen nachziehen */
    (map._rkEbenen || []).forEach(function (x) {
      if (x.kasten && x.layer === e.layer) { x.kasten.checked = map.hasLayer(x.layer); }
    });
  });
  return map._rkWahl;
};
