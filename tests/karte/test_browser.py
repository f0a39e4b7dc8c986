"""Echter Browser (Debians Chromium, jede nicht-lokale Anfrage blockiert): was die eigenständige Karte zeigt.

Geprüft wird, was im Browser zu sehen ist (Text von Tooltips, Popups, Beschriftungen, Ebenenwahl,
Legende; Lage von Elementen; angefragte Kachel-Adressen), nicht der Quelltext.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from karte import baue_karte, speichere_html, speichere_png
from tests.karte.browser import KARTE, Seite, braucht_chromium, im_browser
from tests.karte.conftest import XSS, karten_daten

pytestmark = pytest.mark.browser

CHORO = {"merkmal": "sgb2_quote_u15", "jahr": 2024, "klassen": 3}
# Bildschirmlage einer Einrichtung (nach Name) und eines Punkts (lat, lon)
_EINRICHTUNG = f"""(name) => {{
  const map = {KARTE}, r = map.getContainer().getBoundingClientRect();
  for (const e of map._rkEinrichtungen) {{
    const i = e.d.n.indexOf(name);
    if (i >= 0) {{ const p = map.latLngToContainerPoint([e.d.y[i], e.d.x[i]]); return [r.left + p.x, r.top + p.y]; }}
  }}
  return null;
}}"""
_ORT = f"""(ll) => {{
  const map = {KARTE}, r = map.getContainer().getBoundingClientRect(), p = map.latLngToContainerPoint(ll);
  return [r.left + p.x, r.top + p.y];
}}"""
_POPUP = """() => { const p = document.querySelector(".leaflet-popup-content");
  return p && {text: p.textContent, bilder: p.querySelectorAll("img, svg, script").length,
               zeilen: [...p.querySelectorAll("tr")].map(t => t.textContent)}; }"""
_SICHTBARE_LABELS = """() => [...document.querySelectorAll('.rk-label')].filter(e => e.style.display !== 'none')
  .map(e => { const r = e.getBoundingClientRect();
              return {text: e.textContent, art: e.className, x: r.left, y: r.top, w: r.width, h: r.height}; })"""
_HINDERNISSE = """() => [...document.querySelectorAll('.leaflet-control, .rk-ueberschrift')]
  .map(e => e.getBoundingClientRect()).filter(r => r.width > 0)
  .map(r => ({x: r.left, y: r.top, w: r.width, h: r.height}))"""


@pytest.fixture(scope="module")
def artefakte(tmp_path_factory) -> Path:
    ziel = Path(os.environ["RK_ARTEFAKTE"]) if os.environ.get("RK_ARTEFAKTE") else tmp_path_factory.mktemp("karte")
    ziel.mkdir(parents=True, exist_ok=True)
    return ziel


def _schneidet(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and a["y"] < b["y"] + b["h"] and \
        b["y"] < a["y"] + a["h"]


@pytest.fixture(scope="module")
def xss_html(artefakte, kommune) -> Path:
    braucht_chromium()
    daten = karten_daten(xss=True)
    daten["sozialraeume"].loc[1, "name"] = XSS  # auch eine feste Beschriftung und ein Tooltip
    daten["stadtteile"]["sozialraum"] = daten["stadtteile"]["sozialraum"].replace("Ost", XSS)
    daten["einrichtungen"].loc[daten["einrichtungen"].index[3], "art"] = XSS  # Art → Ebene, Legende
    daten["netzwerk_kanten"].loc[0, "netzwerk"] = XSS
    m = baue_karte(**daten, kommune=kommune, einzugsbereiche=("kita",), basemap="osm", choropleth=CHORO,
                   titel=XSS)
    return speichere_html(m, artefakte / "karte_xss.html")


def test_png_offline_ohne_skriptausfuehrung(xss_html, artefakte):
    png = artefakte / "karte_xss.png"
    bericht = speichere_png(xss_html, png, breite=1200, hoehe=800)
    assert png.stat().st_size > 20_000
    assert bericht.dialoge == [], f"ein eingeschleustes Skript lief: {bericht.dialoge}"
    assert bericht.fehler == [], bericht.fehler
    assert bericht.canvas >= 2  # Karte (Panes) und Übersichtskarte
    assert bericht.beschriftungen == 2
    fremd = [u for u in bericht.blockiert if "tile.openstreetmap.org" not in u]
    assert fremd == [], f"nicht-lokale Anfragen außer Kacheln: {fremd[:5]}"


def _xss_ansehen(s: Seite) -> dict:
    page = s.page
    aus: dict = {"titel": page.title(), "labels": [x["text"] for x in s.js(_SICHTBARE_LABELS)]}
    x, y = s.js(_EINRICHTUNG, XSS)
    s.maus(x, y)
    aus["tooltip"] = s.tooltip()
    page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content")
    s.ruhig()
    aus["popup"] = s.js(_POPUP)
    page.click(".rk-ebenen-knopf")
    aus["ebenen"] = page.locator(".rk-ebenen-liste label").all_text_contents()
    aus["legende"] = page.locator(".rk-legende").text_content()
    aus["ueberschrift"] = page.locator(".rk-ueberschrift").text_content()
    aus["bilder"] = page.locator("img:not(.leaflet-tile), .leaflet-container script").count()
    aus["dialoge"], aus["fehler"] = s.dialoge, s.fehler
    return aus


def test_xss_erscheint_im_browser_als_text(xss_html):
    """Was der Browser zeigt: die Nutzlast als Zeichen in Tooltip, Popup, Beschriftung, Ebenenwahl, Legende."""
    erg = im_browser(xss_html, _xss_ansehen)
    assert erg["dialoge"] == [] and erg["fehler"] == []
    assert erg["bilder"] == 0  # kein <img> (und kein Skript) aus Daten entstanden
    assert erg["titel"].startswith(XSS) and erg["ueberschrift"].startswith(XSS)
    assert erg["tooltip"] == [XSS]
    assert erg["popup"]["text"].startswith(XSS) and erg["popup"]["bilder"] == 0
    assert f"Träger{XSS} (frei)" in erg["popup"]["zeilen"]
    assert XSS in erg["labels"]
    assert f"Einrichtungen: {XSS} (1)" in erg["ebenen"]
    assert f"{XSS} (1)" in erg["legende"] and f"Sozialraum {XSS}" not in erg["legende"]


def _stadtteil_und_netz(s: Seite) -> dict:
    page, aus = s.page, {}
    # Stadtteil „Westoben“: eine Stelle weit weg von Punkten und Linien (nahe seiner oberen linken Ecke)
    ecke = s.js(f"""() => {{ const map = {KARTE};
      let b = null; map.eachLayer(l => {{ if (l.feature && l.feature.properties.n === 'Westoben' && l.getBounds)
        b = l.getBounds(); }});
      return [b.getNorth() - (b.getNorth() - b.getSouth()) * 0.15, b.getWest() + (b.getEast() - b.getWest()) * 0.15];
    }}""")
    s.maus(*s.js(_ORT, ecke))
    aus["stadtteil"] = s.tooltip()
    # Netz A: Knoten in der Mitte zwischen Einrichtung 1 und 2 (Stadtansicht)
    mitte = s.js(f"""() => {{ const map = {KARTE}, e = map._rkEinrichtungen.flatMap(e => e.d.n.map((n, i) =>
      [n, e.d.y[i], e.d.x[i]])); const a = e.find(x => x[0] === 'Einrichtung 1'), b = e.find(x => x[0] ===
      'Einrichtung 2'); return [(a[1] + b[1]) / 2, (a[2] + b[2]) / 2]; }}""")
    s.maus(*s.js(_ORT, mitte))
    aus["knoten"] = s.tooltip()
    page.click(".rk-ebenen-knopf")
    page.get_by_label("Netzwerke", exact=True).uncheck()
    s.ruhig()
    s.maus(*s.js(_ORT, mitte))
    aus["netz_aus"] = s.tooltip()
    page.get_by_label("Netzwerke", exact=True).check()
    page.keyboard.press("Escape")
    # vergrößert (Detail-Zoomstufe): Linien statt Knoten; knapp neben der Linie wieder der Stadtteil
    s.js(f"(ll) => {{ const m = {KARTE}; m.setView(ll, m._rkDetailZoom + 0.5, {{animate: false}}); }}", mitte)
    s.ruhig()
    x, y = s.js(_ORT, mitte)
    s.maus(x, y + 8)
    aus["linie"] = s.tooltip()
    s.maus(x + 40, y)
    aus["neben_linie"] = s.tooltip()
    aus["fehler"] = s.fehler
    return aus


def test_stadtteil_tooltip_und_netz_faengt_die_maus_nicht(artefakte, kommune):
    daten = karten_daten()
    m = baue_karte(**daten, kommune=kommune, basemap="keine", choropleth=CHORO)
    erg = im_browser(speichere_html(m, artefakte / "karte_tooltip.html"), _stadtteil_und_netz)
    assert erg["fehler"] == []
    wert = "Kinder unter 15 in SGB-II-Bedarfsgemeinschaften 2024: 12,5 %"
    assert erg["stadtteil"] == ["Stadtteil Westoben", "Sozialraum West (Gremium Stufe 1)", wert]
    assert erg["knoten"][0] == "Netz A (besteht)" and "2 Mitglieder, Sozialraum West" in erg["knoten"]
    # ausgeschaltet fängt das Netzwerk nichts: dort erscheint der Stadtteil darunter
    assert erg["netz_aus"][0].startswith("Stadtteil ")
    assert erg["linie"][:2] == ["Netz A (besteht)", "Einrichtung 1 – Einrichtung 2"]
    assert erg["neben_linie"][0].startswith("Stadtteil West")  # eingeschaltet blockiert es die Flächen nicht


def _netz_waehlen(s: Seite) -> dict:
    page = s.page
    mitte = s.js(f"() => {{ const m = {KARTE}; const n = m._rkEbenen.find(e => e.layer._rkNetz).layer._rkNetz;"
                 " return n.d.hub[1]; }")
    x, y = s.js(_ORT, mitte)
    vorher = page.screenshot()
    page.mouse.click(x, y)
    s.ruhig()
    gewaehlt = s.js(f"() => {{ const m = {KARTE}; return m._rkEbenen.find(e => e.layer._rkNetz).layer._rkNetz.wahl; }}")
    mitglied = s.js(_EINRICHTUNG, "Einrichtung 3")
    nachher = page.screenshot()
    s.maus(x, y)
    tip = s.tooltip()
    page.mouse.click(5, 400)  # ins Leere: Hervorhebung aufheben
    s.ruhig()
    wieder = s.js(f"() => {{ const m = {KARTE}; return m._rkEbenen.find(e => e.layer._rkNetz).layer._rkNetz.wahl; }}")
    return {"gewaehlt": gewaehlt, "wieder": wieder, "vorher": vorher, "nachher": nachher, "mitglied": mitglied,
            "tip": tip, "dpr": s.js("() => window.devicePixelRatio")}


def test_netzwerk_klick_hebt_mitglieder_hervor(artefakte, kommune):
    import io

    from PIL import Image

    m = baue_karte(**karten_daten(), kommune=kommune, basemap="keine")
    erg = im_browser(speichere_html(m, artefakte / "karte_netz.html"), _netz_waehlen)
    assert erg["gewaehlt"] == 1 and erg["wieder"] is None
    assert erg["tip"][-1] == "Klick: Hervorhebung aufheben"
    # sichtbar: ein Ring (Netzfarbe) 12 px um das Mitglied „Einrichtung 3“ erscheint erst nach dem Klick
    vorher, nachher = (Image.open(io.BytesIO(b)).convert("RGB") for b in (erg["vorher"], erg["nachher"]))
    x, y = erg["mitglied"]
    ring = [(round(x + dx), round(y + dy)) for dx, dy in ((12, 0), (-12, 0), (0, 12), (0, -12))]
    from karte.netze import NETZ_FARBEN

    farbe = tuple(int(NETZ_FARBEN[1][i:i + 2], 16) for i in (1, 3, 5))  # Farbe des zweiten Netzwerks
    nah = [p for p in ring if max(abs(a - b) for a, b in zip(nachher.getpixel(p), farbe, strict=True)) < 40]
    assert len(nah) >= 3, [nachher.getpixel(p) for p in ring]
    assert all(vorher.getpixel(p) != nachher.getpixel(p) for p in nah)


def _labels(s: Seite) -> dict:
    aus = {"stadt": s.js(_SICHTBARE_LABELS), "hindernisse_stadt": s.js(_HINDERNISSE)}
    s.js(f"() => {{ const m = {KARTE}; m.setView(m.getCenter(), m._rkDetailZoom + 0.25, {{animate: false}}); }}")
    s.ruhig()
    aus["nah"], aus["hindernisse_nah"] = s.js(_SICHTBARE_LABELS), s.js(_HINDERNISSE)
    aus["rahmen"] = s.js(f"() => {{ const r = {KARTE}.getContainer().getBoundingClientRect(); "
                         "return {x: r.left, y: r.top, w: r.width, h: r.height}; }")
    return aus


def _pruefe_labels(labels: list[dict], hindernisse: list[dict], rahmen: dict) -> None:
    for i, a in enumerate(labels):
        assert rahmen["x"] <= a["x"] and a["x"] + a["w"] <= rahmen["x"] + rahmen["w"], f"abgeschnitten: {a}"
        assert rahmen["y"] <= a["y"] and a["y"] + a["h"] <= rahmen["y"] + rahmen["h"], f"abgeschnitten: {a}"
        for b in labels[i + 1:]:
            assert not _schneidet(a, b), f"Beschriftungen überlappen: {a['text']} / {b['text']}"
        for h in hindernisse:
            assert not _schneidet(a, h), f"Beschriftung {a['text']} unter einem Bedienelement {h}"


def test_beschriftungen_ohne_ueberschneidung_und_stadtteile_vergroessert(demo_sqlite_url, kommune, artefakte):
    """Demo-Mainz (lange Namen wie „Altstadt, Hartenberg/Münchfeld“) in einem schmalen Rahmen mit Legende."""
    from daten.db import erstelle_engine
    from daten.kartendaten import lade_kartendaten

    engine = erstelle_engine(demo_sqlite_url)
    daten = lade_kartendaten(engine, kommune)
    engine.dispose()
    m = baue_karte(**daten.als_argumente(), kommune=kommune, basemap="keine")
    erg = im_browser(speichere_html(m, artefakte / "karte_labels.html"), _labels, breite=900, hoehe=620)
    _pruefe_labels(erg["stadt"], erg["hindernisse_stadt"], erg["rahmen"])
    _pruefe_labels(erg["nah"], erg["hindernisse_nah"], erg["rahmen"])
    assert len(erg["stadt"]) >= 6
    assert all("sozialraum" in a["art"] for a in erg["stadt"])  # Stadtansicht: nur Sozialräume
    stadtteile = [a["text"] for a in erg["nah"] if "stadtteil" in a["art"]]
    assert stadtteile, "vergrößert erscheinen Stadtteilnamen"
    assert set(stadtteile) <= set(daten.stadtteile["name"])


_TABSTOPPS = """() => [...document.querySelectorAll('a[href], button, input, select, summary, [tabindex]')]
  .filter(e => e.tabIndex >= 0 && !e.disabled && e.checkVisibility()).length"""
_RECHTECK = "(sel) => { const r = document.querySelector(sel).getBoundingClientRect(); " \
    "return {x: r.left, y: r.top, w: r.width, h: r.height}; }"


def _suche(s: Seite) -> dict:
    page = s.page
    page.fill(".rk-suche input", "Einrichtung 2")
    page.press(".rk-suche input", "Enter")
    page.wait_for_selector(".leaflet-popup-content")
    s.ruhig()
    aus = {"titel": page.locator(".leaflet-popup-content .rk-titel").text_content(),
           "popup": s.js(_RECHTECK, ".leaflet-popup"), "hindernisse": s.js(_HINDERNISSE),
           "rahmen": s.js(_RECHTECK, ".leaflet-container"),
           "schliessen": page.locator(".leaflet-popup-close-button").get_attribute("aria-label")}
    page.fill(".rk-suche input", "gibt es nicht")
    page.press(".rk-suche input", "Enter")
    status = page.locator(".rk-suche-info")
    aus["status"] = (status.get_attribute("role"), status.text_content())
    return aus


def test_suche_popup_liegt_frei_und_meldet_keinen_treffer(artefakte, kommune):
    m = baue_karte(**karten_daten(), kommune=kommune, basemap="keine")
    erg = im_browser(speichere_html(m, artefakte / "karte_suche.html"), _suche, breite=600, hoehe=520)
    assert erg["titel"] == "Einrichtung 2"
    p, r = erg["popup"], erg["rahmen"]
    assert r["x"] <= p["x"] and p["x"] + p["w"] <= r["x"] + r["w"]  # ganz in der Karte
    assert r["y"] <= p["y"] and p["y"] + p["h"] <= r["y"] + r["h"]
    verdeckt = [h for h in erg["hindernisse"] if _schneidet(p, h)]
    assert verdeckt == [], f"Popup unter Bedienelementen: {verdeckt}"
    assert erg["schliessen"] == "Popup schließen"
    assert erg["status"] == ("status", "Keine Einrichtung gefunden.")


def _ebenenwahl(s: Seite) -> dict:
    page, aus = s.page, {}
    aus["zu"] = s.js(_TABSTOPPS)
    page.click(".rk-legende summary")  # Legende auf …
    page.focus(".rk-ebenen-knopf")
    page.keyboard.press("Enter")  # … und Ebenenwahl per Tastatur auf
    s.ruhig()
    aus["expanded"] = page.get_attribute(".rk-ebenen-knopf", "aria-expanded")
    aus["offen"] = s.js(_TABSTOPPS)
    aus["liste"], aus["legende"] = s.js(_RECHTECK, ".rk-ebenenwahl"), s.js(_RECHTECK, ".rk-legende")
    aus["legende_offen"] = s.js("() => document.querySelector('.rk-legende details').open")
    aus["rahmen"] = s.js(_RECHTECK, ".leaflet-container")
    aus["beschriftungen"] = page.locator(".rk-ebenen-liste label").all_text_contents()
    page.keyboard.press("Escape")
    aus["nach_escape"] = (page.get_attribute(".rk-ebenen-liste", "hidden") is not None,
                          s.js("() => document.activeElement.className"))
    page.keyboard.press("Enter")
    page.locator(".rk-ebenen-liste input").last.focus()
    page.keyboard.press("Tab")  # Fokus verlässt die Ebenenwahl: sie klappt zu, keine Tabstopps mehr
    aus["nach_tab"] = (page.get_attribute(".rk-ebenen-liste", "hidden") is not None, s.js(_TABSTOPPS))
    texte = s.js("""() => [...document.querySelectorAll('*')].flatMap(e => [e.getAttribute('title'),
      e.getAttribute('aria-label')]).concat([document.body.innerText]).filter(Boolean).join(' | ')""")
    aus["englisch"] = [w for w in ("Layers", "Zoom in", "Zoom out", "Close popup", "Toggle", "Search")
                       if w.lower() in texte.lower()]
    return aus


def test_ebenenwahl_deutsch_tastatur_und_platz_neben_der_legende(artefakte, kommune):
    m = baue_karte(**karten_daten(), kommune=kommune, choropleth=CHORO, einzugsbereiche=("kita", "asd"))
    erg = im_browser(speichere_html(m, artefakte / "karte_ebenen.html"), _ebenenwahl, breite=1100, hoehe=480)
    assert erg["expanded"] == "true" and erg["offen"] > erg["zu"] + 8
    assert "OpenStreetMap" in erg["beschriftungen"] and "ohne Hintergrund" in erg["beschriftungen"]
    liste, r = erg["liste"], erg["rahmen"]
    assert liste["y"] + liste["h"] <= r["y"] + r["h"], "Ebenenwahl höher als die Karte"
    if erg["legende_offen"]:
        assert not _schneidet(liste, erg["legende"]), "Ebenenwahl und Legende überlappen"
    assert erg["nach_escape"] == (True, "rk-ebenen-knopf")
    assert erg["nach_tab"] == (True, erg["zu"])
    assert erg["englisch"] == []


def _fokus(s: Seite) -> dict:
    page = s.page
    page.keyboard.press("Tab")  # erster Tabstopp: die Karte selbst (Pfeiltasten verschieben, +/- zoomen)
    karte = s.js("""() => { const a = document.activeElement, st = getComputedStyle(a, '::after');
      return {klasse: a.className, rahmen: st.borderTopWidth, farbe: st.borderTopColor}; }""")
    page.keyboard.press("Tab")
    knopf = s.js("""() => { const a = document.activeElement, st = getComputedStyle(a);
      return {titel: a.title, breite: st.outlineWidth, stil: st.outlineStyle}; }""")
    return {"karte": karte, "knopf": knopf}


def test_fokus_sichtbar(artefakte, kommune):
    m = baue_karte(**karten_daten(), kommune=kommune, basemap="keine")
    erg = im_browser(speichere_html(m, artefakte / "karte_fokus.html"), _fokus)
    assert "leaflet-container" in erg["karte"]["klasse"]
    assert erg["karte"]["rahmen"] == "3px" and erg["karte"]["farbe"] == "rgb(11, 87, 208)"
    assert erg["knopf"]["titel"] == "Hineinzoomen"
    assert erg["knopf"]["breite"] == "3px" and erg["knopf"]["stil"] == "solid"


@pytest.mark.parametrize(("basemap", "host"), [("osm", "tile.openstreetmap.org"),
                                               ("basemapde", "sgx.geodatenzentrum.de"), ("keine", None)])
def test_hintergrund_laedt_die_gewaehlten_kacheln(artefakte, kommune, basemap, host):
    m = baue_karte(**karten_daten(), kommune=kommune, basemap=basemap)
    pfad = speichere_html(m, artefakte / f"karte_{basemap}.html")
    blockiert = im_browser(pfad, lambda s: list(s.blockiert))
    from urllib.parse import urlparse

    hosts = {urlparse(u).hostname for u in blockiert}
    assert hosts == ({host} if host else set())


def test_choropleth_legende_zeigt_die_klassen_des_gewaehlten_indikators(artefakte, kommune):
    daten = karten_daten()
    lesen = lambda s: s.page.locator(".rk-legende").text_content()  # noqa: E731
    quote = im_browser(speichere_html(baue_karte(**daten, kommune=kommune, basemap="keine", choropleth={
        "merkmal": "sgb2_quote_u15", "jahr": 2024, "klassifikation": "equal_interval", "klassen": 3}),
        artefakte / "karte_choro1.html"), lesen)
    anzahl = im_browser(speichere_html(baue_karte(**daten, kommune=kommune, basemap="keine", choropleth={
        "merkmal": "einwohner", "jahr": 2024, "klassifikation": "equal_interval", "klassen": 3}),
        artefakte / "karte_choro2.html"), lesen)
    assert "Kinder unter 15 in SGB-II-Bedarfsgemeinschaften 2024" in quote
    assert "5,0 bis 12,5 %" in quote and "über 20,0 bis 27,5 %" in quote
    assert "Einwohnerinnen und Einwohner 2024" in anzahl and "Einheit: Personen" in anzahl
    assert "10.000 bis 12.000" in anzahl and "über 14.000 bis 16.000" in anzahl
    assert "%" not in anzahl.split("Einrichtungen")[0]


def _auswahl(s: Seite) -> dict:
    return s.js(f"""() => {{ const m = {KARTE}, b = m.getBounds();
      return {{zoom: m.getZoom(), detail: m._rkDetailZoom, n: b.getNorth(), s: b.getSouth(), w: b.getWest(),
               o: b.getEast()}}; }}""")


def test_auswahl_stadtteil_zoomt_hin(artefakte, kommune):
    daten = karten_daten()
    gesamt = im_browser(speichere_html(baue_karte(**daten, kommune=kommune, basemap="keine"),
                                       artefakte / "karte_alle.html"), _auswahl)
    m = baue_karte(**daten, kommune=kommune, basemap="keine", auswahl_stadtteil="Ostunten")
    erg = im_browser(speichere_html(m, artefakte / "karte_stadtteil.html"), _auswahl)
    w, s, o, n = daten["stadtteile"].set_index("name").loc[["Ostunten"]].total_bounds
    assert erg["w"] <= w and erg["o"] >= o and erg["s"] <= s and erg["n"] >= n  # ganz zu sehen …
    assert erg["zoom"] >= gesamt["zoom"] + 0.75  # … und näher als die ganze Stadt
    assert erg["w"] > daten["stadtteile"].total_bounds[0]  # der Westen liegt außerhalb


def test_komprimiertes_paket_im_browser(kommune, tmp_path, monkeypatch):
    """Großes Paket (hier erzwungen): deflate, im Browser per DecompressionStream entpackt."""
    monkeypatch.setattr("karte.paket.UNKOMPRIMIERT_BIS", 0)
    html = speichere_html(baue_karte(**karten_daten(xss=True), kommune=kommune, basemap="keine"), tmp_path / "k.html")
    assert '"-' not in html.read_text(encoding="utf-8").split("RK.paket(", 1)[1][:40]
    erg = im_browser(html, lambda s: {"punkte": s.js(f"() => {KARTE}._rkEinrichtungen.reduce("
                                                     "(n, e) => n + e.d.n.length, 0)"), "fehler": s.fehler})
    assert erg["fehler"] == [] and erg["punkte"] == 12


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """axe-core aus der npm-Registry (niemand hier hat es geschrieben), einmal in einen Cache installiert."""
    import shutil
    import subprocess

    ordner = Path(os.environ.get("RK_AXE_DIR", Path.home() / ".cache" / "rk-axe"))
    datei = ordner / "node_modules" / "axe-core" / "axe.min.js"
    if not datei.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--silent", "--prefix", str(ordner), "axe-core"], capture_output=True,
                       timeout=300, check=False)
    if not datei.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("axe-core nicht installierbar (npm install axe-core), CI=true")
        pytest.skip("axe-core nicht installierbar (npm fehlt oder keine Registry)")
    return datei


def _axe(datei: Path):  # noqa: ANN202
    def lauf(s: Seite) -> dict:
        s.page.add_script_tag(path=str(datei))
        erg = s.js("() => axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
        schwer = [(v["id"], v["impact"], len(v["nodes"]), v["nodes"][0]["html"][:120]) for v in erg["violations"]
                  if v["impact"] in ("serious", "critical")]
        return {"schwer": schwer, "lang": s.js("() => document.documentElement.lang"), "titel": s.page.title()}
    return lauf


def test_axe_core_findet_keine_schweren_verstoesse(axe_js, demo_sqlite_url, kommune, xss_html, artefakte):
    from daten.db import erstelle_engine
    from daten.kartendaten import lade_kartendaten

    engine = erstelle_engine(demo_sqlite_url)
    daten = lade_kartendaten(engine, kommune)
    engine.dispose()
    mainz = speichere_html(baue_karte(**daten.als_argumente(), kommune=kommune, choropleth={
        "merkmal": "sgb2_quote_u15", "jahr": int(daten.indikatoren["jahr"].max())}, titel="Ressourcenkarte Mainz",
        jahr=2024), artefakte / "karte_axe.html")
    for pfad in (mainz, xss_html):
        erg = im_browser(pfad, _axe(axe_js), breite=1400, hoehe=900)
        assert erg["schwer"] == [], f"{pfad.name}: {erg['schwer']}"
        assert erg["lang"] == "de" and erg["titel"]
