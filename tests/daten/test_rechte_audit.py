"""Rechte in der Datenschicht, Änderungsprotokoll und Versionskonflikte – auf SQLite und PostGIS."""

import pytest
import shapely
from sqlalchemy import select

from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.fehler import KonfliktFehler, RechteFehler
from daten.laden import initialisiere
from daten.passwort import hash_passwort, pruefe_passwort
from daten.politik import SYSTEM, Akteur

QUADRAT = shapely.box(8.20, 49.95, 8.30, 50.05)


@pytest.fixture
def db(leere_db, kommune):
    engine = erstelle_engine(leere_db)
    initialisiere(engine, kommune)
    with sitzung(engine, akteur=SYSTEM) as s:
        for st in s.scalars(select(m.Stadtteil)):
            st.geometrie = QUADRAT
        ids = {sr.name: sr.id for sr in s.scalars(select(m.Sozialraum))}
        st_id = s.scalar(select(m.Stadtteil.id).where(m.Stadtteil.name == "Neustadt"))
    yield engine, ids, st_id
    engine.dispose()


def _einrichtung(st_id: int, name: str = "Kita Test") -> m.Einrichtung:
    return m.Einrichtung(schluessel=name.lower().replace(" ", "-"), name=name, art="kita", traeger_art="frei",
                         stadtteil_id=st_id, geometrie=shapely.Point(8.25, 50.0), zielgruppen=[], angebote=[])


def test_teamleitung_darf_nur_im_eigenen_sozialraum(db):
    engine, ids, st_id = db
    eigene = Akteur("tl", "teamleitung", ids["Neustadt"])
    fremde = Akteur("tl2", "teamleitung", ids["Mombach"])
    with sitzung(engine, akteur=eigene) as s:
        s.add(_einrichtung(st_id))
    with pytest.raises(RechteFehler, match="Keine Berechtigung"), sitzung(engine, akteur=fremde) as s:
        s.add(_einrichtung(st_id, "Kita Fremd"))
    with pytest.raises(RechteFehler), sitzung(engine, akteur=Akteur("lg", "lenkungsgruppe")) as s:
        s.add(_einrichtung(st_id, "Kita Lenkung"))
    with pytest.raises(RechteFehler, match="anmelden"), sitzung(engine, akteur=None) as s:
        s.add(_einrichtung(st_id, "Kita Anonym"))
    with sitzung(engine, akteur=None) as s:
        namen = list(s.scalars(select(m.Einrichtung.name)))
    assert namen == ["Kita Test"]  # abgelehnte Transaktionen haben nichts hinterlassen


def test_aenderungsprotokoll_mit_vorher_und_nachher(db):
    engine, ids, st_id = db
    tl = Akteur("tl-neustadt", "teamleitung", ids["Neustadt"])
    with sitzung(engine, akteur=tl) as s:
        s.add(_einrichtung(st_id))
    with sitzung(engine, akteur=tl) as s:
        e = s.scalar(select(m.Einrichtung))
        e.name = "Kita Umbenannt"
    with sitzung(engine, akteur=tl) as s:
        s.delete(s.scalar(select(m.Einrichtung)))
    with sitzung(engine, akteur=None) as s:
        zeilen = list(s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "einrichtung")
                                .order_by(m.Aenderung.id)))
    assert [z.aktion for z in zeilen] == ["anlegen", "aendern", "loeschen"]
    assert all(z.benutzer == "tl-neustadt" for z in zeilen)
    assert zeilen[0].vorher is None and zeilen[0].nachher["name"] == "Kita Test"
    assert zeilen[1].vorher["name"] == "Kita Test" and zeilen[1].nachher["name"] == "Kita Umbenannt"
    assert zeilen[1].nachher["geometrie"].startswith("POINT")
    assert zeilen[2].vorher["name"] == "Kita Umbenannt" and zeilen[2].nachher is None


def test_gleichzeitige_bearbeitung_ueberschreibt_nicht_still(db):
    engine, _ids, st_id = db
    with sitzung(engine, akteur=SYSTEM) as s:
        s.add(_einrichtung(st_id))
    with pytest.raises(KonfliktFehler, match="inzwischen"), sitzung(engine, akteur=SYSTEM) as a_s:
        a = a_s.scalar(select(m.Einrichtung))  # A lädt Version 1
        with sitzung(engine, akteur=SYSTEM) as b_s:  # B speichert zuerst
            b_s.scalar(select(m.Einrichtung)).name = "Stand B"
        a.name = "Stand A"  # A speichert auf veraltetem Stand
    with sitzung(engine, akteur=None) as s:
        e = s.scalar(select(m.Einrichtung))
        assert (e.name, e.version) == ("Stand B", 2)


def test_passwoerter_werden_gehasht():
    h = hash_passwort("geheim-und-lang")
    assert "geheim" not in h and h.startswith("$argon2id$")
    assert pruefe_passwort("geheim-und-lang", h)
    assert not pruefe_passwort("falsch", h)
    assert hash_passwort("geheim-und-lang") != h  # Salz
