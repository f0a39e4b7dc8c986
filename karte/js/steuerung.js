/* Die Karte fertig machen: Sprache und Titel des Dokuments, Bedienelemente, Detail-Zoomstufe, Popups, die
   keinem Bedienelement unter die Füße geraten, und zuletzt window.rkKarteFertig. */
RK.dokument = function (map, o) {
  /* Das streamlit-folium-iframe heißt „Streamlit Folium Component“ und ist lang="en": die Karte ist deutsch
     und hat ihren eigenen Titel (in der eigenständigen Datei steht beides schon so da). */
  document.documentElement.lang = "de";
  document.title = o.titel;
  try {
    var rahmen = window.frameElement;
    if (rahmen && !rahmen.title) { rahmen.title = o.titel; }
  } catch (e) { /* fremder Ursprung: der Rahmen gehört der Seite */ }
  var c = map.getContainer();
  c.setAttribute("role", "region");
  c.setAttribute("aria-label", o.titel);  /* Attribut, kein HTML */
};
RK.popupFrei = function (map, popup, runde) {
  /* Liegt das Popup unter einem Bedienelement (Suche, Ebenenwahl, Legende …), die Karte so wenig wie nötig
     verschieben, dass es frei liegt und ganz in der Karte bleibt. */
  if (!popup._container || !map.hasLayer(popup) || (runde || 0) > 3) { return; }
  var c = map.getContainer(), cr = c.getBoundingClientRect(), pr = popup._container.getBoundingClientRect();
  var groesse = map.getSize(), best = null;
  c.querySelectorAll(".leaflet-control, .rk-ueberschrift").forEach(function (el) {
    var r = el.getBoundingClientRect();
    if (!r.width || !(r.left < pr.right && pr.left < r.right && r.top < pr.bottom && pr.top < r.bottom)) { return; }
    [[0, r.bottom - pr.top + 6], [r.right - pr.left + 6, 0], [0, r.top - pr.bottom - 6], [r.left - pr.right - 6, 0]]
      .forEach(function (v) {
        var x = pr.left - cr.left + v[0], y = pr.top - cr.top + v[1], laenge = Math.abs(v[0]) + Math.abs(v[1]);
        if (x < 0 || y < 0 || x + pr.width > groesse.x || y + pr.height > groesse.y) { return; }
        if (!best || laenge < best.laenge) { best = {v: v, laenge: laenge}; }
      });
  });
  if (best) {
    map.panBy([-best.v[0], -best.v[1]], {animate: false});
    RK.popupFrei(map, popup, (runde || 0) + 1);
  }
};
RK.popups = function (map) {
  map.on("popupopen", function (e) {
    var zu = e.popup._closeButton;
    if (zu) { zu.setAttribute("aria-label", "Popup schließen"); zu.title = "Popup schließen"; }
    setTimeout(function () {  /* nach Leaflets eigenem Verschieben (autoPan) prüfen */
      if (map._panAnim && map._panAnim._inProgress) {
        map.once("moveend", function () { RK.popupFrei(map, e.popup); });
      } else { RK.popupFrei(map, e.popup); }
    }, 0);
  });
};
RK.ausschnitt = function (map, b, o) {
  /* Ausschnitt auf die Grenzen b – auch wenn der Rahmen erst danach seine Größe bekommt (Streamlit-iframe).
     Eine offene Legende rechts verdeckt sonst ein Drittel der Karte: dann rechts so viel Abstand. Sobald
     jemand die Karte selbst bewegt oder zoomt, bleibt der Ausschnitt, wie er ist. */
  var selbst = false, el = map.getContainer();
  ["mousedown", "wheel", "keydown", "touchstart"].forEach(function (t) {
    el.addEventListener(t, function () { selbst = true; }, {passive: true});
  });
  function passe() {
    var p = L.extend({}, o), g = map.getSize(), rand = o.padding || [0, 0];
    var offen = map._rkLegende ? !!map._rkLegende.getContainer().querySelector("details[open]") : map._rkLegendeOffen;
    var breite = 340;  /* max-width der Legende + Innenabstand (laufzeit.css): nicht messen (erzwänge ein Layout) */
    if (offen && g.x - breite > 500) {
      delete p.padding;
      p.paddingTopLeft = rand;
      p.paddingBottomRight = [breite + 16, rand[1]];
    }
    map.fitBounds(b, p);
  }
  passe();
  map.on("resize", function () { if (!selbst) { passe(); } });
};
RK.ueberschrift = function (map, text) {
  var h = RK.el("h1", "rk-ueberschrift", map._controlContainer, text);
  L.DomEvent.disableClickPropagation(h); L.DomEvent.disableScrollPropagation(h);
  return h;
};
RK.istDruck = function () {  /* Druckansicht: …/karte.html#druck (Bild-Export, karte/export.py) */
  try { return /(^|[#&])druck($|&)/.test(window.location.hash); } catch (e) { return false; }
};
RK.nordpfeil = function (map) {
  var C = L.Control.extend({options: {position: "topleft"}, onAdd: function () {
    var div = L.DomUtil.create("div", "rk-nordpfeil");
    div.setAttribute("role", "img"); div.setAttribute("aria-label", "Norden ist oben");
    div.innerHTML = NORD_SVG;  /* festes SVG, keine Daten */
    return div;
  }});
  return new C().addTo(map);
};
RK.quelle = function (map, text) {
  /* Quellenangabe und Erstellungsdatum in der Attribution (als Text maskiert: Leaflet setzt sie als HTML) */
  var d = new Date(), zwei = function (n) { return (n < 10 ? "0" : "") + n; };
  var datum = zwei(d.getDate()) + "." + zwei(d.getMonth() + 1) + "." + d.getFullYear();
  var sicher = String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  map.attributionControl.addAttribution(sicher + ", erstellt am " + datum);
};
var NORD_SVG = '<svg viewBox="0 0 40 56" width="34" height="48" aria-hidden="true" focusable="false">' +
  '<text x="20" y="14" text-anchor="middle" font-family="system-ui, sans-serif" font-size="14" ' +
  'font-weight="700" fill="#1f2933">N</text><path d="M20 18 30 52 20 44 10 52z" fill="#1f2933"/>' +
  '<path d="M20 18 20 44 10 52z" fill="#ffffff" stroke="#1f2933" stroke-width="1.2"/></svg>';
RK.steuerung = function (map, o) {
  var druck = RK.istDruck();
  if (o.praesentation) { L.DomUtil.addClass(map.getContainer(), "rk-praesentation"); }
  if (druck) { L.DomUtil.addClass(map.getContainer(), "rk-druck"); }
  RK.dokument(map, o);
  function detailZoom() {  /* eine Stufe näher als die ganze Kommune: Stadtteilnamen und Netzwerklinien */
    if (!o.gesamt || !map.getSize().x) { map._rkDetailZoom = map.getZoom() + 1; return; }
    map._rkDetailZoom = map.getBoundsZoom(o.gesamt) + 1;
  }
  detailZoom();
  map.on("resize", detailZoom);
  if (!druck) {
    L.control.zoom({position: "topleft", zoomInTitle: "Hineinzoomen", zoomOutTitle: "Herauszoomen"}).addTo(map);
  }
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  RK.popups(map);
  var groesse = map.getSize();  /* offene Legende nur, wo sie nicht ein Drittel der Karte verdeckt */
  map._rkLegendeOffen = !!(o.legende && (druck || (o.legendeOffen && groesse.x >= 1000 && groesse.y >= 600)));
  function bedienung() {
    if (druck) {  /* auf Papier: nichts zum Klicken, dafür Nordpfeil und Quelle */
      RK.nordpfeil(map);
      if (o.quelle) { RK.quelle(map, o.quelle); }
    } else {
      RK.vollbild(map);
      if (o.suche) { RK.suche(map, o.listenId); }
      RK.ebenenwahl(map);
    }
    L.control.scale({imperial: false, position: "bottomleft"}).addTo(map);
    if (o.legende) { RK.legende(map, o.legende, map._rkLegendeOffen); }
    if (o.ueberschrift) { RK.ueberschrift(map, o.ueberschrift); }
  }
  RK.daten(map, o.minimap ? "minimap" : null, function (mini) {  /* nach allen Ebenen */
    detailZoom();
    (map._rkEbenen || []).forEach(function (e) { if (e.layer._rkNetz) { e.layer._rkNetz.zeichne(); } });
    /* Was nicht zum ersten Bild der Karte gehört – Bedienelemente, Übersichtskarte (eine zweite Leaflet-Karte),
       Beschriftungen (sie weichen den Bedienelementen aus) –, entsteht gleich nach dem ersten Zeichnen:
       die Inhalte sind früher zu sehen, die Bedienung ein Bild später. */
    L.Util.requestAnimFrame(function () {
      setTimeout(function () {
        bedienung();
        if (mini) { RK.minimap(map, RK.fc(mini)); }
        RK.platzRechts(map);
        if (map._rkLabel) { RK.beschriftung.setze(map); }
        window.rkKarteFertig = true;
      }, 0);
    });
  });
};
