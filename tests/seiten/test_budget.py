"""AppTest der Seiten „Budget“ und „Hospitationen und Reflexion“: Übersicht, Genehmigung nur durch die
Teamleitung ASD, Budget setzen nur durch die Jugendhilfeplanung, Zählung der Hospitationen."""


import pytest
from sqlalchemy import select

import karte  # noqa: F401  (vor dem Start einer Seite laden: im Ordner seiten/ gibt es auch karte.py)
from daten import modelle as m
from daten.db import sitzung
from daten.politik import Akteur
from tests.seiten.hilfen import ohne_fehler, seite
from tests.seiten.test_sitzungen import kopie  # noqa: F401  (Fixture: beschreibbare Demo-Kopie)


def test_budget_zeigt_alle_arten_mit_rest(app_env):
    at = seite("seiten/budget.py").run()
    ohne_fehler(at)
    next(s for s in at.selectbox if s.label == "Jahr").select(2026).run()
    tab = at.dataframe[0].value
    assert len(tab) == 3 and any("Fortbildung" in a for a in tab["Art"])
    assert tab["Rest"].str.endswith("€").all()
    assert not [b for b in at.button if b.label in ("Genehmigen", "Budget speichern")]


@pytest.mark.parametrize("rolle", ["teamleitung", "jugendhilfeplanung"])
def test_genehmigen_nur_teamleitung_budget_nur_jugendhilfeplanung(kopie, rolle):  # noqa: F811
    engine, neustadt = kopie
    akteur = Akteur("tl01", "teamleitung", neustadt) if rolle == "teamleitung" else Akteur("jhp", rolle)
    at = seite("seiten/budget.py", akteur).run()
    next(s for s in at.selectbox if s.label == "Jahr").select(2026).run()
    ohne_fehler(at)
    knoepfe = {b.label for b in at.button}
    if rolle == "teamleitung":
        assert "Genehmigen" in knoepfe and "Budget speichern" not in knoepfe
        with sitzung(engine, akteur=None) as s:
            offen = s.scalar(select(m.Massnahme).where(m.Massnahme.sozialraum_id == neustadt,
                                                       m.Massnahme.jahr == 2026, m.Massnahme.status == "beantragt"))
        next(sb for sb in at.selectbox if sb.label == "Beantragte Maßnahme").select(offen.id)
        next(b for b in at.button if b.label == "Genehmigen").click().run()
        assert any(s.value == "Maßnahme genehmigt." for s in at.success)
        with sitzung(engine, akteur=None) as s:
            x = s.get(m.Massnahme, offen.id)
            assert (x.status, x.genehmigt_von) == ("genehmigt", "tl01")
    else:
        assert "Genehmigen" not in knoepfe and "Budget speichern" in knoepfe
        at.number_input[0].set_value(12000.0)
        next(b for b in at.button if b.label == "Budget speichern").click().run()
        assert any(s.value == "Budget gespeichert." for s in at.success)
        assert at.dataframe[0].value["Budget"].iloc[0] == "12.000,00 €"


def test_hospitationen_und_reflexion(app_env):
    at = seite("seiten/hospitationen.py").run()
    ohne_fehler(at)
    zahl = at.dataframe[0].value
    assert set(zahl.columns) >= {"Sozialraum", "Jahr", "Hospitationen", "davon gleiche Art (markiert)"}
    assert zahl["Hospitationen"].sum() > 10
    reflexion = at.dataframe[-1].value
    assert "Delegierte + Lenkungsgruppe" in set(reflexion["Art"]) and "Lenkungsgruppe allein" in set(reflexion["Art"])
    assert not [b for b in at.button if b.label in ("Hospitation speichern", "Reflexion speichern")]


def test_hospitation_eintragen_als_mitglied(kopie):  # noqa: F811
    _, neustadt = kopie
    at = seite("seiten/hospitationen.py", Akteur("mitglied01", "mitglied", neustadt)).run()
    ohne_fehler(at)
    next(b for b in at.button if b.label == "Hospitation speichern").click().run()
    assert any(s.value == "Hospitation gespeichert." for s in at.success)
