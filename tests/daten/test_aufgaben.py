"""„Meine Aufgaben“ (daten.aufgaben) auf der Demo-Datenbank: je Rolle, mit den Status, die das Produkt schreibt,
und beiden Seiten jeder Grenze (Einladung 28/29 Tage vorher, erhalten genau bei/nach der vorigen Anmeldung)."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from daten import aufgaben as da
from daten import modelle as m
from daten import politik
from daten.db import erstelle_engine, sitzung, systemsitzung
from daten.konten import anmelden
from daten.politik import Akteur

FERN = date(2040, 3, 15)  # ein Tag ohne Sitzungen, Reflexionen und Berichte in der Demo


@pytest.fixture
def engine(demo_sqlite_url, tmp_path):
    datei = tmp_path / "rk.db"
    shutil.copy(demo_sqlite_url.removeprefix("sqlite:///"), datei)
    e = erstelle_engine(f"sqlite:///{datei}")
    yield e
    e.dispose()


def _akteur(engine, login: str) -> Akteur:
    with sitzung(engine, akteur=None) as s:
        b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == login))
        return Akteur(b.login, b.rolle, b.sozialraum_id, b.anzeigename)


def _liste(engine, akteur, heute=FERN, **kw) -> list[da.Aufgabe]:
    with sitzung(engine, akteur=None) as s:
        return da.aufgaben(s, akteur, heute=heute, **kw)


def _arten(liste) -> list[str]:
    return [a.art for a in liste]


def _setze_sitzung(engine, sitzung_id: int, **werte) -> None:
    with systemsitzung(engine, grund="Test") as s:
        s.execute(update(m.Sitzung).where(m.Sitzung.id == sitzung_id).values(**werte))


def _sitzung(engine, sozialraum_id: int, status: str) -> m.Sitzung:
    with sitzung(engine, akteur=None) as s:
        return s.scalars(select(m.Sitzung).where(m.Sitzung.sozialraum_id == sozialraum_id,
                                                 m.Sitzung.status == status).order_by(m.Sitzung.datum)).first()


# ------------------------------------------------------------------------------ Protokolle schreiben
def test_delegiertes_protokoll_steht_beim_mitglied_zuerst_und_nicht_bei_der_teamleitung(engine):
    tl, mg = _akteur(engine, "tl01"), _akteur(engine, "mitglied01")
    sz = _sitzung(engine, tl.sozialraum_id, "versendet")
    _setze_sitzung(engine, sz.id, status="durchgefuehrt", protokoll_login="mitglied01")
    liste = _liste(engine, mg, frische_monate=10_000)
    assert liste[0].art == "protokoll_delegiert"
    assert liste[0].parameter == {da.PROTOKOLL_SITZUNG: sz.id, da.PROTOKOLL_SOZIALRAUM: liste[0].parameter[
        da.PROTOKOLL_SOZIALRAUM]} and liste[0].seite == "seiten/protokoll.py"
    assert f"{sz.datum:%d.%m.%Y}" in liste[0].text
    # die Teamleitung schreibt es nicht (delegiert); ein anderes Mitglied auch nicht
    assert sz.id not in [a.parameter.get(da.PROTOKOLL_SITZUNG) for a in _liste(engine, tl)
                         if a.art.startswith("protokoll_")]
    # ein Mitglied eines anderen Sozialraums bekommt diese Sitzung nie (die Demo delegiert ihm eine eigene)
    anderes = _liste(engine, _akteur(engine, "mitglied02"))
    assert sz.id not in [a.parameter.get(da.PROTOKOLL_SITZUNG) for a in anderes if a.art == "protokoll_delegiert"]


def test_ohne_delegation_schreibt_die_teamleitung(engine):
    tl = _akteur(engine, "tl01")
    sz = _sitzung(engine, tl.sozialraum_id, "versendet")
    _setze_sitzung(engine, sz.id, status="durchgefuehrt", protokoll_login=None)
    ids = [a.parameter[da.PROTOKOLL_SITZUNG] for a in _liste(engine, tl) if a.art == "protokoll_schreiben"]
    assert sz.id in ids
    # das Mitglied desselben Sozialraums leitet nicht; die Administration leitet keinen eigenen Sozialraum
    assert "protokoll_schreiben" not in _arten(_liste(engine, _akteur(engine, "mitglied01")))
    assert "protokoll_schreiben" not in _arten(_liste(engine, _akteur(engine, "admin")))
    # protokolliert ist geschrieben: keine Aufgabe mehr
    _setze_sitzung(engine, sz.id, status="protokolliert")
    assert sz.id not in [a.parameter.get(da.PROTOKOLL_SITZUNG) for a in _liste(engine, tl)]


# ------------------------------------------------------------------------------ Einladungen, R5
def test_einladung_genau_28_tage_vorher_ja_29_nein(engine):
    tl = _akteur(engine, "tl01")
    sz = _sitzung(engine, tl.sozialraum_id, "versendet")
    _setze_sitzung(engine, sz.id, status="geplant", datum=date(2040, 6, 1))

    def einladungen(heute):
        return [a for a in _liste(engine, tl, heute=heute) if a.art == "einladung_versenden"]

    genau = einladungen(date(2040, 6, 1) - timedelta(days=28))
    assert [a.parameter for a in genau] == [{da.SITZUNGEN_SITZUNG: sz.id}] and "in 28 Tagen" in genau[0].text
    assert einladungen(date(2040, 6, 1) - timedelta(days=29)) == []
    assert einladungen(date(2040, 6, 2)) == []  # vorbei
    assert "einladung_versenden" not in _arten(_liste(engine, _akteur(engine, "mitglied01"), heute=date(2040, 5, 10)))
    _setze_sitzung(engine, sz.id, status="eingeladen")
    assert einladungen(date(2040, 5, 10)) == []


def test_sitzung_ueberfaellig_nach_r5(engine):
    tl = _akteur(engine, "tl01")
    ueber = [a for a in _liste(engine, tl) if a.art == "sitzung_ueberfaellig"]
    assert len(ueber) == 1 and "30.06.2040" in ueber[0].text
    sz = _sitzung(engine, tl.sozialraum_id, "versendet")
    _setze_sitzung(engine, sz.id, status="geplant", datum=date(2040, 6, 30))  # letzter Tag des Halbjahrs zählt
    assert "sitzung_ueberfaellig" not in _arten(_liste(engine, tl))
    _setze_sitzung(engine, sz.id, status="abgesagt")  # abgesagt zählt nicht
    assert "sitzung_ueberfaellig" in _arten(_liste(engine, tl))
    _setze_sitzung(engine, sz.id, status="geplant", datum=date(2040, 7, 1))  # nächstes Halbjahr zählt nicht
    assert "sitzung_ueberfaellig" in _arten(_liste(engine, tl))
    assert "sitzung_ueberfaellig" not in _arten(_liste(engine, _akteur(engine, "admin")))


def test_r5_wie_die_auswertung_kadenz(engine):
    """Dieselbe Regel wie analysen.gremium.kadenz, für jeden Sozialraum der Demo heute."""
    import pandas as pd

    from analysen.gremium import kadenz

    heute = date.today()
    with sitzung(engine, akteur=None) as s:
        namen = dict(s.execute(select(m.Sozialraum.id, m.Sozialraum.name)).all())
        df = pd.DataFrame([{"sozialraum": namen[z.sozialraum_id], "datum": z.datum, "status": z.status}
                           for z in s.scalars(select(m.Sitzung))])
    kz = kadenz(df, list(namen.values()), heute).set_index("sozialraum")["ueberfaellig"]
    for sr_id, name in namen.items():
        tl = Akteur(f"tl_{sr_id}", "teamleitung", sr_id)
        assert ("sitzung_ueberfaellig" in _arten(_liste(engine, tl, heute=heute))) == bool(kz[name]), name


# ------------------------------------------------------------------------------ Maßnahmen
def test_beantragte_massnahmen_nur_fuer_wer_genehmigt(engine):
    tl = _akteur(engine, "tl01")
    with sitzung(engine, akteur=None) as s:
        beantragt = list(s.scalars(select(m.Massnahme.titel).where(m.Massnahme.sozialraum_id == tl.sozialraum_id,
                                                                  m.Massnahme.status == "beantragt")))
        andere = list(s.scalars(select(m.Massnahme.titel).where(m.Massnahme.sozialraum_id == tl.sozialraum_id,
                                                               m.Massnahme.status != "beantragt")))
    texte = [a.text for a in _liste(engine, tl) if a.art == "massnahme_genehmigen"]
    assert len(texte) == len(beantragt)
    assert all(any(f"„{t}“" in x for x in texte) for t in beantragt)
    assert not any(f"„{t}“" in x for x in texte for t in andere if t not in beantragt)
    for login in ("mitglied01", "admin", "jhp", "tl02"):
        assert not any(f"„{t}“" in a.text for a in _liste(engine, _akteur(engine, login)) for t in beantragt), login


# ------------------------------------------------------------------------------ erhalten seit
def test_erhalten_genau_bei_der_vorigen_anmeldung_nein_danach_ja(engine):
    mg = _akteur(engine, "mitglied01")
    sz = _sitzung(engine, mg.sozialraum_id, "versendet")
    am = sz.versendet_am.replace(tzinfo=UTC) if sz.versendet_am.tzinfo is None else sz.versendet_am

    def erhalten(seit):
        return [a.parameter[da.PROTOKOLL_SITZUNG] for a in _liste(engine, mg, seit=seit)
                if a.art == "protokoll_erhalten"]

    assert sz.id not in erhalten(am)
    assert sz.id in erhalten(am - timedelta(microseconds=1))
    # fremder Sozialraum: kein Leserecht, keine Aufgabe
    fremd = _sitzung(engine, _akteur(engine, "mitglied02").sozialraum_id, "versendet")
    assert fremd.id not in erhalten(datetime(2000, 1, 1, tzinfo=UTC))
    # Lenkungsgruppe liest keine Protokolle
    assert _liste(engine, _akteur(engine, "lenkung"), seit=datetime(2000, 1, 1, tzinfo=UTC)) == []


def test_verteiler_bekommt_was_er_lesen_darf_und_sonst_nichts(engine):
    v = Akteur("verteiler01", "verteiler", None)
    liste = _liste(engine, v, seit=datetime(2000, 1, 1, tzinfo=UTC), heute=date.today())
    assert set(_arten(liste)) <= {"protokoll_erhalten"}
    with sitzung(engine, akteur=None) as s:
        lesbar = {z.id for z in s.scalars(select(m.Sitzung).where(m.Sitzung.status == "versendet"))
                  if politik.darf_protokoll_lesen(v, z.sozialraum_id)}
    assert {a.parameter[da.PROTOKOLL_SITZUNG] for a in liste} == lesbar


def test_anmeldung_merkt_letzte_und_vorige_ohne_protokollzeile_und_ohne_neuen_stand(engine):
    def stand():
        with sitzung(engine, akteur=None) as s:
            b = s.scalar(select(m.Benutzer).where(m.Benutzer.login == "mitglied01"))
            n = s.scalar(select(m.Aenderung.id).order_by(m.Aenderung.id.desc()).limit(1))
            return b.letzte_anmeldung, b.vorige_anmeldung, b.version, n

    t1 = datetime(2040, 1, 2, 8, 0, tzinfo=UTC)
    t2 = datetime(2040, 1, 3, 9, 30, tzinfo=UTC)
    _, _, version, letzte_zeile = stand()
    anmelden(engine, "mitglied01", "demo", demo_modus=True, jetzt=t1)
    anmelden(engine, "mitglied01", "demo", demo_modus=True, jetzt=t2)
    letzte, vorige, v2, zeile2 = stand()
    assert (letzte.replace(tzinfo=UTC), vorige.replace(tzinfo=UTC)) == (t2, t1)
    assert v2 == version and zeile2 == letzte_zeile
    with sitzung(engine, akteur=None) as s:
        assert da.vorige_anmeldung(s, _akteur(engine, "mitglied01")) == t1


# ------------------------------------------------------------------------------ Frische, Pflichten
def test_frische_fuer_wer_prueft(engine):
    tl = _akteur(engine, "tl01")
    assert "eintraege_pruefen" in _arten(_liste(engine, tl, frische_monate=1))
    assert "eintraege_pruefen" not in _arten(_liste(engine, tl, frische_monate=10_000))
    assert "eintraege_pruefen" not in _arten(_liste(engine, _akteur(engine, "mitglied01"), frische_monate=1))


def test_jaehrliche_pflichten(engine):
    """Im laufenden Jahr wird über das Vorjahr berichtet (daten.pflichten, wie die Seite): die Demo hat beide
    Reflexionen des Vorjahres und die Berichte jedes zweiten Sozialraums."""
    heute = date.today()
    vorjahr = heute.year - 1
    jhp = _akteur(engine, "jhp")
    with sitzung(engine, akteur=None) as s:
        erstattet = set(s.scalars(select(m.Lenkungsbericht.sozialraum_id).where(m.Lenkungsbericht.jahr == vorjahr)))
        tl_ohne = s.scalar(select(m.Benutzer.login).where(m.Benutzer.rolle == "teamleitung",
                                                          m.Benutzer.sozialraum_id.not_in(erstattet)))
        tl_mit = s.scalar(select(m.Benutzer.login).where(m.Benutzer.rolle == "teamleitung",
                                                         m.Benutzer.sozialraum_id.in_(erstattet)))
    assert 0 < len(erstattet) < 8  # mehrere fehlen (auch nach einem weiteren Bericht unten)
    pflichten = [a for a in _liste(engine, jhp, heute=heute) if a.art in ("reflexion_dokumentieren", "lenkungsbericht")]
    assert [a.art for a in pflichten] == ["lenkungsbericht"]  # beide Reflexionen über das Vorjahr dokumentiert
    assert f"über {vorjahr}" in pflichten[0].text and f"{10 - len(erstattet)} Sozialräume" in pflichten[0].text
    tl = _akteur(engine, tl_ohne)
    assert [a.art for a in _liste(engine, tl, heute=heute) if a.art == "lenkungsbericht"] == ["lenkungsbericht"]
    assert "lenkungsbericht" not in _arten(_liste(engine, _akteur(engine, tl_mit), heute=heute))
    assert "reflexion_dokumentieren" not in _arten(_liste(engine, tl, heute=heute))  # dokumentiert die JHP
    with systemsitzung(engine, grund="Test") as s:
        s.add(m.Lenkungsbericht(sozialraum_id=tl.sozialraum_id, jahr=vorjahr, datum=heute, erstattet_von=tl.login))
    assert "lenkungsbericht" not in _arten(_liste(engine, tl, heute=heute))
    pflichten = [a for a in _liste(engine, jhp, heute=heute) if a.art == "lenkungsbericht"]
    assert f"{9 - len(erstattet)} Sozialräume" in pflichten[0].text
    # im nächsten Jahr: über dieses Jahr ist noch nichts dokumentiert – beide Reflexionen fehlen
    naechstes = date(heute.year + 1, 2, 1)
    arten = [a.art for a in _liste(engine, jhp, heute=naechstes)]
    assert arten.count("reflexion_dokumentieren") == 2 and "lenkungsbericht" in arten
    for login in ("admin", "mitglied01", "lenkung"):
        assert not {"reflexion_dokumentieren", "lenkungsbericht"} & set(
            _arten(_liste(engine, _akteur(engine, login), heute=naechstes)))


def test_lenkungsgruppe_und_ohne_anmeldung_keine_aufgaben(engine):
    assert _liste(engine, _akteur(engine, "lenkung"), heute=date.today()) == []
    assert _liste(engine, None) == []
