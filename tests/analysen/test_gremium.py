"""Reine Auswertungen der Gremiumsarbeit (analysen.gremium) auf kleinen, handgebauten Frames."""

from datetime import date

import pandas as pd
import pytest

from analysen.gremium import (
    KEIN_BUDGET,
    anwesenheit,
    budget_uebersicht,
    budget_warnung,
    fehlende_je_jahr,
    hospitationen_je_jahr,
    im_gremium_am,
    kadenz,
    kalender_hinweise,
    ortsvorschlag,
    ortswechsel,
    protokoll_vorschlag,
    sitzungskonformitaet,
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


def test_budget_uebersicht_ohne_budgetzeile_ist_nicht_null_euro(kommune):
    """Jahr ohne Budgetzeile: „noch kein Budget eingetragen“ statt 0 € und „überschritten“; ein eingetragenes
    Budget von 0 € bleibt 0 € (überschritten, sobald etwas gebunden ist)."""
    budgets = pd.DataFrame({"sozialraum": ["A", "B"], "jahr": [2026, 2027], "kategorie": ["falluebergreifend"] * 2,
                            "betrag_eur": [5000.0, 0.0]})
    m = pd.DataFrame({"sozialraum": ["A", "A", "B"], "jahr": [2026, 2027, 2027],
                      "art": ["falluebergreifend", "falluebergreifend", "falluebergreifend"],
                      "status": ["beantragt"] * 3, "kosten_geplant": [500.0, 500.0, 500.0],
                      "kosten_ist": [None] * 3})
    u = budget_uebersicht(budgets, m, kommune.budgetkategorien, sozialraeume=["A", "B", "C"], jahre=[2027])
    u = u.set_index(["sozialraum", "jahr", "kategorie"])
    mit = u.loc[("A", 2026, "falluebergreifend")]  # eingetragen: Rest wie immer
    assert mit["eingetragen"] and mit["budget"] == 5000 and mit["rest"] == 4500 and mit["warnung"] == ""
    ohne = u.loc[("A", 2027, "falluebergreifend")]  # nicht eingetragen, obwohl schon etwas beantragt ist
    assert not ohne["eingetragen"] and pd.isna(ohne["budget"]) and pd.isna(ohne["rest"])
    assert ohne["warnung"] == KEIN_BUDGET == "noch kein Budget eingetragen" and ohne["geplant"] == 500
    null = u.loc[("B", 2027, "falluebergreifend")]  # 0 € eingetragen: eine echte Grenze
    assert null["eingetragen"] and null["budget"] == 0 and null["rest"] == -500 and null["warnung"] == "überschritten"
    # fallunspezifisch fehlt bei B 2027: auch Fortbildung (aus diesem Budget) zeigt „noch kein Budget eingetragen“
    assert u.loc[("B", 2027, "fallunspezifisch"), "warnung"] == KEIN_BUDGET
    assert u.loc[("B", 2027, "fortbildung_supervision"), "warnung"] == KEIN_BUDGET
    assert not u.loc[("A", 2026, "fallunspezifisch"), "eingetragen"]
    # C hat weder Budget noch Maßnahmen: mit sozialraeume/jahre trotzdem in der Übersicht, ohne nur die Daten
    assert set(u.loc["C"].index.get_level_values("jahr")) == {2027} and not u.loc["C", "eingetragen"].any()
    ohne_liste = budget_uebersicht(budgets, m, kommune.budgetkategorien)
    assert "C" not in set(ohne_liste["sozialraum"])


def test_kalender_rheinland_pfalz():
    assert kalender_hinweise(date(2026, 6, 4), "RP") == ["Feiertag: Fronleichnam"]
    assert kalender_hinweise(date(2026, 12, 24), "RP") == ["Heiligabend"]
    assert kalender_hinweise(date(2026, 11, 21), "RP") == ["Wochenende (Samstag)"]
    assert kalender_hinweise(date(2026, 11, 18), "RP") == []  # Buß- und Bettag ist in RP kein Feiertag


# ------------------------------------------------------------------- Sitzungskonformität (R5, R6, R13) von Hand
def _einrichtungen_konformitaet():
    zeilen = [  # schluessel, name, art, sozialraum, stadtteil, gremium_ab_stufe
        ("a1", "ASD A", "asd", "A", "X", 1), ("k1", "Kita 1", "kita", "A", "X", 1),
        ("k2", "Kita 2", "kita", "A", "Y", 1), ("j1", "KiJuKuZ", "kijukuz", "A", "X", 1),
        ("kf", "Kita frei", "kita", "A", "X", 3), ("b1", "ASD B", "asd", "B", "Z", 1),
        ("bk", "Kita B", "kita", "B", "Z", 1)]
    df = pd.DataFrame(zeilen, columns=["schluessel", "name", "art", "sozialraum", "stadtteil", "gremium_ab_stufe"])
    return df.assign(gueltig_von=None, gueltig_bis=None)


def _sitzungen_konformitaet():
    def da(*schluessel):
        return [{"einrichtung": k} for k in schluessel]

    zeilen = [  # id, sozialraum, datum, status, ort_art, teilnehmende, stadtteile (Teilgremium)
        (1, "A", date(2024, 11, 5), "versendet", "kijukuz", da("k1", "k2", "j1"), []),
        (2, "A", date(2025, 3, 4), "versendet", "asd", da("k1", "j1"), []),  # Kita 2 fehlt
        (3, "A", date(2025, 9, 2), "protokolliert", "kita", da("k1", "k2", "j1"), []),
        (4, "A", date(2025, 11, 18), "durchgefuehrt", "kijukuz", da("k1", "j1"), ["X"]),  # Teilgremium ohne Kita 2
        (5, "A", date(2026, 2, 3), "versendet", "kita", [], []),  # nach KiJuKuZ wäre ASD dran
        (6, "A", date(2026, 9, 8), "eingeladen", "asd", [], []),  # nicht gehalten
        (7, "B", date(2025, 5, 6), "versendet", "kita", da("bk"), []),  # erste Sitzung: jeder Ort des Wechsels
        (8, "B", date(2026, 3, 3), "geplant", "asd", [], []),  # liegt zurück, aber nie gehalten
    ]
    return pd.DataFrame(zeilen, columns=["id", "sozialraum", "datum", "status", "ort_art", "teilnehmende",
                                         "stadtteile"])


def _hospitationen_konformitaet():
    return pd.DataFrame({"sozialraum": ["A", "A", "B"], "jahr": [2025, 2025, 2026], "von_art": ["kita", "asd", "asd"],
                         "nach_art": ["kijukuz", "kita", "kita"], "anzahl_personen": [1, 2, 1]})


def test_sitzungskonformitaet_je_sozialraum_und_jahr_von_hand():
    k = sitzungskonformitaet(_sitzungen_konformitaet(), _einrichtungen_konformitaet(), _hospitationen_konformitaet(),
                             ["A", "B", "C"], jahre=[2025, 2026], stichtag=date(2026, 8, 1))
    k = k.set_index(["sozialraum", "jahr"])
    assert list(k.columns) == ["sitzungen", "halbjahre_ohne_sitzung", "ortsrotation_ok", "anwesenheitsquote",
                               "hospitationen"]
    erwartet = {  # sitzungen, Halbjahre ohne, Ortswechsel, Anwesenheit, Hospitationen
        ("A", 2025): [3, 0, True, 7 / 8, 2],  # 2/3 + 3/3 + 2/2 (Teilgremium X: Kita 2 nicht erwartet)
        ("A", 2026): [1, 0, False, 0.0, 0],  # 2. Halbjahr läuft noch am Stichtag
        ("B", 2025): [1, 1, True, 1.0, 0],
        ("B", 2026): [0, 1, None, None, 1],  # „geplant“ im März zählt nicht
        ("C", 2025): [0, 2, None, None, 0],
        ("C", 2026): [0, 1, None, None, 0],
    }
    for schluessel, (n, ohne, ort, quote, hosp) in erwartet.items():
        z = k.loc[schluessel]
        assert (z["sitzungen"], z["halbjahre_ohne_sitzung"], z["hospitationen"]) == (n, ohne, hosp), schluessel
        assert z["ortsrotation_ok"] is ort, schluessel
        assert (quote is None and pd.isna(z["anwesenheitsquote"])) or z["anwesenheitsquote"] == pytest.approx(quote)


def test_sitzungskonformitaet_stufe_stichtag_und_jahre_zaehlen():
    sz, ein, h = _sitzungen_konformitaet(), _einrichtungen_konformitaet(), _hospitationen_konformitaet()
    # Ab 2025-06-01 Stufe 3 in A: die freie Kita wird erwartet (und fehlt in Sitzung 3 und 4)
    stufen = pd.DataFrame({"sozialraum": ["A"], "stufe": [3], "gueltig_ab": [date(2025, 6, 1)]})
    k = sitzungskonformitaet(sz, ein, h, ["A"], jahre=[2025], stufen=stufen).set_index("jahr")
    assert k.loc[2025, "anwesenheitsquote"] == pytest.approx(7 / 10)  # 2/3 + 3/4 + 2/3
    # ohne Stichtag zählt auch das laufende Halbjahr; Standardjahre = Jahre mit Sitzungen oder Hospitationen
    k = sitzungskonformitaet(sz, ein, h, ["A", "B"]).set_index(["sozialraum", "jahr"])
    assert sorted(set(k.index.get_level_values("jahr"))) == [2024, 2025, 2026]
    assert k.loc[("A", 2026), "halbjahre_ohne_sitzung"] == 1
    assert k.loc[("A", 2024), "halbjahre_ohne_sitzung"] == 0  # erstes Halbjahr 2024: vor der ersten Sitzung
    # ein Stufenbeschluss markiert den Beginn des Gremiums, auch ohne Sitzung
    beginn = pd.DataFrame({"sozialraum": ["C"], "stufe": [1], "gueltig_ab": [date(2025, 7, 1)]})
    k = sitzungskonformitaet(sz, ein, h, ["C"], jahre=[2025], stufen=beginn).set_index("jahr")
    assert k.loc[2025, "halbjahre_ohne_sitzung"] == 1
    # nur 2026 gefragt: die erste Sitzung 2026 wird trotzdem an der letzten von 2025 gemessen
    k = sitzungskonformitaet(sz, ein, h, ["A"], jahre=[2026]).set_index("jahr")
    assert k.loc[2026, "ortsrotation_ok"] is False
    # R6 zählt nur die Arten der Teilnahmeprüfung
    k = sitzungskonformitaet(sz, ein, h, ["A"], jahre=[2025], teilnahme_arten=("kijukuz",)).set_index("jahr")
    assert k.loc[2025, "anwesenheitsquote"] == 1.0


def test_ortswechsel_folgt_dem_wechsel_der_mitglieder():
    ein = _einrichtungen_konformitaet()
    sz = _sitzungen_konformitaet()
    w = ortswechsel(sz[sz["sozialraum"] == "A"], ein)
    assert pd.isna(w["erwartet"].iloc[0]) and list(w["erwartet"].iloc[1:]) == ["asd", "kita", "kijukuz", "asd"]
    assert list(w["im_wechsel"]) == [True, True, True, True, False]
    ohne_ort = pd.DataFrame({"sozialraum": ["A", "A"], "datum": [date(2025, 1, 7), date(2025, 6, 3)],
                             "status": ["versendet"] * 2, "ort_art": ["asd", None]})
    assert list(ortswechsel(ohne_ort, ein)["im_wechsel"]) == [True, False]
    schule = ohne_ort.assign(ort_art=["grundschule", "asd"])
    assert list(ortswechsel(schule, ein)["im_wechsel"]) == [False, True]  # nach einem fremden Ort beginnt der Wechsel
    # Ein KiJuKuZ, das erst ab Stufe 2 dazugehört, ist auf Stufe 1 kein Ort des Wechsels: nach der Kita der ASD
    frei = ein.assign(gremium_ab_stufe=ein["gremium_ab_stufe"].where(ein["art"] != "kijukuz", 2))
    zwei = ohne_ort.assign(ort_art=["kita", "asd"])
    assert list(ortswechsel(zwei, frei)["im_wechsel"]) == [True, True]
    assert list(ortswechsel(zwei, ein)["im_wechsel"]) == [True, False]
    stufe2 = pd.DataFrame({"sozialraum": ["A"], "stufe": [2], "gueltig_ab": [date(2025, 2, 1)]})
    assert list(ortswechsel(zwei, frei, stufen=stufe2)["im_wechsel"]) == [True, False]


@pytest.mark.parametrize(("gebunden", "warnt"), [(1200.0, True), (1199.99, False), (1500.0, True), (0.0, False)])
def test_budget_warnung_genau_ab_dem_konfigurierten_anteil(kommune, gebunden, warnt):
    """Die Teamleitung überwacht das Budget: Warnung ab `warnung_ab_anteil` (Mainz 0,8) des Deckels von 1.500 € –
    genau 1.200,00 € warnt, 1.199,99 € nicht. Eine vom Gremium beschlossene Fortbildung (5.3) zählt wie genehmigt."""
    k = next(k for k in kommune.budgetkategorien if k.deckel_eur is not None)
    assert (k.warnung_ab_anteil, k.deckel_eur) == (0.8, 1500)
    budgets = pd.DataFrame({"sozialraum": ["A"], "jahr": [2026], "kategorie": [k.anteil_von], "betrag_eur": [9000.0]})
    m = pd.DataFrame({"sozialraum": ["A"], "jahr": [2026], "art": [k.schluessel], "status": ["beschlossen"],
                      "kosten_geplant": [gebunden], "kosten_ist": [None]})
    u = budget_uebersicht(budgets, m, kommune.budgetkategorien).set_index("kategorie")
    assert bool(u.loc[k.schluessel, "warnung"]) is warnt
    assert u.loc[k.schluessel, "genehmigt"] == gebunden  # beschlossen zählt als entschieden
    assert u.loc[k.anteil_von, "rest"] == pytest.approx(9000 - gebunden)  # Fortbildung im fallunspezifischen Budget
    assert budget_warnung(gebunden, 1500, 0.8) is warnt
