"""Das Gremium im Alltag (Issue 14), auf SQLite und PostGIS: Delegation nur an ein aktives Konto des Sozialraums,
„durchgeführt“ erst ab dem Sitzungstag, Protokollwechsel (4.1) mit Grund bei Abweichung, Gäste in der Teilnahme (3.1)
und der Verteiler (3.2.3), der Protokolle liest und nichts schreibt.

Jeder Test schreibt über die Dienstschicht oder direkt über das ORM: die Regel greift in der Datenschicht."""

from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.attributes import set_committed_value

from analysen.gremium import anwesenheit
from daten import modelle as m
from daten import politik, protokolle
from daten.db import sitzung
from daten.dienste import konten, protokoll, sitzungen
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.gremium import regeln
from daten.politik import SYSTEM, Akteur, Ziel
from tests.daten._gremium import baue_welt, gehaltene_sitzung, punkt


@pytest.fixture
def w(leere_db, kommune):
    welt = baue_welt(leere_db, kommune)
    yield welt
    welt.engine.dispose()


def _heute(w):
    return regeln.heute(w.kommune)


def _plane(w, datum, *, bereich: str | None = None, grund: str | None = None, login: str | None = None) -> int:
    """Plant als Teamleitung; ohne `bereich` das vorgeschlagene Arbeitsfeld des Wechsels."""
    with sitzung(w.engine, akteur=w.tl) as s:
        if bereich is None:
            bereich = sitzungen.protokoll_vorschlag(s, sozialraum_id=w.sr, datum=datum)
        return sitzungen.plane_sitzung(s, w.tl, kommune=w.kommune, sozialraum_id=w.sr, datum=datum,
                                       ort_id=w.e["asd"], protokoll_bereich=bereich, protokollfuehrung=None,
                                       protokoll_bereich_grund=grund, protokoll_login=login).id


def _zeile(w, sid):
    with sitzung(w.engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        return {"status": sz.status, "login": sz.protokoll_login, "bereich": sz.protokoll_bereich,
                "grund": sz.protokoll_bereich_grund, "fuehrung": sz.protokollfuehrung,
                "delegationen": [(d.an_login, d.an_bereich, d.von_login) for d in sz.delegationen]}


# --------------------------------------------------------------------------------------------- Delegation
@pytest.mark.parametrize(("login", "meldung"), [
    ("hseidel", "„hseidel“ gibt es nicht"),                       # getippt, kein Konto
    ("mitglied10", "gehört zum Sozialraum Mombach"),              # anderer Sozialraum
    ("mitglied-gesperrt", "ist gesperrt"),                        # inaktiv
    ("kita-tl", "kann keine Protokolle schreiben"),               # Verteiler des Sozialraums: nur lesen
    ("al5103", "gehört zu keinem Sozialraum"),                    # stadtweites Verteiler-Konto
])
def test_delegation_verweigert_konten_die_nicht_schreiben_koennen(w, login, meldung):
    sid = gehaltene_sitzung(w, protokoll_login=None)
    with pytest.raises(EingabeFehler, match=meldung), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=sid, an_login=login)
    assert _zeile(w, sid)["login"] is None and _zeile(w, sid)["delegationen"] == []
    # auch am Dienst vorbei, direkt im ORM: die Datenschicht prüft das Konto in der Datenbank
    with pytest.raises(EingabeFehler, match=meldung), sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Sitzung, sid).protokoll_login = login
    assert _zeile(w, sid)["login"] is None


def test_delegation_an_ein_mitglied_landet_auf_der_sitzung_und_es_schreibt(w):
    sid = gehaltene_sitzung(w, protokoll_login=None)
    andere = gehaltene_sitzung(w, protokoll_login=None, datum=_datum(w, sid) - timedelta(days=90))
    with sitzung(w.engine, akteur=w.tl) as s:
        version = s.get(m.Sitzung, sid).version
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=sid, an_login="mitglied01", version=version)
    z = _zeile(w, sid)
    assert z["login"] == "mitglied01" and z["fuehrung"] == "Mitglied Neustadt (Kita)"
    assert z["delegationen"] == [("mitglied01", "Kita", "tl01")]
    assert _zeile(w, andere)["login"] is None and _zeile(w, andere)["delegationen"] == []  # nur die gewählte Sitzung
    with sitzung(w.engine, akteur=w.mitglied) as s:
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=1, handlungsebene="falluebergreifend",
                                  text="Die Angebote im Stadtteil sind gut ausgelastet.")
    with pytest.raises(KonfliktFehler), sitzung(w.engine, akteur=w.tl) as s:  # veralteter Stand der Sitzung
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=sid, an_login="tl01", version=version)
    with pytest.raises(EingabeFehler, match="Konto wählen"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=sid, an_login="  ")
    with sitzung(w.engine, akteur=None) as s:
        assert [k["login"] for k in sitzungen.protokollkonten(s, sozialraum_id=w.sr)] == ["mitglied01", "tl01"]


def _datum(w, sid):
    with sitzung(w.engine, akteur=None) as s:
        return s.get(m.Sitzung, sid).datum


def test_planen_mit_konto_prueft_es_ebenso(w):
    tag = _heute(w) + timedelta(days=20)
    with pytest.raises(EingabeFehler, match="gehört zum Sozialraum Mombach"):
        _plane(w, tag, login="mitglied10")
    sid = _plane(w, tag, login="mitglied01")
    assert _zeile(w, sid)["login"] == "mitglied01" and _zeile(w, sid)["fuehrung"] == "Mitglied Neustadt (ASD)"


# --------------------------------------------------------------------------------------------- Sitzungstag
def test_durchgefuehrt_erst_am_sitzungstag(w):
    heute = _heute(w)
    morgen = _plane(w, heute + timedelta(days=1))
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.setze_status(s, w.tl, sitzung_id=morgen, status="eingeladen")  # vorher erlaubt
    meldung = f"am {heute + timedelta(days=1):%d.%m.%Y} hat noch nicht stattgefunden"
    for status in ("durchgefuehrt", "protokolliert"):
        with pytest.raises(EingabeFehler, match=meldung), sitzung(w.engine, akteur=w.tl) as s:
            s.get(m.Sitzung, morgen).status = status
    assert _zeile(w, morgen)["status"] == "eingeladen"
    # ein im Speicher gefälschtes Datum hilft nicht: geprüft wird die gespeicherte Zeile
    with pytest.raises(EingabeFehler, match="noch nicht stattgefunden"), sitzung(w.engine, akteur=w.tl) as s:
        sz = s.get(m.Sitzung, morgen)
        set_committed_value(sz, "datum", heute - timedelta(days=3))
        sz.status = "durchgefuehrt"
    # Datum zurück und zugleich durchgeführt: das gespeicherte (künftige) Datum zählt
    with pytest.raises(EingabeFehler, match="zuerst das Datum ändern"), sitzung(w.engine, akteur=w.tl) as s:
        sz = s.get(m.Sitzung, morgen)
        sz.datum, sz.status = heute, "durchgefuehrt"
    # am Sitzungstag selbst: erlaubt
    heutige = _plane(w, heute)
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.setze_status(s, w.tl, sitzung_id=heutige, status="durchgefuehrt")
    assert _zeile(w, heutige)["status"] == "durchgefuehrt"
    # zuerst verschieben, dann durchführen: erlaubt
    with sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Sitzung, morgen).datum = heute - timedelta(days=1)
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.setze_status(s, w.tl, sitzung_id=morgen, status="durchgefuehrt")
    assert _zeile(w, morgen)["status"] == "durchgefuehrt"


def test_system_und_demo_duerfen_kuenftige_sitzungen_setzen(w):
    with sitzung(w.engine, akteur=SYSTEM) as s:
        sz = m.Sitzung(schluessel="kuenftig", sozialraum_id=w.sr, datum=_heute(w) + timedelta(days=9),
                       status="durchgefuehrt", ort_id=w.e["asd"])
        s.add(sz)
    with sitzung(w.engine, akteur=SYSTEM) as s:
        s.get(m.Sitzung, sz.id).status = "protokolliert"


# --------------------------------------------------------------------------------------------- Wechsel 4.1
def test_protokollwechsel_schlaegt_das_naechste_feld_vor_und_abweichung_braucht_grund(w):
    heute = _heute(w)
    d1, d2, d3 = heute + timedelta(days=10), heute + timedelta(days=100), heute + timedelta(days=200)
    with sitzung(w.engine, akteur=None) as s:
        assert sitzungen.protokoll_vorschlag(s, sozialraum_id=w.sr, datum=d1) == "ASD"  # ohne Vorgänger: das erste
    a = _plane(w, d1, bereich="ASD")
    with sitzung(w.engine, akteur=None) as s:
        # Schulsozialarbeit ist in der Testwelt nicht vertreten und wird übersprungen
        assert sitzungen.protokoll_vorschlag(s, sozialraum_id=w.sr, datum=d2) == "KiJuKuZ"
        assert sitzungen.protokoll_vorschlag(s, sozialraum_id=w.sr, datum=d1, sitzung_id=a) == "ASD"
    with pytest.raises(EingabeFehler, match="führt bei dieser Sitzung KiJuKuZ das Protokoll, nicht Kita"):
        _plane(w, d2, bereich="Kita")
    with pytest.raises(EingabeFehler, match="mindestens 10 Zeichen"):
        _plane(w, d2, bereich="Kita", grund="krank")  # zu kurz (5 Zeichen)
    grund = "KiJuKuZ ist diesmal nicht vertreten."
    b = _plane(w, d2, bereich="Kita", grund=grund)
    assert (_zeile(w, b)["bereich"], _zeile(w, b)["grund"]) == ("Kita", grund)
    with sitzung(w.engine, akteur=None) as s:  # im Änderungsprotokoll
        zeilen = list(s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "sitzung",
                                                          m.Aenderung.datensatz_id == b)))
        assert any((z.nachher or {}).get("protokoll_bereich_grund") == grund and z.benutzer == "tl01" for z in zeilen)
        assert sitzungen.protokoll_vorschlag(s, sozialraum_id=w.sr, datum=d3) == "ASD"  # nach Kita wieder vorn
    c = _plane(w, d3)  # der Vorschlag braucht keinen Grund
    assert (_zeile(w, c)["bereich"], _zeile(w, c)["grund"]) == ("ASD", None)
    # Delegation in ein anderes Feld: ohne Grund abgelehnt, mit Grund gespeichert; zurück zum Vorschlag löscht ihn
    with pytest.raises(EingabeFehler, match="führt bei dieser Sitzung ASD"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=c, an_login="mitglied01", an_bereich="KiJuKuZ")
    assert _zeile(w, c)["login"] is None
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=c, an_login="mitglied01", an_bereich="KiJuKuZ",
                                      grund="Die Teamleitung moderiert und vertritt.")
    assert _zeile(w, c)["grund"] == "Die Teamleitung moderiert und vertritt."
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=c, an_login="tl01", an_bereich="ASD")
    assert (_zeile(w, c)["bereich"], _zeile(w, c)["grund"], _zeile(w, c)["login"]) == ("ASD", None, "tl01")
    # am Dienst vorbei: das Feld direkt im ORM ändern braucht ebenso einen Grund
    with pytest.raises(EingabeFehler, match="Im Wechsel"), sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Sitzung, c).protokoll_bereich = "Kita"


# --------------------------------------------------------------------------------------------- Gäste 3.1
def test_gaeste_in_der_teilnahme_sind_keine_mitglieder(w):
    sid = gehaltene_sitzung(w)
    liste = [{"bereich": "Kita", "einrichtung": "t-kita", "name": "Leitung Kita"},
             {"gast": True, "name": "Frau Berg", "organisation": "Suchthilfe (51.04)"},
             {"gast": True, "name": "Herr Stein", "organisation": "  "}]
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.trage_teilnahme_ein(s, w.tl, sitzung_id=sid, teilnehmende=liste)
    with sitzung(w.engine, akteur=None) as s:
        gespeichert = s.get(m.Sitzung, sid).teilnehmende
        df = sitzungen.sitzungen(s, sozialraum_id=w.sr)
    assert gespeichert[1] == {"gast": True, "name": "Frau Berg", "organisation": "Suchthilfe (51.04)",
                              "bereich": "Gast (Suchthilfe (51.04))", "einrichtung": None}
    assert gespeichert[2]["organisation"] is None and gespeichert[2]["bereich"] == "Gast"
    assert not gespeichert[0].get("gast")
    zeile = df[df["id"] == sid].iloc[0]
    assert (zeile["anzahl_teilnehmende"], zeile["anzahl_gaeste"]) == (3, 2)
    with pytest.raises(EingabeFehler, match="Zeile 1: beim Gast fehlt der Name"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.trage_teilnahme_ein(s, w.tl, sitzung_id=sid, teilnehmende=[{"gast": True, "organisation": "X"}])


def test_gast_aus_einer_kita_zaehlt_nicht_als_anwesenheit():
    """R6 zählt Mitglieder: ein Gast, der zufällig die Einrichtung einer Kita trägt, macht sie nicht anwesend."""
    ein = pd.DataFrame([{"schluessel": "k1", "name": "Kita 1", "art": "kita", "sozialraum": "A", "stadtteil": "S",
                         "gueltig_von": None, "gueltig_bis": None, "gremium_ab_stufe": 1}])
    datum = pd.Timestamp("2026-03-04").date()

    def da(teilnehmende):
        sz = pd.DataFrame([{"id": 1, "sozialraum": "A", "datum": datum, "status": "durchgefuehrt",
                            "teilnehmende": teilnehmende}])
        return bool(anwesenheit(sz, ein)["anwesend"].iloc[0])

    assert da([{"einrichtung": "k1", "name": "Leitung", "bereich": "Kita"}])
    assert not da([{"gast": True, "einrichtung": "k1", "name": "Besuch", "bereich": "Gast"}])


# --------------------------------------------------------------------------------------------- Verteiler 3.2.3
def test_verteiler_liest_eigenen_sozialraum_oder_stadtweit_und_schreibt_nie(w):
    kita_tl = Akteur("kita-tl", "verteiler", w.sr)
    al = Akteur("al5103", "verteiler", None)
    assert politik.darf_protokoll_lesen(kita_tl, w.sr) and not politik.darf_protokoll_lesen(kita_tl, w.fremd)
    assert politik.darf_protokoll_lesen(al, w.sr) and politik.darf_protokoll_lesen(al, w.fremd)
    assert politik.protokoll_lesebereich(al) == "alle" and politik.protokoll_lesebereich(kita_tl) == "eigener"
    assert politik.nur_lesen(al) and politik.nur_lesen(kita_tl)
    for aktion in politik.AKTIONEN:
        for t in ("protokollpunkt", "sitzung", "massnahme", "einrichtung"):
            assert not politik.darf(kita_tl, aktion, Ziel(t, w.sr)) and not politik.darf(al, aktion, Ziel(t, w.sr))
    assert not politik.darf(al, "gremium_leiten", Ziel("gremium_leiten", w.sr))
    assert politik.sozialraum_wahlweise("verteiler") and not politik.sozialraum_wahlweise("mitglied")
    assert not politik.braucht_sozialraum("verteiler")

    sid = gehaltene_sitzung(w)
    punkt(w, sid)
    with sitzung(w.engine, akteur=SYSTEM) as s:
        fremd = m.Sitzung(schluessel="fremd", sozialraum_id=w.fremd, datum=_datum(w, sid), status="durchgefuehrt",
                          ort_id=w.e["asd_fremd"])
        fremd.punkte.append(m.Protokollpunkt(frage=1, handlungsebene="fallunspezifisch", text="Punkt in Mombach"))
        s.add(fremd)
    with sitzung(w.engine, akteur=None) as s:
        assert len(protokolle.punkte(s, sid, akteur=al)) == 1 and len(protokolle.punkte(s, fremd.id, akteur=al)) == 1
        assert len(protokolle.punkte(s, sid, akteur=kita_tl)) == 1
        with pytest.raises(RechteFehler, match="Verteiler"):
            protokolle.punkte(s, fremd.id, akteur=kita_tl)
        assert len(protokolle.protokollpunkte(session=s, akteur=al)) == 2
        assert set(protokolle.protokollpunkte(session=s, akteur=kita_tl)["sozialraum"]) == {"Neustadt"}
    # schreiben: über das ORM abgelehnt, Text-SQL von der Datenbank abgelehnt
    for akteur in (kita_tl, al):
        with pytest.raises(RechteFehler), sitzung(w.engine, akteur=akteur) as s:
            s.scalars(select(m.Protokollpunkt).where(m.Protokollpunkt.sitzung_id == sid)).first().text = "geändert"
        with pytest.raises((DBAPIError, RechteFehler, EingabeFehler)), sitzung(w.engine, akteur=akteur) as s:
            s.execute(text("UPDATE protokollpunkt SET text = 'geändert'"))
    if w.engine.dialect.name == "postgresql":  # dort zusätzlich: READ ONLY-Transaktion, auch für rohe Anweisungen
        with pytest.raises(Exception, match="read-only transaction"), sitzung(w.engine, akteur=al) as s:
            s.scalar(select(func.count()).select_from(m.Sitzung))
            s.connection().connection.dbapi_connection.execute("UPDATE protokollpunkt SET text = 'geändert'")
    with sitzung(w.engine, akteur=None) as s:
        assert s.scalar(select(func.count()).select_from(m.Protokollpunkt)
                        .where(m.Protokollpunkt.text == "geändert")) == 0


def test_konten_fuer_den_verteiler_mit_und_ohne_sozialraum(w):
    admin = Akteur("admin", "admin")
    with sitzung(w.engine, akteur=admin) as s:
        konten.lege_benutzer_an(s, admin, login="sgl-kita", anzeigename="Sachgebietsleitung Kitas", rolle="verteiler",
                                passwort=None)
        konten.lege_benutzer_an(s, admin, login="kita-tl-2", anzeigename="Kita-Teamleitung", rolle="verteiler",
                                sozialraum_id=w.sr, passwort=None)
    with sitzung(w.engine, akteur=None) as s:
        neu = {b.login: b.sozialraum_id for b in s.scalars(select(m.Benutzer).where(m.Benutzer.rolle == "verteiler"))}
    assert neu["sgl-kita"] is None and neu["kita-tl-2"] == w.sr
    with pytest.raises(EingabeFehler, match="braucht einen Sozialraum"), sitzung(w.engine, akteur=admin) as s:
        konten.lege_benutzer_an(s, admin, login="m-ohne", anzeigename="M", rolle="mitglied", passwort=None)
    with pytest.raises(EingabeFehler, match="bitte keinen Sozialraum"), sitzung(w.engine, akteur=admin) as s:
        konten.lege_benutzer_an(s, admin, login="j-mit", anzeigename="J", rolle="jugendhilfeplanung",
                                sozialraum_id=w.sr, passwort=None)
