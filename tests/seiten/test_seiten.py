"""Jede Seite läuft in AppTest ohne Ausnahme und reagiert auf Eingaben wie erwartet."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

T = 120
WURZEL = Path(__file__).resolve().parents[2]


def app(datei: str = "streamlit_app.py") -> AppTest:
    return AppTest.from_file(str(WURZEL / datei), default_timeout=T)


def _ohne_fehler(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_start_zeigt_karte_und_tabelle(app_env):
    at = app().run()
    _ohne_fehler(at)
    assert at.title[0].value == "Ressourcenkarte"
    assert at.subheader[0].value.startswith("Einrichtungen (")
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) > 100


def test_sozialraum_auswahl_filtert_tabelle(app_env):
    at = app().run()
    auswahl = next(s for s in at.selectbox if s.label == "Sozialraum")
    auswahl.select("Mombach").run()
    _ohne_fehler(at)
    df = at.dataframe[0].value
    assert set(df["Sozialraum"]) == {"Mombach"}
    assert at.subheader[0].value == f"Einrichtungen in Mombach ({len(df)})"


def test_filter_nur_gremium_und_traeger(app_env):
    at = app().run()
    next(c for c in at.checkbox if c.label.startswith("Nur Einrichtungen im Gremium")).check().run()
    _ohne_fehler(at)
    gremium = at.dataframe[0].value
    assert "Spielplatz" not in set(gremium["Art"])
    next(s for s in at.selectbox if s.label == "Träger").select("frei").run()
    assert set(at.dataframe[0].value["Trägerart"]) <= {"frei"}


def test_choroplethe_waehlen(app_env):
    at = app().run()
    next(s for s in at.selectbox if s.label == "Indikator").select("einwohner_u6").run()
    _ohne_fehler(at)
    next(s for s in at.selectbox if s.label == "Klassifikation").select("natural_breaks").run()
    _ohne_fehler(at)


@pytest.mark.parametrize("seite", ["seiten/karte.py", "seiten/praesentation.py"])
def test_jede_seite_einzeln(app_env, seite):
    at = app(seite).run()
    _ohne_fehler(at)


def test_praesentation_blaettert(app_env):
    at = app("seiten/praesentation.py").run()
    _ohne_fehler(at)
    assert at.markdown[1].value.startswith("### 1 / 10: ") or any("1 / 10" in m.value for m in at.markdown)
    next(b for b in at.button if b.label.startswith("Nächster")).click().run()
    _ohne_fehler(at)
    assert any("2 / 10" in m.value for m in at.markdown)
    next(b for b in at.button if b.label.startswith("◀")).click().run()
    next(b for b in at.button if b.label.startswith("◀")).click().run()
    assert any("10 / 10" in m.value for m in at.markdown)
    assert len(at.metric) == 5
    # Berichtsjahr einfrieren
    at.selectbox[0].select(at.selectbox[0].options[-1]).run()
    _ohne_fehler(at)


def test_anmeldung(app_env):
    at = app().run()
    at.sidebar.text_input[0].input("tl01")
    at.sidebar.text_input[1].input("falsch")
    at.sidebar.button[0].click().run()
    assert any("falsch" in e.value for e in at.error)
    at.sidebar.text_input[1].input("demo")
    at.sidebar.button[0].click().run()
    assert any("Teamleitung ASD" in m.value for m in at.sidebar.markdown)


def test_ohne_demo_erst_anmelden(app_env, monkeypatch):
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "false")
    monkeypatch.setenv("RESSOURCENKARTE_ADMIN_PASSWORT", "ein-langes-eigenes-Passwort")
    st.cache_resource.clear()
    at = app().run()
    _ohne_fehler(at)
    assert "Bitte links anmelden." in [m.value for m in at.markdown]
    assert not at.dataframe


def test_karte_als_html_herunterladen(app_env):
    at = app().run()
    _ohne_fehler(at)
    knopf = next(b for b in at.get("download_button") if "HTML" in b.proto.label)
    assert knopf.proto.label == "Karte als HTML herunterladen"


def test_sozialraum_nach_stadtteil_aufteilen(app_env):
    at = app().run()
    next(s for s in at.selectbox if s.label == "Sozialraum").select("Drais, Lerchenberg, Marienborn").run()
    teil = next(s for s in at.selectbox if s.label == "Stadtteil")
    assert teil.options == ["alle Stadtteile", "Drais", "Lerchenberg", "Marienborn"]
    teil.select("Lerchenberg").run()
    _ohne_fehler(at)
    df = at.dataframe[0].value
    assert len(df) > 0 and set(df["Stadtteil"]) == {"Lerchenberg"}
    assert at.subheader[0].value == f"Einrichtungen in Lerchenberg ({len(df)})"


def test_karte_auf_beiden_backends(app_env_postgis):
    at = app().run()
    _ohne_fehler(at)
    assert at.subheader[0].value.startswith("Einrichtungen (")
    assert len(at.dataframe[0].value) > 100


def test_hintergrundkarte_waehlen(app_env):
    at = app().run()
    hg = next(s for s in at.selectbox if s.label == "Hintergrundkarte")
    assert hg.value == "keine"  # aus RESSOURCENKARTE_BASEMAP der Testumgebung
    hg.select("basemapde").run()
    _ohne_fehler(at)
