"""Echter Browser (Debians Chromium, jede nicht-lokale Anfrage blockiert): was die eigenständige Karte zeigt.

Geprüft wird, was im Browser zu sehen ist (Text von Tooltips, Popups, Beschriftungen, Ebenenwahl,
Legende; Lage von Elementen), nicht der Quelltext. Bedienung, Kacheln und axe-core:
test_browser_bedienung.py.
"""

from __future__ import annotations

import pytest

from karte import Bildformat, baue_karte, speichere_html, speichere_png
from tests.karte.browser import (
    EINRICHTUNG,
    HINDERNISSE,
    KARTE,
    ORT,
    POPUP,
    SICHTBARE_LABELS,
    Seite,
    im_browser,
    schneidet,
)
from tests.karte.conftest import CHORO, XSS, karten_daten

pytestmark = pytest.mark.browser
def test_png_offline_ohne_skriptausfuehrung(xss_html, artefakte):
    png = artefakte / "karte_xss.png"
    bericht = speichere_png(xss_html, png, bildformat=Bildformat(dpi=96))  # A4 quer: 1123 × 794 Pixel
    assert png.stat().st_size > 20_000
    assert bericht.dialoge == [], f"ein eingeschleustes Skript lief: {bericht.dialoge}"
    assert bericht.fehler == [], bericht.fehler
    assert bericht.canvas == 1  # eine Leinwand für Flächen, Linien und Einrichtungen (Übersicht: SVG)
    assert bericht.beschriftungen == 2
    fremd = [u for u in bericht.blockiert if "tile.openstreetmap.org" not in u]
    assert fremd == [], f"nicht-lokale Anfragen außer Kacheln: {fremd[:5]}"


def _xss_ansehen(s: Seite) -> dict:
    page = s.page
    aus: dict = {"titel": page.title(), "labels": [x["text"] for x in s.js(SICHTBARE_LABELS)]}
    x, y = s.js(EINRICHTUNG, XSS)
    s.maus(x, y)
    aus["tooltip"] = s.tooltip()
    page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content")
    s.ruhig()
    aus["popup"] = s.js(POPUP)
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
    s.maus(*s.js(ORT, ecke))
    aus["stadtteil"] = s.tooltip()
    # Netz A: Knoten in der Mitte zwischen Einrichtung 1 und 2 (Stadtansicht)
    mitte = s.js(f"""() => {{ const map = {KARTE}, e = map._rkEinrichtungen.flatMap(e => e.d.n.map((n, i) =>
      [n, e.d.y[i], e.d.x[i]])); const a = e.find(x => x[0] === 'Einrichtung 1'), b = e.find(x => x[0] ===
      'Einrichtung 2'); return [(a[1] + b[1]) / 2, (a[2] + b[2]) / 2]; }}""")
    s.maus(*s.js(ORT, mitte))
    aus["knoten"] = s.tooltip()
    page.click(".rk-ebenen-knopf")
    page.get_by_label("Netzwerke", exact=True).uncheck()
    s.ruhig()
    s.maus(*s.js(ORT, mitte))
    aus["netz_aus"] = s.tooltip()
    page.get_by_label("Netzwerke", exact=True).check()
    page.keyboard.press("Escape")
    # vergrößert (Detail-Zoomstufe): Linien statt Knoten; knapp neben der Linie wieder der Stadtteil
    s.js(f"(ll) => {{ const m = {KARTE}; m.setView(ll, m._rkDetailZoom + 0.5, {{animate: false}}); }}", mitte)
    s.ruhig()
    x, y = s.js(ORT, mitte)
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
    x, y = s.js(ORT, mitte)
    vorher = page.screenshot()
    page.mouse.click(x, y)
    s.ruhig()
    gewaehlt = s.js(f"() => {{ const m = {KARTE}; return m._rkEbenen.find(e => e.layer._rkNetz).layer._rkNetz.wahl; }}")
    mitglied = s.js(EINRICHTUNG, "Einrichtung 3")
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
    aus = {"stadt": s.js(SICHTBARE_LABELS), "hindernisse_stadt": s.js(HINDERNISSE)}
    s.js(f"() => {{ const m = {KARTE}; m.setView(m.getCenter(), m._rkDetailZoom + 0.25, {{animate: false}}); }}")
    s.ruhig()
    aus["nah"], aus["hindernisse_nah"] = s.js(SICHTBARE_LABELS), s.js(HINDERNISSE)
    aus["rahmen"] = s.js(f"() => {{ const r = {KARTE}.getContainer().getBoundingClientRect(); "
                         "return {x: r.left, y: r.top, w: r.width, h: r.height}; }")
    return aus


def _pruefe_labels(labels: list[dict], hindernisse: list[dict], rahmen: dict) -> None:
    for i, a in enumerate(labels):
        assert rahmen["x"] <= a["x"] and a["x"] + a["w"] <= rahmen["x"] + rahmen["w"], f"abgeschnitten: {a}"
        assert rahmen["y"] <= a["y"] and a["y"] + a["h"] <= rahmen["y"] + rahmen["h"], f"abgeschnitten: {a}"
        for b in labels[i + 1:]:
            assert not schneidet(a, b), f"Beschriftungen überlappen: {a['text']} / {b['text']}"
        for h in hindernisse:
            assert not schneidet(a, h), f"Beschriftung {a['text']} unter einem Bedienelement {h}"


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



def test_fehlende_ressource_zeigt_beim_ueberfahren_ihren_text(artefakte, kommune):
    """Frage 6: über dem Kreis einer fehlenden Ressource erscheint ihr Tooltip – als Text, auch mit HTML darin;
    neben dem Kreis (700 m weiter) nicht."""
    from datetime import date

    import geopandas as gpd
    import shapely

    daten = karten_daten()
    innen = daten["stadtteile"].geometry.iloc[0].representative_point()  # dort steht eine Einrichtung
    ort = shapely.Point(innen.x + 0.002, innen.y + 0.001)
    fehlt = gpd.GeoDataFrame({"bezeichnung": [XSS], "sozialraum": ["West"], "datum": [date(2025, 5, 6)]},
                             geometry=[ort], crs=4326)
    m = baue_karte(**daten, kommune=kommune, basemap="keine", fehlende_ressourcen=fehlt)

    def ueberfahren(s: Seite) -> dict:
        aus = {}
        s.maus(*s.js(ORT, [ort.y, ort.x]))
        aus["drauf"] = s.tooltip()
        s.maus(*s.js(ORT, [ort.y, ort.x + 0.01]))
        aus["daneben"] = s.tooltip()
        aus["fehler"], aus["dialoge"] = s.fehler, s.dialoge
        return aus

    erg = im_browser(speichere_html(m, artefakte / "karte_fehlend.html"), ueberfahren)
    assert erg["fehler"] == [] and erg["dialoge"] == []
    # zuerst die fehlende Ressource, darunter der Stadtteil, in dem sie liegt
    assert erg["drauf"][:3] == ["Fehlende Ressource (Frage 6)", XSS, "Sozialraum West · Sitzung vom 06.05.2025"]
    assert erg["drauf"][3].startswith("Stadtteil ")
    assert erg["daneben"] == [] or erg["daneben"][0] != "Fehlende Ressource (Frage 6)"
