"""Protokollauswertung: Zählungen, Themen mit Stoppwörtern und Stämmen, Handlungsebenen, Maßnahmen, Budget."""

import pandas as pd
import pytest

from analysen.protokolle import (
    KEINE_PUNKTE,
    einschaetzungen,
    entwurf_bewertung,
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


def test_massnahmen_uebersicht_zaehlt_umgesetzte_beschlossene_und_plant_ohne_abgelehnte():
    m = pd.DataFrame({"sozialraum": ["Nord"] * 5, "jahr": [2025] * 5, "titel": list("abcde"),
                      "art": ["fallunspezifisch", "fortbildung_supervision", "fallunspezifisch", "fallunspezifisch",
                              "fortbildung_supervision"],
                      "kosten_geplant": [1000.0, 1200.0, 700.0, 300.0, 200.0],
                      "kosten_ist": [800.0, None, None, None, 150.0],
                      "status": ["umgesetzt", "beschlossen", "abgelehnt", "genehmigt", "umgesetzt"]})
    u = massnahmen_uebersicht(m, {"fallunspezifisch": "fallunspezifisch"}).set_index("art")
    fu, fb = u.loc["fallunspezifisch"], u.loc["fortbildung_supervision"]
    assert (fu["anzahl"], fu["entschieden"], fu["abgelehnt"], fu["umgesetzt"]) == (3, 2, 1, 1)
    assert fu["kosten_geplant"] == 1300 and fu["kosten_ist"] == pytest.approx(800)  # die abgelehnten 700 € nicht
    # vom Gremium beschlossen (5.3) zählt als entschieden, ohne Genehmigung der Teamleitung
    assert (fb["anzahl"], fb["entschieden"], fb["umgesetzt"], fb["kosten_geplant"]) == (2, 2, 1, 1400)


def _bericht_punkte():
    return pd.DataFrame([
        (11, 1, "2025-03-12", 2, "falluebergreifend", "Familien brauchen   Beratung\nbei Schulden.", False),
        (12, 2, "2025-09-17", 2, "fallunspezifisch", "**Elterncafé** {titel} =HYPERLINK(\"x\")", False),
        (13, 2, "2025-09-17", 2, "fallspezifisch", "Fall Müller: Kinderschutz geprüft.", True),
        (14, 2, "2025-09-17", 6, "fallunspezifisch", "Es fehlt ein Jugendtreff.", False),
    ], columns=["id", "sitzung_id", "datum", "frage", "handlungsebene", "text", "fallbesprechung"]).assign(
        datum=lambda d: pd.to_datetime(d["datum"]).dt.date)


def test_entwurf_bewertung_gruppiert_texte_nach_ebene_mit_massnahmen_ohne_fallbesprechung():
    mass = pd.DataFrame({"protokollpunkt_id": [12, 14], "titel": ["Elterncafé", "Treff"],
                         "art": ["fallunspezifisch", "fallunspezifisch"], "status": ["umgesetzt", "beantragt"],
                         "kosten_geplant": [1200.0, 500.0], "kosten_ist": [1100.0, None]})
    text = entwurf_bewertung(_bericht_punkte(), mass, frage=2, ebenen=EBENEN, arten={"fallunspezifisch": "fu."},
                             status={"umgesetzt": "umgesetzt"})
    zeilen = text.splitlines()
    assert zeilen[0] == "3 Protokollpunkte aus 2 Sitzungen (12.03.2025, 17.09.2025)."
    assert zeilen[1].startswith("Davon 1 Fallbesprechungen")
    assert zeilen[2:6] == ["Fallübergreifend (1):", "– 12.03.2025: Familien brauchen Beratung bei Schulden.",
                           "Fallunspezifisch (1):", '– 17.09.2025: **Elterncafé** {titel} =HYPERLINK("x")']
    assert zeilen[6] == "Maßnahmen dazu: Elterncafé (fu., umgesetzt, geplant 1.200 €, Ist 1.100 €)."
    assert "Müller" not in text and "Kinderschutz" not in text and "Treff" not in text  # Frage 6 gehört nicht dazu
    assert entwurf_bewertung(_bericht_punkte(), None, frage=3, ebenen=EBENEN, arten={}) == KEINE_PUNKTE
    # deterministisch: gleiche Eingabe, gleicher Text, auch in anderer Zeilenfolge
    umgedreht = _bericht_punkte().iloc[::-1]
    assert entwurf_bewertung(umgedreht, mass, frage=2, ebenen=EBENEN, arten={"fallunspezifisch": "fu."},
                             status={"umgesetzt": "umgesetzt"}) == text


def test_einschaetzungen_nehmen_den_gespeicherten_text_sonst_den_entwurf():
    fragen = [f"Frage {i}" for i in range(1, 9)]
    gespeichert = pd.DataFrame({"frage": [2, 6], "text": ["Die JHP sieht Beratungsbedarf.", "  "],
                                "status": ["abgestimmt", "entwurf"], "version": [3, 1]})
    e = einschaetzungen(_bericht_punkte(), None, gespeichert, fragen=fragen, ebenen=EBENEN, arten={}).set_index(
        "frage")
    assert list(e.index) == list(range(1, 9))
    assert (e.loc[2, "text"], e.loc[2, "quelle"], e.loc[2, "version"]) == ("Die JHP sieht Beratungsbedarf.",
                                                                             "gespeichert", 3)
    # ein leer gespeicherter Text zählt nicht: der Entwurf aus den Punkten
    assert e.loc[6, "quelle"] == "Entwurf" and "Jugendtreff" in e.loc[6, "text"] and e.loc[6, "anzahl"] == 1
    assert e.loc[1, "text"] == KEINE_PUNKTE and e.loc[1, "anzahl"] == 0
