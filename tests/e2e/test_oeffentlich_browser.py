"""Seite „Offene Daten“ im echten Browser ohne Netz und ohne Anmeldung (außerhalb des Demo-Modus): Karte ohne
Kacheln mit Einrichtungen und Flächen, Tabelle daneben, nur Anmeldung und Offene Daten in der Navigation,
nichts Internes, keine ernsten Verstöße nach axe-core (WCAG 2.1 A/AA)."""

from __future__ import annotations

import shutil

import pytest

from daten.db import erstelle_engine
from tests.daten.offene_hilfen import geheimnisse_in, veroeffentliche_mit_geheimnissen
from tests.e2e.hilfen import axe_pruefung, starte_app

pytestmark = pytest.mark.browser
KARTE = ".leaflet-marker-icon, path.leaflet-interactive, canvas.leaflet-zoom-animated"
RUHIG = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]') "
         "&& !document.querySelector('[data-stale=\"true\"]')")


@pytest.fixture(scope="module")
def app(demo_sqlite_url, kommune, tmp_path_factory):
    ordner = tmp_path_factory.mktemp("offen_app")
    datei = ordner / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    url = f"sqlite:///{datei}"
    engine = erstelle_engine(url)
    veroeffentliche_mit_geheimnissen(engine, kommune)
    engine.dispose()
    proc, adresse = starte_app(url, ordner / "streamlit.log", umgebung={
        "RESSOURCENKARTE_DEMO": "false", "RESSOURCENKARTE_ADMIN_PASSWORT": "ein-langes-eigenes-Passwort",
        "RESSOURCENKARTE_BASEMAP": "keine"})
    yield adresse
    proc.terminate()
    proc.wait(10)


def _kartenrahmen(page):  # noqa: ANN001, ANN202
    for fr in page.frames:
        try:
            if fr != page.main_frame and fr.locator(".leaflet-container").count():
                return fr
        except Exception:  # noqa: BLE001, S112 - Frames kommen und gehen beim Laden
            continue
    return None


def test_offene_daten_ohne_anmeldung_karte_tabelle_und_barrierefrei(app, seite):
    seite.set_default_timeout(60000)
    seite.goto(app + "oeffentlich", wait_until="domcontentloaded")
    seite.get_by_role("heading", name="Offene Daten: Einrichtungen und Kennzahlen", level=1).wait_for()
    seite.wait_for_function("() => [...document.querySelectorAll('iframe')].some(f => { try { return "
                            "f.contentDocument.querySelector('.leaflet-container') } catch (e) { return false } })")
    rahmen = _kartenrahmen(seite)
    assert rahmen is not None
    rahmen.locator(KARTE).first.wait_for(state="attached")
    assert rahmen.locator(".leaflet-tile").count() == 0  # keine Kacheln: Hintergrund „keine“
    legende = rahmen.locator(".rk-legende")
    if not legende.locator("details[open]").count():  # auf schmalen Karten zugeklappt: per Klick öffnen
        legende.locator("summary").first.click()
    legende.locator("details[open] h4").first.wait_for()
    text = legende.inner_text()
    assert "Kita" in text and "Einrichtungen" in text and "Einwohnerinnen und Einwohner" in text  # Arten, Kennzahl
    # Tabelle neben der Karte: Reiter mit der Zahl der Einrichtungen und die Tabelle selbst
    seite.get_by_role("tab", name="Einrichtungen (").first.wait_for()
    seite.locator('[data-testid="stDataFrame"]').first.wait_for(state="visible")
    # Seitenleiste: nur Anmeldung und Offene Daten, nichts von den internen Seiten
    seite.get_by_label("Benutzername").wait_for()
    navigation = [t.strip() for t in seite.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]
    assert navigation == ["Anmeldung", "Offene Daten"]
    for _ in range(2):
        seite.wait_for_timeout(700)
        seite.wait_for_function(RUHIG)
    assert geheimnisse_in(seite.locator("body").inner_text()) == []
    # der Sprunglink für Tastatur und Bildschirmleser ist deutsch (Streamlit beschriftet ihn englisch)
    assert seite.locator('[data-testid="stSkipToContent"]').text_content() == "Zum Inhalt springen"
    assert seite.blockiert == [] and seite.dialoge == []  # offline: keine Anfrage ins Netz
    ergebnis = axe_pruefung(seite)
    assert ergebnis["ernst"] == [], ergebnis["ernst"]
    assert ergebnis["sprachen"] and all(s.startswith("de") for s in ergebnis["sprachen"]), ergebnis["sprachen"]
