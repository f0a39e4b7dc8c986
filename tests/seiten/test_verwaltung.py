"""Verwaltung (Konten) und Single Sign-on in der App – in AppTest; der echte Anbieter läuft im Browser-Test."""

import shutil
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import karte  # noqa: F401 - das Paket laden, bevor eine Seite aus seiten/ läuft
from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.passwort import pruefe_passwort
from daten.politik import Akteur

WURZEL = Path(__file__).resolve().parents[2]
PW = "ein-sehr-langes-Passwort"


@pytest.fixture
def db(monkeypatch, demo_sqlite_url, tmp_path):
    datei = tmp_path / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    monkeypatch.setenv("RESSOURCENKARTE_DB_URL", f"sqlite:///{datei}")
    monkeypatch.setenv("RESSOURCENKARTE_DEMO", "true")
    monkeypatch.setenv("RESSOURCENKARTE_BASEMAP", "keine")
    st.cache_resource.clear()
    st.cache_data.clear()
    engine = erstelle_engine(f"sqlite:///{datei}")
    yield engine
    engine.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


def _konto(engine, login):  # noqa: ANN001, ANN202
    with sitzung(engine, akteur=None) as s:
        return s.scalar(select(m.Benutzer).where(m.Benutzer.login == login))


def _verwaltung(akteur: Akteur | None) -> AppTest:
    at = AppTest.from_file(str(WURZEL / "seiten/verwaltung.py"), default_timeout=120)
    if akteur:
        at.session_state["akteur"] = akteur
    return at.run()


def _ohne_fehler(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_nur_administration(db):
    for a in (None, Akteur("tl01", "teamleitung", 1), Akteur("jhp", "jugendhilfeplanung")):
        at = _verwaltung(a)
        assert any("Administration vorbehalten" in i.value for i in at.info) and not at.button


def test_konto_anlegen_und_aendern(db):
    at = _verwaltung(Akteur("admin", "admin"))
    _ohne_fehler(at)
    assert len(at.dataframe[0].value) >= 23  # Demo-Konten
    at.text_input(key="konto0_login").input("b.weiss")
    at.text_input(key="konto0_name").input("Bea Weiß")
    at.selectbox(key="konto0_rolle").set_value("teamleitung").run()
    sr = _konto(db, "tl10").sozialraum_id
    at.selectbox(key="konto0_sr").set_value(sr)
    at.text_input(key="konto0_pw").input(PW)
    at.text_input(key="konto0_pw2").input(PW + "x")
    at = at.button(key="konto0_anlegen").click().run()
    assert any("stimmen nicht überein" in e.value for e in at.error) and _konto(db, "b.weiss") is None
    at.text_input(key="konto0_pw2").input(PW)
    at = at.button(key="konto0_anlegen").click().run()
    _ohne_fehler(at)
    b = _konto(db, "b.weiss")
    assert b.rolle == "teamleitung" and b.sozialraum_id == sr and pruefe_passwort(PW, b.passwort_hash)
    assert any("angelegt" in s.value for s in at.success)
    with sitzung(db, akteur=None) as s:
        assert "Bea Weiß" in s.get(m.Sozialraum, sr).teamleitung
    # ändern: sperren
    at.selectbox(key="konto_wahl").set_value("b.weiss").run()
    at = at.button(key=f"aendern_{b.id}_{b.version}_sperren").click().run()
    _ohne_fehler(at)
    assert not _konto(db, "b.weiss").aktiv


def test_falsche_eingabe_deutsch_und_nichts_gespeichert(db):
    at = _verwaltung(Akteur("admin", "admin"))
    at.text_input(key="konto0_login").input("x")
    at.text_input(key="konto0_name").input("X")
    at.selectbox(key="konto0_rolle").set_value("lenkungsgruppe").run()
    at.text_input(key="konto0_pw").input(PW)
    at.text_input(key="konto0_pw2").input(PW)
    at = at.button(key="konto0_anlegen").click().run()
    assert any("Login „x“ ist ungültig" in e.value for e in at.error)
    assert at.text_input(key="konto0_login").value == "x"  # Eingaben bleiben stehen


def test_neues_konto_beginnt_mit_der_rolle_mit_den_wenigsten_rechten(db):
    at = _verwaltung(Akteur("admin", "admin"))
    _ohne_fehler(at)
    rolle = at.selectbox(key="konto0_rolle")
    assert rolle.value == "lenkungsgruppe" and rolle.value != "admin"
    assert "verteiler" in rolle.options or "Verteiler (Protokolle lesen)" in rolle.options


@pytest.mark.parametrize("stadtweit", [True, False])
def test_verteiler_konto_stadtweit_oder_je_sozialraum(db, stadtweit):
    at = _verwaltung(Akteur("admin", "admin"))
    at.text_input(key="konto0_login").input("al.5101")
    at.text_input(key="konto0_name").input("Abteilungsleitung 51.01")
    at.selectbox(key="konto0_rolle").set_value("verteiler").run()
    wahl = at.selectbox(key="konto0_sr")
    assert wahl.value is None  # Vorschlag: stadtweit
    sr = None if stadtweit else _konto(db, "tl03").sozialraum_id
    wahl.set_value(sr)
    at.text_input(key="konto0_pw").input(PW)
    at.text_input(key="konto0_pw2").input(PW)
    at = at.button(key="konto0_anlegen").click().run()
    _ohne_fehler(at)
    b = _konto(db, "al.5101")
    assert (b.rolle, b.sozialraum_id) == ("verteiler", sr)


GRUPPEN = "AfJF-Admin=admin; ASD-TL-Mombach=teamleitung:Mombach"


def _app_mit_sso(monkeypatch, nutzer: dict, anmeldung: str = "sso") -> AppTest:
    monkeypatch.setenv("RESSOURCENKARTE_ANMELDUNG", anmeldung)
    monkeypatch.setenv("RESSOURCENKARTE_OIDC_GRUPPEN", GRUPPEN)
    st.cache_resource.clear()
    at = AppTest.from_file(str(WURZEL / "streamlit_app.py"), default_timeout=120)
    at.user = nutzer
    return at.run()


def test_sso_anmeldung_ordnet_rolle_und_sozialraum_zu(db, monkeypatch):
    at = _app_mit_sso(monkeypatch, {"is_logged_in": True, "email": "anna.weber@mainz.de", "name": "Anna Weber",
                                    "groups": ["Kantine", "ASD-TL-Mombach"]})
    _ohne_fehler(at)
    a = at.session_state["akteur"]
    assert (a.login, a.rolle) == ("anna.weber@mainz.de", "teamleitung")
    with sitzung(db, akteur=None) as s:
        assert s.get(m.Sozialraum, a.sozialraum_id).name == "Mombach"
    assert any("Angemeldet: Anna Weber" in x.value for x in at.sidebar.markdown)
    assert not at.sidebar.text_input  # nur Single Sign-on: kein Passwortformular


def test_sso_ohne_passende_gruppe_wird_abgelehnt(db, monkeypatch):
    at = _app_mit_sso(monkeypatch, {"is_logged_in": True, "email": "x@mainz.de", "groups": ["Kantine"]})
    assert "akteur" not in at.session_state
    assert any("keine Rolle in der Ressourcenkarte" in e.value for e in at.sidebar.error)
    assert _konto(db, "x@mainz.de") is None


def test_sso_abgemeldet_zeigt_knopf_und_beide_wege(db, monkeypatch):
    at = _app_mit_sso(monkeypatch, {"is_logged_in": False}, anmeldung="beide")
    _ohne_fehler(at)
    assert any(b.label == "Mit Single Sign-on anmelden" for b in at.sidebar.button)
    assert {t.label for t in at.sidebar.text_input} == {"Benutzername", "Passwort"}
