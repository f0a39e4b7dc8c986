"""Der Jahresbericht zählt, was die Datenbank hält, und genau wie die Seite „Budget“ (Issue 14, 3.2.4/4.4):
umgesetzte Maßnahmen, geplante Kosten ohne abgelehnte, Fortbildung im fallunspezifischen Budget – auf der Demo."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import select

from analysen.gremium import budget_uebersicht
from analysen.protokolle import MASSNAHMEN_SPALTEN, massnahmen_uebersicht
from berichte import abschnitte as teil
from berichte.dokument import Tabelle
from daten import modelle as m
from daten.db import erstelle_engine, sitzung
from daten.demo import demo_jahre
from daten.dienste.budget import budgets_und_massnahmen

JAHRE = demo_jahre().massnahmen


@pytest.fixture(scope="module")
def engine(demo_sqlite_url):
    e = erstelle_engine(demo_sqlite_url)
    yield e
    e.dispose()


def _zahl(text: str) -> float:
    return float(text.replace("€", "").replace(".", "").replace(",", ".").strip() or 0)


@pytest.mark.parametrize("jahr", JAHRE)
def test_bericht_rechnet_je_sozialraum_wie_die_budgetseite(engine, berichtsdaten, kommune, jahr):
    uebersicht, budget = teil.massnahmen_und_budget(berichtsdaten.massnahmen, berichtsdaten.budgets, kommune,
                                                    jahr=jahr)
    for sr in kommune.sozialraeume:
        with sitzung(engine, akteur=None) as s:  # so liest die Seite „Budget“
            sr_id = s.scalar(select(m.Sozialraum.id).where(m.Sozialraum.name == sr.name))
            b, mm = budgets_und_massnahmen(s, jahr=jahr, sozialraum_id=sr_id)
        seite = budget_uebersicht(b, mm, kommune.budgetkategorien, sozialraeume=[sr.name], jahre=[jahr])
        assert_frame_equal(budget[budget["sozialraum"] == sr.name].reset_index(drop=True), seite)
        if len(mm):
            seite_art = massnahmen_uebersicht(mm, kommune.massnahmenarten)
            bericht_art = uebersicht[uebersicht["sozialraum"] == sr.name].reset_index(drop=True)
            assert_frame_equal(bericht_art, seite_art)


@pytest.mark.parametrize("jahr", JAHRE)
def test_umgesetzt_geplant_ohne_abgelehnte_und_fortbildung_im_fallunspezifischen_budget(engine, berichtsdaten,
                                                                                        kommune, jahr):
    with sitzung(engine, akteur=None) as s:
        db = pd.DataFrame([(sr, x.art, x.status, x.kosten_geplant, x.kosten_ist) for x, sr in s.execute(
            select(m.Massnahme, m.Sozialraum.name).join(m.Sozialraum).where(m.Massnahme.jahr == jahr))],
            columns=["sozialraum", "art", "status", "kosten_geplant", "kosten_ist"])
    if jahr == JAHRE[0]:  # das abgeschlossene Vorjahr hat an jedem Stichtag umgesetzte Maßnahmen und Fortbildungen
        assert (db["status"] == "umgesetzt").any() and (db["art"] == "fortbildung_supervision").any()
        assert (db["status"] == "abgelehnt").any()  # sonst prüfte „ohne abgelehnte“ nichts
    uebersicht, budget = teil.massnahmen_und_budget(berichtsdaten.massnahmen, berichtsdaten.budgets, kommune,
                                                    jahr=jahr)
    assert uebersicht["umgesetzt"].sum() == (db["status"] == "umgesetzt").sum()
    assert uebersicht["kosten_geplant"].sum() == pytest.approx(db.loc[db["status"] != "abgelehnt",
                                                                       "kosten_geplant"].sum())
    fb = next(k for k in kommune.budgetkategorien if k.anteil_von)
    for sr in kommune.sozialraeume:
        eigene = db[(db["sozialraum"] == sr.name) & (db["status"] != "abgelehnt")]
        gruppe = eigene[eigene["art"].isin([fb.anteil_von, fb.schluessel])]
        bindung = gruppe[["kosten_geplant", "kosten_ist"]].fillna(0).max(axis=1).sum()
        z = budget[(budget["sozialraum"] == sr.name) & (budget["kategorie"] == fb.anteil_von)].iloc[0]
        assert z["gebunden"] == pytest.approx(bindung)  # Fortbildung zählt im fallunspezifischen Budget mit
        assert z["rest"] == pytest.approx(z["budget"] - bindung)
        # die Tabelle im Bericht zeigt dieselben Zahlen (Spalten aus derselben Quelle)
        tabellen = [t for t in teil.massnahmen(uebersicht, budget, kommune, sozialraum=sr.name)
                    if isinstance(t, Tabelle)]
        art = next((t for t in tabellen if t.kopf == list(MASSNAHMEN_SPALTEN.values())), None)
        if art is None:
            assert eigene.empty
            continue
        i = art.kopf.index("umgesetzt")
        assert sum(_zahl(z[i]) for z in art.zeilen) == (db[db["sozialraum"] == sr.name]["status"] == "umgesetzt").sum()
        j = art.kopf.index("Kosten geplant (ohne abgelehnte)")
        assert sum(_zahl(z[j]) for z in art.zeilen) == pytest.approx(eigene["kosten_geplant"].sum(), abs=0.01)
