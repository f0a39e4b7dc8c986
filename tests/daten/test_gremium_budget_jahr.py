"""Ein Jahr ohne eingetragenes Budget ist kein Budget von 0 €: eine Maßnahme für dieses Jahr wird nicht beantragt,
die Meldung nennt Jahr, Sozialraum und wer das Budget einträgt (die Jugendhilfeplanung, Seite „Budget“).
Sobald die Jugendhilfeplanung das Budget einträgt, geht derselbe Antrag durch; ein eingetragenes Budget von 0 €
bleibt eine echte Grenze (Überschreitung nur mit Begründung). Auf SQLite und PostGIS."""

from datetime import date

import pytest
from sqlalchemy import func, select

from daten import modelle as m
from daten.db import sitzung
from daten.dienste import budget, massnahmen
from daten.fehler import EingabeFehler
from daten.gremium.regeln import BudgetFehler
from tests.daten._gremium import baue_welt, gehaltene_sitzung, punkt

MIT_BUDGET, OHNE_BUDGET = date(2026, 3, 11), date(2027, 3, 10)  # die Testwelt hat Budgets nur für 2026


@pytest.fixture
def w(leere_db, kommune):
    welt = baue_welt(leere_db, kommune)
    yield welt
    welt.engine.dispose()


def _beantrage(w, pid, art="falluebergreifend", kosten=500.0, grund=None):
    with sitzung(w.engine, akteur=w.mitglied) as s:
        return massnahmen.lege_massnahme_an(s, w.mitglied, protokollpunkt_id=pid, titel=f"Elternkurs {art}", art=art,
                                            kosten_geplant=kosten, beschlussvorlage="1470/2012",
                                            ueberschreitung_grund=grund).id


def _anzahl(w, jahr: int) -> int:
    with sitzung(w.engine, akteur=None) as s:
        return s.scalar(select(func.count()).select_from(m.Massnahme).where(m.Massnahme.jahr == jahr))


def _setze(w, jahr: int, kategorie: str, betrag: float) -> None:
    with sitzung(w.engine, akteur=w.jhp) as s:
        budget.setze_budget(s, w.jhp, sozialraum_id=w.sr, jahr=jahr, kategorie=kategorie, betrag_eur=betrag)


def test_jahr_mit_budget_beantragt_jahr_ohne_budget_klare_meldung(w):
    _beantrage(w, punkt(w, gehaltene_sitzung(w, datum=MIT_BUDGET)))
    assert _anzahl(w, 2026) == 1

    pid = punkt(w, gehaltene_sitzung(w, datum=OHNE_BUDGET))
    with pytest.raises(EingabeFehler) as f:
        _beantrage(w, pid)
    meldung = str(f.value)
    assert meldung.startswith("Für 2027 ist noch kein Budget eingetragen (Sozialraum Neustadt, "
                              "Fallübergreifende Maßnahmen).")
    assert "Budgets trägt die Jugendhilfeplanung auf der Seite „Budget“ ein" in meldung
    assert "0,00 €" not in meldung and "übersteigen" not in meldung and not isinstance(f.value, BudgetFehler)
    # auch mit Begründung keine „Überschreitung“ eines Budgets, das es nicht gibt
    with pytest.raises(EingabeFehler, match="Für 2027 ist noch kein Budget eingetragen"):
        _beantrage(w, pid, grund="Dringend, Budget folgt sicher noch.")
    assert _anzahl(w, 2027) == 0

    # die Jugendhilfeplanung trägt das Budget ein: derselbe Antrag geht durch
    _setze(w, 2027, "falluebergreifend", 4000)
    _beantrage(w, pid)
    assert _anzahl(w, 2027) == 1


def test_fortbildung_braucht_das_fallunspezifische_budget_des_jahres(w):
    pid = punkt(w, gehaltene_sitzung(w, datum=OHNE_BUDGET), frage=6, ebene="fallunspezifisch")
    _setze(w, 2027, "falluebergreifend", 4000)  # nur das fallübergreifende Budget ist eingetragen
    _beantrage(w, pid, art="falluebergreifend")
    for art in ("fallunspezifisch", "fortbildung_supervision"):  # R12: Fortbildung kommt aus fallunspezifisch
        with pytest.raises(EingabeFehler, match=r"Für 2027 ist noch kein Budget eingetragen \(Sozialraum Neustadt, "
                                                r"Fallunspezifische Maßnahmen\)"):
            _beantrage(w, pid, art=art, kosten=300)
    _setze(w, 2027, "fallunspezifisch", 2000)
    _beantrage(w, pid, art="fortbildung_supervision", kosten=300)
    assert _anzahl(w, 2027) == 2


def test_eingetragenes_budget_von_null_euro_ist_eine_grenze(w):
    pid = punkt(w, gehaltene_sitzung(w, datum=OHNE_BUDGET))
    _setze(w, 2027, "falluebergreifend", 0)
    with pytest.raises(BudgetFehler, match="übersteigen das Budget von 0,00 € im Jahr 2027") as f:
        _beantrage(w, pid)
    assert not f.value.hart and f.value.grenze == 0
    _beantrage(w, pid, grund="Vom Gremium so beschlossen, Nachtrag beantragt.")  # mit Begründung (R12)
    assert _anzahl(w, 2027) == 1


def test_kein_budget_meldung_und_kategorie():
    assert budget.kein_budget_meldung(2028, "Mombach") == (
        "Für 2028 ist noch kein Budget eingetragen (Sozialraum Mombach). Budgets trägt die Jugendhilfeplanung "
        "auf der Seite „Budget“ ein; erst danach lassen sich Maßnahmen für 2028 beantragen.")


def test_budgetkategorie_der_massnahmenarten(kommune):
    assert budget.budgetkategorie_fuer(kommune, "falluebergreifend").schluessel == "falluebergreifend"
    assert budget.budgetkategorie_fuer(kommune, "fortbildung_supervision").schluessel == "fallunspezifisch"
    assert budget.budgetkategorie_fuer(kommune, "gibt_es_nicht") is None
