"""Import im echten Browser: als Jugendhilfeplanung anmelden, Datei hochladen, Probelauf, Import."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from tests.daten.import_hilfen import kopiere_sqlite
from tests.e2e.hilfen import starte_app

pytestmark = pytest.mark.browser
CSV = "Stadtteil;Jahr;Merkmal;Wert\nMombach;2018;einwohner;14.000\nAtlantis;2018;einwohner;1\n"


@pytest.fixture(scope="module")
def app(demo_sqlite_url, tmp_path_factory):
    ordner = tmp_path_factory.mktemp("import_app")
    url = kopiere_sqlite(demo_sqlite_url, ordner / "rk.db")
    proc, adresse = starte_app(url, ordner / "streamlit.log")
    yield adresse, url, ordner
    proc.terminate()
    proc.wait(10)


def test_indikatoren_hochladen_pruefen_importieren(app, seite, artefakte):
    adresse, url, ordner = app
    datei = ordner / "kennzahlen.csv"
    datei.write_text(CSV, encoding="utf-8")
    seite.goto(adresse, wait_until="domcontentloaded", timeout=60000)
    seite.get_by_label("Benutzername").fill("jhp")
    seite.get_by_label("Passwort").fill("demo")
    seite.get_by_role("button", name="Anmelden").click()
    seite.get_by_role("link", name="Import").click(timeout=60000)
    seite.get_by_text("Indikatoren", exact=True).click()
    seite.locator("input[type=file][accept*='.xlsx']:not([accept*='.geojson'])").set_input_files(str(datei))
    probe = seite.get_by_role("button", name="Probelauf (nichts schreiben)")
    expect(probe).to_be_enabled(timeout=30000)
    probe.click()
    seite.get_by_text("Zeilenbericht", exact=True).wait_for(timeout=60000)
    assert seite.get_by_text("Probelauf, nichts geschrieben").count() > 0
    seite.get_by_text("Fehlerhafte Zeilen überspringen").click()
    seite.get_by_role("button", name="Importieren").click()
    seite.get_by_text("geschrieben: 1 neu").wait_for(timeout=60000)
    seite.screenshot(path=str(artefakte / "import.png"), full_page=True)
    e = erstelle_engine(url)
    with sitzung(e, akteur=None) as s:
        wert = s.scalar(select(m.Indikatorwert.wert).where(m.Indikatorwert.jahr == 2018))
    e.dispose()
    assert wert == 14000
