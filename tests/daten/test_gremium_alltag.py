"""Gremium im Alltag (Issue 14), auf SQLite und PostGIS: Lebenslauf der Maßnahmen bis „umgesetzt“, Beschlüsse des
Gremiums über Fortbildung/Supervision (5.3) unter dem harten Deckel, Stufen Schritt für Schritt (3.1), eine Reflexion
je Jahr mit Delegierten (5.2), der Bericht der Teamleitung an die Lenkungsgruppe (4.2), Einschätzungen je Frage.

Jeder Test schreibt über die Dienste oder am Dienst vorbei über das ORM: die Regel greift in der Datenschicht.
"""

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from daten import modelle as m
from daten.db import sitzung
from daten.dienste import massnahmen, reflexion, sitzungen
from daten.dienste.bewertung import bewertung_speichern
from daten.dienste.lenkungsbericht import lenkungsbericht_erfassen
from daten.fehler import EingabeFehler, KonfliktFehler, RechteFehler
from daten.gremium.regeln import BudgetFehler
from daten.pflichten import pflichten_im_jahr
from daten.politik import SYSTEM, Akteur
from tests.daten._gremium import baue_welt, gehaltene_sitzung, punkt

FB = "fortbildung_supervision"


@pytest.fixture
def w(leere_db, kommune):
    welt = baue_welt(leere_db, kommune)
    yield welt
    welt.engine.dispose()


def _beantragt(w, pid, kosten=800.0, art="falluebergreifend"):
    with sitzung(w.engine, akteur=w.mitglied) as s:
        return massnahmen.lege_massnahme_an(s, w.mitglied, protokollpunkt_id=pid, titel="Elternkurs", art=art,
                                            kosten_geplant=kosten, beschlussvorlage="1470/2012").id


def _version(w, mid):
    with sitzung(w.engine, akteur=None) as s:
        return s.get(m.Massnahme, mid).version


def _umsetzen(w, akteur, mid, kosten=750.0, am=date(2026, 6, 1), version=None):
    with sitzung(w.engine, akteur=akteur) as s:
        return massnahmen.massnahme_umsetzen(s, akteur, massnahme_id=mid, kosten_ist=kosten, umgesetzt_am=am,
                                             version=_version(w, mid) if version is None else version)


# ------------------------------------------------------------------------------------- Lebenslauf der Maßnahme
def test_massnahme_beantragt_genehmigt_umgesetzt_mit_ist_kosten_und_datum(w):
    pid = punkt(w, gehaltene_sitzung(w))
    mid = _beantragt(w, pid)
    with pytest.raises(EingabeFehler, match="genehmigte oder vom Gremium beschlossene"):
        _umsetzen(w, w.tl, mid)  # noch beantragt
    with sitzung(w.engine, akteur=w.tl) as s:
        massnahmen.entscheide_massnahme(s, w.tl, massnahme_id=mid, genehmigen=True, datum=date(2026, 4, 2))
    for akteur in (w.mitglied, w.tl_fremd, w.jhp, w.admin):  # nur die Teamleitung des Sozialraums (R10)
        with pytest.raises(RechteFehler):
            _umsetzen(w, akteur, mid)
    with pytest.raises(EingabeFehler, match="in der Zukunft"):
        _umsetzen(w, w.tl, mid, am=date.today() + timedelta(days=1))
    with pytest.raises(EingabeFehler, match="vor der Entscheidung"):
        _umsetzen(w, w.tl, mid, am=date(2026, 4, 1))
    with pytest.raises(EingabeFehler, match="≥ 0"):
        _umsetzen(w, w.tl, mid, kosten=-0.01)
    with pytest.raises(KonfliktFehler):
        _umsetzen(w, w.tl, mid, version=_version(w, mid) - 1)
    _umsetzen(w, w.tl, mid, kosten=0.0, am=date(2026, 4, 2))  # 0 € am Tag der Genehmigung: die Grenzen gehen
    with sitzung(w.engine, akteur=None) as s:
        x = s.get(m.Massnahme, mid)
        assert (x.status, x.kosten_ist, x.umgesetzt_am, x.genehmigt) == ("umgesetzt", 0.0, date(2026, 4, 2), True)
        zeile = s.scalars(select(m.Aenderung).where(m.Aenderung.tabelle == "massnahme", m.Aenderung.datensatz_id == mid)
                          .order_by(m.Aenderung.id)).all()[-1]
        assert zeile.benutzer == "tl01" and zeile.nachher["status"] == "umgesetzt"
        assert zeile.nachher["umgesetzt_am"].startswith("2026-04-02") and zeile.vorher["status"] == "genehmigt"


def test_umsetzung_am_dienst_vorbei_braucht_datum_und_die_teamleitung(w):
    mid = _beantragt(w, punkt(w, gehaltene_sitzung(w)))
    with sitzung(w.engine, akteur=w.tl) as s:
        massnahmen.entscheide_massnahme(s, w.tl, massnahme_id=mid, genehmigen=True, datum=date(2026, 4, 2))
    with pytest.raises(EingabeFehler, match="Datum der Umsetzung"), sitzung(w.engine, akteur=w.tl) as s:
        x = s.get(m.Massnahme, mid)
        x.status, x.kosten_ist = "umgesetzt", 700.0
    with pytest.raises(RechteFehler), sitzung(w.engine, akteur=w.mitglied) as s:
        x = s.get(m.Massnahme, mid)
        x.status, x.kosten_ist, x.umgesetzt_am = "umgesetzt", 700.0, date(2026, 5, 5)


# ------------------------------------------------------------------------------------- 5.3 Beschluss des Gremiums
def _beschluss(w, akteur, sid, pid, kosten):
    with sitzung(w.engine, akteur=akteur) as s:
        return massnahmen.massnahme_beschliessen(s, akteur, sitzung_id=sid, protokollpunkt_id=pid,
                                                 titel=f"Supervision {kosten}", art=FB, kosten_geplant=kosten).id


def test_fortbildung_beschliesst_das_gremium_ohne_genehmigung_die_teamleitung_lehnt_nicht_ab(w):
    sid = gehaltene_sitzung(w)  # Protokollführung: mitglied01
    pid = punkt(w, sid, frage=6, ebene="fallunspezifisch")
    mid = _beschluss(w, w.mitglied, sid, pid, 900)
    with sitzung(w.engine, akteur=None) as s:
        x = s.get(m.Massnahme, mid)
        assert (x.status, x.genehmigt, x.genehmigt_von, x.sitzung_id, x.protokollpunkt_id) == (
            "beschlossen", False, None, sid, pid)
    for genehmigen in (True, False):  # weder genehmigen noch ablehnen
        with pytest.raises((RechteFehler, EingabeFehler)), sitzung(w.engine, akteur=w.tl) as s:
            massnahmen.entscheide_massnahme(s, w.tl, massnahme_id=mid, genehmigen=genehmigen)
    with pytest.raises(RechteFehler, match="5.3"), sitzung(w.engine, akteur=w.tl) as s:
        s.delete(s.get(m.Massnahme, mid))
    with pytest.raises(EingabeFehler, match="neuer Beschluss"), sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Massnahme, mid).kosten_geplant = 100.0
    with pytest.raises(RechteFehler), sitzung(w.engine, akteur=w.mitglied) as s:  # eingefroren wie genehmigt
        s.get(m.Massnahme, mid).titel = "anders"
    # gegen die gespeicherte Zeile: ein im Speicher gefälschtes „beantragt“ öffnet die Genehmigung nicht
    with pytest.raises(EingabeFehler, match="von 'beschlossen'"), sitzung(w.engine, akteur=w.tl) as s:
        x = s.get(m.Massnahme, mid)
        set_committed_value(x, "status", "beantragt")
        x.status, x.genehmigt, x.genehmigt_von, x.genehmigt_am = "genehmigt", True, "tl01", date(2026, 4, 1)
    _umsetzen(w, w.tl, mid, kosten=880.0, am=date(2026, 3, 20))  # umgesetzt wird er wie jede Maßnahme
    with sitzung(w.engine, akteur=None) as s:
        assert s.get(m.Massnahme, mid).status == "umgesetzt"


def test_beschluss_braucht_sitzung_und_punkt_und_die_richtige_person(w):
    sid = gehaltene_sitzung(w)
    pid = punkt(w, sid, frage=6, ebene="fallunspezifisch")
    andere = gehaltene_sitzung(w, datum=date(2026, 5, 6))
    with pytest.raises(EingabeFehler, match="gehört nicht zur Sitzung"):
        _beschluss(w, w.tl, andere, pid, 300)
    with pytest.raises(RechteFehler):
        _beschluss(w, w.tl_fremd, sid, pid, 300)
    with pytest.raises(RechteFehler, match="Protokollführung"):  # Mitglied, das dieses Protokoll nicht schreibt
        _beschluss(w, Akteur("mitglied02", "mitglied", w.sr), sid, pid, 300)
    with pytest.raises(EingabeFehler, match="entscheidet das Gremium"), sitzung(w.engine, akteur=w.tl) as s:
        s.add(m.Massnahme(schluessel="fb-beantragt", sozialraum_id=w.sr, sitzung_id=sid, protokollpunkt_id=pid,
                          titel="Teamtag", art=FB, kosten_geplant=100, status="beantragt", genehmigt=False, jahr=2026))
    with pytest.raises(EingabeFehler, match="beschließt selbst nur"), sitzung(w.engine, akteur=w.tl) as s:
        s.add(m.Massnahme(schluessel="fu-beschlossen", sozialraum_id=w.sr, sitzung_id=sid, protokollpunkt_id=pid,
                          titel="Ferienspiele", art="fallunspezifisch", kosten_geplant=100, status="beschlossen",
                          genehmigt=False, jahr=2026))
    with sitzung(w.engine, akteur=SYSTEM) as s:  # eine Sitzung, die noch nicht stattgefunden hat
        s.get(m.Sitzung, andere).status = "eingeladen"
    with pytest.raises(EingabeFehler, match="stattgefunden"):
        _beschluss(w, w.tl, andere, punkt(w, andere, frage=6, ebene="fallunspezifisch"), 300)
    # der Weg über das Protokollformular (lege_massnahme_an) erfasst Fortbildung als Beschluss
    with sitzung(w.engine, akteur=w.tl) as s:
        x = massnahmen.lege_massnahme_an(s, w.tl, protokollpunkt_id=pid, titel="Teamtag", art=FB, kosten_geplant=200)
        assert (x.status, x.sitzung_id) == ("beschlossen", sid)


def test_deckel_genau_1500_euro_geht_1500_01_nicht(w):
    """R12: der harte Deckel gilt auch für Beschlüsse des Gremiums – 1.500,00 € ja, 1.500,01 € nein."""
    sid = gehaltene_sitzung(w)
    pid = punkt(w, sid, frage=6, ebene="fallunspezifisch")
    _beschluss(w, w.tl, sid, pid, 1000)
    with pytest.raises(BudgetFehler) as f:
        _beschluss(w, w.tl, sid, pid, 500.01)
    assert f.value.hart and f.value.summe == pytest.approx(1500.01) and f.value.grenze == 1500
    _beschluss(w, w.tl, sid, pid, 500)  # genau 1.500,00 €
    with pytest.raises(BudgetFehler, match="Deckel"):
        _beschluss(w, w.tl, sid, pid, 0.01)
    with sitzung(w.engine, akteur=None) as s:
        summe = sum(x.kosten_geplant for x in s.scalars(select(m.Massnahme).where(m.Massnahme.art == FB)))
    assert summe == pytest.approx(1500)


# ------------------------------------------------------------------------------------- 3.1 Stufen
def _stufe(w, akteur, stufe, ab, grund=None):
    with sitzung(w.engine, akteur=akteur) as s:
        return sitzungen.beschliesse_stufe(s, akteur, sozialraum_id=w.sr, stufe=stufe, gueltig_ab=ab,
                                           beschluss=f"Im Konsens: Stufe {stufe}", sprung_grund=grund).id


def test_stufen_schritt_fuer_schritt_sprung_nur_mit_grund(w):
    with pytest.raises(EingabeFehler, match="Stufe für Stufe"):  # beginnt bei Stufe 1: 1 → 3 springt
        _stufe(w, w.tl, 3, date(2026, 2, 1))
    with pytest.raises(EingabeFehler, match="Grund"):
        _stufe(w, w.tl, 3, date(2026, 2, 1), grund="zu kurz")
    _stufe(w, w.tl, 2, date(2026, 2, 1))
    _stufe(w, w.jhp, 3, date(2026, 8, 1))
    with pytest.raises(EingabeFehler, match="von Stufe 3 auf Stufe 1"):
        _stufe(w, w.tl, 1, date(2026, 10, 1))
    _stufe(w, w.tl, 1, date(2026, 10, 1), grund="Neustart nach Umbau der Teams")
    with pytest.raises(EingabeFehler, match="von Stufe 1 auf Stufe 3"):  # eingeschoben: auch der Schritt danach zählt
        _stufe(w, w.tl, 1, date(2026, 5, 1))
    with sitzung(w.engine, akteur=None) as s:
        g = sitzungen.stufen_geschichte(s, w.sr)
    assert list(g["stufe"]) == [1, 3, 2] and list(g["beschlossen_von"]) == ["tl01", "jhp", "tl01"]
    assert list(g["gueltig_ab"]) == [date(2026, 10, 1), date(2026, 8, 1), date(2026, 2, 1)]
    assert g["sprung_grund"].iloc[0] == "Neustart nach Umbau der Teams" and pd.isna(g["sprung_grund"].iloc[1])
    with pytest.raises(EingabeFehler, match="angemeldete Person"), sitzung(w.engine, akteur=w.tl) as s:
        s.add(m.Stufenbeschluss(sozialraum_id=w.sr, stufe=2, gueltig_ab=date(2026, 11, 1), beschluss="x",
                                beschlossen_von="jemand"))


# ------------------------------------------------------------------------------------- 5.2 Reflexion, 4.2 Bericht
DELEGIERTE = [{"sozialraum": "Neustadt", "name": "A. Delegierte"}, {"sozialraum": "Mombach", "name": "B. Delegiert"}]


def _reflexion(w, art, datum, **kw):
    with sitzung(w.engine, akteur=w.jhp) as s:
        return reflexion.dokumentiere_reflexion(s, w.jhp, jahr=2025, datum=datum, art=art, ergebnisse="Ergebnisse",
                                                **kw).id


def test_eine_gemeinsame_reflexion_je_jahr_mit_delegierten_dann_die_lenkungsgruppe(w):
    with pytest.raises(EingabeFehler, match="Delegierten"):
        _reflexion(w, "gemeinsam", date(2026, 1, 20))
    with pytest.raises(EingabeFehler, match="folgt auf eine gemeinsame"):
        _reflexion(w, "lenkungsgruppe", date(2026, 2, 17))
    with pytest.raises(EingabeFehler, match="Sozialraum"):
        _reflexion(w, "gemeinsam", date(2026, 1, 20), delegierte=[{"sozialraum": "Atlantis", "name": "X"}])
    gid = _reflexion(w, "gemeinsam", date(2026, 1, 20), delegierte=DELEGIERTE)
    with pytest.raises(EingabeFehler, match="schon dokumentiert vom 20.01.2026"):
        _reflexion(w, "gemeinsam", date(2026, 3, 3), delegierte=DELEGIERTE)
    with pytest.raises(EingabeFehler, match="schon dokumentiert"), sitzung(w.engine, akteur=w.jhp) as s:  # am Dienst
        s.add(m.Reflexion(jahr=2025, datum=date(2026, 4, 1), art="gemeinsam", ergebnisse="zweite"))  # vorbei
    with pytest.raises(EingabeFehler, match="folgt auf eine gemeinsame"):  # nicht vor der gemeinsamen
        _reflexion(w, "lenkungsgruppe", date(2026, 1, 19), vorsitzung_id=gid)
    lid = _reflexion(w, "lenkungsgruppe", date(2026, 2, 17))
    with sitzung(w.engine, akteur=None) as s:
        assert s.get(m.Reflexion, lid).vorsitzung_id == gid
        p = pflichten_im_jahr(s, 2025)
    assert (p.reflexion_am, p.lenkungsgruppe_am) == (date(2026, 1, 20), date(2026, 2, 17))
    assert p.reflexion_dokumentiert and p.lenkungsgruppe_getagt and p.delegierte == tuple(DELEGIERTE)
    assert "Neustadt" not in p.ohne_delegierte() and "Drais, Lerchenberg, Marienborn" in p.ohne_delegierte()


def test_bericht_an_die_lenkungsgruppe_je_sozialraum_und_jahr(w):
    with sitzung(w.engine, akteur=None) as s:
        vorher = pflichten_im_jahr(s, 2025)
    assert not vorher.reflexion_dokumentiert and len(vorher.lenkungsberichte) == len(w.kommune.sozialraeume)
    assert vorher.bericht(w.sr).text == "fehlt"
    for akteur, fehler in ((w.jhp, EingabeFehler), (w.mitglied, RechteFehler)):
        with pytest.raises(fehler), sitzung(w.engine, akteur=akteur) as s:
            lenkungsbericht_erfassen(s, akteur, jahr=2025, datum=date(2026, 2, 10))
    with pytest.raises(EingabeFehler, match="Zukunft"), sitzung(w.engine, akteur=w.tl) as s:
        lenkungsbericht_erfassen(s, w.tl, jahr=2025, datum=date.today() + timedelta(days=1))
    with pytest.raises(EingabeFehler, match="Berichtsjahr und Datum"), sitzung(w.engine, akteur=w.tl) as s:
        lenkungsbericht_erfassen(s, w.tl, jahr=2026, datum=date(2025, 12, 1))
    with sitzung(w.engine, akteur=w.tl) as s:
        lenkungsbericht_erfassen(s, w.tl, jahr=2025, datum=date(2026, 2, 10), inhalt="Arbeit des Gremiums 2025")
    with pytest.raises(EingabeFehler, match="angemeldete Person"), sitzung(w.engine, akteur=w.tl) as s:
        s.scalar(select(m.Lenkungsbericht)).erstattet_von = "jemand"
    with sitzung(w.engine, akteur=None) as s:
        p = pflichten_im_jahr(s, 2025)
    assert p.bericht(w.sr).text == "erstattet am 10.02.2026" and p.bericht(w.sr).erstattet_von == "tl01"
    assert p.bericht(w.fremd).text == "fehlt" and "Neustadt" not in p.ohne_bericht and "Mombach" in p.ohne_bericht


# ------------------------------------------------------------------------------------- Einschätzung je Frage
def test_einschaetzung_speichert_nur_die_jugendhilfeplanung_mit_versionsvergleich(w):
    def speichern(akteur, text, version, frage=2):
        with sitzung(w.engine, akteur=akteur) as s:
            return bewertung_speichern(s, akteur, sozialraum_id=w.sr, jahr=2025, frage=frage, text=text,
                                       version=version).version

    with pytest.raises(RechteFehler):
        speichern(w.tl, "Einschätzung", None)
    with pytest.raises(EingabeFehler, match="Frage 9"):
        speichern(w.jhp, "Einschätzung", None, frage=9)
    v1 = speichern(w.jhp, "  Beratungsbedarf bei Schulden.  ", None)
    v2 = speichern(w.jhp, "Beratungsbedarf bei Schulden steigt.", v1)
    with pytest.raises(KonfliktFehler):
        speichern(w.jhp, "veraltet", v1)
    with sitzung(w.engine, akteur=None) as s:
        b = s.scalar(select(m.Bewertung))
        assert (b.text, b.version, b.geaendert_von, b.frage) == ("Beratungsbedarf bei Schulden steigt.", v2, "jhp", 2)
