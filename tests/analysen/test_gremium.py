"""Reine Auswertungen der Gremiumsarbeit (analysen.gremium) auf kleinen, handgebauten Frames."""

from datetime import date

import pandas as pd
import pytest

from analysen.gremium import (
    anwesenheit,
    budget_uebersicht,
    fehlende_je_jahr,
    hospitationen_je_jahr,
    im_gremium_am,
    kadenz,
    kalender_hinweise,
    ortsvorschlag,
    protokoll_vorschlag,
    stufe_am,
)


def _sitzungen(zeilen):
    return pd.DataFrame(zeilen, columns=["sozialraum", "datum", "status"])


def test_kadenz_ueberfaellig_ohne_sitzung_im_halbjahr():
    df = _sitzungen([("A", date(2026, 3, 4), "versendet"), ("A", date(2026, 9, 9), "protokolliert"),
                     ("B", date(2026, 3, 4), "versendet"), ("B", date(2025, 5, 6), "versendet"),
                     ("C", date(2026, 12, 2), "eingeladen"), ("C", date(2025, 3, 3), "versendet")])
    kz = kadenz(df, ["A", "B", "C", "D"], date(2026, 11, 20)).set_index("sozialraum")
    assert list(kz["ueberfaellig"]) == [False, True, False, True]
    assert kz.loc["A", "letzte_sitzung"] == date(2026, 9, 9) and pd.isna(kz.loc["A", "naechste_sitzung"])
    assert kz.loc["C", "naechste_sitzung"] == date(2026, 12, 2)
    assert kz.loc["B", "verpasste_halbjahre"] == "2025/2"  # 2. Halbjahr 2025 ohne Sitzung
    assert kz.loc["C", "verpasste_halbjahre"] == "2025/2, 2026/1"
    assert "überfällig" in kz.loc["B", "hinweis"]


def test_ortsvorschlag_im_wechsel_asd_kita_kijukuz_und_kita_reihum():
    ein = pd.DataFrame({"id": [1, 2, 3, 4], "name": ["ASD", "Kita A", "Kita B", "KiJuKuZ"],
                        "art": ["asd", "kita", "kita", "kijukuz"]})
    bisher = pd.DataFrame({"datum": [date(2026, 1, 1), date(2026, 3, 1)], "ort_id": [1, 2], "ort_art": ["asd", "kita"]})
    assert ortsvorschlag(bisher, ein)["einrichtung_id"] == 4
    bisher.loc[len(bisher)] = [date(2026, 5, 1), 4, "kijukuz"]
    bisher.loc[len(bisher)] = [date(2026, 7, 1), 1, "asd"]
    v = ortsvorschlag(bisher, ein)
    assert v["einrichtung_id"] == 3 and "noch nicht" in v["grund"]  # die andere Kita ist dran
    ohne_kijukuz = ein[ein["art"] != "kijukuz"]
    assert ortsvorschlag(bisher.iloc[:2], ohne_kijukuz)["art"] == "asd"  # fehlende Art wird übersprungen
    assert ortsvorschlag(bisher, ein.iloc[0:0]) is None


def test_protokoll_vorschlag_reihum_ohne_fehlende_felder():
    reihe = ["ASD", "KiJuKuZ", "Schulsozialarbeit", "Kita"]
    df = pd.DataFrame({"datum": [date(2026, 1, 1), date(2026, 3, 1)], "protokoll_bereich": ["ASD", "KiJuKuZ"]})
    assert protokoll_vorschlag(df, reihe) == "Schulsozialarbeit"
    assert protokoll_vorschlag(df, reihe, vorhanden={"ASD", "KiJuKuZ", "Kita"}) == "Kita"
    assert protokoll_vorschlag(df.iloc[0:0], reihe) == "ASD"


def test_stufe_am_datum_und_im_gremium():
    stufen = pd.DataFrame({"sozialraum": ["A", "A"], "stufe": [1, 2],
                           "gueltig_ab": [date(2025, 1, 1), date(2026, 1, 1)]})
    assert stufe_am(stufen, "A", date(2025, 12, 31)) == 1 and stufe_am(stufen, "A", date(2026, 1, 1)) == 2
    assert stufe_am(stufen, "B", date(2026, 1, 1), standard=3) == 3
    ein = pd.DataFrame({"sozialraum": ["A", "A", "A"], "gremium_ab_stufe": [1, 2, None]})
    assert list(im_gremium_am(ein, stufen, date(2025, 6, 1))["im_gremium"]) == [True, False, False]
    assert list(im_gremium_am(ein, stufen, date(2026, 6, 1))["im_gremium"]) == [True, True, False]


def test_anwesenheit_je_sitzung_und_jahr():
    ein = pd.DataFrame({"schluessel": ["k1", "k2", "j1", "kf"], "name": ["Kita 1", "Kita 2", "KiJuKuZ", "Kita frei"],
                        "art": ["kita", "kita", "kijukuz", "kita"], "sozialraum": ["A"] * 4, "stadtteil": ["X"] * 4,
                        "gueltig_von": [None, None, None, None], "gueltig_bis": [None, date(2026, 4, 1), None, None],
                        "gremium_ab_stufe": [1, 1, 1, 3]})
    sz = pd.DataFrame({"id": [1, 2, 3], "sozialraum": ["A"] * 3,
                       "datum": [date(2026, 3, 1), date(2026, 6, 1), date(2026, 12, 1)],
                       "status": ["versendet", "versendet", "geplant"],
                       "teilnehmende": [[{"einrichtung": "k1"}, {"einrichtung": "j1"}], [{"einrichtung": "j1"}], []]})
    a = anwesenheit(sz, ein)
    assert set(a["sitzung_id"]) == {1, 2}  # geplante Sitzungen zählen nicht
    assert set(a["schluessel"]) == {"k1", "k2", "j1"}  # freie Kita erst ab Stufe 3
    assert len(a[a["sitzung_id"] == 2]) == 2  # Kita 2 ist geschlossen
    f = fehlende_je_jahr(a)
    assert f[["einrichtung", "sitzungen", "fehlend"]].values.tolist() == [["Kita 1", 2, 1], ["Kita 2", 1, 1]]


def test_hospitationen_je_jahr_mit_kita_kita_markiert():
    h = pd.DataFrame({"sozialraum": ["A", "A", "B"], "jahr": [2026] * 3, "von_art": ["kita", "asd", "kita"],
                      "nach_art": ["kita", "kita", "kijukuz"], "anzahl_personen": [2, 1, 3]})
    g = hospitationen_je_jahr(h, sozialraeume=["A", "B", "C"]).set_index("sozialraum")
    assert g.loc["A"].tolist() == [2026, 2, 3, 1] and g.loc["C", "anzahl"] == 0


def test_budget_uebersicht_fortbildung_aus_fallunspezifisch_mit_warnung(kommune):
    budgets = pd.DataFrame({"sozialraum": ["A", "A"], "jahr": [2026, 2026],
                            "kategorie": ["falluebergreifend", "fallunspezifisch"], "betrag_eur": [5000.0, 3000.0]})
    m = pd.DataFrame({"sozialraum": ["A"] * 4, "jahr": [2026] * 4,
                      "art": ["fallunspezifisch", "fortbildung_supervision", "falluebergreifend", "falluebergreifend"],
                      "status": ["umgesetzt", "genehmigt", "abgelehnt", "beantragt"],
                      "kosten_geplant": [1000.0, 1250.0, 9000.0, 500.0], "kosten_ist": [1100.0, None, None, None]})
    u = budget_uebersicht(budgets, m, kommune.budgetkategorien).set_index("kategorie")
    assert u.loc["fallunspezifisch", "rest"] == pytest.approx(3000 - 1100 - 1250)
    assert u.loc["fortbildung_supervision", "budget"] == 1500 and u.loc["fortbildung_supervision", "rest"] == 250
    assert u.loc["fortbildung_supervision", "warnung"].startswith("83")
    assert u.loc["falluebergreifend", "geplant"] == 500 and u.loc["falluebergreifend", "warnung"] == ""
    assert u.loc["fallunspezifisch", "ausgegeben"] == 1100 and u.loc["fortbildung_supervision", "genehmigt"] == 1250


def test_kalender_rheinland_pfalz():
    assert kalender_hinweise(date(2026, 6, 4), "RP") == ["Feiertag: Fronleichnam"]
    assert kalender_hinweise(date(2026, 12, 24), "RP") == ["Heiligabend"]
    assert kalender_hinweise(date(2026, 11, 21), "RP") == ["Wochenende (Samstag)"]
    assert kalender_hinweise(date(2026, 11, 18), "RP") == []  # Buß- und Bettag ist in RP kein Feiertag
