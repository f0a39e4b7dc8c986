/* Zentraler Treffertest: alle Leinwände lassen die Maus durch (pointer-events: none); Bewegung und Klick
   auf der Karte werden hier gegen die sichtbaren Ebenen geprüft. Einrichtungen und Netzwerke sind
   „exklusiv“ (der oberste Treffer gewinnt), Flächen sammeln ihre Zeilen: ein Stadtteil zeigt Name,
   Sozialraum und Indikatorwert, auch wenn Choroplethe, Stadtteile und Einzugsbereich übereinanderliegen. */
RK.treffbar = function (map, eintrag) {
  var liste = map._rkTreffbar = map._rkTreffbar || [];
  liste.push(eintrag);
  liste.sort(function (a, b) { return b.rang - a.rang; });
  if (!map._rkTip) { RK.trefferTest(map); }
};
RK.sichtbar = function (map, gruppe) { return map.hasLayer(gruppe); };
RK.finde = function (map, p) {  /* {exklusiv: Treffer|null, zeilen: [Flächenzeilen]} am Ebenenpunkt p */
  var exklusiv = null, zeilen = [], gesehen = {};
  (map._rkTreffbar || []).forEach(function (e) {
    if (!RK.sichtbar(map, e.gruppe)) { return; }
    if (e.art === "flaeche") {
      if (exklusiv) { return; }
      var t = e.finde(p);
      if (t) {
        t.zeilen.forEach(function (z) { if (z && !gesehen[z]) { gesehen[z] = 1; zeilen.push(z); } });
      }
      return;
    }
    if (exklusiv && exklusiv.rang > e.rang) { return; }
    var x = e.finde(p);
    if (x && (!exklusiv || (x.a !== undefined && exklusiv.a !== undefined && x.a < exklusiv.a))) {
      x.rang = e.rang; exklusiv = x;
    }
  });
  return {exklusiv: exklusiv, zeilen: zeilen};
};
RK.trefferTest = function (map) {
  var tip = map._rkTip = L.tooltip({direction: "top", offset: [0, -8], className: "rk-tip"});
  var c = map.getContainer();
  function zeige(latlng, zeilen) {
    tip.setLatLng(latlng).setContent(RK.zeilen(zeilen));
    if (!map.hasLayer(tip)) { map.openTooltip(tip); }
  }
  map.on("mousemove", function (e) {
    var t = RK.finde(map, e.layerPoint);
    if (t.exklusiv) {
      zeige(t.exklusiv.latlng || e.latlng, t.exklusiv.zeilen);
      L.DomUtil.addClass(c, "rk-zeiger");
      return;
    }
    L.DomUtil.removeClass(c, "rk-zeiger");
    if (t.zeilen.length) { zeige(e.latlng, t.zeilen); } else if (map.hasLayer(tip)) { map.closeTooltip(tip); }
  });
  map.on("mouseout", function () { if (map.hasLayer(tip)) { map.closeTooltip(tip); } });
  map.on("click", function (e) {
    var t = RK.finde(map, e.layerPoint);
    if (t.exklusiv) {
      e._rkTreffer = true;
      if (map.hasLayer(tip)) { map.closeTooltip(tip); }
      t.exklusiv.klick();
    } else if (t.zeilen.length) {  /* Fläche: dieselben Angaben als Popup (Touch, ohne Maus) */
      L.popup({maxWidth: 340, className: "rk-flaechen-popup"}).setLatLng(e.latlng)
        .setContent(RK.zeilen(t.zeilen, "rk-zeilen rk-popup")).openOn(map);
    }
  });
};
