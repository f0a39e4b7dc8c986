"""Vergleich: gerechnet wird je Inhalt der Daten, nicht je Änderungsprotokoll-Zeile. Eine Bestätigung in der Pflege
(nur Datum und Stand ändern sich) rechnet nichts neu; eine geänderte Kapazität schon."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

import analysen.vergleich
import karte  # noqa: F401 - das Paket laden, bevor eine Seite aus seiten/ läuft
from daten import dienste
from daten import modelle as m
from daten.config import lade_kommune
from daten.db import sitzung
from daten.dienste import einrichtungen as de
from daten.politik import Akteur
from tests.seiten.hilfen import WURZEL, demo_kopie


@pytest.fixture
def db(monkeypatch, demo_sqlite_url, tmp_path):
    with demo_kopie(monkeypatch, demo_sqlite_url, tmp_path) as engine:
        yield engine


def test_bestaetigen_rechnet_nichts_neu_eine_kapazitaet_schon(db, monkeypatch):
    aufrufe = []
    echt = analysen.vergleich.vergleiche

    def zaehle(*args, **kw):
        aufrufe.append(kw.get("jahr"))
        return echt(*args, **kw)

    monkeypatch.setattr(analysen.vergleich, "vergleiche", zaehle)
    at = AppTest.from_file(str(WURZEL / "seiten" / "vergleich.py"), default_timeout=300).run()
    assert not at.exception, [e.value for e in at.exception]
    vorher = len(aufrufe)
    assert vorher > 0
    with sitzung(db, akteur=None) as s:
        e = s.scalars(select(m.Einrichtung).where(m.Einrichtung.art == "kita", m.Einrichtung.kapazitaet.is_not(None),
                                                  m.Einrichtung.gueltig_bis.is_(None))).first()
        eid, version, kap, sr = e.id, e.version, e.kapazitaet, e.stadtteil.sozialraum_id
    tl = Akteur("tl", "teamleitung", sr)
    dienste.ausfuehren(db, tl, de.bestaetige_einrichtung, einrichtung_id=eid, version=version)
    with sitzung(db, akteur=None) as s:
        assert s.get(m.Einrichtung, eid).bestaetigt_am == date.today()
    at.run()
    assert not at.exception
    assert len(aufrufe) == vorher  # nur bestätigt: nichts neu gerechnet
    dienste.ausfuehren(db, tl, de.aendere_einrichtung, einrichtung_id=eid, version=version + 1,
                       kommune=lade_kommune(), kapazitaet=kap + 50)
    at.run()
    assert not at.exception
    assert len(aufrufe) > vorher  # ein Wert des Vergleichs hat sich geändert: neu gerechnet
