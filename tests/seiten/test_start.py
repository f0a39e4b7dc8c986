"""Start-Seite „Meine Aufgaben“ je Rolle (AppTest der ganzen App, angemeldet): Liste, leerer Zustand, Knopf öffnet
die Zielseite mit der richtigen Sitzung; Spaltenköpfe der Liste „Zu prüfen“."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

import karte  # noqa: F401 - das Paket laden, bevor eine Seite aus seiten/ läuft
from daten import aufgaben as da
from daten import modelle as m
from daten.db import sitzung, systemsitzung
from daten.politik import Akteur
from tests.seiten.hilfen import WURZEL, demo_kopie, ohne_fehler


@pytest.fixture
def db(monkeypatch, demo_sqlite_url, tmp_path):
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        yield engine


def _akteur(engine, login: str) -> Akteur:
    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == login))
        return Akteur(b.login, b.rolle, b.sozialraum_id, b.anzeigename)


def _app(akteur: Akteur | None) -> AppTest:
    at = AppTest.from_file(str(WURZEL / "streamlit_app.py"), default_timeout=120)
    if akteur is not None:
        at.session_state["akteur"] = akteur
    return at.run()


def _aufgaben_titel(at: AppTest) -> str:
    return next(h.value for h in at.subheader if h.value.startswith("Meine Aufgaben"))


def _delegiere(engine, login: str) -> tuple[int, object]:
    sr = _akteur(engine, login).sozialraum_id
    with systemsitzung(engine, grund="Test") as s:
        sz = s.scalars(select(m.Sitzung).where(m.Sitzung.sozialraum_id == sr, m.Sitzung.status == "versendet")
                       .order_by(m.Sitzung.datum.desc())).first()
        s.execute(update(m.Sitzung).where(m.Sitzung.id == sz.id)
                  .values(status="durchgefuehrt", protokoll_login=login))
        return sz.id, sz.datum


def test_mitglied_findet_delegiertes_protokoll_zuerst_und_oeffnet_das_formular(db):
    sid, datum = _delegiere(db, "mitglied01")
    at = _app(_akteur(db, "mitglied01"))
    ohne_fehler(at)
    assert at.title[0].value == "Start"
    assert _aufgaben_titel(at) != "Meine Aufgaben (0)"
    erste = next(t.value for t in at.text if "Ergebnisprotokoll" in t.value)
    assert f"{datum:%d.%m.%Y}" in erste
    knopf = next(b for b in at.button if b.label == "Öffnen")
    assert knopf.key.endswith("protokoll_delegiert")  # die erste Aufgabe ist die delegierte
    at = knopf.click().run()
    ohne_fehler(at)
    assert at.session_state[da.PROTOKOLL_SITZUNG] == sid
    assert at.title[0].value != "Start"  # Protokollseite geöffnet
    wahl = next(s for s in at.selectbox if s.label == "Sitzung")
    assert wahl.value == sid
    # das Formular ist offen: die Person schreibt (eingetragene Protokollführung)
    assert any(t.label == "Text des Punkts" for t in at.text_area)


@pytest.mark.parametrize("login", ["lenkung"])
def test_ohne_aufgaben_leerer_zustand(db, login):
    at = _app(_akteur(db, login))
    ohne_fehler(at)
    assert _aufgaben_titel(at) == "Meine Aufgaben (0)"
    assert any(s.value == "Keine offenen Aufgaben." for s in at.success)
    assert not [b for b in at.button if b.label == "Öffnen"]


def test_verteiler_ohne_konto_sozialraum(db):
    at = _app(Akteur("verteiler01", "verteiler", None, "Abteilungsleitung"))
    ohne_fehler(at)
    assert _aufgaben_titel(at).startswith("Meine Aufgaben (")


def test_teamleitung_sieht_ihre_aufgaben_und_die_liste_mit_spaltenkoepfen(db):
    at = _app(_akteur(db, "tl01"))
    ohne_fehler(at)
    with sitzung(db, akteur=None) as s:
        erwartet = da.aufgaben(s, _akteur(db, "tl01"), heute=datetime.now().date())
    assert _aufgaben_titel(at) == f"Meine Aufgaben ({len(erwartet)})"
    texte = [t.value for t in at.text]
    assert all(a.text in texte for a in erwartet)
    kopf = [x.value for x in at.markdown]
    for spalte in ("**Eintrag (Art)**", "**Ort**", "**zuletzt bestätigt**"):
        assert spalte in kopf
    assert any(h.value.startswith("Zu prüfen") for h in at.subheader)


def test_erhaltenes_protokoll_seit_der_vorigen_anmeldung(db):
    mg = _akteur(db, "mitglied01")
    with systemsitzung(db, grund="Test") as s:
        sz = s.scalars(select(m.Sitzung).where(m.Sitzung.sozialraum_id == mg.sozialraum_id,
                                               m.Sitzung.status == "versendet").order_by(m.Sitzung.datum)).first()
        am = sz.versendet_am
        s.execute(update(m.Benutzer).where(m.Benutzer.login == "mitglied01").values(vorige_anmeldung=am))
    at = _app(mg)
    ohne_fehler(at)
    vorher = [t.value for t in at.text if t.value.startswith("Neues Protokoll")]
    with systemsitzung(db, grund="Test") as s:
        s.execute(update(m.Benutzer).where(m.Benutzer.login == "mitglied01")
                  .values(vorige_anmeldung=datetime(2000, 1, 1, tzinfo=UTC)))
    at = _app(mg)
    nachher = [t.value for t in at.text if t.value.startswith("Neues Protokoll")]
    assert f"Sitzung vom {sz.datum:%d.%m.%Y}" in " ".join(nachher)
    assert len(nachher) > len(vorher)


@pytest.mark.parametrize("login", ["admin", "jhp"])
def test_admin_und_jugendhilfeplanung_ohne_fehler(db, login):
    at = _app(_akteur(db, login))
    ohne_fehler(at)
    assert at.title[0].value == "Start"
    with sitzung(db, akteur=None) as s:
        erwartet = da.aufgaben(s, _akteur(db, login), heute=datetime.now().date())
    assert _aufgaben_titel(at) == f"Meine Aufgaben ({len(erwartet)})"
    assert [t.value for t in at.text if any(t.value == a.text for a in erwartet)] == [a.text for a in erwartet]
