"""Erzeugte Demo-Daten der Gremiumsarbeit (ohne Datenbank): Sitzungen mit Protokollen, Maßnahmen und Budgets,
Hospitationen und Reflexionen, Stufen und Teilnahme – so, wie die Konzeption sie beschreibt."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from daten.demo import STICHTAG


def test_jeder_sozialraum_tagt_mit_vollstaendigem_protokoll(kommune, demo):
    fragen = set(range(1, len(kommune.fragen) + 1))
    for sr in kommune.sozialraeume:
        eigene = [s for s in demo.sitzungen if s["sozialraum"] == sr.name]
        for jahr in (2025, 2026):
            voll = [s for s in eigene if s["datum"].year == jahr and {p["frage"] for p in s["punkte"]} == fragen]
            assert len(voll) >= 2, (sr.name, jahr)
            for halbjahr in (1, 2):  # R5: mindestens einmal im Halbjahr
                assert any(s["datum"].year == jahr and (s["datum"].month > 6) + 1 == halbjahr for s in eigene)
        assert any(s["status"] in ("geplant", "eingeladen") for s in eigene)


def test_sitzungen_status_orte_und_teilnehmende(kommune, demo, einrichtung):
    ebenen = set(kommune.handlungsebenen)
    srs = {sr.name: set(sr.stadtteile) for sr in kommune.sozialraeume}
    for s in demo.sitzungen:
        assert s["status"] in ("geplant", "eingeladen", "durchgefuehrt", "protokolliert", "versendet")
        assert (s["datum"] > STICHTAG) == (s["status"] in ("geplant", "eingeladen"))
        if s["status"] in ("protokolliert", "versendet"):
            assert s["punkte"] and s["teilnehmende"]
        else:
            assert not s["punkte"]
        assert einrichtung[s["ort"]]["stadtteil"] in srs[s["sozialraum"]]
        assert s["protokollfuehrung"]
        for t in s["teilnehmende"]:
            assert t["einrichtung"] is None or t["einrichtung"] in einrichtung
        for p in s["punkte"]:
            assert p["handlungsebene"] in ebenen
            assert all(k in einrichtung for k in p["bezug"])
            if p["fallbesprechung"]:  # R3
                assert p["anonymisiert"] or p["schweigepflichtentbindung"]
    orte = Counter(einrichtung[s["ort"]]["art"] for s in demo.sitzungen)
    assert orte["asd"] and orte["kita"] and orte["kijukuz"]  # R5: Wechsel der Orte
    bereiche = {t["bereich"] for s in demo.sitzungen for t in s["teilnehmende"]}
    assert {"ASD", "Kita", "KiJuKuZ", "Schulsozialarbeit", "Quartiermanagement"} <= bereiche


def test_protokolle_ohne_personendaten(demo):
    namen = {t["name"] for s in demo.sitzungen for t in s["teilnehmende"]}
    muster = re.compile(r"@|\b\d{2}\.\d{2}\.\d{4}\b|\b0\d{3,}[ /-]?\d{3,}")
    for s in demo.sitzungen:
        for p in s["punkte"]:
            assert not muster.search(p["text"]), p["text"]
            assert not any(n in p["text"] for n in namen), p["text"]


# --- Maßnahmen, Budgets, Hospitationen, Reflexionen --------------------------------------------------


def test_massnahmen_und_budgets(kommune, demo):
    sitzungen = {s["schluessel"]: s for s in demo.sitzungen}
    budget = {(b["sozialraum"], b["jahr"], b["kategorie"]): b["betrag_eur"] for b in demo.budgets}
    kategorien = {k.schluessel: k for k in kommune.budgetkategorien}
    eigene_budgets = [k for k in kategorien.values() if not k.anteil_von]
    assert len(budget) == len(kommune.sozialraeume) * 2 * len(eigene_budgets)
    summe: dict[tuple, float] = defaultdict(float)
    for m in demo.massnahmen:
        assert m["art"] in kommune.massnahmenarten and m["beschlussvorlage"] in kommune.beschlussvorlagen
        s = sitzungen[m["sitzung"]]
        assert s["sozialraum"] == m["sozialraum"] and s["datum"].year == m["jahr"] and s["punkte"]
        assert m["genehmigt"] == (m["status"] in ("genehmigt", "umgesetzt"))
        assert (m["kosten_ist"] is None) == (m["status"] != "umgesetzt")
        assert (m["genehmigt_von"] is None) == (m["status"] == "beantragt")
        assert m["kosten_geplant"] > 0
        if m["status"] != "abgelehnt":
            summe[(m["sozialraum"], m["jahr"], m["art"])] += m["kosten_geplant"]
    gruppe = {k.schluessel: k.anteil_von or k.schluessel for k in kategorien.values()}
    je_gruppe: dict[tuple, float] = defaultdict(float)
    for (sr, jahr, art), betrag in summe.items():
        je_gruppe[(sr, jahr, gruppe[art])] += betrag
    for (sr, jahr, g), betrag in je_gruppe.items():
        assert betrag <= budget[(sr, jahr, g)], (sr, jahr, g)  # Fortbildung zählt gegen fallunspezifisch (R12)
    for k in kategorien.values():
        if k.deckel_eur is None:
            continue
        assert not any(b["kategorie"] == k.schluessel for b in demo.budgets)  # kein eigenes Budget, nur Deckel
        ausgeschoepft = [v / k.deckel_eur for (_, _, art), v in summe.items() if art == k.schluessel]
        assert max(ausgeschoepft) <= 1.0
        assert max(ausgeschoepft) >= k.warnung_ab_anteil  # ein Sozialraum zeigt die Warnung (R12)
    for sr in kommune.sozialraeume:
        for jahr in (2025, 2026):
            arten = {m["art"] for m in demo.massnahmen if m["sozialraum"] == sr.name and m["jahr"] == jahr}
            assert arten == set(kommune.massnahmenarten), (sr.name, jahr)


def test_hospitationen_und_reflexionen(kommune, demo, einrichtung):
    assert len(demo.hospitationen) >= len(kommune.sozialraeume)
    for h in demo.hospitationen:
        assert h["von"] != h["nach"] and h["von"] in einrichtung and h["nach"] in einrichtung
        assert h["datum"] <= STICHTAG and h["bereich"]
    assert demo.reflexionen and all(r["datum"] <= STICHTAG and r["ergebnisse"] for r in demo.reflexionen)
    for r in demo.reflexionen:  # 5.2: nach den Sitzungen, die sie betrachtet
        betrachtet = [s for s in demo.sitzungen if r["zeitraum_von"] <= s["datum"] <= r["zeitraum_bis"]]
        assert betrachtet and all(s["datum"] < r["datum"] for s in betrachtet)


# --- Glaubwürdiges Mainz (Konzeption 3.1) ------------------------------------------------------------


def test_gremien_mit_teamleitung_und_verschiedenen_stufen(kommune, demo):
    assert [s["name"] for s in demo.sozialraeume] == [sr.name for sr in kommune.sozialraeume]
    assert {s["stufe"] for s in demo.sozialraeume} == {1, 2, 3}
    namen = [s["teamleitung"] for s in demo.sozialraeume]
    assert all(namen) and len(set(namen)) == len(namen)
    for s in demo.sozialraeume:  # die Teamleitung schreibt das Protokoll, wenn der ASD an der Reihe ist (4.1)
        fuehrung = {x["protokollfuehrung"] for x in demo.sitzungen
                    if x["sozialraum"] == s["name"] and x["protokoll_bereich"] == "ASD"}
        assert fuehrung == {f"{s['teamleitung']} (ASD)"}


def test_teilnahme_folgt_der_stufe_des_gremiums(kommune, demo, einrichtung):
    stufe = {s["name"]: s["stufe"] for s in demo.sozialraeume}
    arten = {a.schluessel: a for a in kommune.einrichtungsarten}
    freie_kitas = 0
    for s in demo.sitzungen:
        for t in s["teilnehmende"]:
            e = einrichtung.get(t["einrichtung"] or "")
            if e is None or e["art"] in ("fruehe_hilfen", "suchthilfe"):
                continue  # Gäste „bei Bedarf“
            ab = arten[e["art"]].stufe_fuer(e["traeger_art"])
            assert ab is not None and ab <= stufe[s["sozialraum"]], (s["sozialraum"], e["name"])
            freie_kitas += e["art"] == "kita" and e["traeger_art"] == "frei"
    assert freie_kitas > 0  # Stufe 3: Kitas freier Träger sind dabei
