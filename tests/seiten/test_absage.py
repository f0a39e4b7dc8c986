"""AppTest der Absage auf der Seite „Sitzungen“ (seiten/_absage.py): nur die Teamleitung sieht den Knopf; nach der
Absage steht die Sitzung als abgesagt mit höherer SEQUENCE in der Datenbank und die Absage (.ics) zum Herunterladen."""

import pytest
from sqlalchemy import select

import karte  # noqa: F401  (vor dem Start einer Seite laden: im Ordner seiten/ gibt es auch karte.py)
from daten import modelle as m
from daten import werte
from daten.db import sitzung
from daten.politik import Akteur
from tests.seiten.hilfen import demo_kopie, ohne_fehler, seite


@pytest.fixture
def kopie(monkeypatch, demo_sqlite_url, tmp_path):
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        with sitzung(engine, akteur=None) as s:
            neustadt = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == "Neustadt"))
        yield engine, neustadt


def _knoepfe(at) -> list[str]:
    return [b.label for b in at.button]


def test_teamleitung_sagt_ab_und_bekommt_die_absage(kopie):
    engine, neustadt = kopie
    at = seite("seiten/sitzungen.py", Akteur("tl01", "teamleitung", neustadt)).run()
    ohne_fehler(at)
    sid = at.selectbox(key="sitzungen_wahl").value
    with sitzung(engine, akteur=None) as s:
        vorher = s.get(m.Sitzung, sid)
        assert vorher.status in ("geplant", "eingeladen")
        sequenz = vorher.sequenz
    assert "Sitzung absagen" in _knoepfe(at)
    next(t for t in at.text_input if t.label.startswith("Grund der Absage")).input("Raum belegt")
    next(b for b in at.button if b.label == "Sitzung absagen").click().run()
    ohne_fehler(at)
    assert any(s.value.startswith("Sitzung abgesagt.") for s in at.success)
    with sitzung(engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        assert (sz.status, sz.sequenz, sz.absage_grund) == (werte.SITZUNG_ABGESAGT, sequenz + 1, "Raum belegt")
    assert at.selectbox(key="sitzungen_wahl").value == sid
    assert any("ist abgesagt: Raum belegt" in i.value for i in at.info)
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Absage als Kalenderdatei (.ics)" in labels
    assert "Sitzung absagen" not in _knoepfe(at)


def test_mitglied_sieht_keinen_absageknopf(kopie):
    _, neustadt = kopie
    at = seite("seiten/sitzungen.py", Akteur("mitglied01", "mitglied", neustadt)).run()
    ohne_fehler(at)
    assert "Sitzung absagen" not in _knoepfe(at)
