"""Regeln der Konzeption in der Datenschicht (R2–R13), auf SQLite und PostGIS.

Jeder Test schreibt am Formular vorbei über die Dienstschicht oder direkt über das ORM: die Regel muss
in der Datenschicht greifen.
"""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from daten import modelle as m
from daten import protokolle, repository
from daten.db import sitzung
from daten.dienste import budget, massnahmen, protokoll, reflexion, sitzungen
from daten.fehler import EingabeFehler, RechteFehler
from daten.gremium.regeln import BudgetFehler, DatenschutzFehler
from daten.politik import SYSTEM
from tests.daten._gremium import baue_welt, gehaltene_sitzung, punkt


@pytest.fixture
def w(leere_db, kommune):
    welt = baue_welt(leere_db, kommune)
    yield welt
    welt.engine.dispose()


def _plane(w, akteur, datum=date(2026, 5, 13), **kw):
    with sitzung(w.engine, akteur=akteur) as s:
        sz = sitzungen.plane_sitzung(s, akteur, kommune=w.kommune, sozialraum_id=w.sr, datum=datum, ort_id=w.e["asd"],
                                     protokoll_bereich="ASD", protokollfuehrung="Teamleitung (ASD)", **kw)
        return sz.id


# --------------------------------------------------------------------------------------------- R2
def test_r2_einladung_folgt_der_stufe_am_sitzungstag(w):
    _plane(w, w.tl)
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.beschliesse_stufe(s, w.tl, sozialraum_id=w.sr, stufe=2, gueltig_ab=date(2026, 7, 1),
                                    beschluss="Im Konsens: Stufe 2 ab Juli.")
    with sitzung(w.engine, akteur=None) as s:
        vorher = {t["einrichtung"] for t in sitzungen.einladungsliste(s, w.kommune, sozialraum_id=w.sr,
                                                                      datum=date(2026, 6, 30))}
        nachher = {t["einrichtung"] for t in sitzungen.einladungsliste(s, w.kommune, sozialraum_id=w.sr,
                                                                       datum=date(2026, 7, 1))}
        assert sitzungen.stufe_am(s, w.sr, date(2026, 6, 30)) == 1
        assert sitzungen.stufe_am(s, w.sr, date(2026, 7, 1)) == 2
        df = sitzungen.stufen(s)
    assert "t-mgh" not in vorher and "t-mgh" in nachher  # Mehrgenerationenhaus ab Stufe 2
    assert "t-kitafrei" not in nachher  # freie Kitas erst ab Stufe 3
    assert {"t-asd", "t-kita", "t-kijukuz"} <= vorher
    assert list(df["stufe"]) == [2] and df["beschluss"].iloc[0].startswith("Im Konsens")
    with pytest.raises(EingabeFehler, match="Stufe 4"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.beschliesse_stufe(s, w.tl, sozialraum_id=w.sr, stufe=4, gueltig_ab=date(2026, 9, 1), beschluss="x")


def test_r2_teilgremium_nur_aus_stadtteilen_des_sozialraums_sitzungen_gehoeren_ihm(w):
    with sitzung(w.engine, akteur=None) as s:
        ids = {st.name: st.id for st in s.scalars(select(m.Stadtteil))}
    with pytest.raises(EingabeFehler, match="Stadtteile seines Sozialraums"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.lege_teilgremium_an(s, w.tl, sozialraum_id=w.sr, name="falsch", stadtteil_ids=[ids["Mombach"]],
                                      gueltig_ab=date(2026, 1, 1))
    with sitzung(w.engine, akteur=w.tl) as s:
        tg = sitzungen.lege_teilgremium_an(s, w.tl, sozialraum_id=w.sr, name="Teilgremium Neustadt",
                                           stadtteil_ids=[ids["Neustadt"]], gueltig_ab=date(2026, 1, 1)).id
    sid = _plane(w, w.tl, teilgremium_id=tg)
    with sitzung(w.engine, akteur=None) as s:
        assert s.get(m.Sitzung, sid).teilgremium.name == "Teilgremium Neustadt"
        assert list(sitzungen.teilgremien(s, w.sr)["stadtteile"]) == ["Neustadt"]


def test_r2_stufenbeschluss_erneuert_geplante_einladungen_nur_durch_die_teamleitung(w):
    sid = _plane(w, w.tl, datum=date(2026, 9, 16))

    def eingeladen() -> set[str]:
        with sitzung(w.engine, akteur=None) as s:
            return {t["einrichtung"] for t in s.get(m.Sitzung, sid).eingeladene}

    with sitzung(w.engine, akteur=w.jhp) as s:  # die Jugendhilfeplanung beschließt, lädt aber nicht ein (R4)
        sitzungen.beschliesse_stufe(s, w.jhp, sozialraum_id=w.sr, stufe=2, gueltig_ab=date(2026, 9, 1),
                                    beschluss="Stufe 2 laut Protokoll vom 12.08.2026", kommune=w.kommune)
    assert "t-mgh" not in eingeladen()
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.beschliesse_stufe(s, w.tl, sozialraum_id=w.sr, stufe=3, gueltig_ab=date(2026, 9, 10),
                                    beschluss="Stufe 3", kommune=w.kommune)
        sitzungen.beschliesse_stufe(s, w.tl, sozialraum_id=w.sr, stufe=1, gueltig_ab=date(2026, 10, 1),
                                    beschluss="zurück auf Stufe 1 ab Oktober", kommune=w.kommune,
                                    sprung_grund="Erprobung neu beginnen (Lenkungsgruppe)")
    assert {"t-mgh", "t-kitafrei"} <= eingeladen()  # gilt am Sitzungstag; der spätere Beschluss noch nicht
    with sitzung(w.engine, akteur=w.tl_fremd) as s:
        fremd = sitzungen.plane_sitzung(s, w.tl_fremd, kommune=w.kommune, sozialraum_id=w.fremd, datum=date(2026, 9,
                                                                                                            17),
                                        ort_id=w.e["asd_fremd"], protokoll_bereich="ASD", protokollfuehrung="TL").id
    with pytest.raises(EingabeFehler, match="anderen Gremium"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.beschliesse_stufe(s, w.tl, sozialraum_id=w.sr, stufe=2, gueltig_ab=date(2026, 11, 1),
                                    beschluss="x", sitzung_id=fremd)
    with pytest.raises(EingabeFehler, match="schon einen Stufenbeschluss"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.beschliesse_stufe(s, w.tl, sozialraum_id=w.sr, stufe=2, gueltig_ab=date(2026, 9, 10), beschluss="x")


def test_r2_im_gremium_folgt_der_am_tag_geltenden_stufe(w):
    """Kartenfilter „im Gremium“: heute gilt der heute gültige Beschluss, ein künftiger erst ab seinem Tag."""
    heute = date.today()
    spaeter = heute + timedelta(days=30)
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.beschliesse_stufe(s, w.tl, sozialraum_id=w.sr, stufe=2, gueltig_ab=spaeter,
                                    beschluss="Protokoll vom Vormonat: Stufe 2 ab nächstem Monat.")

    def im(am: date | None = None) -> dict[str, bool]:
        with sitzung(w.engine, akteur=None) as s:
            df = repository.einrichtungen(session=s, kommune=w.kommune, gremium_am=am)
        return dict(zip(df["schluessel"], df["im_gremium"], strict=True))

    def mitglieder(am: date) -> set[str]:
        with sitzung(w.engine, akteur=None) as s:
            df = repository.einrichtungen(session=s, kommune=w.kommune, stichtag=am)
        return set(df.loc[df["im_gremium"], "schluessel"])

    assert im()["t-mgh"] is False and im(spaeter)["t-mgh"] is True  # Mehrgenerationenhaus ab Stufe 2
    assert "t-mgh" not in mitglieder(heute) and "t-mgh" in mitglieder(spaeter)
    assert "t-mgh" not in mitglieder(spaeter - timedelta(days=1))
    assert {"t-asd", "t-kita", "t-kijukuz", "t-asdfremd"} <= mitglieder(heute) and "t-kitafrei" not in mitglieder(
        spaeter)
    # Ein Beschluss von gestern gilt heute, obwohl der Sozialraum selbst noch Stufe 1 trägt …
    with sitzung(w.engine, akteur=w.jhp) as s:
        sitzungen.beschliesse_stufe(s, w.jhp, sozialraum_id=w.sr, stufe=3, gueltig_ab=heute - timedelta(days=1),
                                    beschluss="Lenkungsgruppe: Stufe 3 sofort.",
                                    sprung_grund="Alle Träger wirken schon mit (Lenkungsgruppe)")
    with sitzung(w.engine, akteur=None) as s:
        assert s.get(m.Sozialraum, w.sr).stufe == 1
    assert im()["t-kitafrei"] is True and im()["t-mgh"] is True
    # … bis der spätere Beschluss (Stufe 2) greift
    assert im(spaeter)["t-kitafrei"] is False and im(spaeter)["t-mgh"] is True


# --------------------------------------------------------------------------------------------- R3
def test_r3_fallbesprechung_nur_anonymisiert_oder_mit_entbindung(w):
    sid = gehaltene_sitzung(w)
    with pytest.raises(EingabeFehler, match="anonymisiert oder mit Schweigepflichtsentbindung"), \
            sitzung(w.engine, akteur=w.mitglied) as s:
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=2, handlungsebene="fallspezifisch",
                                  text="Eine Familie braucht Unterstützung.", fallbesprechung=True)
    with sitzung(w.engine, akteur=w.mitglied) as s:
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=2, handlungsebene="fallspezifisch",
                                  text="Eine Familie braucht Unterstützung.", fallbesprechung=True, anonymisiert=True)
    with pytest.raises(EingabeFehler, match="R3"), sitzung(w.engine, akteur=SYSTEM) as s:  # auch am Dienst vorbei
        s.add(m.Protokollpunkt(sitzung_id=sid, frage=3, handlungsebene="fallspezifisch", text="Fall",
                               fallbesprechung=True))


def test_r3_personendaten_nur_mit_begruendung_und_im_aenderungsprotokoll(w):
    sid = gehaltene_sitzung(w)
    text = "Frau Yılmaz aus der Hafenstraße 12 bittet um Rückruf unter 0176 23456789."
    with pytest.raises(DatenschutzFehler) as fehler, sitzung(w.engine, akteur=w.mitglied) as s:
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=2, handlungsebene="falluebergreifend", text=text)
    assert {b.art for b in fehler.value.befunde} == {"name", "adresse", "telefon"}
    with pytest.raises(DatenschutzFehler), sitzung(w.engine, akteur=w.mitglied) as s:  # Grund zu kurz
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=2, handlungsebene="falluebergreifend", text=text,
                                  datenschutz_grund="ok")
    grund = "Schweigepflichtsentbindung liegt schriftlich vor."
    with sitzung(w.engine, akteur=w.mitglied) as s:
        pid = protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=2, handlungsebene="falluebergreifend",
                                        text=text,
                                        datenschutz_grund=grund).id
    with sitzung(w.engine, akteur=None) as s:
        zeile = s.scalar(select(m.Aenderung).where(m.Aenderung.tabelle == "protokollpunkt",
                                                   m.Aenderung.datensatz_id == pid))
        assert zeile.benutzer == "mitglied01" and zeile.nachher["datenschutz_grund"] == grund
        assert "telefon:0176 23456789" in zeile.nachher["datenschutz_befunde"]
    with pytest.raises(DatenschutzFehler), sitzung(w.engine, akteur=SYSTEM) as s:  # neuer Befund → neu bestätigen
        p = s.get(m.Protokollpunkt, pid)
        p.text = text + " E-Mail: a.b@example.org"


# --------------------------------------------------------------------------------------------- R4
def test_r4_nur_die_teamleitung_plant_verschiebt_und_setzt_den_status(w):
    with pytest.raises(RechteFehler, match="Teamleitung"):
        _plane(w, w.mitglied)
    sid = _plane(w, w.tl)
    with pytest.raises(RechteFehler, match="Teamleitung"), sitzung(w.engine, akteur=w.mitglied) as s:
        s.get(m.Sitzung, sid).datum = date(2026, 5, 20)
    with pytest.raises(RechteFehler), sitzung(w.engine, akteur=w.mitglied) as s:  # am Dienst vorbei, direkt im ORM
        s.get(m.Sitzung, sid).status = "eingeladen"
    with pytest.raises(RechteFehler), sitzung(w.engine, akteur=w.tl_fremd) as s:
        s.get(m.Sitzung, sid).datum = date(2026, 5, 21)
    with sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Sitzung, sid).datum = date(2026, 5, 20)
        sitzungen.setze_status(s, w.tl, sitzung_id=sid, status="eingeladen")
    with pytest.raises(EingabeFehler, match="nicht erlaubt"), sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Sitzung, sid).status = "durchgeführt"  # alter Wert mit Umlaut wird abgelehnt
    with sitzung(w.engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        assert (sz.datum, sz.status) == (date(2026, 5, 20), "eingeladen")


def test_r4_protokoll_schreibt_wer_dran_ist_delegation_wird_festgehalten(w):
    sid = gehaltene_sitzung(w, protokoll_login=None)
    with pytest.raises(RechteFehler, match="Protokollführung"), sitzung(w.engine, akteur=w.mitglied) as s:
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=1, handlungsebene="falluebergreifend",
                                  text="Zielgruppe")
    with sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.delegiere_protokoll(s, w.tl, sitzung_id=sid, an_name="Kita-Leitung", an_bereich="Kita",
                                      an_login="mitglied01",
                                      grund="Protokoll im Wechsel")
    with sitzung(w.engine, akteur=w.mitglied) as s:
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, frage=1, handlungsebene="falluebergreifend",
                                  text="Zielgruppe")
        sitzungen.setze_status(s, w.mitglied, sitzung_id=sid, status="protokolliert")
    with pytest.raises(RechteFehler), sitzung(w.engine, akteur=w.mitglied) as s:  # zurücksetzen darf sie nicht
        s.get(m.Sitzung, sid).status = "durchgefuehrt"
    with sitzung(w.engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        assert sz.status == "protokolliert" and sz.protokollfuehrung == "Kita-Leitung (Kita)"
        d = sz.delegationen[0]
        assert (d.von_login, d.an_login, d.an_bereich) == ("tl01", "mitglied01", "Kita") and d.zeitpunkt


def test_r4_protokoll_erst_nach_der_sitzung(w):
    sid = _plane(w, w.tl)
    with pytest.raises(EingabeFehler, match="noch nicht stattgefunden"), sitzung(w.engine, akteur=w.tl) as s:
        protokoll.speichere_punkt(s, w.tl, sitzung_id=sid, frage=1, handlungsebene="falluebergreifend",
                                  text="Zielgruppe")


# --------------------------------------------------------------------------------------------- R5/R7
def test_r5_sitzungsort_liegt_im_sozialraum(w):
    with pytest.raises(EingabeFehler, match="Sitzungsort"), sitzung(w.engine, akteur=w.tl) as s:
        sitzungen.plane_sitzung(s, w.tl, kommune=w.kommune, sozialraum_id=w.sr, datum=date(2026, 5, 13),
                                ort_id=w.e["asd_fremd"], protokoll_bereich="ASD", protokollfuehrung="TL")


@pytest.mark.parametrize(("feld", "wert", "meldung"), [
    ("frage", 9, "'frage': Wert 9"), ("frage", 0, "'frage': Wert 0"),
    ("handlungsebene", "quatsch", "'handlungsebene': Wert 'quatsch'")])
def test_r7_fragen_und_handlungsebenen_aus_der_konfiguration(w, feld, wert, meldung):
    sid = gehaltene_sitzung(w)
    werte = {"frage": 1, "handlungsebene": "fallunspezifisch"} | {feld: wert}
    with pytest.raises(EingabeFehler, match=meldung), sitzung(w.engine, akteur=w.mitglied) as s:
        protokoll.speichere_punkt(s, w.mitglied, sitzung_id=sid, text="Ein Punkt.", **werte)


# --------------------------------------------------------------------------------------------- R8/R9
def test_r8_lesen_nur_auf_dem_verteiler_und_versand_wird_vermerkt(w):
    sid = gehaltene_sitzung(w)
    punkt(w, sid)
    with sitzung(w.engine, akteur=None) as s:
        assert len(protokolle.punkte(s, sid, akteur=w.mitglied)) == 1
        assert len(protokolle.punkte(s, sid, akteur=w.jhp)) == 1  # R9: die Jugendhilfeplanung wertet alle aus
        for fremd in (w.mitglied_fremd, w.tl_fremd, None):
            with pytest.raises(RechteFehler, match="Verteiler"):
                protokolle.punkte(s, sid, akteur=fremd)
    with sitzung(w.engine, akteur=w.mitglied) as s:
        sitzungen.setze_status(s, w.mitglied, sitzung_id=sid, status="protokolliert")
        sitzungen.markiere_versendet(s, w.mitglied, sitzung_id=sid)
    with sitzung(w.engine, akteur=None) as s:
        sz = s.get(m.Sitzung, sid)
        assert sz.status == "versendet" and sz.versendet_von == "mitglied01" and sz.versendet_am is not None
        assert "Jugendhilfeplanung" in protokoll.verteiler(w.kommune, sz)
        assert "Test (Kita)" in protokoll.verteiler(w.kommune, sz)
    with pytest.raises(EingabeFehler, match="versendet"), sitzung(w.engine, akteur=w.tl) as s:
        protokoll.speichere_punkt(s, w.tl, sitzung_id=sid, frage=1, handlungsebene="fallunspezifisch", text="Nachtrag")


# --------------------------------------------------------------------------------------------- R10
def test_r10_nur_die_teamleitung_des_sozialraums_genehmigt(w):
    pid = punkt(w, gehaltene_sitzung(w))
    with sitzung(w.engine, akteur=w.mitglied) as s:
        mid = massnahmen.lege_massnahme_an(s, w.mitglied, protokollpunkt_id=pid, titel="Elternkurs",
                                           art="falluebergreifend", kosten_geplant=800,
                                           beschlussvorlage="1470/2012").id
    for akteur in (w.mitglied, w.admin, w.tl_fremd, w.jhp):
        with pytest.raises(RechteFehler), sitzung(w.engine, akteur=akteur) as s:
            massnahmen.entscheide_massnahme(s, akteur, massnahme_id=mid, genehmigen=True)
    with pytest.raises(RechteFehler), sitzung(w.engine, akteur=w.mitglied) as s:  # am Dienst vorbei
        x = s.get(m.Massnahme, mid)
        x.status, x.genehmigt, x.genehmigt_von, x.genehmigt_am = "genehmigt", True, "tl01", date(2026, 4, 1)
    with sitzung(w.engine, akteur=w.tl) as s:
        massnahmen.entscheide_massnahme(s, w.tl, massnahme_id=mid, genehmigen=True, datum=date(2026, 4, 2))
    with sitzung(w.engine, akteur=None) as s:
        x = s.get(m.Massnahme, mid)
        assert (x.status, x.genehmigt, x.genehmigt_von, x.genehmigt_am) == ("genehmigt", True, "tl01",
                                                                            date(2026, 4, 2))
    with pytest.raises(EingabeFehler, match="beantragt → genehmigt"), sitzung(w.engine, akteur=w.tl) as s:
        s.get(m.Massnahme, mid).status = "abgelehnt"


def test_r10_budget_setzt_die_jugendhilfeplanung_nicht_die_teamleitung(w):
    for akteur in (w.tl, w.mitglied):
        with pytest.raises(RechteFehler), sitzung(w.engine, akteur=akteur) as s:
            budget.setze_budget(s, akteur, sozialraum_id=w.sr, jahr=2026, kategorie="falluebergreifend",
                                betrag_eur=99999)
    with sitzung(w.engine, akteur=w.jhp) as s:
        budget.setze_budget(s, w.jhp, sozialraum_id=w.sr, jahr=2026, kategorie="falluebergreifend", betrag_eur=6000)
    with pytest.raises(EingabeFehler, match="kein eigenes Budget"), sitzung(w.engine, akteur=w.jhp) as s:
        budget.setze_budget(s, w.jhp, sozialraum_id=w.sr, jahr=2026, kategorie="fortbildung_supervision",
                            betrag_eur=5000)
    with sitzung(w.engine, akteur=None) as s:
        b, _ = budget.budgets_und_massnahmen(s, jahr=2026, sozialraum_id=w.sr)
    assert dict(zip(b["kategorie"], b["betrag_eur"], strict=True))["falluebergreifend"] == 6000


# --------------------------------------------------------------------------------------------- R11
def test_r11_reflexion_nach_den_sitzungen_und_von_der_jugendhilfeplanung(w):
    gehaltene_sitzung(w, datum=date(2026, 11, 4))
    delegierte = [{"sozialraum": "Neustadt", "name": "Delegierte Neustadt"}]
    with pytest.raises(RechteFehler), sitzung(w.engine, akteur=w.tl) as s:
        reflexion.dokumentiere_reflexion(s, w.tl, jahr=2026, datum=date(2027, 1, 20), art="gemeinsam",
                                         ergebnisse="Ergebnisse", delegierte=delegierte)
    with pytest.raises(EingabeFehler, match="nach den Sitzungen"), sitzung(w.engine, akteur=w.jhp) as s:
        reflexion.dokumentiere_reflexion(s, w.jhp, jahr=2026, datum=date(2026, 11, 1), art="gemeinsam",
                                         ergebnisse="zu früh", zeitraum_bis=date(2026, 11, 4), delegierte=delegierte)
    with pytest.raises(EingabeFehler, match="folgt auf eine gemeinsame"), sitzung(w.engine, akteur=w.jhp) as s:
        reflexion.dokumentiere_reflexion(s, w.jhp, jahr=2026, datum=date(2026, 12, 2), art="lenkungsgruppe",
                                         ergebnisse="ohne Vorsitzung")
    with sitzung(w.engine, akteur=w.jhp) as s:
        r = reflexion.dokumentiere_reflexion(s, w.jhp, jahr=2026, datum=date(2026, 11, 25), art="gemeinsam",
                                             ergebnisse="Ergebnisse der gemeinsamen Sitzung", delegierte=delegierte)
        assert r.zeitraum_bis == date(2026, 11, 4) and r.dokumentiert_von == "jhp"
        assert r.delegierte == delegierte
    with sitzung(w.engine, akteur=w.jhp) as s:  # ohne vorsitzung_id: die gemeinsame desselben Jahres
        lg = reflexion.dokumentiere_reflexion(s, w.jhp, jahr=2026, datum=date(2026, 12, 16), art="lenkungsgruppe",
                                              ergebnisse="Folgesitzung")
        assert s.get(m.Reflexion, lg.vorsitzung_id).art == "gemeinsam"


# --------------------------------------------------------------------------------------------- R12
def _massnahme(w, akteur, pid, art, kosten, grund=None):
    with sitzung(w.engine, akteur=akteur) as s:
        return massnahmen.lege_massnahme_an(s, akteur, protokollpunkt_id=pid, titel=f"{art} {kosten}", art=art,
                                            kosten_geplant=kosten, ueberschreitung_grund=grund).id


def test_r12_fortbildung_hart_gedeckelt_und_vom_gremium_beschlossen(w):
    pid = punkt(w, gehaltene_sitzung(w), frage=6, ebene="fallunspezifisch")
    _massnahme(w, w.tl, pid, "fortbildung_supervision", 1200)
    with pytest.raises(BudgetFehler) as f:
        _massnahme(w, w.tl, pid, "fortbildung_supervision", 400, grund="Supervision dringend nötig, bitte.")
    assert f.value.hart and f.value.summe == 1600 and f.value.grenze == 1500
    with pytest.raises(EingabeFehler, match="entscheidet das Gremium"), sitzung(w.engine, akteur=w.tl) as s:
        s.add(m.Massnahme(schluessel="ohne-punkt", sozialraum_id=w.sr, titel="Teamtag", art="fortbildung_supervision",
                          kosten_geplant=100, status="beantragt", genehmigt=False, jahr=2026))
    _massnahme(w, w.tl, pid, "fortbildung_supervision", 300)  # genau bis zum Deckel geht


def test_r12_ueberschreitung_nur_mit_bestaetigung_und_fortbildung_zaehlt_gegen_fallunspezifisch(w):
    pid = punkt(w, gehaltene_sitzung(w), frage=6, ebene="fallunspezifisch")
    _massnahme(w, w.tl, pid, "fallunspezifisch", 2000)
    _massnahme(w, w.tl, pid, "fortbildung_supervision", 900)
    with pytest.raises(BudgetFehler, match="3.000,00 €") as f:  # 2.000 + 900 + 200 > 3.000 (R12: aus fallunspezifisch)
        _massnahme(w, w.tl, pid, "fallunspezifisch", 200)
    assert not f.value.hart
    grund = "Ferienspiele vom Gremium ausdrücklich gewünscht."
    mid = _massnahme(w, w.mitglied, pid, "fallunspezifisch", 200, grund=grund)
    with sitzung(w.engine, akteur=None) as s:
        zeile = s.scalar(select(m.Aenderung).where(m.Aenderung.tabelle == "massnahme",
                                                   m.Aenderung.datensatz_id == mid))
        assert zeile.nachher["ueberschreitung_grund"] == grund and zeile.benutzer == "mitglied01"


# --------------------------------------------------------------------------------------------- R13
def test_r13_hospitation_in_eine_andere_einrichtung_kita_kita_markiert(w):
    from daten.dienste.hospitationen import hospitationen, trage_hospitation_ein

    with sitzung(w.engine, akteur=w.mitglied) as s:
        _, hinweise = trage_hospitation_ein(s, w.mitglied, kommune=w.kommune, von_id=w.e["kita"], nach_id=w.e["kita2"],
                                            datum=date(2026, 6, 4), anzahl_personen=2, zweck="Sprachförderung")
    assert any("Fronleichnam" in h for h in hinweise) and any("gleiches Arbeitsfeld" in h for h in hinweise)
    with pytest.raises(EingabeFehler, match="andere Einrichtung"), sitzung(w.engine, akteur=w.mitglied) as s:
        trage_hospitation_ein(s, w.mitglied, kommune=w.kommune, von_id=w.e["kita"], nach_id=w.e["kita"],
                              datum=date(2026, 6, 9))
    with sitzung(w.engine, akteur=None) as s:
        df = hospitationen(s)
    assert list(df[["sozialraum", "jahr", "anzahl_personen"]].itertuples(index=False, name=None)) == [
        ("Neustadt", 2026, 2)]
