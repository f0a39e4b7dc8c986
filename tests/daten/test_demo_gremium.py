"""Erzeugte Demo-Daten der Gremiumsarbeit (ohne Datenbank): Sitzungen mit Protokollen, Maßnahmen und Budgets,
Hospitationen und Reflexionen, Stufen und Teilnahme – so, wie die Konzeption sie beschreibt.

Die Demo folgt ihrem Stichtag (Standard heute): jeder Test läuft mit heute und mit festen Stichtagen über das Jahr
(`tests.zeit`), Jahre in den Erwartungen kommen aus `demo_jahre(stichtag)`."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import date

import pytest

from daten.demo import demo_jahre, erzeuge_demo
from daten.demo.sitzungen import stufe_am
from daten.gremium.kalender import naechster_arbeitstag
from tests.zeit import STICHTAG_IDS, stichtage


@pytest.fixture(scope="module", params=stichtage(), ids=STICHTAG_IDS)
def demo(request, kommune):
    return erzeuge_demo(kommune, stichtag=request.param)


def _halbjahr_vorbei(jahr: int, halbjahr: int, stichtag: date) -> bool:
    return stichtag > (date(jahr, 6, 30) if halbjahr == 1 else date(jahr, 12, 31))


def test_jeder_sozialraum_tagt_mit_vollstaendigem_protokoll(kommune, demo):
    fragen = set(range(1, len(kommune.fragen) + 1))
    j = demo_jahre(demo.stichtag)
    for sr in kommune.sozialraeume:
        eigene = [s for s in demo.sitzungen if s["sozialraum"] == sr.name]
        # das abgeschlossene Vorjahr: mindestens zwei vollständige Protokolle
        voll = [s for s in eigene if s["datum"].year == j.vorjahr and {p["frage"] for p in s["punkte"]} == fragen]
        assert len(voll) >= 2, (sr.name, j.vorjahr)
        for jahr in (j.vorjahr, j.laufend):
            for halbjahr in (1, 2):  # R5: mindestens einmal im Halbjahr (ein laufendes Halbjahr ist geplant)
                im_hj = [s for s in eigene if s["datum"].year == jahr and (s["datum"].month > 6) + 1 == halbjahr]
                assert im_hj, (sr.name, jahr, halbjahr)
                if _halbjahr_vorbei(jahr, halbjahr, demo.stichtag):
                    assert any(s["datum"] <= demo.stichtag for s in im_hj), (sr.name, jahr, halbjahr)
        # geplant ist immer etwas, auch im nächsten Jahr
        assert any(s["status"] in ("geplant", "eingeladen") for s in eigene)
        assert any(s["datum"].year == j.naechstes and s["status"] in ("geplant", "eingeladen") for s in eigene)


def test_sitzungen_status_orte_und_teilnehmende(kommune, demo, einrichtung):
    ebenen = set(kommune.handlungsebenen)
    srs = {sr.name: set(sr.stadtteile) for sr in kommune.sozialraeume}
    for s in demo.sitzungen:
        assert s["status"] in ("geplant", "eingeladen", "durchgefuehrt", "protokolliert", "versendet")
        assert (s["datum"] > demo.stichtag) == (s["status"] in ("geplant", "eingeladen"))
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


def test_budgets_im_laufenden_und_im_naechsten_jahr(kommune, demo):
    """Das Jahr der nächsten Sitzungen hat ein Budget: Maßnahmen dafür lassen sich beantragen (CI rot seit 3.12.)."""
    j = demo_jahre(demo.stichtag)
    assert j.budgets == (j.vorjahr, j.laufend, j.naechstes)
    eigene_budgets = [k.schluessel for k in kommune.budgetkategorien if not k.anteil_von]
    vorhanden = {(b["sozialraum"], b["jahr"], b["kategorie"]) for b in demo.budgets}
    for sr in kommune.sozialraeume:
        for jahr in j.budgets:
            assert {(sr.name, jahr, k) for k in eigene_budgets} <= vorhanden, (sr.name, jahr)
    assert {b["jahr"] for b in demo.budgets} == set(j.budgets)
    sitzungsjahre = {s["datum"].year for s in demo.sitzungen}
    assert sitzungsjahre == set(j.sitzungen) and sitzungsjahre <= set(j.budgets)


def test_massnahmen_und_budgets(kommune, demo):
    sitzungen = {s["schluessel"]: s for s in demo.sitzungen}
    budget = {(b["sozialraum"], b["jahr"], b["kategorie"]): b["betrag_eur"] for b in demo.budgets}
    kategorien = {k.schluessel: k for k in kommune.budgetkategorien}
    eigene_budgets = [k for k in kategorien.values() if not k.anteil_von]
    assert len(budget) == len(kommune.sozialraeume) * len(demo_jahre(demo.stichtag).budgets) * len(eigene_budgets)
    summe: dict[tuple, float] = defaultdict(float)
    for m in demo.massnahmen:
        assert m["art"] in kommune.massnahmenarten and m["beschlussvorlage"] in kommune.beschlussvorlagen
        s = sitzungen[m["sitzung"]]
        assert s["sozialraum"] == m["sozialraum"] and s["datum"].year == m["jahr"] and s["punkte"]
        gremium = m["art"] in {k.schluessel for k in kategorien.values() if k.anteil_von}  # 5.3
        assert m["genehmigt"] == (not gremium and m["status"] in ("genehmigt", "umgesetzt"))
        assert (m["kosten_ist"] is None) == (m["status"] != "umgesetzt") == (m["umgesetzt_am"] is None)
        assert (m["genehmigt_von"] is None) == (gremium or m["status"] == "beantragt")
        if gremium:  # das Gremium beschließt: nie beantragt, genehmigt oder abgelehnt
            assert m["status"] in ("beschlossen", "umgesetzt")
        if m["umgesetzt_am"] is not None:
            assert (m["genehmigt_am"] or s["datum"]) <= m["umgesetzt_am"] <= demo.stichtag
        assert m["kosten_geplant"] > 0 and s["datum"] <= demo.stichtag
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
    j = demo_jahre(demo.stichtag)
    for sr in kommune.sozialraeume:
        for jahr in j.massnahmen:  # jede Art in jedem Jahr, in dem das Gremium schon ein Protokoll hat
            arten = {m["art"] for m in demo.massnahmen if m["sozialraum"] == sr.name and m["jahr"] == jahr}
            mit_protokoll = any(s["sozialraum"] == sr.name and s["datum"].year == jahr and s["punkte"]
                                for s in demo.sitzungen)
            assert arten == (set(kommune.massnahmenarten) if mit_protokoll else set()), (sr.name, jahr)
        assert {m["jahr"] for m in demo.massnahmen if m["sozialraum"] == sr.name} >= {j.vorjahr}


def test_hospitationen_und_reflexionen(kommune, demo, einrichtung):
    assert len(demo.hospitationen) >= len(kommune.sozialraeume)
    for h in demo.hospitationen:
        assert h["von"] != h["nach"] and h["von"] in einrichtung and h["nach"] in einrichtung
        assert h["datum"] <= demo.stichtag and h["bereich"]
    assert all(r["datum"] <= demo.stichtag and r["ergebnisse"] for r in demo.reflexionen)
    # die Reflexion des Vorjahres gibt es, sobald ihr Termin im Januar vorbei ist – vorher noch nicht
    vorjahr = demo_jahre(demo.stichtag).vorjahr
    termin = naechster_arbeitstag(date(vorjahr + 1, 1, 20), "RP", wochentage=(1, 2, 3))
    assert any(r["jahr"] == vorjahr and r["art"] == "gemeinsam" for r in demo.reflexionen) == (
        demo.stichtag >= termin)
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
        am_tag = stufe_am(demo.stufenbeschluesse, s["sozialraum"], s["datum"])
        assert am_tag <= stufe[s["sozialraum"]]
        for t in s["teilnehmende"]:
            e = einrichtung.get(t["einrichtung"] or "")
            if e is None or e["art"] in ("fruehe_hilfen", "suchthilfe"):
                continue  # Gäste „bei Bedarf“
            ab = arten[e["art"]].stufe_fuer(e["traeger_art"])
            assert ab is not None and ab <= am_tag, (s["sozialraum"], s["datum"], e["name"])
            freie_kitas += e["art"] == "kita" and e["traeger_art"] == "frei"
    # Stufe 3 (ab Mitte des laufenden Jahres): Kitas freier Träger sind dabei; vorher nie
    auf_stufe3 = [s for s in demo.sitzungen if s["teilnehmende"]
                  and stufe_am(demo.stufenbeschluesse, s["sozialraum"], s["datum"]) == 3]
    if not auf_stufe3:
        assert freie_kitas == 0
    if demo.stichtag >= date(demo.stichtag.year, 12, 1):  # ein halbes Jahr Sitzungen auf Stufe 3
        assert len(auf_stufe3) >= 3 and freie_kitas > 0
