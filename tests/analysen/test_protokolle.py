"""Protokollauswertung: Zählungen, Themen mit Stoppwörtern und Stämmen, Handlungsebenen, Maßnahmen, Budget."""

import pandas as pd
import pytest

from analysen.protokolle import (
    budget_auslastung,
    fehlende_ressourcen,
    handlungsebenen,
    massnahmen_uebersicht,
    punkte_je_frage,
    themen,
    woerter,
)

EBENEN = {"fallspezifisch": "Fallspezifisch", "falluebergreifend": "Fallübergreifend",
          "fallunspezifisch": "Fallunspezifisch"}


def _punkte():
    return pd.DataFrame([
        # sozialraum, jahr, sitzung, frage, ebene, text, fall
        ("Nord", 2025, 1, 6, "fallunspezifisch", "Es fehlen Krippenplätze in Nordheim.", False),
        ("Nord", 2025, 2, 6, "fallunspezifisch", "Weiterhin fehlt ein Krippenplatz für Familien.", False),
        ("Nord", 2025, 2, 2, "falluebergreifend", "Familien brauchen Beratung bei Schulden.", False),
        ("Nord", 2025, 2, 2, "fallspezifisch", "Fall Müller: Schulden, Beratung, Kinderschutz geprüft.", True),
        ("Süd", 2025, 3, 6, "fallunspezifisch", "Es fehlt ein Jugendtreff.", False),
    ], columns=["sozialraum", "jahr", "sitzung_id", "frage", "handlungsebene", "text", "fallbesprechung"])


def test_woerter_ohne_stoppwoerter_mit_stamm():
    w = woerter("Es fehlen Krippenplätze und ein Krippenplatz in Nordheim", ausschluss=["Nordheim"])
    assert [s for s, _ in w] == ["fehl", "krippenplatz", "krippenplatz"]
    assert ("krippenplatz", "Krippenplätze") in w


def test_themen_kehren_wieder_und_fallbesprechungen_bleiben_draussen():
    th = themen(_punkte(), ausschluss=["Nordheim"])
    nord = th[th["sozialraum"] == "Nord"].set_index("stamm")
    # „Krippenplatz“ steht in zwei Sitzungen (Singular und Plural zusammen) → wiederkehrend
    assert nord.loc["krippenplatz", "sitzungen"] == 2 and nord.loc["krippenplatz", "nennungen"] == 2
    # „Familien“ und „Schulden“ nur in Sitzung 2 (die Fallbesprechung zählt nicht) → kein wiederkehrendes Thema
    assert list(nord.index) == ["krippenplatz"] and nord.loc["krippenplatz", "thema"] == "Krippenplatz"
    assert th[th["sozialraum"] == "Süd"].empty  # eine Sitzung: nichts kehrt wieder


def test_punkte_je_frage_und_handlungsebenen():
    fragen = [f"Frage {i}" for i in range(1, 9)]
    je = punkte_je_frage(_punkte(), fragen).set_index(["sozialraum", "frage"])
    assert je.loc[("Nord", 6), "anzahl"] == 2 and je.loc[("Nord", 2), "anzahl"] == 2
    assert je.loc[("Nord", 2), "fallbesprechungen"] == 1 and je.loc[("Nord", 1), "anzahl"] == 0
    # häufigste Begriffe aus dem Punkt ohne Fallbesprechung (alphabetisch bei Gleichstand), nie aus dem Fall
    assert je.loc[("Nord", 2), "themen"] == "Beratung, brauchen, Familien"
    assert "Müller" not in je.loc[("Nord", 2), "themen"] and "Kinderschutz" not in je.loc[("Nord", 2), "themen"]
    eb = handlungsebenen(_punkte(), EBENEN).set_index(["sozialraum", "handlungsebene"])
    assert eb.loc[("Nord", "fallunspezifisch"), "anzahl"] == 2
    assert eb.loc[("Nord", "fallunspezifisch"), "anteil"] == 50.0
    assert eb.loc[("Süd", "fallspezifisch"), "anzahl"] == 0  # alle Ebenen, auch leere


def test_fehlende_ressourcen_ohne_fallbesprechung():
    p = _punkte()
    p.loc[0, "fallbesprechung"] = True
    f = fehlende_ressourcen(p)
    assert list(f["text"]) == ["Weiterhin fehlt ein Krippenplatz für Familien.", "Es fehlt ein Jugendtreff."]


def test_massnahmen_und_budget():
    m = pd.DataFrame({"sozialraum": ["Nord"] * 3, "jahr": [2025, 2025, 2024], "titel": ["a", "b", "c"],
                      "art": ["fallunspezifisch", "fortbildung_supervision", "fallunspezifisch"],
                      "kosten_geplant": [1000.0, 1600.0, 500.0], "kosten_ist": [800.0, None, 500.0],
                      "status": ["umgesetzt", "beantragt", "umgesetzt"], "genehmigt": [True, False, True]})
    u = massnahmen_uebersicht(m[m["jahr"] == 2025], {"fallunspezifisch": "fallunspezifisch"}).set_index("art")
    assert u.loc["fallunspezifisch", "kosten_geplant"] == 1000 and u.loc["fallunspezifisch", "umgesetzt"] == 1
    assert u.loc["fortbildung_supervision", "umgesetzt"] == 0
    b = pd.DataFrame({"sozialraum": ["Nord", "Nord"], "jahr": [2025, 2025],
                      "kategorie": ["fallunspezifisch", "fortbildung_supervision"], "betrag_eur": [4000.0, 1500.0]})
    a = budget_auslastung(b, m, jahr=2025, deckel={"fortbildung_supervision": 1500}).set_index("kategorie")
    assert a.loc["fallunspezifisch", "anteil_geplant"] == 25.0  # 1000 von 4000 €, das Vorjahr zählt nicht
    assert bool(a.loc["fortbildung_supervision", "deckel_ueberschritten"])  # 1600 > 1500 € (R12)
    assert not bool(a.loc["fallunspezifisch", "deckel_ueberschritten"])
    assert a.loc["fallunspezifisch", "ist"] == pytest.approx(800)
    # eine abgelehnte Maßnahme zählt mit, bindet aber keine geplanten Kosten (Bericht = Budgetprüfung)
    abgelehnt = pd.concat([m, m.iloc[[0]].assign(titel="d", kosten_geplant=700.0, kosten_ist=None,
                                                  status="abgelehnt", genehmigt=False)])
    u = massnahmen_uebersicht(abgelehnt[abgelehnt["jahr"] == 2025], {"fallunspezifisch": "x"}).set_index("art")
    assert u.loc["fallunspezifisch", "anzahl"] == 2 and u.loc["fallunspezifisch", "kosten_geplant"] == 1000
    a = budget_auslastung(b, abgelehnt, jahr=2025).set_index("kategorie")
    assert a.loc["fallunspezifisch", "geplant"] == 1000 and a.loc["fallunspezifisch", "anteil_geplant"] == 25.0
