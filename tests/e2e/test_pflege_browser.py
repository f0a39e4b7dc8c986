"""Abnahme der Pflege im echten Browser (Chromium, ohne Netz):

tl01 meldet sich an, legt per Kartenklick eine Kita an, ändert sie, sieht die Änderung im Verlauf und
stellt die alte Version wieder her. tl02 (anderer Sozialraum) kann sie nicht ändern – in der Oberfläche nur
lesend, in der Datenschicht abgelehnt. Die Lenkungsgruppe hat keine Bearbeitung und wird in der
Datenschicht abgelehnt.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from daten import dienste
from daten import modelle as m
from daten.config import lade_kommune
from daten.db import erstelle_engine, sitzung
from daten.dienste import einrichtungen as de
from daten.fehler import RechteFehler
from daten.politik import Akteur
from tests.e2e.hilfen import demo_app

pytestmark = pytest.mark.browser
KARTE = 'iframe[title="streamlit_folium.st_folium"]'
NAME = "Kita Klickwiese"


@pytest.fixture(scope="module")
def app(demo_sqlite_url, tmp_path_factory):
    with demo_app(demo_sqlite_url, tmp_path_factory.mktemp("pflege_app")) as (adresse, url):
        engine = erstelle_engine(url)
        yield adresse, engine
        engine.dispose()


def _anmelden(seite, adresse: str, login: str) -> None:
    seite.set_default_timeout(60000)  # die Maschine ist oft voll ausgelastet
    seite.goto(adresse, wait_until="domcontentloaded", timeout=60000)
    seite.get_by_label("Benutzername").fill(login)
    seite.get_by_label("Passwort", exact=True).fill("demo")
    seite.get_by_role("button", name="Anmelden").click()
    seite.get_by_text("Angemeldet:").first.wait_for(timeout=30000)


def _waehle(seite, label: str, option: str) -> None:
    """Auswahlliste öffnen und Eintrag wählen; läuft die Seite gerade neu, schließt sich die Liste – dann nochmals."""
    eintrag = seite.get_by_role("option", name=option, exact=True).first
    for _ in range(4):
        seite.wait_for_timeout(700)
        seite.get_by_label(label, exact=True).first.click()
        try:
            eintrag.click(timeout=4000)
            return
        except Exception:  # noqa: BLE001 - Liste war zu, erneut öffnen
            seite.keyboard.press("Escape")
    pytest.fail(f"Auswahl {label} → {option} ließ sich nicht treffen")


def _einrichtung(engine) -> m.Einrichtung | None:  # noqa: ANN001
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(m.Einrichtung).where(m.Einrichtung.name == NAME))


def _freie_stelle(engine, stadtteil: str):  # noqa: ANN001, ANN202
    """Punkt im Stadtteil (EPSG:4326), möglichst weit weg von Einrichtungen und Beschriftung (klickt nicht darauf)."""
    import numpy as np
    import shapely

    with sitzung(engine, akteur=None) as s:
        flaeche = s.scalar(select(m.Stadtteil).where(m.Stadtteil.name == stadtteil)).geometrie
        punkte = shapely.MultiPoint([e.geometrie for e in s.scalars(select(m.Einrichtung))])
    innen = flaeche.buffer(-0.002)
    x0, y0, x1, y1 = innen.bounds
    kandidaten = [shapely.Point(x, y) for x in np.linspace(x0, x1, 25) for y in np.linspace(y0, y1, 25)
                  if innen.contains(shapely.Point(x, y))]
    beschriftung = flaeche.representative_point()
    return max(kandidaten, key=lambda p: min(p.distance(punkte), p.distance(beschriftung)))


def _klick_auf(seite, punkt) -> None:  # noqa: ANN001
    """Klick auf den Punkt (EPSG:4326) der Karte; die Pixelposition rechnet Leaflet selbst aus."""
    seite.wait_for_function(f"document.querySelectorAll('{KARTE}').length === 1", timeout=60000)
    karte = seite.frame_locator(KARTE).locator("#map_div")
    karte.wait_for(timeout=60000)
    rahmen = next(f for f in seite.frames if "st_folium" in f.url)
    rahmen.wait_for_function("window.map && window.map.getSize().x > 0", timeout=30000)
    seite.wait_for_timeout(1000)  # Ausschnitt auf den Sozialraum hat sich gesetzt
    xy = rahmen.evaluate(f"(() => {{ const p = window.map.latLngToContainerPoint([{punkt.y}, {punkt.x}]);"
                         " return [p.x, p.y]; })()")
    hinweis = seite.get_by_text(re.compile(r"^Gewählte Stelle: Breite")).first
    for _ in range(3):  # der erste Klick nach dem Laden geht manchmal in der Karteninitialisierung unter
        karte.click(position={"x": xy[0], "y": xy[1]})
        try:
            hinweis.wait_for(timeout=8000)
            return
        except Exception:  # noqa: BLE001 - erneut klicken
            continue


def _reiter(seite, name: str, sichtbar) -> None:  # noqa: ANN001
    """Reiter wählen, bis ``sichtbar`` (ein Element darin) zu sehen ist; ein Klick während eines Neulaufs
    geht verloren."""
    for _ in range(5):
        seite.get_by_role("tab", name=name).click()
        try:
            sichtbar.wait_for(state="visible", timeout=8000)
            return
        except Exception:  # noqa: BLE001 - Reiter erneut wählen
            seite.wait_for_timeout(1000)
    sichtbar.wait_for(state="visible", timeout=30000)


def test_teamleitung_legt_per_kartenklick_an_aendert_und_stellt_wieder_her(app, seite, artefakte):
    adresse, engine = app
    _anmelden(seite, adresse, "tl01")
    seite.get_by_text(re.compile("Zu prüfen: länger als 12 Monate")).first.wait_for(timeout=30000)  # Startseite
    seite.get_by_role("link", name="Pflege").click()
    seite.get_by_text("Pflege der Ressourcenkarte").first.wait_for(timeout=30000)
    _klick_auf(seite, _freie_stelle(engine, "Neustadt"))
    seite.screenshot(path=str(artefakte / "pflege_klick.png"), full_page=True)
    seite.get_by_text(re.compile(r"Gewählte Stelle: Breite .* – Neustadt \(Sozialraum Neustadt\)")).first.wait_for(
        timeout=30000)
    seite.get_by_label("Name", exact=True).first.fill(NAME)
    _waehle(seite, "Art", "Kita")
    _waehle(seite, "Trägerart", "frei")
    seite.get_by_role("button", name="Einrichtung anlegen").click()
    # Bestätigung oben (und als Toast); der Reiter wechselt selbst auf „Einrichtung bearbeiten“ mit dem Eintrag
    seite.get_by_test_id("stAlertContentSuccess").get_by_text(f"„{NAME}“ wurde angelegt").wait_for(timeout=30000)
    e = _einrichtung(engine)
    assert e is not None and e.version == 1 and e.stadtteil_id is not None
    seite.screenshot(path=str(artefakte / "pflege_angelegt.png"), full_page=True)

    kapazitaet = seite.get_by_label("Kapazität (z. B. Plätze)").last  # nur der offene Reiter wird gebaut
    _reiter(seite, "Einrichtung bearbeiten", kapazitaet)
    assert seite.get_by_label("Name", exact=True).last.input_value() == NAME  # der neue Eintrag ist gewählt
    kapazitaet.fill("42")
    kapazitaet.press("Enter")
    seite.wait_for_timeout(3000)
    seite.screenshot(path=str(artefakte / "pflege_bearbeiten.png"), full_page=True)
    seite.get_by_role("button", name="Änderungen speichern").click()
    seite.get_by_test_id("stAlertContentSuccess").get_by_text("Änderungen gespeichert.").wait_for(timeout=30000)
    assert (_einrichtung(engine).kapazitaet, _einrichtung(engine).version) == (42, 2)

    zelle = seite.get_by_role("cell", name="Kapazität: — → 42")
    _reiter(seite, "Einrichtung bearbeiten", seite.get_by_text("Verlauf (wer hat wann was geändert)"))
    for _ in range(3):  # ein Neulauf während des Klicks kann das Aufklappen schlucken
        seite.get_by_text("Verlauf (wer hat wann was geändert)").click()
        try:
            zelle.wait_for(timeout=15000)
            break
        except Exception:  # noqa: BLE001 - nochmals aufklappen
            continue
    zelle.wait_for(timeout=30000)
    with sitzung(engine, akteur=None) as s:  # der Verlauf zeigt Namen, nicht Logins
        name = s.scalar(select(m.Benutzer.anzeigename).where(m.Benutzer.login == "tl01"))
    assert seite.get_by_role("cell", name=name, exact=True).count() >= 2
    assert seite.get_by_role("cell", name="tl01", exact=True).count() == 0
    seite.screenshot(path=str(artefakte / "pflege_verlauf.png"), full_page=True)
    seite.get_by_role("button", name="Diese Version wiederherstellen").click()
    seite.get_by_test_id("stAlertContentSuccess").get_by_text("Frühere Version wiederhergestellt").first.wait_for(
        timeout=30000)
    e = _einrichtung(engine)
    assert (e.kapazitaet, e.version) == (None, 3)


def test_andere_teamleitung_kann_nicht_aendern(app, seite, artefakte):
    adresse, engine = app
    e = _einrichtung(engine)
    assert e is not None, "erst den Test der Teamleitung tl01 laufen lassen (Reihenfolge in dieser Datei)"
    _anmelden(seite, adresse, "tl02")
    seite.get_by_role("link", name="Pflege").click()
    seite.get_by_text("Pflege der Ressourcenkarte").first.wait_for()
    schalter = "Auch Einrichtungen anderer Sozialräume zeigen (nur lesen)"
    _reiter(seite, "Einrichtung bearbeiten", seite.get_by_text(schalter))
    for _ in range(4):  # ein Klick während eines Neulaufs geht verloren: so lange, bis der Haken sitzt
        if seite.get_by_label(schalter).is_checked():
            break
        seite.get_by_text(schalter).click()
        seite.wait_for_timeout(1000)
    assert seite.get_by_label(schalter).is_checked()
    hinweis = seite.get_by_text(re.compile(f"Nur lesen: „{NAME}“ liegt im Sozialraum Neustadt"))
    for _ in range(3):  # tippen filtert die Liste; läuft die Seite dabei neu, noch einmal
        seite.wait_for_timeout(1000)
        seite.get_by_label("Einrichtung", exact=True).first.click()
        seite.keyboard.type(NAME)
        seite.wait_for_timeout(500)
        seite.keyboard.press("Enter")
        try:
            hinweis.wait_for(timeout=15000)
            break
        except Exception:  # noqa: BLE001 - erneut wählen
            seite.keyboard.press("Escape")
    hinweis.wait_for(timeout=30000)
    assert seite.get_by_role("button", name="Änderungen speichern").count() == 0
    seite.screenshot(path=str(artefakte / "pflege_fremd.png"), full_page=True)
    with sitzung(engine, akteur=None) as s:
        tl02 = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "tl02"))
        fremd = Akteur(tl02.login, tl02.rolle, tl02.sozialraum_id)
    with pytest.raises(RechteFehler, match="Sozialraum Neustadt"):
        dienste.ausfuehren(engine, fremd, de.aendere_einrichtung, einrichtung_id=e.id, version=e.version,
                           kommune=lade_kommune(),
                           kapazitaet=1)
    with pytest.raises(RechteFehler), sitzung(engine, akteur=fremd) as s:  # am Dienst vorbei: Datenschicht
        s.get(m.Einrichtung, e.id).kapazitaet = 1


def test_lenkungsgruppe_ohne_bearbeitung(app, seite, artefakte):
    adresse, engine = app
    _anmelden(seite, adresse, "lenkung")
    seite.get_by_role("link", name="Karte").first.wait_for(timeout=30000)
    assert seite.get_by_role("link", name="Pflege").count() == 0
    assert seite.get_by_role("link", name="Verwaltung").count() == 0
    seite.goto(adresse.rstrip("/") + "/pflege", wait_until="domcontentloaded", timeout=60000)
    seite.wait_for_timeout(3000)
    assert seite.get_by_role("button", name="Einrichtung anlegen").count() == 0
    seite.screenshot(path=str(artefakte / "pflege_lenkung.png"), full_page=True)
    e = _einrichtung(engine)
    lenkung = Akteur("lenkung", "lenkungsgruppe")
    with pytest.raises(RechteFehler):
        dienste.ausfuehren(engine, lenkung, de.aendere_einrichtung, einrichtung_id=e.id, version=e.version,
                           kommune=lade_kommune(),
                           kapazitaet=1)
    with pytest.raises(RechteFehler), sitzung(engine, akteur=lenkung) as s:
        s.get(m.Einrichtung, e.id).kapazitaet = 1
