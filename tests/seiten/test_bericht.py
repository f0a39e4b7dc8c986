"""Seite Bericht in AppTest: Bericht erstellen und herunterladen; Empfehlungen nur für die Jugendhilfeplanung."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import berichte.bericht  # noqa: F401  (lädt das Paket karte vor dem Seitenlauf: seiten/karte.py heißt genauso)
from daten.db import erstelle_engine
from daten.demo import demo_jahre
from daten.laden import initialisiere
from daten.politik import Akteur
from seiten.gemeinsam import md

WURZEL = Path(__file__).resolve().parents[2]
JAHR = demo_jahre().vorjahr  # Standard der Seite: das jüngste Indikatorjahr der (heute geladenen) Demo


@pytest.fixture
def eigene_db(monkeypatch, tmp_path, kommune):
    """Eigene Demo-Datenbank: diese Tests schreiben Empfehlungen."""
    url = f"sqlite:///{tmp_path / 'rk.db'}"
    e = erstelle_engine(url)
    initialisiere(e, kommune, demo=True)
    e.dispose()
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", url)
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "true")
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


def _app(akteur=None):
    at = AppTest.from_file(str(WURZEL / "seiten" / "bericht.py"), default_timeout=180)
    if akteur:
        at.session_state["akteur"] = akteur
    return at


def _ok(at):
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_bericht_erstellen_und_herunterladen(app_env):
    at = _app().run()
    _ok(at)
    next(s for s in at.selectbox if s.label == "Sozialraum").select("Mombach").run()
    next(b for b in at.button if b.label == "Bericht erstellen").click().run()
    _ok(at)
    assert at.session_state["bericht_datei"][0] == f"jahresbericht-{JAHR}-Mombach.docx"
    assert at.session_state["bericht_datei"][1][:2] == b"PK"  # DOCX = ZIP
    knopf = next(b for b in at.get("download_button"))
    assert knopf.proto.label == md(f"jahresbericht-{JAHR}-Mombach.docx") + " herunterladen"  # Dateiname maskiert
    assert at.get("progress")  # Fortschrittsbalken während des Bauens


def test_docx_und_pdf_aus_einem_gebauten_bericht(app_env, monkeypatch):
    """Erst DOCX, dann PDF desselben Berichts: Kennzahlen und Kartenbilder werden nur einmal gebaut."""
    import berichte.bericht as bb

    gebaut = []
    original = bb.bericht_aus_daten

    def zaehlend(*a, **kw):
        gebaut.append(kw.get("sozialraum"))
        return original(*a, **kw)

    monkeypatch.setattr(bb, "bericht_aus_daten", zaehlend)
    at = _app().run()
    next(s for s in at.selectbox if s.label == "Sozialraum").select("Mombach").run()
    next(b for b in at.button if b.label == "Bericht erstellen").click().run()
    next(r for r in at.radio if r.label == "Format").set_value("PDF").run()
    next(b for b in at.button if b.label == "Bericht erstellen").click().run()
    _ok(at)
    name, inhalt = at.session_state["bericht_datei"]
    assert name == f"jahresbericht-{JAHR}-Mombach.pdf" and inhalt[:4] == b"%PDF"
    assert gebaut == ["Mombach"]
    next(s for s in at.selectbox if s.label == "Sozialraum").select("Neustadt").run()  # anderer Bericht: neu
    next(b for b in at.button if b.label == "Bericht erstellen").click().run()
    _ok(at)
    assert gebaut == ["Mombach", "Neustadt"] and at.session_state["bericht_datei"][0].endswith("Neustadt.pdf")


def test_bereichsbericht_braucht_sozialraum(app_env):
    at = _app().run()
    next(s for s in at.selectbox if s.label == "Berichtsart").select("bereich").run()
    _ok(at)
    assert any("einem Sozialraum" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Bericht erstellen"]


def test_jugendhilfeplanung_schreibt_empfehlung(eigene_db):
    at = _app(Akteur("jhp", "jugendhilfeplanung")).run()
    _ok(at)
    next(s for s in at.selectbox if s.label == "Empfehlung für").select("Mombach").run()
    at.text_area[0].input("Krippenplätze ausbauen\nTreff für Jugendliche")  # im Formular: mit dem Absenden
    next(b for b in at.button if b.label == "Empfehlung speichern").click().run()
    _ok(at)
    assert any("gespeichert" in s.value for s in at.success)
    # neu geladen: der Text steht im Formular, der Bearbeiter darunter
    at = _app(Akteur("jhp", "jugendhilfeplanung")).run()
    next(s for s in at.selectbox if s.label == "Empfehlung für").select("Mombach").run()
    assert at.text_area[0].value == "Krippenplätze ausbauen\nTreff für Jugendliche"
    # mit Namen, nicht mit Login (Berichtsdaten lösen das Login auf; der Text geht auch in den Bericht)
    assert any(md("Zuletzt bearbeitet von Jugendhilfeplanung (Demo)") in c.value for c in at.caption)
    assert not any("von jhp" in c.value for c in at.caption)


@pytest.mark.parametrize("akteur", [None, Akteur("lenkung", "lenkungsgruppe"), Akteur("tl", "teamleitung", 1)])
def test_andere_lesen_nur(eigene_db, akteur):
    at = _app(akteur).run()
    _ok(at)
    assert not at.text_area and not [b for b in at.button if b.label == "Empfehlung speichern"]
    assert any("Noch keine Empfehlung erfasst." in t.value for t in at.text)
