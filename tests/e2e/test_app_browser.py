"""Hauptabläufe im echten Browser ohne Netz: Karte, Sozialraum, Klick, Download, Präsentation, Barrierefreiheit."""

from __future__ import annotations

import re
import shutil
import time

import pytest
import shapely
from sqlalchemy import select

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.politik import SYSTEM
from tests.e2e.hilfen import axe_pruefung, kontrast, starte_app

pytestmark = pytest.mark.browser
XSS = "<img src=x onerror=alert(1)>"
# Teamleitung mit Markdown-Bild, das eine Anfrage auslösen würde, wenn es nicht als Text erscheint
MARKDOWN = "![t](http://127.0.0.1:9/track.png) **fett** :red[rot] $x^2$"
# so im Browser: g.md setzt unsichtbare Wortverbinder (U+2060), wo Streamlit sonst Links oder Kurzzeichen machte
MARKDOWN_ANGEZEIGT = re.compile("\u2060?".join(map(re.escape, MARKDOWN)))
KARTE = ".leaflet-marker-icon, .marker-cluster, path.leaflet-interactive, canvas.leaflet-zoom-animated"


@pytest.fixture(scope="module")
def app(demo_sqlite_url, tmp_path_factory):
    ordner = tmp_path_factory.mktemp("app")
    datei = ordner / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    url = f"sqlite:///{datei}"
    engine = erstelle_engine(url)
    with sitzung(engine, akteur=SYSTEM) as s:  # eine Einrichtung mit Skript im Namen
        st = s.scalar(select(m.Stadtteil).where(m.Stadtteil.name == "Neustadt"))
        s.add(m.Einrichtung(schluessel="xss", name=XSS, art="kita", traeger_art="frei", traeger=XSS,
                            adresse=XSS, zielgruppen=[XSS], angebote=[XSS], stadtteil=st,
                            geometrie=shapely.Point(shapely.get_coordinates(st.geometrie.representative_point())[0])))
        s.scalar(select(m.Sozialraum).where(m.Sozialraum.name == "Neustadt")).teamleitung = MARKDOWN
    engine.dispose()
    proc, adresse = starte_app(url, ordner / "streamlit.log")
    yield adresse
    proc.terminate()
    proc.wait(10)


def _warte_auf_karte(page, sekunden: float = 45) -> float | None:
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < sekunden:
        for fr in page.frames:
            try:
                if fr.locator(KARTE).count() > 0:
                    return time.perf_counter() - t0
            except Exception:  # noqa: BLE001 - Frames kommen und gehen beim Laden
                pass
        page.wait_for_timeout(100)
    return None


def _kartenrahmen(page):
    """Der Frame der Karte (st.iframe mit srcdoc bzw. st_folium)."""
    for fr in page.frames:
        try:
            if fr != page.main_frame and fr.locator(".leaflet-container").count():
                return fr
        except Exception:  # noqa: BLE001, S112
            continue
    return None


def _waehle_sozialraum(page, name: str) -> None:
    page.get_by_label("Sozialraum", exact=True).first.click()
    page.get_by_role("option", name=name, exact=True).click()


def _warte_auf_sozialraum_in_karte(page, name: str) -> None:
    """Bis die Karte den Sozialraum zeigt (ihr aria-label nennt ihn)."""
    page.wait_for_function("n => [...document.querySelectorAll('iframe')].some(f => { try { return "
                           "f.contentDocument.querySelector('[aria-label*=\"Sozialraum ' + n + '\"]') } "
                           "catch (e) { return false } })", arg=name, timeout=60000)


def _warte_bis_ruhig(page, sekunden: float = 90) -> None:
    """Bis der Skriptlauf von Streamlit zu Ende ist (kein „läuft“-Zeichen mehr), dann ein Frame Ruhe."""
    laeuft = "[data-testid=stStatusWidget] [data-testid^=stStatusWidgetRunning]"
    page.wait_for_function(f"!document.querySelector('{laeuft}')", timeout=sekunden * 1000)
    page.wait_for_timeout(300)


def test_erstes_oeffnen_karte_dann_von_selbst_die_ganze_seite(app, seite):
    """Beim ersten Öffnen steht die Karte vor Filtern und Anmeldung; die meldet der Browser, ohne dass jemand
    etwas tut, und die ganze Seite folgt (seiten/_vorlauf.py). Ein zweites Öffnen zeigt sofort alles."""
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    assert _warte_auf_karte(seite) is not None
    seite.get_by_label("Sozialraum", exact=True).first.wait_for(timeout=30000)
    seite.get_by_label("Passwort", exact=True).wait_for(timeout=30000)
    # der Rest der Seite folgt im selben Lauf (unter Last etwas nach dem Anmeldeformular): genau ein Download-Knopf
    knopf = seite.get_by_role("button", name="Karte als HTML herunterladen")
    knopf.wait_for(timeout=30000)
    _warte_bis_ruhig(seite)
    assert knopf.count() == 1
    seite.get_by_role("link", name="Vergleich").click()
    seite.get_by_role("heading", name="Vergleich der Sozialräume").wait_for(timeout=60000)
    seite.get_by_role("link", name="Karte", exact=True).first.click()
    seite.get_by_label("Sozialraum", exact=True).first.wait_for(timeout=30000)
    assert _warte_auf_karte(seite) is not None


def test_dashboard_zeigt_karte_offline_auf_deutsch(app, seite, artefakte):
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    dauer = _warte_auf_karte(seite)
    seite.screenshot(path=str(artefakte / "app_karte.png"), full_page=True)
    assert dauer is not None, f"keine Karte; blockiert: {sorted(set(seite.blockiert))[:5]}"
    fremd = {u for u in seite.blockiert if "tile" not in u}
    assert not fremd, f"nicht-lokale Anfragen außer Kacheln: {sorted(fremd)[:5]}"
    assert seite.get_by_role("heading", name="Ressourcenkarte").is_visible()
    # die Textfassung: aufklappen (Tastatur oder Maus), dann steht die Tabelle da
    seite.get_by_text("Karteninhalte als Tabellen (Textfassung)").click()
    seite.get_by_role("heading", name="Einrichtungen (").wait_for(timeout=60000)
    fehler = sum(fr.locator('[data-testid="stException"]').count() for fr in seite.frames)
    assert fehler == 0
    assert not seite.dialoge, f"ein Skript lief: {seite.dialoge}"
    seite.wait_for_function("document.documentElement.lang === 'de'", timeout=15000)
    rahmen = _kartenrahmen(seite)
    rahmen.wait_for_function("document.documentElement.lang === 'de'", timeout=15000)
    viewport = seite.evaluate("document.querySelector('meta[name=viewport]').content")
    assert "user-scalable=no" not in viewport and "maximum-scale=1" not in viewport
    # die Karte nimmt bei 1400 px Fensterbreite den größten Teil der Breite ein
    breite = seite.evaluate("[...document.querySelectorAll('iframe')].map(f => f.getBoundingClientRect().width)"
                            ".reduce((a, b) => Math.max(a, b), 0)")
    assert breite > 0.5 * 1400, breite
    unten = seite.evaluate("Math.max(...[...document.querySelectorAll('iframe')].map(f => "
                           "f.getBoundingClientRect().bottom))")
    knopf = seite.get_by_role("button", name="Karte als HTML herunterladen").bounding_box()
    assert knopf["y"] >= unten - 1, "die Knöpfe stehen unter der Karte, nicht darüber"
    titel = seite.evaluate("[...document.querySelectorAll('iframe')].map(f => f.title)")
    assert any(t.startswith("Interaktive Karte") for t in titel), titel


def test_sozialraum_waehlen_zoomt_karte_und_zeigt_teamleitung(app, seite, artefakte):
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    assert _warte_auf_karte(seite) is not None
    _waehle_sozialraum(seite, "Mombach")
    seite.get_by_role("heading", name="Ressourcenkarte: Mombach").wait_for(timeout=30000)
    _warte_auf_sozialraum_in_karte(seite, "Mombach")
    kopf = seite.get_by_text("Sozialraum Mombach · Teamleitung ASD:").first
    assert "Stufe 3 von 3" in kopf.inner_text()
    assert _warte_auf_karte(seite) is not None
    seite.screenshot(path=str(artefakte / "app_mombach.png"), full_page=True)
    assert not seite.dialoge


def test_namen_erscheinen_als_text_nicht_als_markdown(app, seite):
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    assert _warte_auf_karte(seite) is not None
    _waehle_sozialraum(seite, "Neustadt")
    kopf = seite.get_by_text("Sozialraum Neustadt · Teamleitung ASD:").first
    kopf.wait_for(timeout=30000)
    assert MARKDOWN in kopf.inner_text().replace("\u2060", "")  # wörtlich, mit Sternchen und Klammern
    assert kopf.locator("img, strong, em, a, .katex").count() == 0  # auch kein Autolink aus http://…
    seite.goto(app + "praesentation", wait_until="domcontentloaded", timeout=60000)
    seite.get_by_text(MARKDOWN_ANGEZEIGT).first.wait_for(timeout=30000)
    assert not [u for u in seite.blockiert if "track.png" in u]
    assert seite.locator("img[src*='track.png']").count() == 0


def test_teamleitung_klickt_karte_koordinaten_kommen_an(app, seite, artefakte):
    """Deterministisch: erst klicken, wenn die Anmeldung durch ist, genau eine (klickbare) Karte da ist, ihre
    Daten gezeichnet sind und streamlit-folium den Klick-Empfänger angehängt hat. Jede Wartezeit wartet auf
    einen Zustand, keine auf eine Uhrzeit; großzügige Grenzen, weil die Maschine geteilt ist."""
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    assert _warte_auf_karte(seite, 90) is not None
    seite.get_by_label("Benutzername").fill("tl01")
    seite.get_by_label("Passwort", exact=True).fill("demo")
    seite.get_by_role("button", name="Anmelden").click()
    seite.get_by_text("Angemeldet:").first.wait_for(timeout=90000)
    seite.get_by_role("link", name="Karte").click()  # nach der Anmeldung steht die Teamleitung auf „Start“
    # die klickbare Karte (st_folium) hat die Karte der Lesenden ersetzt, der alte Lauf ist weg
    klickbar = 'iframe[title="streamlit_folium.st_folium"]'
    seite.wait_for_function(f"document.querySelectorAll('{klickbar}').length === 1 && "
                            "document.querySelectorAll('iframe[srcdoc]').length === 0", timeout=90000)
    t0 = time.perf_counter()
    while not any("streamlit_folium" in fr.url for fr in seite.frames):
        assert time.perf_counter() - t0 < 90, "Frame der Karte erscheint nicht"
        seite.wait_for_timeout(100)
    karte = next(fr for fr in seite.frames if "streamlit_folium" in fr.url)
    karte.wait_for_function("() => window.map && window.rkKarteFertig === true && window.map._events && "
                            "(window.map._events.click || []).length > 0", timeout=90000)
    seite.frame_locator(klickbar).locator("#map_div").click(position={"x": 560, "y": 60})  # freie Fläche
    seite.get_by_text("Angeklickte Stelle: Breite").wait_for(timeout=90000)
    text = seite.get_by_text("Angeklickte Stelle: Breite").text_content()
    assert "(EPSG:4326)" in text
    seite.screenshot(path=str(artefakte / "app_klick.png"), full_page=True)


def test_karte_herunterladen_html_und_png(app, seite, artefakte):
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    assert _warte_auf_karte(seite) is not None
    _waehle_sozialraum(seite, "Gonsenheim")
    seite.get_by_role("heading", name="Ressourcenkarte: Gonsenheim").wait_for(timeout=30000)
    _warte_auf_sozialraum_in_karte(seite, "Gonsenheim")
    _warte_bis_ruhig(seite)  # sonst ersetzt der laufende Neulauf den Knopf mitten im Download
    with seite.expect_download(timeout=60000) as dl:
        seite.get_by_role("button", name="Karte als HTML herunterladen").click()
    html = artefakte / "download.html"
    dl.value.save_as(html)
    text = html.read_text(encoding="utf-8")
    assert dl.value.suggested_filename == "ressourcenkarte-Gonsenheim.html"
    assert text.count('class="folium-map"') == 1  # die Karte genau einmal
    assert "Sozialraum Gonsenheim" in text
    from karte.assets import fremde_adressen

    assert fremde_adressen(text) == []  # offline lauffähig: keine Skripte/Stile von fremden Hosts
    seite.get_by_role("button", name="PNG für Berichte erzeugen").click()
    with seite.expect_download(timeout=90000) as dl_png:
        seite.get_by_role("button", name="PNG herunterladen").click(timeout=90000)
    png = artefakte / "download.png"
    dl_png.value.save_as(png)
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 20_000


@pytest.mark.parametrize(("breite", "hoehe"), [(1280, 720), (1920, 1080)])
def test_praesentation_wie_eine_folie_mit_tastatur(app, browser, artefakte, breite, hoehe):
    ctx = browser.new_context(viewport={"width": breite, "height": hoehe})
    ctx.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url or r.request.url.startswith(
        ("data:", "about:", "blob:")) else r.abort())
    seite = ctx.new_page()
    try:
        seite.goto(app + "praesentation", wait_until="domcontentloaded", timeout=60000)
        assert _warte_auf_karte(seite) is not None
        h1 = seite.locator("h1").first
        erster = h1.inner_text()
        assert " · Stand " in erster or " · Berichtsjahr " in erster
        seite.wait_for_timeout(800)  # Karte hat ihre endgültige Höhe
        seite.screenshot(path=str(artefakte / f"praesentation_{breite}x{hoehe}.png"))
        rahmen = seite.evaluate("(() => { const f = [...document.querySelectorAll('iframe')]"
                                ".find(x => x.title.startsWith('Karte')); const r = f.getBoundingClientRect();"
                                " return [r.top, r.bottom, r.width]; })()")
        assert rahmen[1] <= hoehe + 1, f"Karte reicht über den Bildschirm: {rahmen}"
        assert rahmen[1] - rahmen[0] >= 0.6 * hoehe and rahmen[2] >= 0.6 * breite, rahmen
        textfassung = seite.get_by_text("Textfassung: Kennzahlen und").bounding_box()
        assert textfassung["y"] >= rahmen[1] - 1, "nichts liegt über der Karte"
        groesse = seite.evaluate("parseFloat(getComputedStyle(document.querySelector("
                                 "'[data-testid=\"stMetricValue\"] div, [data-testid=\"stMetricValue\"]')).fontSize)")
        assert groesse >= (30 if hoehe >= 1000 else 26), groesse  # große Kennzahlen
        unterste = seite.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=\"stMetric\"]')]"
                                  ".map(e => e.getBoundingClientRect().bottom))")
        assert unterste <= hoehe, "alle Kennzahlen auf der Folie"
        # nur Tastatur: Pfeil rechts blättert vor, Bild auf zurück
        seite.locator("body").press("ArrowRight")
        seite.wait_for_function("t => document.querySelector('h1').innerText !== t", arg=erster, timeout=30000)
        zweiter = h1.inner_text()
        seite.keyboard.press("PageUp")
        seite.wait_for_function("t => document.querySelector('h1').innerText === t", arg=erster, timeout=30000)
        assert zweiter != erster
        assert not seite.locator('[data-testid="stSidebar"][aria-expanded="true"]').count()  # zu beim Öffnen
    finally:
        ctx.close()


def _fokus_stil(seite) -> dict:  # noqa: ANN001
    return seite.evaluate("""() => { const e = document.activeElement; const l = e.closest('label') || e;
        const s = getComputedStyle(e.type === 'checkbox' ? l : e);
        let h = l, bg = 'rgba(0, 0, 0, 0)';
        while (h && (bg === 'rgba(0, 0, 0, 0)' || bg === 'transparent')) {
          bg = getComputedStyle(h).backgroundColor; h = h.parentElement; }
        return {tag: e.tagName, typ: e.type || '', text: (l.innerText || '').slice(0, 40),
                breite: parseFloat(s.outlineWidth), stil: s.outlineStyle, farbe: s.outlineColor, hinten: bg}; }""")


@pytest.mark.parametrize("ziel", ["nav", "checkbox"])
def test_fokus_sichtbar(app, seite, ziel):
    seite.goto(app, wait_until="domcontentloaded", timeout=60000)
    assert _warte_auf_karte(seite) is not None
    for _ in range(120):
        seite.keyboard.press("Tab")
        aktiv = seite.evaluate("(() => { const e = document.activeElement; return [e.tagName, e.type || '',"
                               " !!e.closest('[data-testid=stSidebarNav]')]; })()")
        if (ziel == "nav" and aktiv[2]) or (ziel == "checkbox" and aktiv[1] == "checkbox"):
            break
    else:
        pytest.fail(f"{ziel} nicht per Tab erreichbar")
    stil = _fokus_stil(seite)
    assert stil["stil"] != "none" and stil["breite"] >= 2, stil
    assert kontrast(stil["farbe"], stil["hinten"]) >= 3, stil  # WCAG 2.4.7 / 1.4.11


@pytest.mark.parametrize("pfad", ["", "praesentation"])
def test_axe_keine_ernsten_verstoesse(app, seite, pfad):
    seite.goto(app + pfad, wait_until="domcontentloaded", timeout=60000)
    assert _warte_auf_karte(seite) is not None
    seite.wait_for_timeout(1500)
    ergebnis = axe_pruefung(seite)
    assert ergebnis["ernst"] == [], ergebnis
    assert ergebnis["sprachen"] and all(s.startswith("de") for s in ergebnis["sprachen"]), ergebnis
